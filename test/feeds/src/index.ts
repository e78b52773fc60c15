export * from './feed-server.js';
export * from './gbfs-synthetic.js';
