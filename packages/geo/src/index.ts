export * from './geometry.js';
export * from './query.js';
