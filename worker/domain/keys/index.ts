/** The keys capability's public face: other folders import only this file. */
export * from './derive';
