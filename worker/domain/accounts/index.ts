/** The accounts capability's public face: other folders import only this file. */
export * from './passwords';
export * from './users';
export * from './login-throttle';
export * from './sessions';
export * from './own-password';
export * from './session-cache';
