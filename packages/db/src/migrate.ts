import { type DatabaseIntrospector, type Kysely, type MigrationResultSet, Migrator, sql } from 'kysely';
import { createDatabase, type DatabaseHandle } from './factory.js';
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
    db: migrationTableSchema ? ownSchemaOnly(db, migrationTableSchema) : db,
    provider: { getMigrations: async () => migrations },
    ...(migrationTableSchema ? { migrationTableSchema } : {}),
  });
  // Processes starting together on one new SQLite file may race to create the migration tables themselves; the
  // loser finds the work done (or under way) and tries again. PostgreSQL serialises with an advisory lock, and the
  // migrator looks for its tables in its own schema only (below), so other schemas dropped meanwhile cannot fail it;
  // 3F000 is still retried, as a last guard.
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

/**
 * The database as the migrator sees it, with an introspector that lists only the migration's own schema. Kysely's
 * own reads the catalogue of every schema (with a column per table), which fails with 42703, 42P01 or 3F000 when
 * another schema (another tenant's, another test's) is dropped during the read.
 */
function ownSchemaOnly<DB>(db: Kysely<DB>, schema: string): Kysely<DB> {
  const introspector: DatabaseIntrospector = {
    async getSchemas() {
      const rows = await sql<{ name: string }>`
        select nspname as name from pg_catalog.pg_namespace where nspname = ${schema}`.execute(db);
      return rows.rows;
    },
    async getTables() {
      const rows = await sql<{ name: string; isView: boolean }>`
        select table_name as name, table_type = 'VIEW' as "isView" from information_schema.tables
        where table_schema = ${schema}`.execute(db);
      return rows.rows.map((r) => ({ ...r, schema, columns: [] }));
    },
    async getMetadata() {
      return { tables: await this.getTables() };
    },
  };
  return new Proxy(db, {
    get(target, property) {
      if (property === 'introspection') return introspector;
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/**
 * The database a process serves from, as every process opens it: from its settings, migrated to the latest
 * schema (instances starting together each try; the migrator's lock lets one through). Closed again if migrating
 * fails, so a failed start leaves no pool open.
 */
export async function openDatabase(config: {
  readonly DATABASE_URL: string;
  readonly SANGAM_DB_POOL_SIZE: number;
}): Promise<DatabaseHandle> {
  const handle = createDatabase(config.DATABASE_URL, { poolSize: config.SANGAM_DB_POOL_SIZE });
  try {
    await migrateToLatest(handle);
  } catch (error) {
    await handle.destroy();
    throw error;
  }
  return handle;
}
