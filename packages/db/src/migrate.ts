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
  // Processes starting together on one new SQLite file may race to create the migration tables themselves; the
  // loser finds the work done (or under way) and tries again. PostgreSQL serialises with an advisory lock, but the
  // migrator first looks for its tables through every schema in the database: a schema dropped meanwhile (another
  // tenant's, another test's) fails that look with 3F000, and looking again finds it gone.
  for (let attempt = 1; ; attempt += 1) {
    const result = await migrator.migrateToLatest();
    if (!result.error) return result;
    const retry =
      handle.backend === 'sqlite' || (result.error as { code?: unknown } | undefined)?.code === '3F000';
    if (!retry || attempt >= 5) {
      throw new Error(`database migration failed: ${String(result.error)}`, { cause: result.error });
    }
    await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
  }
}
