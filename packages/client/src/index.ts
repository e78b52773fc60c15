export * from './client.js';
export * from './error.js';
export * from './sse.js';
export * from './types.js';
