import { testBackend } from '@sangam/db/testing';
import { type Fault, type FeedServer, faults, startFeedServer } from '@sangam/feeds';
import { type Alliance, startAlliance } from '@sangam/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gbfsAlliance, gbfsRuntime, stations, vehicles } from './support.js';

const expected: Record<Fault, string> = {
  down: 'down',
  slow: 'timeout',
  'http-500': 'http-error',
  malformed: 'malformed',
  invalid: 'invalid',
  endless: 'too-large',
  stale: 'stale',
};

describe(`the GBFS adapter against a failing feed on ${testBackend()}`, () => {
  let a: Alliance;
  let feeds: FeedServer;
  let mou: string;

  beforeAll(async () => {
    feeds = await startFeedServer();
    feeds.city('surat', { stations: 40, vehicles: 3000, seed: 11 });
    a = await startAlliance();
    mou = await gbfsAlliance(a);
  });
  afterAll(async () => {
    await a.gw.close();
    await feeds.close();
  });

  const published = async (resource: string) =>
    (
      await a.gw.database.db
        .selectFrom('latest_records')
        .select('body')
        .where('resource_id', '=', resource)
        .execute()
    ).map((r) => r.body);

  it.each(faults)(
    'stays up when the feed is %s, keeps the last good data marked stale, and recovers',
    async (fault) => {
      const runtime = gbfsRuntime(a, feeds.gbfs('2.3', 'surat'), mou, { maxBytes: 2_000_000 });
      feeds.fault(undefined);
      feeds.setTime(new Date());
      const good = await runtime.runOnce();
      expect(good.state, JSON.stringify(good.lastError)).toBe('healthy');
      const before = { stations: await published(stations), vehicles: await published(vehicles) };
      expect(before.stations).toHaveLength(40);
      expect(before.vehicles.length).toBeGreaterThan(0);

      feeds.fault(fault);
      feeds.setTime(new Date(Date.now() + 60_000));
      const failing = await runtime.runOnce();
      expect(failing.state).toBe('stale');
      expect(failing.lastError?.problem).toBe(expected[fault]);
      expect(failing.staleSince).toBeTruthy();
      expect(failing.lastSuccessAt).toBe(good.lastSuccessAt);
      // The last good data stands, untouched.
      expect(await published(stations)).toEqual(before.stations);
      expect(await published(vehicles)).toEqual(before.vehicles);
      const status = await a.gw.api.get('/adapters/v1/status', { token: await a.token('yulu') });
      expect(status.body.results[0]).toMatchObject({
        state: 'stale',
        lastError: { problem: expected[fault] },
      });

      feeds.fault(undefined);
      const recovered = await runtime.runOnce();
      expect(recovered.state, JSON.stringify(recovered.lastError)).toBe('healthy');
      expect(recovered.lastError).toBeUndefined();
      expect(recovered.staleSince).toBeUndefined();
      await runtime.stop();
    },
  );

  it('opens its circuit after repeated failures and stops hammering the feed', async () => {
    const runtime = gbfsRuntime(a, feeds.gbfs('2.3', 'surat'), mou);
    feeds.fault('http-500');
    for (let i = 0; i < 3; i += 1) await runtime.runOnce();
    expect(runtime.health.circuit).toBe('open');
    const asked = feeds.requests.length;
    await runtime.runOnce();
    expect(feeds.requests.length).toBe(asked);
    await new Promise((r) => setTimeout(r, 60));
    feeds.fault(undefined);
    feeds.setTime(new Date());
    const back = await runtime.runOnce();
    expect(back.state).toBe('healthy');
    expect(back.circuit).toBe('closed');
    await runtime.stop();
  });

  it('asks again with the validators it was given, and an unchanged feed costs no publishing', async () => {
    const runtime = gbfsRuntime(a, feeds.gbfs('3.0', 'surat'), mou);
    feeds.setTime(new Date(Date.now() + 3_600_000));
    await runtime.runOnce();
    const first = runtime.health.recordsIn;
    await runtime.runOnce();
    expect(runtime.health.recordsIn).toBe(first);
    expect(runtime.health.state).toBe('healthy');
    await runtime.stop();
  });

  it('withholds every vehicle cell below k and counts it as suppressed', async () => {
    const runtime = gbfsRuntime(a, feeds.gbfs('3.0', 'surat'), mou, {
      privacy: { h3Resolution: 9, bucketMinutes: 15 },
    });
    feeds.setTime(new Date(Date.now() + 2 * 3_600_000));
    const health = await runtime.runOnce();
    await runtime.stop();
    expect(health.cellsSuppressed).toBeGreaterThan(0);
    const cells = await a.gw.database.db
      .selectFrom('records')
      .select('body')
      .where('resource_id', '=', vehicles)
      .execute();
    const counts = cells.map((c) => JSON.parse(c.body) as { available: number; k: number });
    expect(counts.length).toBeGreaterThan(0);
    expect(counts.every((c) => c.available >= 10 && c.k === 10)).toBe(true);
  });
});
