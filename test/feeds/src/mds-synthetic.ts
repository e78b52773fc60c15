import { seeded } from './random.js';

/**
 * A seeded synthetic MDS 2.0 provider: a fleet in a city whose vehicles move from trip to trip and park overnight,
 * more trips at the morning and evening peaks, each trip valid against the MDS trip model (micromobility). The same
 * seed and hour give the same trips.
 */
export interface SyntheticFleet {
  readonly devices: number;
  /** Trips in an average hour (about: each device's day is drawn); peaks have about three times as many, nights a fifth. */
  readonly tripsPerHour: number;
  readonly seed?: number;
  readonly centre?: readonly [number, number];
}

export interface MdsTrip {
  readonly provider_id: string;
  readonly device_id: string;
  readonly trip_id: string;
  readonly trip_type: ['rider'];
  readonly start_time: number;
  readonly end_time: number;
  readonly start_location: { lat: number; lng: number };
  readonly end_location: { lat: number; lng: number };
  readonly duration: number;
  readonly distance: number;
}

export const syntheticProviderId = '5f7114d1-4091-46ee-b492-e55875f7de00';

/** A version-4-shaped UUID from a seeded generator. */
function uuid(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${'89ab'[Math.floor(random() * 4)]}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** How busy an hour of the day is: peaks at 8-9 and 18-19 (UTC+5:30 local: 2:30 and 12:30 UTC), quiet at night. */
function weight(hourUtc: number): number {
  const local = (hourUtc + 5.5) % 24;
  const peak = (h: number) => Math.exp(-((local - h) ** 2) / 2);
  return 0.2 + 2.5 * (peak(8.5) + peak(18.5)) + (local >= 7 && local <= 21 ? 0.6 : 0);
}

const metresPerDegree = 111_320;
const hourMs = 3_600_000;
const dayMs = 86_400_000;
/** Devices that live like commuters: home to work in the morning, back in the evening, parked at home at night. */
const commuterShare = 0.1;
/** Vehicles that the operator's crew moves elsewhere each night; the rest start where they were parked. */
const rebalancedShare = 0.2;

/** A seeded generator for one purpose of one device on one day: the same inputs, the same numbers, in any order. */
function stream(seed: number, device: number, day: number, purpose: number): () => number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) >>> 0;
  for (const part of [device, day, purpose]) h = Math.imul(h ^ (part >>> 0), 0xc2b2ae35) >>> 0;
  return seeded((h ^ (h >>> 16)) >>> 0);
}

type Point = readonly [number, number];

/** The city the fleet runs in: its hotspots (stations, campuses, markets), fixed by the seed. */
interface City {
  readonly seed: number;
  readonly centre: Point;
  readonly spots: readonly Point[];
  readonly ids: readonly string[];
  /** The hours' weights, summed over a day. */
  readonly dayWeight: number;
}

const cities = new Map<string, City>();
function cityOf(fleet: SyntheticFleet): City {
  const key = `${fleet.seed ?? 1}/${fleet.devices}/${fleet.centre ?? ''}`;
  let city = cities.get(key);
  if (!city) {
    const seed = fleet.seed ?? 1;
    const [lng0, lat0] = fleet.centre ?? [72.83, 21.17];
    const spotRandom = seeded(seed * 7_919 + 17);
    const devices = seeded(seed);
    city = {
      seed,
      centre: [lat0, lng0],
      spots: Array.from(
        { length: 8 },
        () => [lat0 + (spotRandom() - 0.5) * 0.1, lng0 + (spotRandom() - 0.5) * 0.1] as const,
      ),
      ids: Array.from({ length: fleet.devices }, () => uuid(devices)),
      dayWeight: Array.from({ length: 24 }, (_, h) => weight(h)).reduce((a, b) => a + b, 0),
    };
    if (cities.size > 16) cities.clear();
    cities.set(key, city);
  }
  return city;
}

/** A place in the city: mostly near a hotspot, otherwise anywhere. */
function place(city: City, random: () => number): Point {
  const near = random() < 0.8 ? city.spots[Math.floor(random() * city.spots.length)] : undefined;
  const [lat, lng] = near ?? [
    city.centre[0] + (random() - 0.5) * 0.14,
    city.centre[1] + (random() - 0.5) * 0.14,
  ];
  return [lat + (random() - 0.5) * 0.004, lng + (random() - 0.5) * 0.004];
}

/** How many trips a (non-commuting) device makes on a day: Poisson around the fleet's mean. */
function tripCount(fleet: SyntheticFleet, city: City, device: number, day: number): number {
  const commuters = Math.floor(fleet.devices * commuterShare);
  const others = Math.max(1, fleet.devices - commuters);
  const mean = Math.max(0, (fleet.tripsPerHour * city.dayWeight - 2 * commuters) / others);
  const random = stream(city.seed, device, day, 1);
  let n = 0;
  for (let p = Math.exp(-Math.min(mean, 60)), product = random(); product > p && n < 60; n += 1)
    product *= random();
  return n;
}

/** Where a device is when its day starts: where it was parked, unless the crew moved it overnight. */
function dayStart(fleet: SyntheticFleet, city: City, device: number, day: number, depth = 0): Point {
  const random = stream(city.seed, device, day, 2);
  if (random() < rebalancedShare || depth > 60) return place(city, random);
  return dayEnd(fleet, city, device, day - 1, depth + 1);
}

/** Where a device is parked when its day ends: where its last trip ended (chosen first), or where it started. */
function dayEnd(fleet: SyntheticFleet, city: City, device: number, day: number, depth = 0): Point {
  if (tripCount(fleet, city, device, day) === 0) return dayStart(fleet, city, device, day, depth + 1);
  return place(city, stream(city.seed, device, day, 3));
}

/** A trip from one point to another starting at `start` (ms), by road about a third longer than the crow flies. */
function trip(
  city: City,
  device: number,
  from: Point,
  to: Point,
  start: number,
  random: () => number,
): MdsTrip {
  const dy = (to[0] - from[0]) * metresPerDegree;
  const dx = (to[1] - from[1]) * metresPerDegree * Math.cos((from[0] * Math.PI) / 180);
  const moved = from[0] !== to[0] || from[1] !== to[1];
  // Some rentals end at once where they began (under a minute); the adapter must not count them.
  const distance = moved ? Math.floor(Math.hypot(dx, dy) * 1.3) : Math.floor(random() * 30);
  const duration = moved
    ? Math.floor(distance / (3 + random() * 3) + 30 + random() * 120)
    : Math.floor(5 + random() * 50);
  return {
    provider_id: syntheticProviderId,
    device_id: city.ids[device] as string,
    trip_id: uuid(random),
    trip_type: ['rider'],
    start_time: start,
    end_time: start + duration * 1000,
    start_location: { lat: from[0], lng: from[1] },
    end_location: { lat: to[0], lng: to[1] },
    duration,
    distance,
  };
}

/** A start time on the day, drawn by how busy each hour is. */
function busyTime(city: City, day: number, random: () => number): number {
  let left = random() * city.dayWeight;
  for (let h = 0; h < 24; h += 1) {
    left -= weight(h);
    if (left <= 0) return day * dayMs + h * hourMs + Math.floor(random() * hourMs);
  }
  return day * dayMs + 23 * hourMs;
}

/** Every trip of the fleet on one UTC day, in order of time: each device's trips chained place to place. */
function dayOfTrips(fleet: SyntheticFleet, day: number): MdsTrip[] {
  const city = cityOf(fleet);
  const commuters = Math.floor(fleet.devices * commuterShare);
  const trips: MdsTrip[] = [];
  for (let device = 0; device < fleet.devices; device += 1) {
    const random = stream(city.seed, device, day, 4);
    if (device < commuters) {
      // Home and work are the device's own for good; it leaves around 8:00 and comes back around 18:00 local.
      const fixed = stream(city.seed, device, 0, 5);
      const home = place(city, fixed);
      const work = place(city, fixed);
      const local = (h: number) =>
        day * dayMs + (h - 5.5) * hourMs + Math.floor((random() - 0.5) * 2 * hourMs);
      trips.push(trip(city, device, home, work, local(8.3), random));
      trips.push(trip(city, device, work, home, local(18.3), random));
      continue;
    }
    const n = tripCount(fleet, city, device, day);
    if (n === 0) continue;
    const starts = Array.from({ length: n }, () => busyTime(city, day, random)).sort((a, b) => a - b);
    const end = dayEnd(fleet, city, device, day);
    let at = dayStart(fleet, city, device, day);
    let free = day * dayMs;
    for (let j = 0; j < n; j += 1) {
      const last = j === n - 1;
      // The last trip ends where the device is parked for the night; a few rentals are abandoned in place.
      const to = last ? end : random() < 0.03 ? at : place(city, random);
      const made = trip(city, device, at, to, Math.max(starts[j] as number, free + 60_000), random);
      // A trip that would run past the day's end is the day's last: it still ends where the device is parked.
      if (made.end_time >= (day + 1) * dayMs) {
        const final = trip(
          city,
          device,
          at,
          end,
          Math.min(made.start_time, (day + 1) * dayMs - 3 * hourMs),
          random,
        );
        if (final.start_time > free) trips.push(final);
        break;
      }
      trips.push(made);
      at = to;
      free = made.end_time;
    }
  }
  return trips.sort((a, b) => a.end_time - b.end_time);
}

const days = new Map<string, MdsTrip[]>();

/**
 * The trips that ended in the UTC hour starting at `hourStart` (ms). The fleet lives day by day: each vehicle starts
 * its day where it was parked (unless rebalanced overnight), each trip starts where its last one ended, and a tenth
 * of the devices commute between a home and a work place; more trips at the morning and evening peaks.
 */
export function syntheticTrips(fleet: SyntheticFleet, hourStart: number): MdsTrip[] {
  const day = Math.floor(hourStart / dayMs);
  const key = `${fleet.seed ?? 1}/${fleet.devices}/${fleet.tripsPerHour}/${fleet.centre ?? ''}/${day}`;
  let trips = days.get(key);
  if (!trips) {
    trips = dayOfTrips(fleet, day);
    // A few days: the feed server serves yesterday and today; a benchmark walks forward a day at a time.
    if (days.size >= 3) days.clear();
    days.set(key, trips);
  }
  const from = Math.floor(hourStart / hourMs) * hourMs;
  return trips.filter((t) => t.end_time >= from && t.end_time < from + hourMs);
}

export interface MdsEvent {
  readonly provider_id: string;
  readonly device_id: string;
  readonly event_id: string;
  readonly vehicle_state: string;
  readonly event_types: string[];
  readonly timestamp: number;
  readonly location: { lat: number; lng: number };
  readonly trip_ids: string[];
}

/** Eventually id-like text made from other ids, so events are the same on every call for the same hour. */
function derivedUuid(seed: string, salt: string): string {
  let h1 = 2166136261;
  let h2 = 5381;
  const text = `${seed}/${salt}`;
  for (let i = 0; i < text.length; i += 1) {
    h1 = Math.imul(h1 ^ text.charCodeAt(i), 16777619) >>> 0;
    h2 = (Math.imul(h2, 33) + text.charCodeAt(i)) >>> 0;
  }
  return uuid(seeded(h1 ^ h2));
}

/** The events of an hour: each trip's start and end that fall in it (MDS `/events/historical`). */
export function syntheticEvents(fleet: SyntheticFleet, hourStart: number): MdsEvent[] {
  const within = (t: number) => t >= hourStart && t < hourStart + 3_600_000;
  const events: MdsEvent[] = [];
  for (const offset of [0, 1]) {
    for (const trip of syntheticTrips(fleet, hourStart + offset * 3_600_000)) {
      if (within(trip.start_time)) {
        events.push({
          provider_id: trip.provider_id,
          device_id: trip.device_id,
          event_id: derivedUuid(trip.trip_id, 'start'),
          vehicle_state: 'on_trip',
          event_types: ['trip_start'],
          timestamp: trip.start_time,
          location: trip.start_location,
          trip_ids: [trip.trip_id],
        });
      }
      if (within(trip.end_time)) {
        events.push({
          provider_id: trip.provider_id,
          device_id: trip.device_id,
          event_id: derivedUuid(trip.trip_id, 'end'),
          vehicle_state: 'available',
          event_types: ['trip_end'],
          timestamp: trip.end_time,
          location: trip.end_location,
          trip_ids: [trip.trip_id],
        });
      }
    }
  }
  return events.sort((a, b) => a.timestamp - b.timestamp);
}

/** Every device's current state, last event and last telemetry (MDS `/vehicles/status`), as of `at`. */
export function syntheticVehicleStatus(fleet: SyntheticFleet, at: number): object[] {
  const devices = seeded(fleet.seed ?? 1);
  const deviceIds = Array.from({ length: fleet.devices }, () => uuid(devices));
  const minute = Math.floor(at / 60_000);
  const random = seeded(((fleet.seed ?? 1) * 7_368_787) ^ minute);
  const [lng0, lat0] = fleet.centre ?? [72.83, 21.17];
  const hotspots = seeded((fleet.seed ?? 1) * 7919);
  const spots = Array.from(
    { length: 6 },
    () => [lat0 + (hotspots() - 0.5) * 0.1, lng0 + (hotspots() - 0.5) * 0.1] as const,
  );
  return deviceIds.map((device_id) => {
    const r = random();
    const state = r < 0.7 ? 'available' : r < 0.85 ? 'on_trip' : r < 0.95 ? 'non_operational' : 'reserved';
    const [lat, lng] = spots[Math.floor(random() * spots.length)] ?? [lat0, lng0];
    const location = { lat: lat + (random() - 0.5) * 0.01, lng: lng + (random() - 0.5) * 0.01 };
    const timestamp = at - Math.floor(random() * 600_000);
    return {
      device_id,
      provider_id: syntheticProviderId,
      last_event: {
        device_id,
        provider_id: syntheticProviderId,
        event_id: derivedUuid(device_id, `event-${minute}`),
        vehicle_state: state,
        event_types: [
          state === 'on_trip' ? 'trip_start' : state === 'available' ? 'trip_end' : 'maintenance',
        ],
        timestamp,
        location,
        trip_ids: [],
      },
      last_telemetry: {
        device_id,
        provider_id: syntheticProviderId,
        telemetry_id: derivedUuid(device_id, `telemetry-${minute}`),
        timestamp,
        trip_ids: [],
        journey_id: derivedUuid(device_id, 'journey'),
        location,
      },
    };
  });
}
