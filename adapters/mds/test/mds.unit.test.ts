import { join } from 'node:path';
import $RefParser from '@apidevtools/json-schema-ref-parser';
import { individualsMember } from '@sangam/core';
import { syntheticEvents, syntheticTrips, syntheticVehicleStatus } from '@sangam/feeds';
import { createAjv } from '@sangam/http';
import { h3Cell, h3Parent, releaseTrips, type TripFacts, tripLadder, tripRecords } from '@sangam/privacy';
import { sharedFixturesDir } from '@sangam/testkit/fixtures';
import { describe, expect, it } from 'vitest';
import { TripDays } from '../src/days.js';
import { eventProblem, MdsAdapter, vehicleStatusProblem } from '../src/index.js';

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

  it('moves vehicles from trip to trip: each starts where its last ended, most where they were parked overnight', () => {
    const trips = Array.from({ length: 48 }, (_, h) => syntheticTrips(fleet, monday + h * 3_600_000)).flat();
    const byDevice = new Map<string, typeof trips>();
    for (const t of trips) byDevice.set(t.device_id, [...(byDevice.get(t.device_id) ?? []), t]);
    let overnight = 0;
    let parked = 0;
    for (const list of byDevice.values()) {
      list.sort((a, b) => a.start_time - b.start_time);
      for (let i = 1; i < list.length; i += 1) {
        const [before, after] = [list[i - 1], list[i]] as [(typeof trips)[number], (typeof trips)[number]];
        expect(after.start_time).toBeGreaterThanOrEqual(before.end_time);
        const same =
          before.end_location.lat === after.start_location.lat &&
          before.end_location.lng === after.start_location.lng;
        if (Math.floor(before.end_time / 86_400_000) === Math.floor(after.start_time / 86_400_000)) {
          expect(same).toBe(true);
        } else {
          overnight += 1;
          if (same) parked += 1;
        }
      }
    }
    expect(byDevice.size).toBe(fleet.devices);
    // A fifth of the vehicles are moved by the crew overnight; the rest, commuters among them, start where they were.
    expect(parked / overnight).toBeGreaterThan(0.7);
    expect(parked / overnight).toBeLessThan(0.95);
  });
});

describe('the MDS adapter over one synthetic week', () => {
  const adapter = new MdsAdapter({});
  const privacy = { h3Resolution: 7, bucketMinutes: 15 };
  const hours = Array.from({ length: 7 * 24 }, (_, i) => monday + i * 3_600_000);
  const week = hours.map((start) => {
    const trips = syntheticTrips(fleet, start);
    return {
      start,
      trips,
      out: adapter.processHour(trips, new Date(start).toISOString(), privacy, 10),
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
      const published = new Map(out.od.map((c) => [c.id, c]));
      for (const [key, set] of devices) {
        expect(published.has(key), key).toBe(set.size >= 10);
        // Each published cell carries its distinct devices for the gateway's release-time k.
        if (published.has(key)) expect(published.get(key)?.[individualsMember]).toBe(set.size);
      }
    }
  });

  it('counts no trip under a minute: it is in no cell and not among the trips kept for the day', () => {
    let short = 0;
    for (const { trips, out } of week) {
      const under = trips.filter((t) => t.duration < 60).length;
      short += under;
      expect(out.tooShort).toBe(under);
      expect(out.valid).toHaveLength(trips.length - under);
      for (const t of out.valid) expect(t.duration).toBeGreaterThanOrEqual(60);
      const counted = (out.od as { trips: number }[]).reduce((n, c) => n + c.trips, 0) + out.suppressedTrips;
      expect(counted).toBe(trips.length - under);
    }
    expect(short).toBeGreaterThan(100);
  });

  it('leaves no device or trip id of the input anywhere in the output', () => {
    for (const { out } of week) expect(JSON.stringify(out.od)).not.toMatch(uuid);
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
});

describe('anonymised trips, a day at a time', () => {
  const adapter = new MdsAdapter({});
  const privacy = { h3Resolution: 7, bucketMinutes: 15 };
  const days = new TripDays('UTC');
  const ids = new Set<string>();
  for (let hour = monday; hour < monday + 3 * 86_400_000; hour += 3_600_000) {
    const trips = syntheticTrips(fleet, hour);
    for (const t of trips) ids.add(t.device_id).add(t.trip_id);
    days.setHour(hour, adapter.processHour(trips, new Date(hour).toISOString(), privacy, 10).valid);
  }
  const ended = days.takeEnded(monday + 3 * 86_400_000);
  const ladder = tripLadder(7, 15);

  it('releases each day once it is over, and nothing twice', () => {
    expect(ended.map((d) => new Date(d.day).toISOString())).toEqual([
      '2026-11-16T00:00:00.000Z',
      '2026-11-17T00:00:00.000Z',
      '2026-11-18T00:00:00.000Z',
    ]);
    expect(days.takeEnded(monday + 3 * 86_400_000)).toEqual([]);
    // An hour of a released day read again adds nothing.
    days.setHour(monday, adapter.processHour(syntheticTrips(fleet, monday), '', privacy, 10).valid);
    expect(days.takeEnded(monday + 4 * 86_400_000)).toEqual([]);
  });

  it('shares every released tuple among at least k distinct devices of the input, and accounts for every trip', () => {
    for (const { trips } of ended) {
      const out = releaseTrips(trips, { k: 10, ladder });
      const records = tripRecords(out, () => ({}));
      expect(records.length + out.suppressed).toBe(trips.length);
      expect(records.length).toBeGreaterThan(trips.length / 2);
      expect(new Set(records.map((r) => r.id)).size).toBe(records.length);
      const tuples = new Map<string, { record: Record<string, unknown>; count: number }>();
      for (const record of records) {
        const { id: _, ...tuple } = record;
        const key = JSON.stringify(tuple);
        const known = tuples.get(key);
        if (known) known.count += 1;
        else tuples.set(key, { record: tuple, count: 1 });
      }
      const cells = trips.map((trip) => ({
        trip,
        origin: h3Cell(trip.origin.lat, trip.origin.lng, 7),
        destination: h3Cell(trip.destination.lat, trip.destination.lng, 7),
      }));
      for (const { record: t, count } of tuples.values()) {
        expect(count).toBeGreaterThanOrEqual(10);
        // Worked out afresh from the input: the devices whose trips fit the tuple.
        const from = Date.parse(t.observedAt as string);
        const fits = ({ trip, origin, destination }: (typeof cells)[number]) =>
          trip.start >= from &&
          trip.start < from + (t.bucketMinutes as number) * 60_000 &&
          trip.end >= Date.parse(t.endBucket as string) &&
          trip.end < Date.parse(t.endBucket as string) + (t.bucketMinutes as number) * 60_000 &&
          trip.duration >= (t.durationFrom as number) &&
          trip.duration < (t.durationTo as number) &&
          trip.distance >= (t.distanceFrom as number) &&
          trip.distance < (t.distanceTo as number) &&
          h3Parent(origin, t.originResolution as number) === t.origin &&
          h3Parent(destination, t.destinationResolution as number) === t.destination;
        expect(new Set(cells.filter(fits).map((c) => c.trip.device)).size).toBeGreaterThanOrEqual(10);
      }
      expect(JSON.stringify(records)).not.toMatch(uuid);
      for (const record of records) expect(ids.has(record.id)).toBe(false);
    }
  });

  it("days end at the city's midnight: in Surat at 18:30 UTC", () => {
    const surat = new TripDays('Asia/Kolkata');
    expect(new Date(surat.dayOf(Date.parse('2026-11-26T18:29:00Z'))).toISOString()).toBe(
      '2026-11-25T18:30:00.000Z',
    );
    expect(new Date(surat.dayOf(Date.parse('2026-11-26T18:31:00Z'))).toISOString()).toBe(
      '2026-11-26T18:30:00.000Z',
    );
    const trip = (end: string): TripFacts => ({
      device: 'd',
      start: Date.parse(end) - 600_000,
      end: Date.parse(end),
      origin: { lat: 21.17, lng: 72.83 },
      destination: { lat: 21.2, lng: 72.86 },
      duration: 600,
      distance: 2000,
    });
    surat.setHour(Date.parse('2026-11-26T18:00:00Z'), [
      trip('2026-11-26T18:10:00Z'),
      trip('2026-11-26T18:50:00Z'),
    ]);
    // The hour 18:00–19:00 UTC ends the day before 18:30 and starts the next.
    const first = surat.takeEnded(Date.parse('2026-11-26T19:00:00Z'));
    expect(first.map((d) => d.trips.length)).toEqual([1]);
    expect(new Date(surat.replayFrom(Date.parse('2026-11-26T19:00:00Z'))).toISOString()).toBe(
      '2026-11-26T18:00:00.000Z',
    );
    // A restart reads that hour again: the end of the day released already is not released again.
    const restarted = new TripDays('Asia/Kolkata', surat.releasedBefore);
    restarted.setHour(Date.parse('2026-11-26T18:00:00Z'), [
      trip('2026-11-26T18:10:00Z'),
      trip('2026-11-26T18:50:00Z'),
    ]);
    expect(restarted.takeEnded(Date.parse('2026-11-27T19:00:00Z')).map((d) => d.trips.length)).toEqual([1]);
    expect(surat.takeEnded(Date.parse('2026-11-27T19:00:00Z')).map((d) => d.trips.length)).toEqual([1]);
    // Reading from 18:00 UTC, the first whole day starts at 18:30.
    expect(new Date(surat.firstWholeDay(Date.parse('2026-11-26T18:00:00Z'))).toISOString()).toBe(
      '2026-11-26T18:30:00.000Z',
    );
  });

  it('keeps a day whole where clocks change: New York on the day summer time starts', () => {
    const york = new TripDays('America/New_York');
    // Midnight is 05:00 UTC (EST); after 02:00 local the offset is EDT, but the day is the same one.
    for (const at of ['2024-03-10T06:00:00Z', '2024-03-10T12:00:00Z', '2024-03-11T03:59:00Z']) {
      expect(new Date(york.dayOf(Date.parse(at))).toISOString()).toBe('2024-03-10T05:00:00.000Z');
    }
    expect(new Date(york.dayEnd(Date.parse('2024-03-10T05:00:00Z'))).toISOString()).toBe(
      '2024-03-11T04:00:00.000Z',
    );
    // And on the day it ends: 25 hours, from 04:00 to 05:00 UTC.
    expect(new Date(york.dayOf(Date.parse('2024-11-03T20:00:00Z'))).toISOString()).toBe(
      '2024-11-03T04:00:00.000Z',
    );
    expect(new Date(york.dayEnd(Date.parse('2024-11-03T04:00:00Z'))).toISOString()).toBe(
      '2024-11-04T05:00:00.000Z',
    );
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
    const adapter = new MdsAdapter({});
    const out = adapter.processHour(
      [good, ...bad, ...others],
      new Date(monday + 9 * 3_600_000).toISOString(),
      { h3Resolution: 7 },
      10,
    );
    expect(out.invalid).toBe(bad.length);
    expect(out.read).toBe(others.length + 1 + bad.length);
    expect(out.valid.length + out.tooShort).toBe(others.length + 1);
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
    const alone = adapter.processHour(one, new Date(monday).toISOString(), privacy, 10);
    expect(alone.od).toEqual([]);
    expect(alone.suppressedTrips).toBe(10);
    const many = Array.from({ length: 10 }, (_, i) =>
      trip(`11111111-1111-4111-8111-${String(i).padStart(12, '0')}`, i),
    );
    expect(adapter.processHour(many, new Date(monday).toISOString(), privacy, 10).od).toHaveLength(1);
  });
});
