#!/usr/bin/env node
import { AuditLog } from '@sangam/audit';
import { authSettings, KeyStore, TokenService } from '@sangam/auth';
import { ConfigError, parseConfig, systemClock } from '@sangam/core';
import { createDatabase, databaseSettings, isReachable, migrateToLatest } from '@sangam/db';
import { createGateway, createLogger, serverSettings, startServer } from '@sangam/http';
import { createCatalogueService } from './app.js';
import { catalogueSettings } from './config.js';

/** Runs the catalogue alone, e.g. as one of several processes sharing a PostgreSQL database. */
async function main(): Promise<void> {
  const config = parseConfig({
    ...serverSettings,
    ...databaseSettings,
    ...authSettings,
    ...catalogueSettings,
  });
  const logger = createLogger({ level: config.LOG_LEVEL });
  const handle = createDatabase(config.DATABASE_URL, { poolSize: config.SANGAM_DB_POOL_SIZE });
  await migrateToLatest(handle);
  const keys = new KeyStore(handle.db, {
    algorithm: config.SANGAM_KEY_ALGORITHM,
    cacheMs: config.SANGAM_KEY_CACHE_SECONDS * 1000,
    encryptionSecret: config.SANGAM_KEY_ENCRYPTION_SECRET,
  });
  await keys.ensureSigningKey();
  const tokens = new TokenService(keys, {
    issuer: config.SANGAM_ISSUER,
    clockSkewSeconds: config.SANGAM_CLOCK_SKEW_SECONDS,
  });
  const service = createCatalogueService({
    db: handle.db,
    audit: new AuditLog(handle.db),
    tokens,
    clock: systemClock,
    upstreamAllowHosts: config.SANGAM_UPSTREAM_ALLOW_HOSTS,
  });
  const app = createGateway({
    logger,
    services: [service],
    ready: () => isReachable(handle.db),
    bodyLimitBytes: config.SANGAM_BODY_LIMIT_BYTES,
    corsOrigins: config.SANGAM_CORS_ORIGINS,
  });
  const server = await startServer(app, { port: config.SANGAM_PORT, hostname: config.SANGAM_HOST });
  logger.info({ url: server.url }, 'catalogue listening');
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
