export * from './app.js';
export * from './checks.js';
export * from './config.js';
export * from './context.js';
export * from './items.js';
export * from './openapi.js';
export * from './schemas.js';
export * from './search.js';
