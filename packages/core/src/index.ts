export * from './clock.js';
export * from './config.js';
export * from './domain.js';
export * from './errors.js';
export * from './ids.js';
export * from './problems.js';
export * from './slices.js';
export * from './text.js';
