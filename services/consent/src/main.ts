#!/usr/bin/env node
import { processClock } from '@sangam/core';
import { createDatabase, isReachable, migrateToLatest } from '@sangam/db';
import { createLogger, runMain, runServices } from '@sangam/http';
import { createConsentService } from './app.js';
import { loadConsentConfig } from './config.js';
import { consentDeps } from './deps.js';

/** Runs the consent service alone, e.g. as one of several processes sharing a PostgreSQL database. */
async function main(): Promise<void> {
  const config = loadConsentConfig();
  const logger = createLogger({ level: config.LOG_LEVEL });
  const handle = createDatabase(config.DATABASE_URL, { poolSize: config.SANGAM_DB_POOL_SIZE });
  await migrateToLatest(handle);
  const service = createConsentService(
    await consentDeps(handle.db, config, processClock(config.SANGAM_CLOCK_EPOCH), {
      notices: handle.notices,
    }),
  );
  await runServices({
    name: 'consent service',
    logger,
    services: [service],
    ready: () => isReachable(handle.db),
    config,
    onStop: () => handle.destroy(),
  });
}

runMain(main);
