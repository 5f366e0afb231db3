/** The integrations capability's public face: other folders import only this file. */
export * from './manage';
export * from './messenger-access';
export * from './token-vault';
export * from './secret-migration';
export * from './webhook-cache';
