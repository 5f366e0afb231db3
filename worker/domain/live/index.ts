/** The live capability's public face: other folders import only this file. */
export * from './change';
export * from './frames';
export * from './render';
export * from './room-opened';
export * from './window';
export * from './write-with-live-rows';
