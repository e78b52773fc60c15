import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  backendOf,
  createDatabase,
  type DatabaseHandle,
  isReachable,
  migrateToLatest,
  sql,
} from '../src/index.js';
import { testBackend, testDatabase } from '../src/testing.js';

describe(`database on ${testBackend()}`, () => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await testDatabase();
  });
  afterAll(async () => {
    await handle.destroy();
  });

  it('opens the backend the test run asked for', () => {
    expect(handle.backend).toBe(testBackend());
    expect(backendOf(handle.url)).toBe(testBackend());
  });

  it('has run every migration, and running them again changes nothing', async () => {
    const again = await migrateToLatest(handle);
    expect(again.results).toEqual([]);
    const rows = await handle.db.selectFrom('organisations').selectAll().execute();
    expect(rows).toEqual([]);
    expect(await isReachable(handle.db)).toBe(true);
  });

  it('enforces foreign keys', async () => {
    const orphan = handle.db
      .insertInto('clients')
      .values({
        id: 'cl_orphan',
        organisation_id: 'nobody',
        name: 'orphan',
        roles: '[]',
        secret_hash: 'x',
        status: 'active',
        created_at: new Date().toISOString(),
        secret_rotated_at: null,
        revoked_at: null,
      })
      .execute();
    await expect(orphan).rejects.toThrow();
  });

  it('keeps at most one current signing key', async () => {
    const key = (kid: string) => ({
      kid,
      alg: 'EdDSA',
      public_jwk: '{}',
      private_jwk: '{}',
      status: 'current' as const,
      created_at: new Date().toISOString(),
      retired_at: null,
    });
    await handle.db.insertInto('signing_keys').values(key('k1')).execute();
    await expect(handle.db.insertInto('signing_keys').values(key('k2')).execute()).rejects.toThrow();
    await handle.db.deleteFrom('signing_keys').execute();
  });

  it('reads integer counts as numbers', async () => {
    const result = await sql<{ n: number }>`select cast(9007199254740 as bigint) as n`.execute(handle.db);
    expect(result.rows[0]?.n).toBe(9007199254740);
  });

  it('is isolated from every other test database', async () => {
    const other = await testDatabase();
    try {
      await other.db
        .insertInto('organisations')
        .values({ id: 'only-here', name: 'x', kind: 'community', city: 'Surat', created_at: 'now' })
        .execute();
      const mine = await handle.db.selectFrom('organisations').select('id').execute();
      expect(mine.map((r) => r.id)).not.toContain('only-here');
    } finally {
      await other.destroy();
    }
  });

  it('migrates while other databases beside it are dropped (other tenants, other tests)', async () => {
    // On PostgreSQL the migrator looks through every schema of the database; ones dropped meanwhile must not fail it.
    const others = await Promise.all(Array.from({ length: 6 }, () => testDatabase()));
    const fresh = await testDatabase({ migrate: false });
    try {
      const [migrated] = await Promise.all([
        migrateToLatest(fresh),
        ...others.map((o, i) => new Promise((r) => setTimeout(r, i * 15)).then(() => o.destroy())),
      ]);
      expect(migrated.error).toBeUndefined();
      expect(await fresh.db.selectFrom('organisations').selectAll().execute()).toEqual([]);
    } finally {
      await fresh.destroy();
    }
  });

  it('migrates once when two processes start together on a new database', async () => {
    const fresh = await testDatabase({ migrate: false });
    const a = createDatabase(fresh.url);
    const b = createDatabase(fresh.url);
    try {
      await Promise.all([migrateToLatest(a), migrateToLatest(b)]);
      const again = await migrateToLatest(fresh);
      expect(again.results).toEqual([]);
      expect(await a.db.selectFrom('organisations').selectAll().execute()).toEqual([]);
    } finally {
      await Promise.all([a.destroy(), b.destroy()]);
      await fresh.destroy();
    }
  });
});
