/** The chats capability's public face: other folders import only this file. */
export * from './actions';
export * from './notes';
export * from './people';
export * from './reading';
export * from './tags';
