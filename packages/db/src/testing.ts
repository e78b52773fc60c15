import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBase32 } from '@sangam/core';
import type { Kysely } from 'kysely';
import { type Backend, createDatabase, type DatabaseHandle } from './factory.js';
import { migrateToLatest } from './migrate.js';

export const defaultTestPostgresUrl = 'postgres://postgres@127.0.0.1:5432/test';

/** The backend the test run targets: `SANGAM_TEST_DB=sqlite|postgres` (SQLite when unset). */
export function testBackend(): Backend {
  const value = process.env.SANGAM_TEST_DB ?? 'sqlite';
  if (value !== 'sqlite' && value !== 'postgres') {
    throw new Error(`SANGAM_TEST_DB=${JSON.stringify(value)} is not valid: it accepts sqlite or postgres`);
  }
  return value;
}

/**
 * A fresh, migrated database for one test file on the chosen backend: a new SQLite file in a temporary folder,
 * or a new PostgreSQL schema in the test database. `destroy` drops it.
 */
export async function testDatabase(options: { migrate?: boolean } = {}): Promise<DatabaseHandle> {
  const backend = testBackend();
  const handle = backend === 'postgres' ? await freshPostgresSchema() : freshSqliteFile();
  if (options.migrate ?? true) await migrateToLatest(handle);
  return handle;
}

/**
 * A fresh PostgreSQL schema in the test database whatever the backend under test, for what needs PostgreSQL itself
 * (a copy from SQLite to it); unmigrated unless asked. `destroy` drops it.
 */
export async function testPostgresDatabase(options: { migrate?: boolean } = {}): Promise<DatabaseHandle> {
  const handle = await freshPostgresSchema();
  if (options.migrate ?? false) await migrateToLatest(handle);
  return handle;
}

function freshSqliteFile(): DatabaseHandle {
  const dir = mkdtempSync(join(tmpdir(), 'sangam-test-'));
  const handle = createDatabase(`sqlite:${join(dir, 'sangam.db')}`, { sqliteSynchronous: 'NORMAL' });
  return {
    ...handle,
    async destroy() {
      await handle.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function freshPostgresSchema(): Promise<DatabaseHandle> {
  const base = process.env.SANGAM_TEST_DATABASE_URL ?? defaultTestPostgresUrl;
  const schema = `t_${randomBase32(60)}`;
  await withAdmin(base, (db) => db.schema.createSchema(schema).execute());
  const url = new URL(base);
  url.searchParams.set('options', `-c search_path=${schema}`);
  const handle = createDatabase(url.toString(), { poolSize: 5 });
  return {
    ...handle,
    async destroy() {
      await handle.destroy();
      await withAdmin(base, (db) => db.schema.dropSchema(schema).ifExists().cascade().execute());
    },
  };
}

async function withAdmin(url: string, work: (db: Kysely<unknown>) => Promise<unknown>): Promise<void> {
  const handle = createDatabase(url, { poolSize: 1 });
  try {
    await work(handle.db as unknown as Kysely<unknown>);
  } finally {
    await handle.destroy();
  }
}
