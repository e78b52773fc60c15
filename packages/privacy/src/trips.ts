import { randomBytes } from 'node:crypto';
import { H3Binner } from './binner.js';
import { h3Centre, h3Parent } from './spatial.js';

/** A trip as the generaliser needs it: who made it (never released), where and when it began and ended. */
export interface TripFacts {
  readonly device: string;
  readonly start: number;
  readonly end: number;
  readonly origin: { readonly lat: number; readonly lng: number };
  readonly destination: { readonly lat: number; readonly lng: number };
  /** Seconds. */
  readonly duration: number;
  /** Metres. */
  readonly distance: number;
}

/** One rung of generalisation: how coarse each quasi-identifier of a trip is released. */
export interface TripRung {
  readonly resolution: number;
  readonly bucketMinutes: number;
  readonly durationBandSeconds: number;
  readonly distanceBandMetres: number;
}

/** A trip as released: every quasi-identifier generalised, shared by at least k distinct devices; no identifier. */
export interface ReleasedTrip {
  /** Unique to this release: it names the record, not the trip, and never recurs. */
  readonly id: string;
  /** The start of the time bucket the trip started in. */
  readonly observedAt: string;
  readonly endBucket: string;
  readonly bucketMinutes: number;
  readonly origin: string;
  readonly originResolution: number;
  readonly destination: string;
  readonly destinationResolution: number;
  readonly durationFrom: number;
  readonly durationTo: number;
  readonly distanceFrom: number;
  readonly distanceTo: number;
  readonly k: number;
  readonly location: { type: 'Point'; coordinates: [number, number] };
}

export interface TripRelease {
  /** Each with the number of distinct devices behind its tuple (at least k), which is never released. */
  readonly trips: { readonly record: ReleasedTrip; readonly devices: number }[];
  /** Trips that no rung could hide among k devices: withheld and counted. */
  readonly suppressed: number;
  /** Trips released at each rung, finest first. */
  readonly byRung: readonly number[];
  /** Trip ends trimmed because they lie near where a device began or ended its day. */
  readonly trimmedEnds: number;
}

/** The coarsest H3 resolution a trip's ends are generalised to (cells of about 250 km²). */
const coarsestResolution = 5;

/**
 * The ladder of generalisation from the adapter's own resolution and bucket: each rung coarser in space (an H3
 * parent), time (wider buckets), duration and distance (wider bands). A trip is released on the finest rung where
 * its tuple is shared by k devices.
 */
export function tripLadder(resolution: number, bucketMinutes: number): TripRung[] {
  const rungs: TripRung[] = [
    { step: 0, bucket: 1, duration: 300, distance: 500 },
    { step: 1, bucket: 2, duration: 600, distance: 1000 },
    { step: 2, bucket: 4, duration: 1200, distance: 2000 },
    { step: 3, bucket: 12, duration: 3600, distance: 5000 },
  ].map((r) => ({
    resolution: Math.max(coarsestResolution, resolution - r.step),
    bucketMinutes: Math.min(1440, bucketMinutes * r.bucket),
    durationBandSeconds: r.duration,
    distanceBandMetres: r.distance,
  }));
  return rungs;
}

/** Great-circle distance in metres. */
function metresBetween(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.min(1, Math.sqrt(h)));
}

export interface TripReleaseOptions {
  readonly k: number;
  readonly ladder: readonly TripRung[];
  /** Trip ends this close to a device's first start or last end of the day are trimmed (default 500 m). */
  readonly trimMetres?: number;
  /** Record ids: 128 random bits unless a test supplies its own. */
  readonly newId?: () => string;
}

/**
 * One day of a fleet's trips, released as k-anonymous records (bottom-up local recoding): trips are grouped by
 * their tuple on the finest rung, groups of at least k distinct devices are released there, the rest try the next
 * rung among themselves, and what the coarsest rung cannot hide is suppressed. Every released tuple (rungs differ
 * in resolution and bucket, so their tuples never coincide) is thus shared by at least k distinct devices, and an
 * analyst who knows a trip finds at least k candidates for it. The ends of a device's trips that lie near where it
 * first started or last ended that day (a home, a depot, an overnight parking place) are released at the coarsest
 * resolution only, so the day's first and last places cannot be used to follow a device from one day to the next.
 */
export function releaseTrips(day: readonly TripFacts[], options: TripReleaseOptions): TripRelease {
  const { k, ladder } = options;
  if (!Number.isInteger(k) || k < 1) throw new RangeError('k is a positive integer');
  if (ladder.length === 0) throw new RangeError('a ladder has at least one rung');
  const trim = options.trimMetres ?? 500;
  const newId = options.newId ?? (() => randomBytes(16).toString('base64url'));

  // Where each device began and ended its day.
  const anchors = new Map<string, { first: TripFacts; last: TripFacts }>();
  for (const trip of day) {
    const known = anchors.get(trip.device);
    if (!known) anchors.set(trip.device, { first: trip, last: trip });
    else {
      if (trip.start < known.first.start) known.first = trip;
      if (trip.end > known.last.end) known.last = trip;
    }
  }
  const nearAnchor = (trip: TripFacts, point: { lat: number; lng: number }) => {
    const a = anchors.get(trip.device);
    return (
      a !== undefined &&
      (metresBetween(point, a.first.origin) <= trim || metresBetween(point, a.last.destination) <= trim)
    );
  };
  let trimmedEnds = 0;
  const coarsest = ladder.reduce((low, r) => Math.min(low, r.resolution), ladder[0]?.resolution ?? 15);
  const binners = new Map<number, H3Binner>();
  const binner = (resolution: number) => {
    let b = binners.get(resolution);
    if (!b) {
      b = new H3Binner(resolution);
      binners.set(resolution, b);
    }
    return b;
  };
  const finest = Math.max(...ladder.map((r) => r.resolution));
  const prepared = day.map((trip) => {
    const originTrimmed = nearAnchor(trip, trip.origin);
    const destinationTrimmed = nearAnchor(trip, trip.destination);
    trimmedEnds += Number(originTrimmed) + Number(destinationTrimmed);
    return {
      trip,
      originTrimmed,
      destinationTrimmed,
      // Cells at the finest resolution, coarsened per rung through their parents.
      originCell: binner(finest).cell(trip.origin.lat, trip.origin.lng),
      destinationCell: binner(finest).cell(trip.destination.lat, trip.destination.lng),
    };
  });

  const released: { record: ReleasedTrip; devices: number }[] = [];
  const byRung: number[] = [];
  let remaining = prepared;
  for (const rung of ladder) {
    const bucketMs = rung.bucketMinutes * 60_000;
    const groups = new Map<string, { tuple: Omit<ReleasedTrip, 'id' | 'k'>; members: typeof prepared }>();
    for (const p of remaining) {
      const originResolution = p.originTrimmed ? coarsest : rung.resolution;
      const destinationResolution = p.destinationTrimmed ? coarsest : rung.resolution;
      const origin = h3Parent(p.originCell, originResolution);
      const destination = h3Parent(p.destinationCell, destinationResolution);
      const start = Math.floor(p.trip.start / bucketMs) * bucketMs;
      const end = Math.floor(p.trip.end / bucketMs) * bucketMs;
      const duration = Math.floor(p.trip.duration / rung.durationBandSeconds) * rung.durationBandSeconds;
      const distance = Math.floor(p.trip.distance / rung.distanceBandMetres) * rung.distanceBandMetres;
      const key = `${origin}|${originResolution}|${destination}|${destinationResolution}|${start}|${end}|${duration}|${distance}`;
      let group = groups.get(key);
      if (!group) {
        group = {
          tuple: {
            observedAt: new Date(start).toISOString(),
            endBucket: new Date(end).toISOString(),
            bucketMinutes: rung.bucketMinutes,
            origin,
            originResolution,
            destination,
            destinationResolution,
            durationFrom: duration,
            durationTo: duration + rung.durationBandSeconds,
            distanceFrom: distance,
            distanceTo: distance + rung.distanceBandMetres,
            location: h3Centre(origin),
          },
          members: [],
        };
        groups.set(key, group);
      }
      group.members.push(p);
    }
    const next: typeof prepared = [];
    let count = 0;
    for (const group of groups.values()) {
      const devices = new Set(group.members.map((m) => m.trip.device)).size;
      if (devices < k) {
        next.push(...group.members);
        continue;
      }
      for (const _ of group.members) released.push({ record: { id: newId(), ...group.tuple, k }, devices });
      count += group.members.length;
    }
    byRung.push(count);
    remaining = next;
  }
  // Released in an order that says nothing of the order trips came in.
  released.sort((a, b) =>
    a.record.observedAt < b.record.observedAt ? -1 : a.record.observedAt > b.record.observedAt ? 1 : 0,
  );
  return { trips: released, suppressed: remaining.length, byRung, trimmedEnds };
}
