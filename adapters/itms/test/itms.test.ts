import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAdapterConfig } from '@sangam/adapter-kit';
import { testBackend } from '@sangam/db/testing';
import { type FeedServer, startFeedServer } from '@sangam/feeds';
import { hostAdapter } from '@sangam/gateway';
import { createLogger } from '@sangam/http';
import { type Alliance, day, startAlliance } from '@sangam/testkit';
import { sharedFixturesDir } from '@sangam/testkit/fixtures';
import GtfsRealtimeBindings from 'gtfs-realtime-bindings';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busPositionModel, fromGtfsRealtime, fromIudxItms, routeOccupancyModel } from '../src/index.js';

/** The real captures and samples the decoders are checked against. */
const fixturesDir = sharedFixturesDir();

const secret = 'an-itms-pseudonym-secret-of-32-chars!!';
const live = 'sitilink/surat-bus-itms/live';
const occupancy = 'sitilink/surat-bus-itms/occupancy';
const plates = ['GJ05BX1583', 'GJ05BX3983'];

describe('the ITMS decoders', () => {
  it('decode both GTFS-realtime captures, in km/h, with the feed time where a vehicle has none', () => {
    const bull = fromGtfsRealtime(
      readFileSync(join(fixturesDir, 'gtfsrt', 'bullrunner-vehicle-positions.pb')),
      new Date(0),
    );
    expect(bull.observations).toHaveLength(10);
    expect(bull.feedTime).toBe('2017-09-13T14:52:55.000Z');
    expect(bull.observations[0]).toMatchObject({ label: '1536', routeId: 'F', occupancy: 'EMPTY' });
    expect(bull.observations.every((o) => o.observedAt === bull.feedTime)).toBe(true);
    const small = fromGtfsRealtime(
      readFileSync(join(fixturesDir, 'gtfsrt', 'gtfs-realtime-bindings_vehicle_position.pb')),
      new Date(5000),
    );
    expect(small.observations).toEqual([
      expect.objectContaining({ label: '1', tripId: 't0', lat: 47, lon: -122 }),
    ]);
    expect(small.feedTime).toBe(new Date(5000).toISOString());
  });

  it('turn GTFS-realtime m/s into km/h, and leave the plate of the vehicle descriptor behind', () => {
    const { FeedMessage } = GtfsRealtimeBindings.transit_realtime;
    const bytes = FeedMessage.encode(
      FeedMessage.fromObject({
        header: { gtfsRealtimeVersion: '2.0', timestamp: 1_795_000_000 },
        entity: [
          {
            id: 'e1',
            vehicle: {
              trip: { tripId: 'T-9', routeId: '104U', directionId: 1 },
              vehicle: { id: 'v-17', label: 'BUS-17', licensePlate: 'GJ05BX1583' },
              position: { latitude: 21.17, longitude: 72.83, speed: 12.5, bearing: 90 },
              timestamp: 1_795_000_030,
            },
          },
        ],
      }),
    ).finish();
    const { observations } = fromGtfsRealtime(bytes, new Date(0));
    expect(observations).toEqual([
      {
        label: 'BUS-17',
        observedAt: new Date(1_795_000_030_000).toISOString(),
        lat: expect.closeTo(21.17, 5),
        lon: expect.closeTo(72.83, 5),
        routeId: '104U',
        tripId: 'T-9',
        tripDirection: '1',
        speed: 45,
        bearing: 90,
      },
    ]);
    expect(JSON.stringify(observations)).not.toContain('GJ05');
  });

  it('decode the Surat ITMS sample and never carry the plate', () => {
    const sample = JSON.parse(readFileSync(join(fixturesDir, 'itms', 'surat-itms_dataSample.json'), 'utf8'));
    const [bus] = fromIudxItms(sample);
    expect(bus).toMatchObject({
      label: 'A03',
      routeId: '17AD',
      tripDelay: 11968,
      speed: 28,
      lat: 21.224406,
      lon: 72.886055,
    });
    expect(bus?.observedAt).toBe('2020-09-16T08:00:00.000Z');
    expect(JSON.stringify(bus)).not.toContain('GJ05');
  });
});

describe(`the ITMS adapter on ${testBackend()}`, () => {
  let a: Alliance;
  let feeds: FeedServer;

  beforeAll(async () => {
    a = await startAlliance();
    feeds = await startFeedServer({ clock: a.clock });
    for (const [id, model, level] of [
      [live, busPositionModel, 'anonymised-record'],
      [occupancy, routeOccupancyModel, 'aggregate'],
    ] as const) {
      await a.resource('sitilink', id, model, { releaseLevel: level, adapter: 'itms' });
    }
  });
  afterAll(async () => {
    await a.gw.close();
    await feeds.close();
  });

  const runtime = (feed: string, format: string, mou?: string, epsilon?: number) =>
    hostAdapter(
      parseAdapterConfig({
        name: `sitilink-${format}`,
        kind: 'itms',
        feed,
        allowHosts: ['127.0.0.1'],
        provider: 'sitilink',
        mou: mou ?? a.mou,
        resources: { positions: live, occupancy },
        ...(epsilon !== undefined ? { privacy: { epsilon } } : {}),
        stateDir: mkdtempSync(join(tmpdir(), 'sangam-itms-')),
        options: { format, pseudonymSecret: secret },
      }),
      { db: a.gw.database.db, gateway: a.gw.gateway, logger: createLogger({ level: 'silent' }) },
    ).runtime;

  const stored = async (resource: string) =>
    (
      await a.gw.database.db
        .selectFrom('records')
        .select('body')
        .where('resource_id', '=', resource)
        .execute()
    ).map((r) => JSON.parse(r.body) as Record<string, unknown>);

  it('publishes live positions from IUDX JSON with pseudonyms that change at the day boundary, and no plate', async () => {
    const adapter = runtime(`${feeds.url}/itms/iudx.json`, 'iudx-json');
    // Two polls either side of the next UTC midnight after the test's start (UTC is the adapter's zone here).
    const midnight = Math.ceil(a.clock.now().getTime() / day) * day + day;
    feeds.setTime(new Date(midnight - 120_000));
    a.clock.set(midnight - 90_000);
    expect((await adapter.runOnce()).state).toBe('healthy');
    feeds.setTime(new Date(midnight + 60_000));
    a.clock.set(midnight + 90_000);
    const health = await adapter.runOnce();
    await adapter.stop();
    expect(health.state, JSON.stringify(health.lastError)).toBe('healthy');
    const positions = await stored(live);
    expect(positions).toHaveLength(4);
    const text = JSON.stringify(positions);
    for (const plate of plates) expect(text).not.toContain(plate);
    expect(text).not.toMatch(/"(A03|M74)"/);
    const byDay = (day: string) =>
      new Set(positions.filter((p) => String(p.observedAt).startsWith(day)).map((p) => p.id));
    const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    const [before, after] = [byDay(dayOf(midnight - 1)), byDay(dayOf(midnight))];
    expect(before.size).toBe(2);
    expect(after.size).toBe(2);
    expect([...before].some((id) => after.has(id))).toBe(false);
    expect(positions[0]).toMatchObject({
      routeId: expect.any(String),
      speed: expect.any(Number),
      location: { type: 'Point' },
    });
  });

  /**
   * Under a new MoU with k = 2 for the bus dataset (the capture has ten buses on six routes), the capture read at ten
   * in the morning `daysOn` days after the clock's, then sixteen minutes on, when the first bucket has ended.
   */
  const bucketEnded = async (daysOn: number, epsilon?: number) => {
    const mou = await a.newMou(['sitilink', 'svnit'], {
      datasets: [
        { group: 'sitilink/surat-bus-itms', maxReleaseLevel: 'anonymised-record', minimumCellCount: 2 },
      ],
    });
    await a.signAll(mou, ['admin', 'sitilink', 'svnitAdmin']);
    const adapter = runtime(`${feeds.url}/itms/gtfs-rt/bullrunner.pb`, 'gtfs-rt', mou, epsilon);
    const ten = Math.ceil(a.clock.now().getTime() / day) * day + (daysOn - 1) * day + 10 * 3_600_000;
    try {
      feeds.setTime(new Date(ten));
      a.clock.set(ten + 10_000);
      expect((await adapter.runOnce()).state).toBe('healthy');
      feeds.setTime(new Date(ten + 16 * 60_000));
      a.clock.set(ten + 16 * 60_000 + 10_000);
      const health = await adapter.runOnce();
      expect(health.state, JSON.stringify(health.lastError)).toBe('healthy');
      return { ten, health };
    } finally {
      await adapter.stop();
      feeds.setTime(undefined);
    }
  };

  it('publishes GTFS-realtime positions and, once a bucket has ended, occupancy per route that k buses ran', async () => {
    const { ten, health } = await bucketEnded(1);
    const hourText = new Date(ten).toISOString().slice(0, 13);
    const routes = (await stored(occupancy)).filter((r) => r.observedAt === new Date(ten).toISOString());
    // Worked out from the capture: the distinct buses of each route; routes of one bus are withheld and counted.
    const buses = new Map<string, Set<string>>();
    for (const o of fromGtfsRealtime(
      readFileSync(join(fixturesDir, 'gtfsrt', 'bullrunner-vehicle-positions.pb')),
      new Date(0),
    ).observations) {
      buses.set(o.routeId ?? '', (buses.get(o.routeId ?? '') ?? new Set()).add(o.label));
    }
    const kept = [...buses].filter(([, set]) => set.size >= 2);
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(buses.size);
    expect(routes.map((r) => r.id).sort()).toEqual(kept.map(([route]) => route).sort());
    for (const r of routes) expect(r.vehicles).toBe(buses.get(r.id as string)?.size);
    expect(health.cellsSuppressed).toBe(buses.size - kept.length);
    const positions = (await stored(live)).filter((p) => String(p.observedAt).startsWith(hourText));
    expect(positions).toHaveLength(20);
    expect(JSON.stringify(positions)).not.toMatch(/"153\d"/);
  });

  it('with noise, releases occupancy on noisy counts of distinct buses and enters every draw in the ledger', async () => {
    const { ten, health } = await bucketEnded(2, 1);
    const bucket = new Date(ten).toISOString();
    const routes = (await stored(occupancy)).filter((r) => r.observedAt === bucket);
    for (const r of routes) {
      expect(r.epsilon).toBe(1);
      // One bus is seen many times in a bucket: with noise, observations are not released.
      expect(r.observations).toBeUndefined();
      expect(r.vehicles as number).toBeGreaterThanOrEqual(2);
      for (const count of Object.values(r.occupancy as Record<string, number>))
        expect(Number.isInteger(count) && count >= 0).toBe(true);
    }
    // Every route of the bucket was decided on a draw, and each released route's statuses drew once each.
    const day0 = bucket.slice(0, 10);
    const ledger = await a.gw.database.db
      .selectFrom('privacy_ledger')
      .selectAll()
      .where('resource_id', '=', occupancy)
      .where('day', '=', day0)
      .execute();
    const captured = fromGtfsRealtime(
      readFileSync(join(fixturesDir, 'gtfsrt', 'bullrunner-vehicle-positions.pb')),
      new Date(0),
    ).observations;
    const allRoutes = new Set(captured.map((o) => o.routeId ?? ''));
    // Statuses are entered as [route, status] pairs, routes by their names.
    const decisions = ledger.filter((row) => !row.cell.startsWith('['));
    expect(decisions.map((row) => row.cell).sort()).toEqual([...allRoutes].sort());
    const statuses = ledger.filter((row) => row.cell.startsWith('['));
    const released = new Set(routes.map((r) => r.id as string));
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.every((row) => released.has((JSON.parse(row.cell) as string[])[0] as string))).toBe(true);
    expect(ledger.every((row) => row.epsilon_micro === 1_000_000 && row.draws === 1)).toBe(true);
    expect(health.cellsSuppressed).toBe(allRoutes.size - routes.length);
  });
});
