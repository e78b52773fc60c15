export * from './client-check.js';
export * from './from-config.js';
export * from './keys.js';
export * from './middleware.js';
export * from './sealing.js';
export * from './settings.js';
export * from './shared-identity.js';
export * from './tokens.js';
