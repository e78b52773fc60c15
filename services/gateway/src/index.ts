export * from './adapters.js';
export { credentialsBanner } from './commands/admin-init.js';
export { clock } from './commands/context.js';
export { type GatewayExtension, type StartedGateway, start } from './commands/start.js';
export * from './config.js';
export * from './document.js';
export * from './gateway.js';
export { runCommand } from './run-command.js';
export { CommandError, UsageError } from './usage.js';
