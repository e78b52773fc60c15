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
    a = await startAlliance();
    // The feed runs on the gateway's clock, as a partner's feed runs on real time beside a real gateway.
    feeds = await startFeedServer({ clock: a.clock });
    feeds.city('surat', { stations: 40, vehicles: 3000, seed: 11 });
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
      a.clock.advance(60_000);
      const good = await runtime.runOnce();
      expect(good.state, JSON.stringify(good.lastError)).toBe('healthy');
      const before = { stations: await published(stations), vehicles: await published(vehicles) };
      expect(before.stations).toHaveLength(40);
      expect(before.vehicles.length).toBeGreaterThan(0);

      feeds.fault(fault);
      a.clock.advance(60_000);
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
    // The cooldown (50 ms in these tests) passes on the gateway's clock.
    a.clock.advance(60);
    feeds.fault(undefined);
    const back = await runtime.runOnce();
    expect(back.state).toBe('healthy');
    expect(back.circuit).toBe('closed');
    await runtime.stop();
  });

  it('reports failing, with the reason, while the gateway refuses every record it sends', async () => {
    // A partner whose clock runs an hour ahead: every record is stamped in the gateway's future.
    const runtime = gbfsRuntime(a, feeds.gbfs('3.0', 'surat'), mou);
    a.clock.advance(60_000);
    feeds.setTime(new Date(a.clock.now().getTime() + 3_600_000));
    try {
      const refused = await runtime.runOnce();
      expect(refused.state).toBe('failing');
      expect(refused.lastError?.problem).toBe('rejected');
      expect(refused.lastError?.message).toContain('future');
      expect(refused.staleSince).toBeTruthy();
      const status = await a.gw.api.get('/adapters/v1/status', { token: await a.token('yulu') });
      expect(status.body.results[0]).toMatchObject({ state: 'failing', lastError: { problem: 'rejected' } });
      const metrics = await (await fetch(`${a.gw.url}/metrics`)).text();
      expect(metrics).toContain('sangam_adapter_failing{adapter="yulu-gbfs",kind="gbfs",provider="yulu"} 1');

      // The partner's clock is put right: the next poll publishes again and health recovers.
      feeds.setTime(undefined);
      a.clock.advance(60_000);
      const recovered = await runtime.runOnce();
      expect(recovered.state, JSON.stringify(recovered.lastError)).toBe('healthy');
      expect(recovered.lastError).toBeUndefined();
    } finally {
      feeds.setTime(undefined);
      await runtime.stop();
    }
  });

  it('publishes nothing, and says why, while its MoU is not in force or its provider has left it', async () => {
    // An MoU of its own, so suspending it and leaving it touch no other test's.
    const own = await a.newMou(['yulu', 'svnit'], {
      datasets: [{ group: 'yulu/bikes', maxReleaseLevel: 'anonymised-record' }],
    });
    await a.signAll(own, ['admin', 'yulu', 'svnitAdmin']);
    const count = async () =>
      (
        await a.gw.database.db
          .selectFrom('records')
          .select('entity_id')
          .where('resource_id', 'in', [stations, vehicles])
          .execute()
      ).length;
    const runtime = gbfsRuntime(a, feeds.gbfs('3.0', 'surat'), own);
    try {
      a.clock.advance(3_600_000);
      expect((await runtime.runOnce()).state).toBe('healthy');
      const act = async (who: string, action: string) => {
        const r = await a.gw.api.post(`/consent/v1/mous/${own}/${action}`, {
          token: await a.token(who),
          json: {},
        });
        expect(r.status, r.text).toBe(200);
      };
      await act('admin', 'suspend');
      const before = await count();
      a.clock.advance(3_600_000);
      const suspended = await runtime.runOnce();
      expect(suspended.state).toBe('stopped');
      expect(suspended.lastError).toMatchObject({ problem: 'stopped' });
      expect(suspended.lastError?.message).toContain('suspended');
      expect(await count()).toBe(before);
      const metrics = await (await fetch(`${a.gw.url}/metrics`)).text();
      expect(metrics).toContain('sangam_adapter_stopped{adapter="yulu-gbfs",kind="gbfs",provider="yulu"} 1');

      await act('admin', 'resume');
      a.clock.advance(3_600_000);
      const resumed = await runtime.runOnce();
      expect(resumed.state, JSON.stringify(resumed.lastError)).toBe('healthy');
      expect(await count()).toBeGreaterThan(before);

      await act('yulu', 'withdraw');
      const after = await count();
      a.clock.advance(3_600_000);
      const left = await runtime.runOnce();
      expect(left.state).toBe('stopped');
      expect(left.lastError?.message).toContain('yulu is not a party');
      expect(await count()).toBe(after);
    } finally {
      await runtime.stop();
    }

    // Named under no MoU at all, an adapter publishes nothing either.
    const unbound = gbfsRuntime(a, feeds.gbfs('3.0', 'surat'), undefined);
    try {
      const none = await unbound.runOnce();
      expect(none.state).toBe('stopped');
      expect(none.lastError?.message).toContain('no MoU');
    } finally {
      await unbound.stop();
    }
  });

  it('asks again with the validators it was given, and an unchanged feed costs no publishing', async () => {
    const runtime = gbfsRuntime(a, feeds.gbfs('3.0', 'surat'), mou);
    a.clock.advance(3_600_000);
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
    a.clock.advance(3_600_000);
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
