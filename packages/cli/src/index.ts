export * from './adapters.js';
export * from './config.js';
export * from './demo.js';
export * from './document.js';
export * from './gateway.js';
