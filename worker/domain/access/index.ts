/** The access capability's public face: other folders import only this file. */
export * from './chat-gate';
export * from './policy';
export * from './viewers';
