/** The routing capability's public face: other folders import only this file. */
export * from './queue';
export * from './round-robin';
