export * from './adapter.js';
export * from './aggregate.js';
export * from './days.js';
export * from './differencing.js';
export * from './models.js';
export * from './trips.js';
