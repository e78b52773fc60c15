#!/usr/bin/env node
import { AuditLog } from '@sangam/audit';
import { authSettings, keysAndTokens, requireSharedIdentity } from '@sangam/auth';
import { parseConfig, processClock } from '@sangam/core';
import { databaseSettings, isReachable, openDatabase } from '@sangam/db';
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
  requireSharedIdentity(config, process.env);
  const logger = createLogger({ level: config.LOG_LEVEL });
  const handle = await openDatabase(config);
  const clock = processClock(config.SANGAM_CLOCK_EPOCH);
  const { tokens } = await keysAndTokens(handle.db, config, clock);
  const service = createCatalogueService({
    db: handle.db,
    audit: new AuditLog(handle.db, { clock }),
    tokens,
    clock,
    upstreamAllowHosts: config.SANGAM_UPSTREAM_ALLOW_HOSTS,
    keyEncryptionSecret: config.SANGAM_KEY_ENCRYPTION_SECRET,
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
