export * from './feed-server.js';
export * from './gbfs-synthetic.js';
export * from './itms-synthetic.js';
export * from './mds-synthetic.js';
export * from './random.js';
