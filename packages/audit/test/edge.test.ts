import { KeyStore } from '@sangam/auth';
import type { DatabaseHandle } from '@sangam/db';
import { testBackend, testDatabase } from '@sangam/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog, Checkpoints, verifyStoredLog } from '../src/index.js';

const event = (i: number) => ({
  action: 'resource.query',
  decision: 'allow' as const,
  requestId: `req_${i}`,
});

describe(`the log's edge kept between commits on ${testBackend()}`, () => {
  let database: DatabaseHandle;
  beforeAll(async () => {
    database = await testDatabase();
  });
  afterAll(async () => {
    await database.destroy();
  });

  it('stays one verifiable log through rolled-back appends and another writer on the same database', async () => {
    const log = new AuditLog(database.db);
    const other = new AuditLog(database.db);
    let seq = 0;
    for (let round = 0; round < 5; round += 1) {
      // Appends that commit, from this log...
      for (const entry of await Promise.all([1, 2, 3].map((i) => log.append(event(round * 100 + i))))) {
        seq += 1;
        expect(entry.seq).toBe(seq);
      }
      // ... appends inside a change that is rolled back, which leave nothing behind...
      await expect(
        database.db.transaction().execute(async (trx) => {
          await log.lock(trx);
          await log.appendWithin(trx, [event(round * 100 + 50), event(round * 100 + 51)]);
          throw new Error('the change fails');
        }),
      ).rejects.toThrow('the change fails');
      // ... and appends by a second writer, which move the head behind the first one's back.
      seq += 1;
      expect((await other.append(event(round * 100 + 90))).seq).toBe(seq);
      await database.db.transaction().execute(async (trx) => {
        const [entry] = await other.appendWithin(trx, [event(round * 100 + 91)]);
        seq += 1;
        expect(entry?.seq).toBe(seq);
      });
    }
    expect(await log.size()).toBe(seq);
    const keys = new KeyStore(database.db);
    await keys.ensureSigningKey();
    const checkpoints = new Checkpoints(database.db, log, keys, { issuer: 'https://gw.example' });
    await checkpoints.create();
    const report = await verifyStoredLog(database.db, await checkpoints.all(), await keys.jwks());
    expect(report).toMatchObject({ ok: true, entries: seq });
    // Every entry's time follows the one before it.
    const times = await database.db.selectFrom('audit_entries').select('time').orderBy('seq').execute();
    expect(times.map((t) => t.time)).toEqual([...times.map((t) => t.time)].sort());
  });
});
