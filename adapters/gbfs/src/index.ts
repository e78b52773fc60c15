export * from './adapter.js';
export * from './feeds.js';
export * from './models.js';
export * from './schemas.js';
export * from './transform.js';
