export * from './keys.js';
export * from './middleware.js';
export * from './tokens.js';
export * from './settings.js';
