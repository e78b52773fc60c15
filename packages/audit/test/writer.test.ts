import { ManualClock } from '@sangam/core';
import type { DatabaseHandle } from '@sangam/db';
import { testBackend, testDatabase } from '@sangam/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog, type EventGroup, verifyStoredLog } from '../src/index.js';
// @ts-expect-error: a plain JavaScript fixture, loaded by the writer thread as it is
import { countingGroup, failingGroup } from './fixtures/groups.mjs';

const counting = countingGroup as EventGroup<{ requestId: string }>;
const failing = failingGroup as EventGroup<{ requestId: string }>;

describe(`the audit writer thread on ${testBackend()}`, () => {
  let database: DatabaseHandle;
  let log: AuditLog;
  const clock = new ManualClock('2031-05-06T07:08:09.000Z');

  beforeAll(async () => {
    database = await testDatabase();
    log = new AuditLog(database.db, {
      clock,
      writer: { databaseUrl: database.url, databaseOptions: database.options },
    });
  });
  afterAll(async () => {
    await log.close();
    await database.destroy();
  });

  it('commits appends and group decisions in one sequence, at the time of the caller’s clock', async () => {
    const entries = await Promise.all([
      ...Array.from({ length: 300 }, (_, i) =>
        log.append({ action: 'test.event', decision: 'allow', requestId: `req_e${i}` }),
      ),
      ...Array.from({ length: 100 }, (_, i) => log.appendInGroup(counting, { requestId: `req_g${i}` })),
    ]);
    expect(entries.map((e) => e.seq).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 400 }, (_, i) => i + 1),
    );
    expect(new Set(entries.map((e) => e.time))).toEqual(new Set(['2031-05-06T07:08:09.000Z']));
    // The group's own writes committed with its entries.
    const counted = await database.db
      .selectFrom('settings')
      .select('value')
      .where('name', '=', 'counted')
      .executeTakeFirst();
    expect(counted?.value).toBe('100');
    const grouped = entries.filter((e) => e.action === 'test.count');
    expect(grouped.map((e) => e.requestId).sort()).toEqual(
      Array.from({ length: 100 }, (_, i) => `req_g${i}`).sort(),
    );
  });

  it('refuses the appends of a group that fails, and only those', async () => {
    const before = await log.size();
    const results = await Promise.allSettled([
      log.appendInGroup(failing, { requestId: 'req_f1' }),
      log.append({ action: 'test.event', decision: 'deny', requestId: 'req_ok' }),
    ]);
    expect(results[0]).toMatchObject({ status: 'rejected', reason: { message: 'the group cannot decide' } });
    expect(results[1]).toMatchObject({
      status: 'fulfilled',
      value: { seq: before + 1, requestId: 'req_ok' },
    });
    expect(await log.size()).toBe(before + 1);
  });

  it('lets every append in flight commit when closed, then appends in the event loop', async () => {
    const own = new AuditLog(database.db, {
      clock,
      writer: { databaseUrl: database.url, databaseOptions: database.options },
    });
    const before = await own.size();
    const flying = Array.from({ length: 500 }, (_, i) =>
      own.append({ action: 'test.event', decision: 'allow', requestId: `req_c${i}` }),
    );
    await own.close();
    expect((await Promise.all(flying)).map((e) => e.seq)).toEqual(
      Array.from({ length: 500 }, (_, i) => before + i + 1),
    );
    expect((await own.append({ action: 'test.after', decision: 'allow' })).seq).toBe(before + 501);
    const report = await verifyStoredLog(database.db, [], { keys: [] });
    expect(report).toMatchObject({ ok: true, entries: before + 501 });
  });
});
