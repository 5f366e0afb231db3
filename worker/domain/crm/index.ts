/** The crm capability's public face: other folders import only this file. */
export * from './chat-context';
export * from './contacts';
export * from './funnels';
export * from './opportunities';
export * from './projects';
export * from './tasks';
