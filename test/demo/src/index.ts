export * from './demo.js';
export * from './start.js';
