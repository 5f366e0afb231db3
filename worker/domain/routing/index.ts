/** The routing capability's public face: other folders import only this file. */
export * from './backlog';
export * from './no-reply';
export * from './queue';
export * from './release';
export * from './reopen';
export * from './round-robin';
export * from './status';
export * from './take';
