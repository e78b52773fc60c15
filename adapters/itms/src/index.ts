export * from './adapter.js';
export * from './decode.js';
export * from './models.js';
