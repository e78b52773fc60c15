export * from './app.js';
export * from './config.js';
export * from './deps.js';
export * from './identity/clients.js';
export * from './identity/context.js';
export * from './identity/init.js';
export * from './identity/organisations.js';
export { generateClientSecret, hashSecret, verifySecret } from './identity/secrets.js';
