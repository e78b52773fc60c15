export * from './binner.js';
export * from './fields.js';
export * from './kanon.js';
export * from './noise.js';
export * from './pseudonym.js';
export * from './sha256.js';
export * from './spatial.js';
export * from './time.js';
