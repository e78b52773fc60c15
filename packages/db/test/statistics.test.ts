import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseHandle, grew, sql } from '../src/index.js';
import { testBackend, testDatabase } from '../src/testing.js';

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe(`table statistics of a growing table on ${testBackend()}`, () => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await testDatabase();
  });
  afterAll(async () => {
    await handle.destroy();
  });

  /** How often the table's statistics were gathered, by anyone (PostgreSQL); SQLite keeps no such count. */
  const gathered = async (): Promise<number> => {
    const rows = await sql<{ n: string }>`
      select analyze_count + autoanalyze_count as n from pg_stat_user_tables
      where schemaname = current_schema() and relname = 'settings'`.execute(handle.db);
    return Number(rows.rows[0]?.n ?? 0);
  };

  it('are refreshed when the rows written pass 1,000 and each time they double again (PostgreSQL)', async () => {
    if (handle.backend === 'sqlite') {
      // SQLite plans by its indexes: nothing is run, nothing fails.
      expect(() => grew(handle.db, 'settings', 10_000)).not.toThrow();
      expect(await handle.db.selectFrom('settings').selectAll().execute()).toEqual([]);
      return;
    }
    const wait = async (n: number) => {
      for (let i = 0; i < 100 && (await gathered()) < n; i += 1) await settle(50);
      return gathered();
    };
    const before = await gathered();
    grew(handle.db, 'settings', 999);
    await settle(300);
    expect(await gathered()).toBe(before);
    grew(handle.db, 'settings', 1);
    expect(await wait(before + 1)).toBe(before + 1);
    // The next refresh is at twice the rows written: 2,000.
    grew(handle.db, 'settings', 999);
    await settle(300);
    expect(await gathered()).toBe(before + 1);
    grew(handle.db, 'settings', 1);
    expect(await wait(before + 2)).toBe(before + 2);
  });
});
