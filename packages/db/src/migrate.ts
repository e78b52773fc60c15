import { type MigrationResultSet, Migrator, sql } from 'kysely';
import type { DatabaseHandle } from './factory.js';
import { migrations } from './migrations/index.js';

/** Brings the schema to the latest migration; the same migrations run on SQLite and PostgreSQL. */
export async function migrateToLatest(
  handle: Pick<DatabaseHandle, 'db' | 'backend'>,
): Promise<MigrationResultSet> {
  const { db } = handle;
  // On PostgreSQL the migration tables live in the connection's own schema (search_path), so several gateways,
  // or test runs, can share one database in separate schemas.
  let migrationTableSchema: string | undefined;
  if (handle.backend === 'postgres') {
    const result = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
    migrationTableSchema = result.rows[0]?.schema;
  }
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    ...(migrationTableSchema ? { migrationTableSchema } : {}),
  });
  const result = await migrator.migrateToLatest();
  if (result.error) {
    throw new Error(`database migration failed: ${String(result.error)}`, { cause: result.error });
  }
  return result;
}
