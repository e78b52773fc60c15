#!/usr/bin/env node
import { ConfigError, systemClock } from '@sangam/core';
import { createDatabase, isReachable, migrateToLatest } from '@sangam/db';
import { createGateway, createLogger, startServer } from '@sangam/http';
import { createConsentService } from './app.js';
import { loadConsentConfig } from './config.js';
import { consentDeps } from './deps.js';

/** Runs the consent service alone, e.g. as one of several processes sharing a PostgreSQL database. */
async function main(): Promise<void> {
  const config = loadConsentConfig();
  const logger = createLogger({ level: config.LOG_LEVEL });
  const handle = createDatabase(config.DATABASE_URL, { poolSize: config.SANGAM_DB_POOL_SIZE });
  await migrateToLatest(handle);
  const service = createConsentService(await consentDeps(handle.db, config, systemClock));
  const app = createGateway({
    logger,
    services: [service],
    ready: () => isReachable(handle.db),
    bodyLimitBytes: config.SANGAM_BODY_LIMIT_BYTES,
    corsOrigins: config.SANGAM_CORS_ORIGINS,
  });
  const server = await startServer(app, { port: config.SANGAM_PORT, hostname: config.SANGAM_HOST });
  logger.info({ url: server.url }, 'consent service listening');
  const stop = async () => {
    await server.close();
    await handle.destroy();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof ConfigError ? error.message : String(error)}\n`);
  process.exit(error instanceof ConfigError ? 2 : 1);
});
