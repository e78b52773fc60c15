#!/usr/bin/env node
import { AuditLog } from '@sangam/audit';
import { authSettings, KeyStore, TokenService } from '@sangam/auth';
import { parseConfig, systemClock } from '@sangam/core';
import { createDatabase, databaseSettings, isReachable, migrateToLatest } from '@sangam/db';
import { createLogger, runMain, runServices, serverSettings } from '@sangam/http';
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
  await runServices({
    name: 'catalogue',
    logger,
    services: [service],
    ready: () => isReachable(handle.db),
    config,
    onStop: () => handle.destroy(),
  });
}

runMain(main);
