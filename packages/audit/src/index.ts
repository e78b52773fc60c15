export * from './canonical.js';
export * from './checkpoints.js';
export * from './entry.js';
export * from './log.js';
export * from './merkle.js';
export * from './offline.js';
export * from './query.js';
export * from './verify.js';
export type { GroupModule, WriterOptions } from './writer.js';
