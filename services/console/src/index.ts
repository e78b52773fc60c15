export * from './app.js';
export * from './i18n.js';
