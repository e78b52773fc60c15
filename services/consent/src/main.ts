#!/usr/bin/env node
import { processClock } from '@sangam/core';
import { BackgroundJobs, createDatabase, isReachable, migrateToLatest } from '@sangam/db';
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
  const clock = processClock(config.SANGAM_CLOCK_EPOCH);
  const deps = await consentDeps(handle.db, config, clock, { notices: handle.notices });
  const service = createConsentService(deps);
  // Once per period across every process on the database.
  const jobs = new BackgroundJobs(handle.db, {
    clock,
    leaseMs: config.SANGAM_JOB_LEASE_SECONDS * 1000,
    onError: (err, job) => logger.error({ err, job }, 'background job failed'),
  }).add({
    name: 'audit-checkpoint',
    intervalMs: config.SANGAM_CHECKPOINT_INTERVAL_SECONDS * 1000,
    run: async () => {
      await deps.checkpoints.createIfGrown();
    },
  });
  jobs.start();
  await runServices({
    name: 'consent service',
    logger,
    services: [service],
    ready: () => isReachable(handle.db),
    config,
    onStop: async () => {
      await jobs.stop();
      await deps.audit.close();
      await handle.destroy();
    },
  });
}

runMain(main);
