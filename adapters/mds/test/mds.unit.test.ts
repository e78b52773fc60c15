import { join } from 'node:path';
import $RefParser from '@apidevtools/json-schema-ref-parser';
import { individualsMember } from '@sangam/core';
import { syntheticEvents, syntheticTrips, syntheticVehicleStatus } from '@sangam/feeds';
import { createAjv } from '@sangam/http';
import { h3Cell, Pseudonymiser } from '@sangam/privacy';
import { sharedFixturesDir } from '@sangam/testkit/fixtures';
import { describe, expect, it } from 'vitest';
import { eventProblem, MdsAdapter, vehicleStatusProblem } from '../src/index.js';

const secret = 'an-mds-pseudonym-secret-of-32-chars!!!';
const fleet = { devices: 400, tripsPerHour: 200, seed: 9 };
const monday = Date.parse('2026-11-16T00:00:00Z');
const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

describe('the synthetic MDS fleet', () => {
  it('makes trips that validate against the MDS 2.0 trip model', async () => {
    const schema = await $RefParser.dereference(join(sharedFixturesDir('mds'), 'openapi/models/trip.yaml'));
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
      const published = new Map((out.od as Record<string, unknown>[]).map((c) => [c.id, c]));
      for (const [key, set] of devices) {
        expect(published.has(key), key).toBe(set.size >= 10);
        // Each published cell carries its distinct devices for the gateway's release-time k.
        if (published.has(key)) expect(published.get(key)?.[individualsMember]).toBe(set.size);
      }
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
      for (const r of out.records as Record<string, number>[]) {
        expect(r[individualsMember]).toBeGreaterThanOrEqual(10);
        expect(r.events).toBeGreaterThanOrEqual(r[individualsMember] ?? Infinity);
      }
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
    for (const r of snapshot.records as Record<string, number>[]) {
      expect(r.vehicles).toBeGreaterThanOrEqual(10);
      expect(r[individualsMember]).toBe(r.vehicles);
    }
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
