#!/usr/bin/env node
import { AuditLog } from '@sangam/audit';
import { keysAndTokens } from '@sangam/auth';
import { processClock } from '@sangam/core';
import { BackgroundJobs, isReachable, openDatabase } from '@sangam/db';
import { createLogger, runMain, runServices } from '@sangam/http';
import { createProxyService } from './app.js';
import { loadProxyConfig } from './config.js';
import { sweepRetention } from './retention.js';

/** Runs the resource proxy alone, e.g. as one of several processes sharing a PostgreSQL database. */
async function main(): Promise<void> {
  const config = loadProxyConfig();
  const logger = createLogger({ level: config.LOG_LEVEL });
  const clock = processClock(config.SANGAM_CLOCK_EPOCH);
  const handle = await openDatabase(config);
  const { tokens } = await keysAndTokens(handle.db, config, clock);
  const service = createProxyService({
    db: handle.db,
    reader: handle.reader,
    audit: new AuditLog(handle.db, { clock }),
    tokens,
    clock,
    config,
    notices: handle.notices,
    onStreamError: (err, subscription) => logger.error({ err, subscription }, 'a subscription stream failed'),
  });
  await runServices({
    name: 'resource proxy',
    logger,
    services: [service],
    ready: () => isReachable(handle.db),
    config,
    // Once per period across every process on the database.
    jobs: new BackgroundJobs(handle.db, {
      clock,
      leaseMs: config.SANGAM_JOB_LEASE_SECONDS * 1000,
      onError: (err, job) => logger.error({ err, job }, 'background job failed'),
    }).add({
      name: 'retention-sweep',
      intervalMs: config.SANGAM_RETENTION_SWEEP_SECONDS * 1000,
      run: async () => {
        await sweepRetention(handle.db, clock.now(), config.SANGAM_RETENTION_DAYS);
      },
    }),
    onStop: async () => {
      await service.close();
      await handle.destroy();
    },
  });
}

runMain(main);
