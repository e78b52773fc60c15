#!/usr/bin/env node
import { processClock } from '@sangam/core';
import { BackgroundJobs, isReachable, openDatabase } from '@sangam/db';
import { createLogger, runMain, runServices } from '@sangam/http';
import { createConsentService } from './app.js';
import { loadConsentConfig } from './config.js';
import { consentDeps } from './deps.js';

/** Runs the consent service alone, e.g. as one of several processes sharing a PostgreSQL database. */
async function main(): Promise<void> {
  const config = loadConsentConfig();
  const logger = createLogger({ level: config.LOG_LEVEL });
  const handle = await openDatabase(config);
  const clock = processClock(config.SANGAM_CLOCK_EPOCH);
  const deps = await consentDeps(handle.db, config, clock, { notices: handle.notices });
  await runServices({
    name: 'consent service',
    logger,
    services: [createConsentService(deps)],
    ready: () => isReachable(handle.db),
    config,
    // Once per period across every process on the database.
    jobs: new BackgroundJobs(handle.db, {
      clock,
      leaseMs: config.SANGAM_JOB_LEASE_SECONDS * 1000,
      onError: (err, job) => logger.error({ err, job }, 'background job failed'),
    }).add({
      name: 'audit-checkpoint',
      intervalMs: config.SANGAM_CHECKPOINT_INTERVAL_SECONDS * 1000,
      run: async () => {
        await deps.checkpoints.createIfGrown();
      },
    }),
    onStop: async () => {
      await deps.audit.close();
      await handle.destroy();
    },
  });
}

runMain(main);
