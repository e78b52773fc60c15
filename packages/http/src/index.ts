export * from './env.js';
export * from './envelope.js';
export * from './gateway.js';
export * from './logger.js';
export * from './problem.js';
export * from './server.js';
export * from './settings.js';
export * from './validation.js';
