export * from './alliance.js';
export * from './api.js';
export * from './gateway.js';
export * from './logs.js';
export * from './sharedFixtures.js';
