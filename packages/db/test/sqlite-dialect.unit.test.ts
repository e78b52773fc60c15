import SqliteDatabase from 'better-sqlite3';
import { Kysely, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { FairSqliteDialect } from '../src/sqlite-dialect.js';

describe('the SQLite connection under many waiting queries', () => {
  it('serves queued queries and transactions in the order they asked, none lost', async () => {
    const db = new Kysely<Record<string, never>>({
      dialect: new FairSqliteDialect({ database: new SqliteDatabase(':memory:') }),
    });
    try {
      await sql`create table seen (n integer not null)`.execute(db);
      // A transaction holds the connection across awaits: everything asked meanwhile waits its turn, in order.
      const order: number[] = [];
      const waiting: Promise<unknown>[] = [];
      const held = db.transaction().execute(async (trx) => {
        await sql`insert into seen (n) values (-1)`.execute(trx);
        for (let i = 0; i < 20_000; i += 1) {
          waiting.push(
            sql<{ n: number }>`select ${i} as n`.execute(db).then((r) => order.push(r.rows[0]?.n ?? -2)),
          );
        }
        await new Promise((r) => setTimeout(r, 10));
        await sql`insert into seen (n) values (-1)`.execute(trx);
      });
      await held;
      await Promise.all(waiting);
      expect(order).toEqual(Array.from({ length: 20_000 }, (_, i) => i));
      const rows = await sql<{ c: number }>`select count(*) as c from seen`.execute(db);
      expect(rows.rows[0]?.c).toBe(2);
    } finally {
      await db.destroy();
    }
  });
});
