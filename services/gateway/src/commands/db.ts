import { parseConfig } from '@sangam/core';
import { createDatabase, databaseSettings, migrateToLatest } from '@sangam/db';
import { say } from './context.js';

/**
 * `sangam db migrate [--json]`: brings the database to this version's schema and says which migrations ran, for a
 * deployment that migrates before it rolls instances (a Kubernetes Job, an upgrade script). It reads only the
 * database's settings: no issuer or secret is needed to migrate.
 */
export async function dbMigrate(options: { json: boolean }): Promise<void> {
  const config = parseConfig(databaseSettings);
  const handle = createDatabase(config.DATABASE_URL, { poolSize: 1 });
  try {
    const result = await migrateToLatest(handle);
    const applied = (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
    if (options.json) process.stdout.write(`${JSON.stringify({ applied })}\n`);
    else say(applied.length === 0 ? '  The schema is up to date.' : `  Migrated: ${applied.join(', ')}`);
  } finally {
    await handle.destroy();
  }
}
