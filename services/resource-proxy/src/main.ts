#!/usr/bin/env node
import { AuditLog } from '@sangam/audit';
import { keysAndTokens } from '@sangam/auth';
import { processClock } from '@sangam/core';
import { createDatabase, isReachable, migrateToLatest } from '@sangam/db';
import { createLogger, runMain, runServices } from '@sangam/http';
import { createProxyService } from './app.js';
import { loadProxyConfig } from './config.js';
import { sweepRetention } from './retention.js';

/** Runs the resource proxy alone, e.g. as one of several processes sharing a PostgreSQL database. */
async function main(): Promise<void> {
  const config = loadProxyConfig();
  const logger = createLogger({ level: config.LOG_LEVEL });
  const clock = processClock(config.SANGAM_CLOCK_EPOCH);
  const handle = createDatabase(config.DATABASE_URL, { poolSize: config.SANGAM_DB_POOL_SIZE });
  await migrateToLatest(handle);
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
  const sweep =
    config.SANGAM_RETENTION_SWEEP_SECONDS > 0
      ? setInterval(() => {
          sweepRetention(handle.db, clock.now(), config.SANGAM_RETENTION_DAYS).catch((error: unknown) =>
            logger.warn({ err: error }, 'retention sweep failed'),
          );
        }, config.SANGAM_RETENTION_SWEEP_SECONDS * 1000)
      : undefined;
  sweep?.unref();
  await runServices({
    name: 'resource proxy',
    logger,
    services: [service],
    ready: () => isReachable(handle.db),
    config,
    onStop: async () => {
      if (sweep) clearInterval(sweep);
      await service.close();
      await handle.destroy();
    },
  });
}

runMain(main);
