export * from './config.js';
export * from './feed.js';
export * from './health.js';
export * from './outbox.js';
export * from './publisher.js';
export * from './retry.js';
export * from './runtime.js';
export * from './status.js';
