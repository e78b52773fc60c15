// The database a benchmark runs on: a fresh SQLite file in a temporary directory, or a fresh schema on the
// PostgreSQL of SANGAM_TEST_DATABASE_URL (the test database by default), dropped again by `cleanup`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabase as createOwnDatabase } from '@sangam/db';

export async function openBenchDatabase(backend, options = {}) {
  // Another checkout's benchmark opens its database with that checkout's own module.
  const createDatabase = options.createDatabase ?? createOwnDatabase;
  if (backend === 'sqlite') {
    const dir = options.keepDir ?? mkdtempSync(join(tmpdir(), 'sangam-bench-'));
    return {
      handle: createDatabase(`sqlite:${join(dir, 'bench.db')}`),
      cleanup: async () => (options.keepDir ? undefined : rmSync(dir, { recursive: true, force: true })),
    };
  }
  const base = process.env.SANGAM_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const schema = `bench_${Date.now()}`;
  const admin = createDatabase(base, { poolSize: 1 });
  await admin.db.schema.createSchema(schema).execute();
  const url = new URL(base);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    handle: createDatabase(url.toString(), options.poolSize ? { poolSize: options.poolSize } : {}),
    cleanup: async () => {
      await admin.db.schema.dropSchema(schema).ifExists().cascade().execute();
      await admin.destroy();
    },
  };
}
