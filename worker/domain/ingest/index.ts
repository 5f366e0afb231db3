/** The ingest capability's public face: other folders import only this file. */
export * from './ingest-update';
export * from './lookup';
export * from './plan';
export * from './receive';
export * from './status';
