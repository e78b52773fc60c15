import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GbfsSchemas } from '@sangam/adapter-gbfs';
import { fromGtfsRealtime, fromIudxItms } from '@sangam/adapter-itms';
import { createAjv } from '@sangam/http';
import { sharedFixturesDir } from '@sangam/testkit/fixtures';
import GtfsRealtimeBindings from 'gtfs-realtime-bindings';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FeedServer,
  type SyntheticBusFleet,
  type SyntheticCity,
  startFeedServer,
  syntheticGbfs,
  syntheticGbfsDiscovery,
  syntheticGbfsFeeds,
  syntheticGtfsRealtime,
  syntheticIudxItms,
} from '../src/index.js';

const { FeedMessage } = GtfsRealtimeBindings.transit_realtime;
const fleet: SyntheticBusFleet = { buses: 40, routes: 8, seed: 2026, centre: [72.83, 21.17] };
const city: SyntheticCity = { stations: 12, vehicles: 200, seed: 4, ttl: 30 };
const at = new Date('2026-03-01T09:00:00Z');
const minuteLater = new Date(at.getTime() + 60_000);
const plate = /^GJ05[A-Z]{2}\d{4}$/;

interface Decoded {
  header: { gtfsRealtimeVersion?: string; timestamp?: number };
  entity: {
    id: string;
    vehicle: {
      vehicle?: { id?: string; label?: string; licensePlate?: string };
      trip?: { tripId?: string; routeId?: string; directionId?: number };
      position?: { latitude?: number; longitude?: number; bearing?: number; speed?: number };
      timestamp?: number;
      occupancyStatus?: string;
      currentStopSequence?: number;
      stopId?: string;
    };
  }[];
}
const decode = (bytes: Uint8Array): Decoded =>
  FeedMessage.toObject(FeedMessage.decode(bytes), { longs: Number, enums: String }) as Decoded;

/** Metres between two [lon, lat] points, near enough for a city. */
const metres = ([lon1, lat1]: [number, number], [lon2, lat2]: [number, number]) =>
  Math.hypot((lon2 - lon1) * 111_320 * Math.cos((lat1 * Math.PI) / 180), (lat2 - lat1) * 111_320);

describe('the synthetic bus fleet', () => {
  it('is the same, byte for byte, for the same seed and instant, and another for another seed', () => {
    const bytes = syntheticGtfsRealtime(fleet, at);
    expect(Buffer.from(syntheticGtfsRealtime({ ...fleet }, new Date(at))).equals(Buffer.from(bytes))).toBe(
      true,
    );
    expect(JSON.stringify(syntheticIudxItms(fleet, at))).toBe(JSON.stringify(syntheticIudxItms(fleet, at)));
    expect(Buffer.from(syntheticGtfsRealtime({ ...fleet, seed: 2027 }, at)).equals(Buffer.from(bytes))).toBe(
      false,
    );
  });

  it('moves every bus a little from one minute to the next', () => {
    const before = syntheticIudxItms(fleet, at);
    const after = syntheticIudxItms(fleet, minuteLater);
    expect(after.map((r) => r.vehicle_label)).toEqual(before.map((r) => r.vehicle_label));
    for (const [i, record] of before.entries()) {
      const moved = metres(record.location.coordinates, after[i]?.location.coordinates ?? [0, 0]);
      expect(moved, record.vehicle_label).toBeGreaterThan(0);
      expect(moved, record.vehicle_label).toBeLessThan(1500);
    }
  });

  it('encodes a GTFS-realtime FeedMessage whose every VehiclePosition carries vehicle, trip, position and stop', () => {
    const message = decode(syntheticGtfsRealtime(fleet, at));
    expect(message.header).toMatchObject({ gtfsRealtimeVersion: '2.0', timestamp: at.getTime() / 1000 });
    expect(message.entity).toHaveLength(fleet.buses);
    expect(new Set(message.entity.map((e) => e.vehicle.vehicle?.label)).size).toBe(fleet.buses);
    for (const { vehicle: v } of message.entity) {
      expect(v.vehicle?.id).toMatch(/^V\d{4}$/);
      expect(v.vehicle?.label).toMatch(/^[A-Z]\d{2}$/);
      expect(v.vehicle?.licensePlate).toMatch(plate);
      expect(v.trip?.tripId).toMatch(/^\d+$/);
      expect(v.trip?.routeId).toMatch(/^\d{3}$/);
      expect([0, 1]).toContain(v.trip?.directionId);
      expect(Math.abs((v.position?.latitude ?? 0) - 21.17)).toBeLessThan(0.1);
      expect(Math.abs((v.position?.longitude ?? 0) - 72.83)).toBeLessThan(0.1);
      expect(v.position?.bearing).toBeGreaterThanOrEqual(0);
      expect(v.position?.bearing).toBeLessThan(360);
      expect(v.position?.speed).toBeGreaterThan(0);
      expect(v.position?.speed).toBeLessThan(15);
      expect(v.timestamp).toBeLessThanOrEqual(at.getTime() / 1000);
      expect(v.timestamp).toBeGreaterThan(at.getTime() / 1000 - 10);
      expect(v.occupancyStatus).toMatch(/^[A-Z_]+$/);
      expect(v.currentStopSequence).toBeGreaterThanOrEqual(1);
      expect(v.stopId).toMatch(/^\d+$/);
    }
  });

  it('writes IUDX ITMS records with every field of the Surat sample, of the same types, and its occupancy', () => {
    const sample = JSON.parse(
      readFileSync(join(sharedFixturesDir('itms'), 'surat-itms_dataSample.json'), 'utf8'),
    ) as Record<string, unknown>;
    const records = syntheticIudxItms(fleet, at);
    expect(records).toHaveLength(fleet.buses);
    for (const record of records as unknown as Record<string, unknown>[]) {
      for (const [field, value] of Object.entries(sample)) {
        expect(typeof record[field], field).toBe(typeof value);
      }
      expect(record.license_plate).toMatch(plate);
      expect(record.observationDateTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+05:30$/);
      expect(record.last_stop_arrival_time).toMatch(/^\d\d:\d\d:\d\d$/);
      expect(['UP', 'DN']).toContain(record.trip_direction);
      expect(record.location).toMatchObject({ type: 'Point' });
      expect(typeof record.occupancy).toBe('string');
    }
  });

  it("is read whole by the ITMS adapter's decoders, in km/h both ways, and no plate comes out", () => {
    const records = syntheticIudxItms(fleet, at);
    const iudx = fromIudxItms(records);
    const gtfs = fromGtfsRealtime(syntheticGtfsRealtime(fleet, at), new Date(0));
    expect(gtfs.feedTime).toBe(at.toISOString());
    expect(iudx).toHaveLength(fleet.buses);
    expect(gtfs.observations).toHaveLength(fleet.buses);
    for (const observations of [iudx, gtfs.observations]) {
      for (const o of observations) {
        expect(o.routeId).toMatch(/^\d{3}$/);
        expect(o.tripId).toMatch(/^\d+$/);
        expect(o.speed).toBeGreaterThan(0);
        expect(o.occupancy).toMatch(/^[A-Z_]+$/);
        expect(Number.isFinite(o.lat) && Number.isFinite(o.lon)).toBe(true);
        expect(Date.parse(o.observedAt)).toBeLessThanOrEqual(at.getTime());
      }
      const text = JSON.stringify(observations);
      for (const r of records) expect(text).not.toContain(r.license_plate);
    }
    for (const [i, o] of gtfs.observations.entries()) {
      const same = iudx[i];
      expect(o.label).toBe(same?.label);
      expect(o.observedAt).toBe(same?.observedAt);
      expect(o.speed).toBeCloseTo(same?.speed ?? -1, 1);
      expect(o.lat).toBeCloseTo(same?.lat ?? 0, 4);
      expect(o.lon).toBeCloseTo(same?.lon ?? 0, 4);
    }
  });
});

describe("a synthetic city's GBFS", () => {
  it('has a discovery file and a system_information valid against the official and the adapter schemas', () => {
    const schemaDir = join(sharedFixturesDir('gbfs'), 'schema');
    const ours = new GbfsSchemas();
    for (const version of ['2.3', '3.0'] as const) {
      const official = (file: string) =>
        // One Ajv per schema: the official files share `$id`s across versions.
        createAjv({ strict: false }).compile(
          JSON.parse(readFileSync(join(schemaDir, `v${version}`, `${file}.json`), 'utf8')),
        );
      const discovery = syntheticGbfsDiscovery(version, city, at, 'http://127.0.0.1:1/gbfs/x/');
      const validate = official('gbfs');
      expect(validate(discovery), JSON.stringify(validate.errors)).toBe(true);
      expect(ours.errors(version, 'gbfs', discovery)).toEqual([]);
      for (const file of syntheticGbfsFeeds[version]) {
        const document = syntheticGbfs(version, file, city, at);
        const check = official(file);
        expect(check(document), `${version}/${file}: ${JSON.stringify(check.errors)}`).toBe(true);
      }
    }
  });
});

describe('the feed server', () => {
  let feeds: FeedServer;
  beforeAll(async () => {
    feeds = await startFeedServer();
    feeds.setTime(at);
    feeds.buses('surat', fleet);
    feeds.city('surat', city);
  });
  afterAll(async () => {
    await feeds?.close();
  });

  it('serves a bus fleet as GTFS-realtime and as IUDX ITMS JSON, at the feed time', async () => {
    const pb = await fetch(`${feeds.url}/itms/surat/gtfs-rt.pb`);
    expect(pb.status).toBe(200);
    expect(pb.headers.get('content-type')).toBe('application/x-protobuf');
    const bytes = new Uint8Array(await pb.arrayBuffer());
    expect(Buffer.from(bytes).equals(Buffer.from(syntheticGtfsRealtime(fleet, at)))).toBe(true);
    const json = await fetch(`${feeds.url}/itms/surat/iudx.json`);
    expect(json.status).toBe(200);
    expect(json.headers.get('content-type')).toBe('application/json');
    const records = await json.json();
    expect(records).toEqual(syntheticIudxItms(fleet, at));
    expect(fromIudxItms(records)).toHaveLength(fleet.buses);
    feeds.setTime(minuteLater);
    expect(await (await fetch(`${feeds.url}/itms/surat/iudx.json`)).json()).toEqual(
      syntheticIudxItms(fleet, minuteLater),
    );
    feeds.setTime(at);
    expect((await fetch(`${feeds.url}/itms/elsewhere/iudx.json`)).status).toBe(404);
  });

  it('fails the bus feeds in the fault modes as it fails the others', async () => {
    try {
      feeds.fault('http-500');
      expect((await fetch(`${feeds.url}/itms/surat/gtfs-rt.pb`)).status).toBe(500);
      feeds.fault('malformed');
      const malformed = await fetch(`${feeds.url}/itms/surat/iudx.json`);
      expect(malformed.status).toBe(200);
      await expect(malformed.json()).rejects.toThrow();
      feeds.fault('invalid');
      const invalid = await fetch(`${feeds.url}/itms/surat/gtfs-rt.pb`);
      expect(invalid.headers.get('content-type')).toBe('application/json');
    } finally {
      feeds.fault(undefined);
    }
    expect((await fetch(`${feeds.url}/itms/surat/gtfs-rt.pb`)).status).toBe(200);
  });

  it("serves a city's discovery file and every feed it lists, for 2.3 and 3.0", async () => {
    for (const version of ['2.3', '3.0'] as const) {
      const answer = await fetch(feeds.gbfs(version, 'surat'));
      expect(answer.status).toBe(200);
      const discovery = (await answer.json()) as {
        version: string;
        ttl: number;
        data: { feeds?: { name: string; url: string }[]; en?: { feeds: { name: string; url: string }[] } };
      };
      expect(discovery).toMatchObject({ version, ttl: 30 });
      const listed = version === '3.0' ? discovery.data.feeds : discovery.data.en?.feeds;
      expect(listed?.map((f) => f.name)).toEqual(syntheticGbfsFeeds[version]);
      for (const feed of listed ?? []) {
        expect(feed.url.startsWith(`${feeds.url}/gbfs/${version}/surat/`)).toBe(true);
        const file = await fetch(feed.url);
        expect(file.status, feed.url).toBe(200);
        expect(await file.json()).toEqual(syntheticGbfs(version, feed.name, city, at));
      }
    }
    expect((await fetch(feeds.gbfs('3.0', 'nowhere'))).status).toBe(404);
  });
});

describe('the synthetic feeds', () => {
  it('read nothing of the shared fixtures', () => {
    for (const file of ['itms-synthetic.ts', 'gbfs-synthetic.ts', 'mds-synthetic.ts']) {
      const source = readFileSync(join(import.meta.dirname, '..', 'src', file), 'utf8');
      expect(source, file).not.toMatch(
        /fixturesDir|shared\/fixtures|node:fs|\.\/itms\.js|\.\/feed-server\.js/,
      );
    }
  });
});
