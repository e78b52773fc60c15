import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import $RefParser from '@apidevtools/json-schema-ref-parser';
import { parseAdapterConfig } from '@sangam/adapter-kit';
import { hostAdapter } from '@sangam/cli';
import { testBackend } from '@sangam/db/testing';
import {
  type FeedServer,
  fixturesDir,
  startFeedServer,
  syntheticEvents,
  syntheticTrips,
  syntheticVehicleStatus,
} from '@sangam/feeds';
import { createAjv, createLogger } from '@sangam/http';
import { h3Cell, Pseudonymiser } from '@sangam/privacy';
import { type Alliance, nextUtcHour, startAlliance } from '@sangam/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  anonymisedTripModel,
  cellEventsModel,
  cellVehiclesModel,
  eventProblem,
  MdsAdapter,
  odMatrixModel,
  vehicleStatusProblem,
} from '../src/index.js';

const secret = 'an-mds-pseudonym-secret-of-32-chars!!!';
const fleet = { devices: 400, tripsPerHour: 200, seed: 9 };
const monday = Date.parse('2026-11-16T00:00:00Z');
const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

describe('the synthetic MDS fleet', () => {
  it('makes trips that validate against the MDS 2.0 trip model', async () => {
    const schema = await $RefParser.dereference(join(fixturesDir, 'mds/openapi/models/trip.yaml'));
    const validate = createAjv({ strict: false }).compile(schema as object);
    for (const hour of [0, 3, 9, 13, 20]) {
      for (const trip of syntheticTrips(fleet, monday + hour * 3_600_000)) {
        expect(validate(trip), JSON.stringify(validate.errors)).toBe(true);
      }
    }
    // The official event and vehicle-status models do not compile (their `contains` keywords are lists), so the
    // synthetic events and statuses are checked against their required fields instead.
    for (const e of syntheticEvents(fleet, monday + 3 * 3_600_000)) expect(eventProblem(e)).toBeUndefined();
    for (const v of syntheticVehicleStatus(fleet, monday)) expect(vehicleStatusProblem(v)).toBeUndefined();
    const night = syntheticTrips(fleet, monday + 21 * 3_600_000).length;
    const peak = syntheticTrips(fleet, monday + 3 * 3_600_000).length;
    expect(peak).toBeGreaterThan(2 * night);
  });
});

describe('the MDS adapter over one synthetic week', () => {
  const adapter = new MdsAdapter({ pseudonymSecret: secret });
  const privacy = { h3Resolution: 7, bucketMinutes: 15 };
  const hours = Array.from({ length: 7 * 24 }, (_, i) => monday + i * 3_600_000);
  const week = hours.map((start) => {
    const trips = syntheticTrips(fleet, start);
    return {
      start,
      trips,
      out: adapter.processHour(trips, new Date(start).toISOString(), privacy, 10, true),
    };
  });

  it('publishes no OD cell below k, and accounts for every trip read', () => {
    let read = 0;
    let accounted = 0;
    for (const { out } of week) {
      for (const cell of out.od as { trips: number }[]) expect(cell.trips).toBeGreaterThanOrEqual(10);
      read += out.read;
      accounted +=
        (out.od as { trips: number }[]).reduce((n, c) => n + c.trips, 0) + out.suppressedTrips + out.tooShort;
    }
    expect(read).toBeGreaterThan(20_000);
    expect(accounted).toBe(read);
    expect(week.some(({ out }) => out.suppressedCells > 0)).toBe(true);
    expect(week.some(({ out }) => out.od.length > 0)).toBe(true);
  });

  it('withholds every OD cell behind fewer than k distinct vehicles, counted from the input', () => {
    for (const { trips, out } of week) {
      // The devices behind each pair of cells, worked out afresh from the trips read.
      const devices = new Map<string, Set<string>>();
      for (const t of trips) {
        if (t.duration < 60) continue;
        const key = `${h3Cell(t.start_location.lat, t.start_location.lng, 7)}>${h3Cell(t.end_location.lat, t.end_location.lng, 7)}`;
        const set = devices.get(key) ?? new Set<string>();
        set.add(t.device_id);
        devices.set(key, set);
      }
      const published = new Set((out.od as { id: string }[]).map((c) => c.id));
      for (const [key, set] of devices) expect(published.has(key), key).toBe(set.size >= 10);
    }
  });

  it('counts no trip under a minute: it is in no cell and no anonymised trip', () => {
    let short = 0;
    for (const { trips, out } of week) {
      const under = trips.filter((t) => t.duration < 60).length;
      short += under;
      expect(out.tooShort).toBe(under);
      expect(out.trips).toHaveLength(trips.length - under);
      for (const t of out.trips as { duration: number }[]) expect(t.duration).toBeGreaterThanOrEqual(60);
      const counted = (out.od as { trips: number }[]).reduce((n, c) => n + c.trips, 0) + out.suppressedTrips;
      expect(counted).toBe(trips.length - under);
    }
    expect(short).toBeGreaterThan(100);
  });

  it('leaves no device or trip id of the input anywhere in the output', () => {
    const ids = new Set(week.flatMap(({ trips }) => trips.flatMap((t) => [t.device_id, t.trip_id])));
    for (const { out } of week) {
      const text = JSON.stringify([out.od, out.trips]);
      expect(text).not.toMatch(uuid);
      for (const t of out.trips as { id: string; device: string }[]) {
        expect(ids.has(t.id)).toBe(false);
        expect(ids.has(t.device)).toBe(false);
      }
    }
  });

  it('counts events and vehicle states per cell without a cell below k or an id in the output', () => {
    let events = 0;
    for (const hour of hours.slice(0, 24)) {
      const out = adapter.processEvents(
        syntheticEvents(fleet, hour),
        new Date(hour).toISOString(),
        privacy,
        10,
      );
      events += out.read;
      for (const r of out.records as { events: number }[]) expect(r.events).toBeGreaterThanOrEqual(10);
      expect(JSON.stringify(out.records)).not.toMatch(uuid);
    }
    expect(events).toBeGreaterThan(1000);
    const snapshot = adapter.processVehicles(
      syntheticVehicleStatus(fleet, monday),
      new Date(monday).toISOString(),
      privacy,
      10,
    );
    expect(snapshot.read).toBe(fleet.devices);
    expect(snapshot.records.length).toBeGreaterThan(0);
    for (const r of snapshot.records as { vehicles: number }[]) expect(r.vehicles).toBeGreaterThanOrEqual(10);
    expect(JSON.stringify(snapshot.records)).not.toMatch(uuid);
  });

  it('renames a device every day: one pseudonym within a day, another the next', () => {
    const p = new Pseudonymiser(secret);
    const day = (d: number) => week.filter(({ start }) => Math.floor((start - monday) / 86_400_000) === d);
    const device = week[8]?.trips[0]?.device_id ?? '';
    const devicesOn = (d: number) =>
      new Set(day(d).flatMap(({ out }) => (out.trips as { device: string }[]).map((t) => t.device)));
    const first = p.pseudonym(device, new Date(monday + 12 * 3_600_000));
    const second = p.pseudonym(device, new Date(monday + 36 * 3_600_000));
    expect(first).not.toBe(second);
    expect(devicesOn(0).has(first)).toBe(true);
    expect(devicesOn(1).has(first)).toBe(false);
    expect(devicesOn(1).has(second)).toBe(true);
  });
});

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
  ) =>
    hostAdapter(
      parseAdapterConfig({
        name: 'yulu-mds',
        kind: 'mds',
        ...(mou ? { mou } : {}),
        feed: `${feeds.url}/mds/yulu`,
        provider: 'yulu',
        resources: {
          od: 'yulu/bikes/od',
          trips: 'yulu/bikes/trips',
          events: 'yulu/bikes/events',
          vehicles: 'yulu/bikes/fleet',
        },
        privacy: { h3Resolution: 7, bucketMinutes: 15 },
        stateDir,
        options: {
          token,
          pseudonymSecret: secret,
          startHour: new Date(startHour).toISOString().slice(0, 13),
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

    const dir = mkdtempSync(join(tmpdir(), 'sangam-mds-'));
    const first = runtime('provider-token', dir);
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

    // A restart resumes at its cursor: no hour is read twice (only the vehicle snapshot is taken again).
    const tripsBefore = trips.length;
    const again = runtime('provider-token', dir);
    const second = await again.runOnce();
    await again.stop();
    expect(second.recordsIn).toBe(fleet.devices);
    const tripsAfter = await a.gw.database.db
      .selectFrom('records')
      .select('body')
      .where('resource_id', '=', 'yulu/bikes/trips')
      .execute();
    expect(tripsAfter.length).toBe(tripsBefore);
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
    const cursor = () =>
      (JSON.parse(readFileSync(join(dir, 'yulu-mds.cursor.json'), 'utf8')) as { next: string }).next;
    const lastHour = new Date(hour - 3_600_000).toISOString();
    const tripRequests = () => feeds.requests.filter((p) => p === '/mds/yulu/trips').length;
    const poll = async (providerTime: number) => {
      feeds.setTime(new Date(providerTime));
      const before = tripRequests();
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

describe("pseudonym days in the city's time zone", () => {
  it("renames a device at Surat's midnight (18:30 UTC), not at UTC midnight", () => {
    const adapter = new MdsAdapter({ pseudonymSecret: secret, timeZone: 'Asia/Kolkata' });
    const device = '22222222-2222-4222-8222-222222222222';
    const tripAt = (iso: string, i: number) => {
      const start = Date.parse(iso);
      return {
        provider_id: '5f7114d1-4091-46ee-b492-e55875f7de00',
        device_id: device,
        trip_id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        start_time: start,
        end_time: start + 600_000,
        start_location: { lat: 21.17, lng: 72.83 },
        end_location: { lat: 21.2, lng: 72.86 },
        duration: 600,
        distance: 2000,
      };
    };
    const privacy = { h3Resolution: 8, bucketMinutes: 15 };
    const pseudonymAt = (iso: string, i: number) =>
      (adapter.processHour([tripAt(iso, i)], iso, privacy, 1, true).trips[0] as { device: string }).device;
    const evening = pseudonymAt('2026-11-26T18:00:00Z', 1);
    const night = pseudonymAt('2026-11-26T19:00:00Z', 2);
    const nextAfternoon = pseudonymAt('2026-11-27T17:00:00Z', 3);
    expect(night).not.toBe(evening);
    expect(nextAfternoon).toBe(night);
  });
});

describe('trips that do not fit the trip model', () => {
  it('are left out one by one and counted, times in microseconds among them, and the rest of the hour goes on', () => {
    const [good, ...others] = syntheticTrips(fleet, monday + 9 * 3_600_000);
    if (!good) throw new Error('no synthetic trip');
    const bad = [
      { ...good, start_time: good.start_time * 1000, end_time: good.end_time * 1000 },
      { ...good, device_id: 'scooter-7' },
      { ...good, end_location: { lat: 95, lng: 72.8 } },
      { ...good, duration: -1 },
      'not a trip',
    ];
    const adapter = new MdsAdapter({ pseudonymSecret: secret });
    const out = adapter.processHour(
      [good, ...bad, ...others],
      new Date(monday + 9 * 3_600_000).toISOString(),
      { h3Resolution: 7, bucketMinutes: 15 },
      10,
      true,
    );
    expect(out.invalid).toBe(bad.length);
    expect(out.read).toBe(others.length + 1 + bad.length);
    expect(out.trips.length + out.tooShort).toBe(others.length + 1);
  });
});

describe('k counts individuals', () => {
  it('withholds an OD cell of ten trips by one device, and publishes one of ten devices', () => {
    const adapter = new MdsAdapter({});
    const trip = (device: string, i: number) => ({
      provider_id: '5f7114d1-4091-46ee-b492-e55875f7de00',
      device_id: device,
      trip_id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      start_time: monday + i * 1000,
      end_time: monday + i * 1000 + 600_000,
      start_location: { lat: 21.17, lng: 72.83 },
      end_location: { lat: 21.2, lng: 72.86 },
      duration: 600,
      distance: 2000,
    });
    const one = Array.from({ length: 10 }, (_, i) => trip('11111111-1111-4111-8111-111111111111', i));
    const privacy = { h3Resolution: 8, bucketMinutes: 15 };
    const alone = adapter.processHour(one, new Date(monday).toISOString(), privacy, 10, false);
    expect(alone.od).toEqual([]);
    expect(alone.suppressedTrips).toBe(10);
    const many = Array.from({ length: 10 }, (_, i) =>
      trip(`11111111-1111-4111-8111-${String(i).padStart(12, '0')}`, i),
    );
    expect(adapter.processHour(many, new Date(monday).toISOString(), privacy, 10, false).od).toHaveLength(1);
  });
});
