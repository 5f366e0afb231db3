/** The outbound capability's public face: other folders import only this file. */
export * from './delivery';
export * from './outbound-parts';
export * from './outbox';
export * from './post';
export * from './process';
export * from './inbound-media';
export * from './acks';
export * from './sent-changes';
export * from './record-together';
