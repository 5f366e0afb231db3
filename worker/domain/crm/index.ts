/** The crm capability's public face: other folders import only this file. */
export * from './board';
export * from './chat-context';
export * from './contact-page';
export * from './contacts';
export * from './directory';
export * from './merge';
export * from './funnels';
export * from './opportunities';
export * from './projects';
export * from './tasks';
