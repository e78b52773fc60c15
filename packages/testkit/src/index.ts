export * from './alliance.js';
export * from './api.js';
export * from './epoch.js';
export * from './gateway.js';
export * from './logs.js';
export * from './sharedFixtures.js';
export * from './tampering.js';
export * from './wait.js';
