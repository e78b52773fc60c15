import {
  type AdapterLogic,
  FeedError,
  type PendingBatch,
  type PollContext,
  type PollResult,
} from '@sangam/adapter-kit';
import { localDay, timeBucket } from '@sangam/privacy';
import { discover } from './feeds.js';
import { type GbfsFile, GbfsSchemas, type GbfsVersion } from './schemas.js';
import { stationPlaces, stationRecords, vehicleCells, vehicleList } from './transform.js';

function sameOrigin(url: string, registered: string): boolean {
  try {
    return new URL(url).origin === new URL(registered).origin;
  } catch {
    return false;
  }
}

/** The GBFS adapter's own options (under `options` in its configuration). */
export interface GbfsOptions {
  /**
   * A directory of GBFS JSON Schemas (v2.3/, v3.0/, a file each) to check documents against instead of those shipped
   * with the adapter, e.g. the official ones.
   */
  readonly schemaDir?: string;
  /** GBFS 2.3 lists feeds per language: which to read (the first otherwise). */
  readonly language?: string;
  /** Data older than this (by the feed's last_updated) is stale and not published, in seconds (default 900). */
  readonly maxAgeSeconds?: number;
}

/**
 * GBFS 2.3 and 3.0: discovery, then station_information and station_status as station availability (resource role
 * `stations`), and free_bike_status / vehicle_status as vehicle availability per H3 cell, time bucket and vehicle
 * type with k-suppression (resource role `vehicles`). Every document is checked against the JSON Schema of its GBFS
 * version and file, shipped with the adapter (`schemas/`).
 */
export class GbfsAdapter implements AdapterLogic {
  readonly #schemas: GbfsSchemas;
  readonly #options: GbfsOptions;
  #places = new Map<string, { name?: string; lat: number; lon: number }>();
  #publishedBucket: string | undefined;

  constructor(options: GbfsOptions = {}) {
    this.#options = options;
    this.#schemas = new GbfsSchemas(options.schemaDir);
  }

  async poll({ config, feed, k, ledger, now }: PollContext): Promise<PollResult> {
    const entry = await feed.fetchJson(config.feed);
    // gbfs.json unchanged still means its feeds may have changed: discovery is re-read only when it changed.
    const discovery = entry.changed ? this.#discover(entry.json) : this.#discovery;
    if (!discovery) {
      feed.forget();
      throw new FeedError('invalid', 'gbfs.json has not been read yet');
    }
    const { version } = discovery;
    const maxAge = Math.max(this.#options.maxAgeSeconds ?? 900, discovery.ttl * 3);
    type Read = { unchanged: true } | { document: unknown; time: string; bytes: number };
    const read = async (name: GbfsFile, feedName = name): Promise<Read | undefined> => {
      const url = discovery.feeds.get(feedName);
      if (!url) return undefined;
      // Only the registered feed's own server is ever called: a gbfs.json cannot send the adapter elsewhere.
      if (!sameOrigin(url, config.feed)) {
        throw new FeedError(
          'invalid',
          `gbfs.json points ${feedName} at another server than the registered feed`,
        );
      }
      const answer = await feed.fetchJson(url);
      if (!answer.changed) return { unchanged: true as const };
      const errors = this.#schemas.errors(version, name, answer.json);
      if (errors.length > 0)
        throw new FeedError('invalid', `${feedName} does not match GBFS ${version}: ${errors.join('; ')}`);
      const updated = (answer.json as { last_updated?: unknown }).last_updated;
      const time = typeof updated === 'number' ? updated * 1000 : Date.parse(String(updated));
      if (now.getTime() - time > maxAge * 1000) {
        throw new FeedError(
          'stale',
          `${feedName} was last updated at ${new Date(time).toISOString()}, over ${maxAge} s ago`,
        );
      }
      return { document: answer.json, time: new Date(time).toISOString(), bytes: answer.bytes };
    };

    const information = await read('station_information');
    if (information && 'document' in information) this.#places = stationPlaces(information.document);
    const status = await read('station_status');
    const vehicles = await read(version === '3.0' ? 'vehicle_status' : 'free_bike_status');

    const batches: PendingBatch[] = [];
    let recordsIn = 0;
    let suppressed = 0;
    let overBudget = 0;
    let dataTime: string | undefined;
    const stations = config.resources.stations;
    if (stations && status && 'document' in status) {
      const records = stationRecords(status.document, this.#places, version, status.time);
      recordsIn += records.length;
      dataTime = status.time;
      batches.push({ resource: stations, records });
    }
    const target = config.resources.vehicles;
    if (target && vehicles && 'document' in vehicles) {
      recordsIn += vehicleList(vehicles.document, version).length;
      dataTime = vehicles.time;
      // One snapshot per bucket: later polls in the same bucket would only restate (or contradict) it, and with
      // noise spend ε again on the same vehicles.
      const at = Date.parse(vehicles.time);
      const bucket = timeBucket(new Date(at), config.privacy.bucketMinutes).toISOString();
      if (bucket !== this.#publishedBucket) {
        const { epsilon } = config.privacy;
        const day = localDay(config.privacy.timeZone)(at);
        if (epsilon !== undefined) await ledger.open(target, day);
        const aggregation = vehicleCells(vehicles.document, version, this.#places, {
          resolution: config.privacy.h3Resolution,
          bucketMinutes: config.privacy.bucketMinutes,
          k,
          ...(epsilon === undefined ? {} : { noise: ledger.noise(target, day, epsilon, { period: bucket }) }),
          feedTime: vehicles.time,
        });
        suppressed += aggregation.suppressed;
        overBudget += aggregation.overBudget;
        if (aggregation.records.length > 0) batches.push({ resource: target, records: aggregation.records });
        // With noise, one draw a bucket: every cell was paid for, released or not.
        if (aggregation.records.length > 0 || epsilon !== undefined) this.#publishedBucket = bucket;
      }
    }
    return {
      unchanged: batches.length === 0 && !entry.changed,
      batches,
      recordsIn,
      cellsSuppressed: suppressed,
      cellsOverBudget: overBudget,
      ...(dataTime ? { dataTime } : {}),
      ttlSeconds: discovery.ttl,
    };
  }

  #discovery: ReturnType<typeof discover> | undefined;

  #discover(document: unknown): ReturnType<typeof discover> {
    const found = discover(document, this.#options.language);
    const errors = this.#schemas.errors(found.version as GbfsVersion, 'gbfs', document);
    if (errors.length > 0)
      throw new FeedError('invalid', `gbfs.json does not match GBFS ${found.version}: ${errors.join('; ')}`);
    this.#discovery = found;
    return found;
  }
}
