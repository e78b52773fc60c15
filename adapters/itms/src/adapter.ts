import {
  type AdapterLogic,
  FeedError,
  type PendingBatch,
  type PollContext,
  type PollResult,
  shownUrl,
} from '@sangam/adapter-kit';
import { individualsMember } from '@sangam/core';
import {
  type CellNoise,
  localDay,
  noisyValue,
  Pseudonymiser,
  pseudonymKey,
  releaseCounts,
  timeBucket,
} from '@sangam/privacy';
import { type BusObservation, fromGtfsRealtime, fromIudxItms } from './decode.js';

export interface ItmsOptions {
  readonly format: 'gtfs-rt' | 'iudx-json';
  /**
   * The secret behind the daily vehicle pseudonyms, at least 32 characters: kept outside the database, in a file
   * or a secret store the configuration names (`{"$file": …}`, `{"$env": …}`), never in version control.
   */
  readonly pseudonymSecret?: string;
  /** The adapter's name: its pseudonyms are under a key of its own (the host passes the configuration's `name`). */
  readonly adapterName?: string;
  /** Whose midnight starts a pseudonym's day (IANA; the host passes the configuration's `privacy.timeZone`). */
  readonly timeZone?: string;
  /** Observations older than this are stale and not published, in seconds (default 900). */
  readonly maxAgeSeconds?: number;
}

interface RouteBucket {
  readonly bucket: string;
  readonly vehicles: Set<string>;
  /** Observations already counted, by vehicle and time: a bus seen again in the next poll is not counted twice. */
  readonly seen: Set<string>;
  observations: number;
  readonly occupancy: Record<string, number>;
  /** The distinct buses seen in each occupancy status: what noisy occupancy counts. */
  readonly busesByStatus: Map<string, Set<string>>;
}

/**
 * Bus ITMS, from GTFS-realtime VehiclePosition or IUDX ITMS JSON: live positions (resource role `positions`) with
 * the vehicle label replaced by a pseudonym that rotates daily and nothing of plates, drivers or tickets, and
 * occupancy per route per time bucket (role `occupancy`), published when the bucket has ended.
 */
export class ItmsAdapter implements AdapterLogic {
  readonly #options: ItmsOptions;
  readonly #pseudonyms: Pseudonymiser;
  readonly #routes = new Map<string, RouteBucket>();
  /** Buckets already published: an old observation cannot bring one back. */
  readonly #published = new Set<string>();

  constructor(options: ItmsOptions) {
    if (options.format !== 'gtfs-rt' && options.format !== 'iudx-json') {
      throw new Error('The ITMS adapter reads format "gtfs-rt" or "iudx-json"');
    }
    const secret = options.pseudonymSecret;
    if (!secret || secret.length < 32) {
      throw new Error('The ITMS adapter needs options.pseudonymSecret of at least 32 characters');
    }
    this.#options = options;
    // A key for this adapter's bus labels alone, derived from the secret.
    this.#pseudonyms = new Pseudonymiser(
      pseudonymKey(secret, options.adapterName ?? 'itms', 'vehicle'),
      86_400_000,
      options.timeZone ?? 'UTC',
    );
  }

  async poll({ config, feed, now, recordsAllowed, k, ledger }: PollContext): Promise<PollResult> {
    let observations: BusObservation[];
    let feedTime: string;
    if (this.#options.format === 'gtfs-rt') {
      const answer = await feed.fetchBytes(config.feed);
      if (!answer.changed) return { unchanged: true, batches: [], recordsIn: 0, cellsSuppressed: 0 };
      try {
        ({ observations, feedTime } = fromGtfsRealtime(answer.body, now));
      } catch (error) {
        throw new FeedError(
          'malformed',
          `${shownUrl(config.feed)} is not a GTFS-realtime FeedMessage: ${(error as Error).message}`,
        );
      }
    } else {
      const answer = await feed.fetchJson(config.feed);
      if (!answer.changed) return { unchanged: true, batches: [], recordsIn: 0, cellsSuppressed: 0 };
      observations = fromIudxItms(answer.json);
      feedTime =
        observations
          .map((o) => o.observedAt)
          .sort()
          .at(-1) ?? new Date(0).toISOString();
      if (observations.length === 0)
        throw new FeedError('invalid', `${shownUrl(config.feed)} holds no ITMS record`);
    }
    const maxAge = (this.#options.maxAgeSeconds ?? 900) * 1000;
    if (now.getTime() - Date.parse(feedTime) > maxAge) {
      throw new FeedError('stale', `${shownUrl(config.feed)} was last updated at ${feedTime}`);
    }

    const batches: PendingBatch[] = [];
    const positions = config.resources.positions;
    // Positions are records: published only where the MoU allows records for the dataset.
    if (positions && recordsAllowed) {
      const records = observations.map((o) => this.#position(o));
      batches.push({ resource: positions, records });
    }
    const occupancy = config.resources.occupancy;
    let suppressed = 0;
    let overBudget = 0;
    if (occupancy) {
      const minutes = config.privacy.bucketMinutes;
      this.#add(observations, minutes);
      // A bucket has ended when the feed's own time has moved past it, whatever the clocks of the machines say.
      const { epsilon } = config.privacy;
      const dayOf = localDay(config.privacy.timeZone);
      // The ledger's days are read before any bucket is taken: a failed read loses none.
      if (epsilon !== undefined) {
        for (const day of new Set(
          this.#endedBuckets(new Date(feedTime), minutes).map((b) => dayOf(Date.parse(b))),
        ))
          await ledger.open(occupancy, day);
      }
      const ended = this.#takeEnded(new Date(feedTime), minutes);
      const released = occupancyRecords(
        ended,
        minutes,
        k,
        epsilon === undefined
          ? undefined
          : (bucket) => ledger.noise(occupancy, dayOf(Date.parse(bucket)), epsilon, { period: bucket }),
      );
      suppressed = released.suppressed;
      overBudget = released.overBudget;
      if (released.records.length > 0) batches.push({ resource: occupancy, records: released.records });
    }
    return {
      batches,
      recordsIn: observations.length,
      cellsSuppressed: suppressed,
      cellsOverBudget: overBudget,
      dataTime: feedTime,
    };
  }

  /** A position as published: the label replaced by the day's pseudonym; the plate was never read. */
  #position(o: BusObservation): object {
    const { label, lat, lon, ...rest } = o;
    return {
      ...rest,
      id: this.#pseudonyms.pseudonym(label, new Date(o.observedAt)),
      location: { type: 'Point', coordinates: [lon, lat] },
    };
  }

  /** Adds observations to their routes' buckets (a bucket already published takes none). */
  #add(observations: readonly BusObservation[], minutes: number): void {
    for (const o of observations) {
      if (!o.routeId) continue;
      const bucket = timeBucket(new Date(o.observedAt), minutes).toISOString();
      const key = `${o.routeId}\u0000${bucket}`;
      if (this.#published.has(key)) continue;
      const entry: RouteBucket = this.#routes.get(key) ?? {
        bucket,
        vehicles: new Set<string>(),
        seen: new Set<string>(),
        observations: 0,
        occupancy: {},
        busesByStatus: new Map(),
      };
      // Buses are counted by their labels, held here in memory only: a daily pseudonym would count a bus twice in
      // a bucket across midnight.
      const vehicle = o.label;
      const observation = `${vehicle}@${o.observedAt}`;
      if (entry.seen.has(observation)) continue;
      entry.seen.add(observation);
      entry.vehicles.add(vehicle);
      entry.observations += 1;
      if (o.occupancy) {
        entry.occupancy[o.occupancy] = (entry.occupancy[o.occupancy] ?? 0) + 1;
        const buses = entry.busesByStatus.get(o.occupancy) ?? new Set<string>();
        buses.add(vehicle);
        entry.busesByStatus.set(o.occupancy, buses);
      }
      this.#routes.set(key, entry);
    }
  }

  /** The buckets that ended before the one `now` is in, not taken yet. */
  #endedBuckets(now: Date, minutes: number): string[] {
    const current = timeBucket(now, minutes).toISOString();
    return [...this.#routes.values()].map((e) => e.bucket).filter((b) => b < current);
  }

  /** Takes the buckets that ended before the one `now` is in: each is released (or withheld) once. */
  #takeEnded(now: Date, minutes: number): { route: string; entry: RouteBucket }[] {
    const current = timeBucket(now, minutes).toISOString();
    const ended: { route: string; entry: RouteBucket }[] = [];
    for (const [key, entry] of this.#routes) {
      if (entry.bucket >= current) continue;
      const [route = ''] = key.split('\u0000');
      ended.push({ route, entry });
      this.#routes.delete(key);
      if (this.#published.size > 100_000) this.#published.clear();
      this.#published.add(key);
    }
    return ended;
  }
}

/**
 * Occupancy records of ended route buckets. Exact: a route that fewer than k distinct buses ran in the bucket is
 * withheld. With noise: the noisy count of distinct buses decides, and each status counts its distinct buses with
 * noise of its own (observations are not released: one bus is seen many times).
 */
function occupancyRecords(
  ended: readonly { route: string; entry: RouteBucket }[],
  minutes: number,
  k: number,
  noiseFor: ((bucket: string) => CellNoise) | undefined,
): { records: object[]; suppressed: number; overBudget: number } {
  const records: object[] = [];
  let suppressed = 0;
  let overBudget = 0;
  for (const { route, entry } of ended) {
    const noise = noiseFor?.(entry.bucket);
    const buses = entry.vehicles.size;
    const decided = releaseCounts([{ key: route, count: buses, individuals: buses }], k, noise);
    suppressed += decided.suppressed;
    overBudget += decided.overBudget;
    const kept = decided.published[0];
    if (!kept) continue;
    let occupancy: Record<string, number> = entry.occupancy;
    if (noise) {
      occupancy = {};
      for (const [status, seen] of entry.busesByStatus) {
        // Route and status as a pair, never run together: route "A:FULL" is not route "A" in status "FULL".
        const value = noisyValue(noise, JSON.stringify([route, status]), seen.size);
        if (value === undefined) overBudget += 1;
        else occupancy[status] = value;
      }
    }
    records.push({
      id: route,
      observedAt: entry.bucket,
      bucketMinutes: minutes,
      vehicles: kept.count,
      ...(noise ? {} : { observations: entry.observations }),
      occupancy,
      k,
      ...(kept.epsilon !== undefined ? { epsilon: kept.epsilon } : {}),
      [individualsMember]: kept.individuals,
    });
  }
  return { records, suppressed, overBudget };
}
