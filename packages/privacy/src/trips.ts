import { createHash } from 'node:crypto';
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
  /** The H3 cells of its ends, when the caller has them already at the ladder's finest resolution. */
  readonly cells?:
    | { readonly resolution: number; readonly origin: string; readonly destination: string }
    | undefined;
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

/** What every trip released under one tuple shares: all of a released trip but its record id. */
export type TripTuple = Omit<ReleasedTrip, 'id'>;

export interface TripRelease {
  /**
   * The released tuples in time order, each with how many trips are released under it (one record each) and the
   * distinct devices behind it (at least k; kept for the gateway's release-time k, never released).
   */
  readonly groups: {
    readonly tuple: TripTuple;
    readonly trips: number;
    readonly devices: number;
    /** With `withMembers`: the indices of the input trips released under the tuple. */
    readonly members?: readonly number[];
  }[];
  /** Trips released. */
  readonly released: number;
  /** Trips that no rung could hide among k devices: withheld and counted. */
  readonly suppressed: number;
  /** Trips released at each rung, finest first. */
  readonly byRung: readonly number[];
  /** Trip ends trimmed because they lie near where a device began or ended its day. */
  readonly trimmedEnds: number;
}

/** The coarsest H3 resolution a trip's ends are generalised to (cells of about 250 km²), and where trimmed ends go. */
const coarsestResolution = 5;

const plausible = (t: TripFacts): boolean =>
  Number.isFinite(t.start) &&
  Number.isFinite(t.end) &&
  t.end >= t.start &&
  t.end - t.start < 86_400_000 &&
  Number.isFinite(t.duration) &&
  t.duration >= 0 &&
  t.duration < 86_400 &&
  Number.isFinite(t.distance) &&
  t.distance >= 0 &&
  t.distance < 500_000;

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
/**
 * Whether two points lie within `metres` of each other: on the local flat approximation, which at the distances
 * trimming asks about (hundreds of metres) is within a fraction of a metre of the great circle.
 */
function within(a: { lat: number; lng: number }, b: { lat: number; lng: number }, metres: number): boolean {
  const perDegree = 111_195;
  const dy = (b.lat - a.lat) * perDegree;
  const dx = (b.lng - a.lng) * perDegree * Math.cos(((a.lat + b.lat) / 2) * (Math.PI / 180));
  return dx * dx + dy * dy <= metres * metres;
}

export interface TripReleaseOptions {
  readonly k: number;
  readonly ladder: readonly TripRung[];
  /** Trip ends this close to a device's first start or last end of the day are trimmed (default 500 m). */
  readonly trimMetres?: number;
  /** Name the input trips behind each released tuple (their indices), for an audit of the release; never released. */
  readonly withMembers?: boolean;
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
export function releaseTrips(trips: readonly TripFacts[], options: TripReleaseOptions): TripRelease {
  const { k, ladder } = options;
  if (!Number.isInteger(k) || k < 1) throw new RangeError('k is a positive integer');
  if (ladder.length === 0) throw new RangeError('a ladder has at least one rung');
  const trim = options.trimMetres ?? 500;
  // A trip that is not one of a day (ends before it starts, lasts a day or more, runs further than a city) is
  // withheld: one outlier must not widen every tuple's keys, nor stop the release.
  const day: TripFacts[] = [];
  /** The index in `trips` of each trip of `day`, for `withMembers`. */
  const inputIndex: number[] = [];
  trips.forEach((t, i) => {
    if (!plausible(t)) return;
    day.push(t);
    inputIndex.push(i);
  });
  const implausible = trips.length - day.length;

  // Where each device began and ended its day.
  // Each device numbered once: distinct devices are then counted in sets of numbers.
  const anchors = new Map<string, { id: number; first: TripFacts; last: TripFacts }>();
  for (const trip of day) {
    const known = anchors.get(trip.device);
    if (!known) anchors.set(trip.device, { id: anchors.size, first: trip, last: trip });
    else {
      if (trip.start < known.first.start) known.first = trip;
      if (trip.end > known.last.end) known.last = trip;
    }
  }
  const nearAnchor = (trip: TripFacts, point: { lat: number; lng: number }) => {
    const a = anchors.get(trip.device);
    return (
      a !== undefined && (within(point, a.first.origin, trim) || within(point, a.last.destination, trim))
    );
  };
  let trimmedEnds = 0;
  // Trimmed ends go to the coarsest resolution whatever the ladder's own coarsest rung.
  const coarsest = Math.min(coarsestResolution, ...ladder.map((r) => r.resolution));
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
  // Cells are numbered once, and a cell's parents asked of H3 once: tuples are keyed by numbers, not text.
  const cellNames: string[] = [];
  const cellIds = new Map<string, number>();
  const idOf = (cell: string) => {
    let id = cellIds.get(cell);
    if (id === undefined) {
      id = cellNames.length;
      cellNames.push(cell);
      cellIds.set(cell, id);
    }
    return id;
  };
  const parents = new Map<number, number>();
  const parent = (cell: number, resolution: number) => {
    if (resolution === finest) return cell;
    const key = cell * 16 + resolution;
    let found = parents.get(key);
    if (found === undefined) {
      found = idOf(h3Parent(cellNames[cell] as string, resolution));
      parents.set(key, found);
    }
    return found;
  };
  // One shape for every member (plain literals, no spread), so the loops below read them fast. Cells at the
  // finest resolution, coarsened per rung through their parents.
  const numbered = day.map((trip, index) => {
    const originTrimmed = nearAnchor(trip, trip.origin);
    const destinationTrimmed = nearAnchor(trip, trip.destination);
    trimmedEnds += Number(originTrimmed) + Number(destinationTrimmed);
    const own = trip.cells?.resolution === finest ? trip.cells : undefined;
    return {
      index: inputIndex[index] as number,
      device: anchors.get(trip.device)?.id ?? -1,
      start: trip.start,
      end: trip.end,
      duration: trip.duration,
      distance: trip.distance,
      originTrimmed,
      destinationTrimmed,
      origin: idOf(own ? own.origin : binner(finest).cell(trip.origin.lat, trip.origin.lng)),
      destination: idOf(
        own ? own.destination : binner(finest).cell(trip.destination.lat, trip.destination.lng),
      ),
    };
  });
  type Member = (typeof numbered)[number];
  interface Group {
    readonly origin: number;
    readonly originResolution: number;
    readonly destination: number;
    readonly destinationResolution: number;
    readonly start: number;
    readonly end: number;
    readonly duration: number;
    readonly distance: number;
    readonly members: Member[];
  }
  const groupsOut: TripRelease['groups'][number][] = [];
  let released = 0;
  const byRung: number[] = [];
  let remaining = numbered;
  for (const rung of ladder) {
    const bucketMs = rung.bucketMinutes * 60_000;
    const { durationBandSeconds: durationBand, distanceBandMetres: distanceBand } = rung;
    // Each part of a tuple as a small number from 0, and the spans they take, so one number keys the times and
    // bands of a tuple and another its two cells.
    let firstBucket = Number.POSITIVE_INFINITY;
    let lastBucket = 0;
    let durations = 1;
    let distances = 1;
    for (const p of remaining) {
      firstBucket = Math.min(firstBucket, Math.floor(p.start / bucketMs));
      lastBucket = Math.max(lastBucket, Math.floor(p.end / bucketMs));
      durations = Math.max(durations, Math.floor(p.duration / durationBand) + 1);
      distances = Math.max(distances, Math.floor(p.distance / distanceBand) + 1);
    }
    const buckets = Math.max(1, lastBucket - firstBucket + 1);
    if (buckets * buckets * durations * distances > Number.MAX_SAFE_INTEGER)
      throw new RangeError('a day of trips spans more than one number can key');
    const groups = new Map<number, Map<number, Group>>();
    if (cellNames.length >= 2 ** 23)
      throw new RangeError('a day of trips touches more cells than one number can key');
    for (const p of remaining) {
      const originResolution = p.originTrimmed ? coarsest : rung.resolution;
      const destinationResolution = p.destinationTrimmed ? coarsest : rung.resolution;
      const origin = parent(p.origin, originResolution);
      const destination = parent(p.destination, destinationResolution);
      const start = Math.floor(p.start / bucketMs) - firstBucket;
      const end = Math.floor(p.end / bucketMs) - firstBucket;
      const duration = Math.floor(p.duration / durationBand);
      const distance = Math.floor(p.distance / distanceBand);
      // A cell id names its resolution too (cells of different resolutions differ); ids stay under 2^24 (checked).
      const places = origin * 2 ** 24 + destination;
      const times = ((start * buckets + end) * durations + duration) * distances + distance;
      let byTimes = groups.get(places);
      if (!byTimes) {
        byTimes = new Map();
        groups.set(places, byTimes);
      }
      let group = byTimes.get(times);
      if (!group) {
        group = {
          origin,
          originResolution,
          destination,
          destinationResolution,
          start: (start + firstBucket) * bucketMs,
          end: (end + firstBucket) * bucketMs,
          duration: duration * durationBand,
          distance: distance * distanceBand,
          members: [],
        };
        byTimes.set(times, group);
      }
      group.members.push(p);
    }
    const next: Member[] = [];
    let count = 0;
    for (const g of [...groups.values()].flatMap((byTimes) => [...byTimes.values()])) {
      // Fewer trips than k cannot be k devices: most groups on the finest rungs are single trips.
      const devices = g.members.length < k ? 0 : new Set(g.members.map((m) => m.device)).size;
      if (devices < k) {
        for (const m of g.members) next.push(m);
        continue;
      }
      const tuple: TripTuple = {
        observedAt: new Date(g.start).toISOString(),
        endBucket: new Date(g.end).toISOString(),
        bucketMinutes: rung.bucketMinutes,
        origin: cellNames[g.origin] as string,
        originResolution: g.originResolution,
        destination: cellNames[g.destination] as string,
        destinationResolution: g.destinationResolution,
        durationFrom: g.duration,
        durationTo: g.duration + rung.durationBandSeconds,
        distanceFrom: g.distance,
        distanceTo: g.distance + rung.distanceBandMetres,
        k,
        location: h3Centre(cellNames[g.origin] as string),
      };
      groupsOut.push({
        tuple,
        trips: g.members.length,
        devices,
        ...(options.withMembers ? { members: g.members.map((m) => m.index) } : {}),
      });
      count += g.members.length;
    }
    byRung.push(count);
    released += count;
    remaining = next;
  }
  // Released in an order that says nothing of the order trips came in.
  groupsOut.sort((a, b) =>
    a.tuple.observedAt < b.tuple.observedAt ? -1 : a.tuple.observedAt > b.tuple.observedAt ? 1 : 0,
  );
  return { groups: groupsOut, released, suppressed: remaining.length + implausible, byRung, trimmedEnds };
}

/**
 * The records of a release, one per trip, each with an id of its own and what `extra` adds to a group's records.
 * An id is a hash of the record's tuple and its place among the tuple's records: unique to the release, it says
 * nothing the tuple does not, and the same day released again gives the same records, which the gateway then
 * knows as duplicates rather than new trips.
 */
export function tripRecords<E extends object>(
  release: TripRelease,
  extra: (group: TripRelease['groups'][number]) => E,
): (ReleasedTrip & E)[] {
  const records: (ReleasedTrip & E)[] = [];
  for (const group of release.groups) {
    const added = extra(group);
    const tuple = JSON.stringify(group.tuple);
    for (let i = 0; i < group.trips; i += 1) {
      const id = createHash('sha256').update(`${tuple}\u0000${i}`).digest('base64url').slice(0, 22);
      records.push({ id, ...group.tuple, ...added });
    }
  }
  return records;
}
