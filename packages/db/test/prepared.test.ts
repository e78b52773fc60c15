import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, type DatabaseHandle, type Kysely, prepared, preparedInsert } from '../src/index.js';
import { testBackend, testDatabase } from '../src/testing.js';

describe(`prepared queries on ${testBackend()}`, () => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await testDatabase();
    await handle.db
      .insertInto('settings')
      .values([
        { name: 'a', value: 'one' },
        { name: 'b', value: 'two' },
        { name: 'c', value: 'three' },
      ])
      .execute();
  });
  afterAll(async () => {
    await handle.destroy();
  });

  // Two named values and a constant of the query, in an order other than the names'.
  const settingsBetween = prepared(['to', 'from'], (db: Kysely<Database>, v) =>
    db
      .selectFrom('settings')
      .select(['name', 'value'])
      .where('name', '>=', v.from)
      .where('name', '<=', v.to)
      .where('value', '!=', 'nothing')
      .orderBy('name'),
  );

  it('runs with the values of each call, as the built query would', async () => {
    expect(await settingsBetween(handle.db, { from: 'a', to: 'b' })).toEqual([
      { name: 'a', value: 'one' },
      { name: 'b', value: 'two' },
    ]);
    expect(await settingsBetween(handle.db, { from: 'c', to: 'z' })).toEqual([{ name: 'c', value: 'three' }]);
    // A value that looks like SQL is a value.
    expect(await settingsBetween(handle.db, { from: "' or 1=1 --", to: '0' })).toEqual([]);
  });

  it('runs inside a transaction, and sees its uncommitted writes', async () => {
    await handle.db.transaction().execute(async (trx) => {
      await trx.insertInto('settings').values({ name: 'b2', value: 'two and a bit' }).execute();
      const rows = await settingsBetween(trx, { from: 'b', to: 'b9' });
      expect(rows.map((r) => r.name)).toEqual(['b', 'b2']);
    });
  });

  it('builds once for a database and every transaction on it', async () => {
    let builds = 0;
    const one = prepared(['name'], (db: Kysely<Database>, v) => {
      builds += 1;
      return db.selectFrom('settings').select('value').where('name', '=', v.name);
    });
    expect(await one(handle.db, { name: 'a' })).toEqual([{ value: 'one' }]);
    await handle.db.transaction().execute(async (trx) => {
      expect(await one(trx, { name: 'c' })).toEqual([{ value: 'three' }]);
    });
    expect(await one(handle.reader, { name: 'b' })).toEqual([{ value: 'two' }]);
    // Once for the database and its transactions, once more for SQLite's separate reader connection.
    expect(builds).toBe(handle.reader === handle.db ? 1 : 2);
  });

  it('refuses a build that leaves a named value out', async () => {
    const unused = prepared(['name', 'other'], (db: Kysely<Database>, v) =>
      db.selectFrom('settings').select('value').where('name', '=', v.name),
    );
    await expect(unused(handle.db, { name: 'a', other: 'b' })).rejects.toThrow(/other is not used/);
  });

  it('inserts any number of rows, in statements of a few sizes, with nulls and text that looks like SQL', async () => {
    const insertSettings = preparedInsert<Database, 'settings'>('settings', ['name', 'value'], 8);
    for (const count of [0, 1, 7, 8, 21]) {
      const rows = Array.from({ length: count }, (_, i) => ({
        name: `bulk-${count}-${String(i).padStart(2, '0')}`,
        value: i % 5 === 0 ? "'); drop table settings; --" : `v${i}`,
      }));
      await handle.db.transaction().execute((trx) => insertSettings(trx, rows));
      const stored = await handle.db
        .selectFrom('settings')
        .select(['name', 'value'])
        .where('name', 'like', `bulk-${count}-%`)
        .orderBy('name')
        .execute();
      expect(stored).toEqual(rows);
    }
    const withNull = preparedInsert<Database, 'audit_entries'>('audit_entries', [
      'seq',
      'time',
      'action',
      'decision',
      'actor_client',
      'entry',
    ]);
    await withNull(handle.db, [
      { seq: 999_001, time: 't', action: 'a', decision: 'allow', actor_client: null, entry: '{}' },
    ]);
    const row = await handle.db
      .selectFrom('audit_entries')
      .select(['actor_client', 'target_item'])
      .where('seq', '=', 999_001)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ actor_client: null, target_item: null });
  });
});
