/** The canned-responses capability's public face: other folders import only this file. */
export * from './responses';
export * from './template';
