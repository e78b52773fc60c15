import { env } from '@sangam/core';
import { defaultDatabaseUrl } from './factory.js';

/** Environment settings of the database, for a service's config module. */
export const databaseSettings = {
  DATABASE_URL: env.string({
    default: defaultDatabaseUrl,
    accepts: 'sqlite:<file> or postgres://user@host:port/database',
    pattern: /^(sqlite:.+|postgres(ql)?:\/\/.+)$/i,
    description: 'The database: a SQLite file (embedded default) or a PostgreSQL URL (scale-out)',
    secret: true,
  }),
  SANGAM_DB_POOL_SIZE: env.int({
    min: 1,
    max: 200,
    default: 10,
    description: 'PostgreSQL connections per process',
  }),
  SANGAM_JOB_LEASE_SECONDS: env.int({
    min: 1,
    max: 600,
    default: 15,
    description:
      'How long a process holds a background job (checkpoints, retention sweep, an adapter) unrenewed; another instance takes it over after this when the holder dies',
  }),
};
