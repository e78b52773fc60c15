import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAdapterConfig } from '@sangam/adapter-kit';
import { testBackend } from '@sangam/db/testing';
import { type FeedServer, startFeedServer } from '@sangam/feeds';
import { hostAdapter } from '@sangam/gateway';
import { createLogger } from '@sangam/http';
import { type Alliance, nextUtcHour, startAlliance } from '@sangam/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymisedTripModel, cellEventsModel, cellVehiclesModel, odMatrixModel } from '../src/index.js';

const fleet = { devices: 400, tripsPerHour: 200, seed: 9 };

/**
 * Each run below starts from a fresh state folder, but they are runs of one adapter, which keeps its noise key: the
 * same count of the same hour is then the same record. (Under a new key it would be a fresh draw, which the gateway
 * rightly refuses beside the one it stored.)
 */
const noiseKey = `${'5a'.repeat(32)}\n`;
function withNoiseKey(stateDir: string): string {
  const file = join(stateDir, 'yulu-mds.noise.key');
  if (!existsSync(file)) writeFileSync(file, noiseKey, { mode: 0o600 });
  return stateDir;
}
const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

describe(`the MDS adapter against a provider API on ${testBackend()}`, () => {
  let a: Alliance;
  let feeds: FeedServer;

  beforeAll(async () => {
    a = await startAlliance();
    // The hours read below are the synthetic fleet's afternoon in Surat (busy enough for cells of k vehicles),
    // whatever day the tests start on.
    a.clock.set(nextUtcHour(a.clock.now(), 13));
    feeds = await startFeedServer({ clock: a.clock });
    feeds.fleet('yulu', fleet, 'provider-token');
    for (const [id, model, level] of [
      ['yulu/bikes/od', odMatrixModel, 'aggregate'],
      ['yulu/bikes/trips', anonymisedTripModel, 'anonymised-record'],
      ['yulu/bikes/events', cellEventsModel, 'aggregate'],
      ['yulu/bikes/fleet', cellVehiclesModel, 'aggregate'],
    ] as const) {
      await a.resource('yulu', id, model, { releaseLevel: level, adapter: 'mds' });
    }
  });
  afterAll(async () => {
    await a.gw.close();
    await feeds.close();
  });

  const runtime = (
    token: string,
    stateDir: string,
    mou?: string,
    startHour = a.clock.now().getTime() - 3 * 3_600_000,
    maxHoursPerPoll = 24,
  ) =>
    hostAdapter(
      parseAdapterConfig({
        name: 'yulu-mds',
        kind: 'mds',
        mou: mou ?? a.mou,
        feed: `${feeds.url}/mds/yulu`,
        allowHosts: ['127.0.0.1'],
        provider: 'yulu',
        resources: {
          od: 'yulu/bikes/od',
          trips: 'yulu/bikes/trips',
          events: 'yulu/bikes/events',
          vehicles: 'yulu/bikes/fleet',
        },
        privacy: { h3Resolution: 7, bucketMinutes: 15, epsilon: 1 },
        stateDir: withNoiseKey(stateDir),
        options: {
          token,
          startHour: new Date(startHour).toISOString().slice(0, 13),
          maxHoursPerPoll,
        },
      }),
      { db: a.gw.database.db, gateway: a.gw.gateway, logger: createLogger({ level: 'silent' }) },
    ).runtime;

  it('reads the hours that are ready, publishes them, keeps its cursor, and says when the token is refused', async () => {
    const refused = runtime('wrong-token', mkdtempSync(join(tmpdir(), 'sangam-mds-')));
    const bad = await refused.runOnce();
    await refused.stop();
    expect(bad.lastError?.problem).toBe('http-error');
    expect(bad.lastError?.message).toContain('401');

    // From the start of yesterday (UTC, the adapter's time zone here): yesterday is over, so its trips are released.
    const day = 86_400_000;
    const yesterday = Math.floor(a.clock.now().getTime() / day) * day - day;
    const dir = mkdtempSync(join(tmpdir(), 'sangam-mds-'));
    const first = runtime('provider-token', dir, undefined, yesterday, 48);
    const health = await first.runOnce();
    await first.stop();
    expect(health.state, JSON.stringify(health.lastError)).toBe('healthy');
    expect(health.recordsIn).toBeGreaterThan(100);
    const od = await a.gw.database.db
      .selectFrom('records')
      .select('body')
      .where('resource_id', '=', 'yulu/bikes/od')
      .execute();
    const trips = await a.gw.database.db
      .selectFrom('records')
      .select('body')
      .where('resource_id', '=', 'yulu/bikes/trips')
      .execute();
    expect(trips.length).toBeGreaterThan(100);
    expect(od.every((r) => JSON.parse(r.body).trips >= 10)).toBe(true);
    expect(JSON.stringify(trips)).not.toMatch(uuid);
    for (const resource of ['yulu/bikes/events', 'yulu/bikes/fleet']) {
      const rows = await a.gw.database.db
        .selectFrom('records')
        .select('body')
        .where('resource_id', '=', resource)
        .execute();
      expect(rows.length, resource).toBeGreaterThan(0);
      expect(JSON.stringify(rows)).not.toMatch(uuid);
    }

    // Released trips name no device and carry no trip id; each tuple is shared by k devices and came from yesterday.
    const tuples = new Map<string, number>();
    for (const row of trips) {
      const { id: _, ...tuple } = JSON.parse(row.body) as Record<string, unknown>;
      expect(tuple.device).toBeUndefined();
      expect(tuple.k).toBe(10);
      expect(Date.parse(tuple.observedAt as string)).toBeLessThan(yesterday + day);
      const key = JSON.stringify(tuple);
      tuples.set(key, (tuples.get(key) ?? 0) + 1);
    }
    // At least k trips (of k distinct devices) behind every tuple stored.
    for (const count of tuples.values()) expect(count).toBeGreaterThanOrEqual(10);

    // A restart resumes at its cursor: no hour is published twice, nor the fleet states of a bucket it published
    // (counted again, they could differ from what was stored); the hours of today whose trips it held are read
    // again, for today's release.
    const tripsBefore = trips.length;
    const again = runtime('provider-token', dir, undefined, yesterday, 48);
    const second = await again.runOnce();
    await again.stop();
    expect(second.recordsIn).toBe(0);
    expect(second.state).toBe('healthy');
    const tripsAfter = await a.gw.database.db
      .selectFrom('records')
      .select('body')
      .where('resource_id', '=', 'yulu/bikes/trips')
      .execute();
    expect(tripsAfter.length).toBe(tripsBefore);

    // Once today is over, its trips are released, those of the hours read before the restart among them.
    const restartedAt = a.clock.now().getTime();
    a.clock.set(new Date(yesterday + 2 * day + 3_600_000));
    const third = runtime('provider-token', dir, undefined, yesterday, 48);
    expect((await third.runOnce()).state).toBe('healthy');
    await third.stop();
    const today = (
      await a.gw.database.db
        .selectFrom('records')
        .select('body')
        .where('resource_id', '=', 'yulu/bikes/trips')
        .execute()
    )
      .map((r) => Date.parse((JSON.parse(r.body) as { observedAt: string }).observedAt))
      .filter((t) => t >= yesterday + day);
    expect(today.length).toBeGreaterThan(100);
    expect(today.some((t) => t < restartedAt - 3_600_000)).toBe(true);
    a.clock.set(new Date(restartedAt));
  });

  it('publishes no anonymised trip where the MoU allows aggregates only', async () => {
    const mou = await a.newMou(['yulu', 'svnit'], {
      datasets: [{ group: 'yulu/bikes', maxReleaseLevel: 'aggregate' }],
    });
    await a.signAll(mou, ['admin', 'yulu', 'svnitAdmin']);
    const count = async (resource: string) =>
      (
        await a.gw.database.db
          .selectFrom('records')
          .select('entity_id')
          .where('resource_id', '=', resource)
          .execute()
      ).length;
    const [trips, od] = [await count('yulu/bikes/trips'), await count('yulu/bikes/od')];
    feeds.fleet('yulu', { ...fleet, seed: 10 }, 'provider-token');
    const adapter = runtime('provider-token', mkdtempSync(join(tmpdir(), 'sangam-mds-')), mou);
    const health = await adapter.runOnce();
    await adapter.stop();
    expect(health.state, JSON.stringify(health.lastError)).toBe('healthy');
    expect(await count('yulu/bikes/trips')).toBe(trips);
    expect(await count('yulu/bikes/od')).toBeGreaterThanOrEqual(od);
    expect(health.recordsOut).toBeGreaterThan(0);
  });

  it('stops at an hour the provider has not served (404) or not finished (202), and reads it once it is ready', async () => {
    // The gateway's clock moves to ten minutes past the next hour; the provider's is set apart from it below.
    const hour = Math.ceil(a.clock.now().getTime() / 3_600_000) * 3_600_000;
    a.clock.set(hour + 10 * 60_000);
    feeds.fleet('yulu', fleet, 'provider-token');
    const dir = mkdtempSync(join(tmpdir(), 'sangam-mds-'));
    const saved = () =>
      JSON.parse(readFileSync(join(dir, 'yulu-mds.cursor.json'), 'utf8')) as {
        next: string;
        tripsFrom?: string;
      };
    const cursor = () => saved().next;
    // Each poll is a fresh adapter: it first reads again the hours whose trips it held for the day's release.
    const replayed = () => {
      try {
        const { next, tripsFrom } = saved();
        return tripsFrom ? (Date.parse(next) - Date.parse(tripsFrom)) / 3_600_000 : 0;
      } catch {
        return 0;
      }
    };
    const lastHour = new Date(hour - 3_600_000).toISOString();
    const tripRequests = () => feeds.requests.filter((p) => p === '/mds/yulu/trips').length;
    const poll = async (providerTime: number) => {
      feeds.setTime(new Date(providerTime));
      const before = tripRequests() + replayed();
      const adapter = runtime('provider-token', dir, undefined, hour - 3 * 3_600_000);
      const health = await adapter.runOnce();
      await adapter.stop();
      expect(health.state, JSON.stringify(health.lastError)).toBe('healthy');
      return tripRequests() - before;
    };
    try {
      // The provider's clock is still inside the last hour: it answers 404 for it, and the adapter waits rather
      // than skip an hour that may yet have trips (two hours read, the third asked for).
      expect(await poll(hour - 30 * 60_000)).toBe(3);
      expect(cursor()).toBe(lastHour);
      // The hour has ended but the provider is still processing it: 202, asked once, and the cursor stays.
      expect(await poll(hour + 30_000)).toBe(1);
      expect(cursor()).toBe(lastHour);
      // Ready: read, published, and the cursor moves past it.
      expect(await poll(hour + 120_000)).toBe(1);
      expect(cursor()).toBe(new Date(hour).toISOString());
    } finally {
      feeds.setTime(undefined);
    }
  });
});
