export * from './coverage.js';
export * from './decide.js';
export * from './facts.js';
export * from './item-id.js';
export * from './levels.js';
export * from './mou-status.js';
export * from './scope.js';
export * from './terms.js';
