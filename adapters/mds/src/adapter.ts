import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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
  type RandomInt,
  releaseTrips,
  type TripFacts,
  timeBucket,
  tripLadder,
  tripRecords,
} from '@sangam/privacy';
import { CellCounter, OdAggregator, type OdRecord, odMargins, tripEventTypes } from './aggregate.js';
import { TripDays } from './days.js';
import { eventProblem, minimumTripSeconds, type Trip, tripProblem, vehicleStatusProblem } from './trips.js';

export interface MdsOptions {
  /** The provider API's bearer token. */
  readonly token?: string;
  /** Whose midnight ends a day of anonymised trips (IANA; the host passes the configuration's `privacy.timeZone`). */
  readonly timeZone?: string;
  /** Trip ends this close to where a device began or ended its day are released coarsened (default 500 m). */
  readonly trimMetres?: number;
  /** The first hour to read (`YYYY-MM-DDTHH`), when the adapter has no cursor yet; 24 hours ago otherwise. */
  readonly startHour?: string;
  /** Most hours read in one poll while catching up (default 24). */
  readonly maxHoursPerPoll?: number;
  /** The noise's source of randomness: `crypto` unless a test fixes it. */
  readonly random?: RandomInt;
}

const hourMs = 3_600_000;

function parse(body: Buffer, url: string): { trips?: unknown; events?: unknown } {
  try {
    return JSON.parse(body.toString('utf8')) as { trips?: unknown; events?: unknown };
  } catch (error) {
    throw new FeedError('malformed', `${shownUrl(url)} sent malformed JSON: ${(error as Error).message}`);
  }
}
const hourText = (ms: number) => new Date(ms).toISOString().slice(0, 13);

/**
 * MDS 2.x provider API, `/trips?end_time=YYYY-MM-DDTHH` hour by hour (202: not ready, stop and ask again; 404 for an
 * hour long past: no operations). Each hour becomes (role `od`) an origin-destination matrix of H3 cells with trip
 * counts, mean duration and distance, k-suppressed, and (role `trips`, only where configured, for MoUs that allow
 * anonymised records) k-anonymous trips, a day at a time once the day is over (`releaseTrips`). With role `events`, `/events/historical` for the same hours becomes event
 * counts per cell and type; with role `vehicles`, `/vehicles/status` becomes vehicles per cell and state.
 * The hour cursor moves only once an hour's batches are acknowledged.
 */
export class MdsAdapter implements AdapterLogic {
  readonly #options: MdsOptions;
  #vehicleBucket: string | undefined;
  /** The trips of days not released yet, while anonymised trips are published. */
  #days: TripDays | undefined;

  constructor(options: MdsOptions) {
    this.#options = options;
  }

  async poll({ config, feed, k, recordsAllowed, ledger, now }: PollContext): Promise<PollResult> {
    // Anonymised trips are records: published only where the MoU allows records for the dataset.
    const withTrips = Boolean(config.resources.trips) && recordsAllowed;
    const cursorFile = join(config.stateDir, `${config.name}.cursor.json`);
    const saved = this.#cursor(cursorFile, now);
    let cursor = saved.next;
    // A restarted adapter does not count again a bucket of fleet states it published: the count may have moved.
    this.#vehicleBucket ??= saved.vehicleBucket;
    const base = config.feed.replace(/\/+$/, '');
    const headers: Record<string, string> = { accept: 'application/vnd.mds+json;version=2.0' };
    if (this.#options.token) headers.authorization = `Bearer ${this.#options.token}`;
    if (!withTrips) this.#days = undefined;
    else if (!this.#days) {
      // A restarted adapter reads again the hours whose trips it held, so their day is released whole; days it
      // released already, and a day it began to read part way through, are not released (again).
      const zone = this.#options.timeZone ?? 'UTC';
      const from = saved.tripsFrom ?? cursor;
      const days = new TripDays(zone, saved.releasedBefore ?? new TripDays(zone).firstWholeDay(from));
      for (let hour = from; hour < cursor; hour += hourMs) {
        const url = `${base}/trips?end_time=${hourText(hour)}`;
        const answer = await feed.get(url, headers);
        if (answer.status === 200) days.setHour(hour, validTrips(parse(answer.body, url).trips));
        else if (answer.status !== 404)
          throw new FeedError('http-error', `${shownUrl(url)} answered HTTP ${answer.status}`);
      }
      this.#days = days;
    }
    const batches: PendingBatch[] = [];
    const dayOf = localDay(config.privacy.timeZone);
    // Noise for one resource's counts on the day of `at`, paid for from the ledger; none when counts are exact.
    const noiseFor = async (resource: string | undefined, at: number): Promise<CellNoise | undefined> => {
      const { epsilon } = config.privacy;
      if (epsilon === undefined || !resource) return undefined;
      await ledger.open(resource, dayOf(at));
      const random = this.#options.random;
      return ledger.noise(resource, dayOf(at), epsilon, {
        period: new Date(at).toISOString(),
        ...(random ? { random } : {}),
      });
    };
    let overBudget = 0;
    let recordsIn = 0;
    let suppressed = 0;
    let leftOut = 0;
    let hours = 0;
    // The vehicle snapshot first: if it fails, no hour has been read yet, so nothing read is thrown away.
    const vehicles = config.resources.vehicles;
    if (vehicles) {
      const url = `${base}/vehicles/status`;
      const answer = await feed.get(url, headers);
      if (answer.status !== 200)
        throw new FeedError('http-error', `${shownUrl(url)} answered HTTP ${answer.status}`);
      const document = parse(answer.body, url) as { vehicles_status?: unknown; last_updated?: unknown };
      const at = typeof document.last_updated === 'number' ? new Date(document.last_updated) : now;
      const bucket = timeBucket(at, config.privacy.bucketMinutes).toISOString();
      // One snapshot per bucket, as for GBFS vehicles: later polls in it would only restate or contradict it.
      if (bucket !== this.#vehicleBucket) {
        const noise = await noiseFor(vehicles, Date.parse(bucket));
        const counted = this.processVehicles(document.vehicles_status, bucket, config.privacy, k, noise);
        recordsIn += counted.read;
        suppressed += counted.suppressed;
        overBudget += counted.overBudget;
        if (counted.records.length > 0) batches.push({ resource: vehicles, records: counted.records });
        this.#vehicleBucket = bucket;
      }
    }
    try {
      while (cursor + hourMs <= now.getTime() && hours < (this.#options.maxHoursPerPoll ?? 24)) {
        const url = `${base}/trips?end_time=${hourText(cursor)}`;
        const answer = await feed.get(url, headers);
        if (answer.status === 202) break;
        if (answer.status === 404) {
          // A past hour with no operations; the current hour is not served yet.
          if (cursor + 2 * hourMs > now.getTime()) break;
          cursor += hourMs;
          hours += 1;
          continue;
        }
        if (answer.status !== 200)
          throw new FeedError('http-error', `${shownUrl(url)} answered HTTP ${answer.status}`);
        const page = parse(answer.body, url);
        const { od, events: eventsResource } = config.resources;
        let events: { status: number; body: Buffer; url: string } | undefined;
        if (eventsResource) {
          const eventsUrl = `${base}/events/historical?event_time=${hourText(cursor)}`;
          events = { ...(await feed.get(eventsUrl, headers)), url: eventsUrl };
          // The hour is read again, whole, once its events are ready: nothing of it is counted or drawn yet.
          if (events.status === 202) break;
          if (events.status !== 200 && events.status !== 404) {
            throw new FeedError('http-error', `${shownUrl(eventsUrl)} answered HTTP ${events.status}`);
          }
        }
        // The OD matrix is the base of the trip events too: its draws are paid for where it is released.
        const hour = this.processHour(
          page.trips,
          new Date(cursor).toISOString(),
          config.privacy,
          k,
          await noiseFor(od ?? eventsResource, cursor),
        );
        if (eventsResource && events) {
          const counted =
            events.status === 200
              ? this.processEvents(
                  parse(events.body, events.url).events,
                  new Date(cursor).toISOString(),
                  config.privacy,
                  k,
                  await noiseFor(eventsResource, cursor),
                )
              : { read: 0, records: [], suppressed: 0, overBudget: 0 };
          recordsIn += counted.read;
          suppressed += counted.suppressed;
          overBudget += counted.overBudget;
          const records = [...hour.margins, ...counted.records];
          if (records.length > 0) batches.push({ resource: eventsResource, records });
        }
        recordsIn += hour.read;
        leftOut += hour.invalid;
        suppressed += hour.suppressedCells;
        overBudget += hour.overBudget;
        if (od && hour.od.length > 0) batches.push({ resource: od, records: hour.od });
        this.#days?.setHour(cursor, hour.valid);
        cursor += hourMs;
        hours += 1;
      }
      // Every day over by the cursor, whether its last hours had trips or none.
      const tripsResource = config.resources.trips;
      if (this.#days && tripsResource) {
        for (const day of this.#days.takeEnded(cursor)) {
          const released = releaseTrips(day.trips, {
            k,
            ladder: tripLadder(config.privacy.h3Resolution, config.privacy.bucketMinutes),
            ...(this.#options.trimMetres !== undefined ? { trimMetres: this.#options.trimMetres } : {}),
          });
          suppressed += released.suppressed;
          if (released.released > 0) {
            batches.push({
              resource: tripsResource,
              records: tripRecords(released, (g) => ({ [individualsMember]: g.devices })),
            });
          }
        }
      }
    } catch (error) {
      // A day taken for release in a poll that fails is not lost: the trips are read again from the last
      // acknowledged cursor by the next poll.
      this.#days = undefined;
      throw error;
    }
    const next = cursor;
    const tripsFrom = this.#days?.replayFrom(next);
    const releasedBefore = this.#days?.releasedBefore;
    const vehicleBucket = this.#vehicleBucket;
    return {
      batches,
      recordsIn,
      cellsSuppressed: suppressed,
      cellsOverBudget: overBudget,
      recordsLeftOut: leftOut,
      dataTime: new Date(next).toISOString(),
      published: () => {
        mkdirSync(config.stateDir, { recursive: true });
        writeFileSync(
          cursorFile,
          JSON.stringify({
            next: new Date(next).toISOString(),
            ...(tripsFrom !== undefined ? { tripsFrom: new Date(tripsFrom).toISOString() } : {}),
            ...(releasedBefore !== undefined && Number.isFinite(releasedBefore)
              ? { releasedBefore: new Date(releasedBefore).toISOString() }
              : {}),
            ...(vehicleBucket !== undefined ? { vehicleBucket } : {}),
          }),
        );
      },
    };
  }

  /**
   * One hour of trips: checked against the trip model and aggregated into the OD matrix, whose margins are the
   * hour's trip starts and ends per cell; the valid trips are returned for the day's anonymised release. Exposed for
   * the benchmark and the tests.
   */
  processHour(
    trips: unknown,
    hour: string,
    privacy: { h3Resolution: number },
    k: number,
    noise?: CellNoise,
  ): {
    read: number;
    od: OdRecord[];
    /** Trip starts and ends per cell, summed from the released OD cells (role `events`). */
    margins: object[];
    overBudget: number;
    /** The hour's valid trips, for the day's release (never published as they are). */
    valid: TripFacts[];
    suppressedCells: number;
    suppressedTrips: number;
    tooShort: number;
    /** Trips left out because they do not fit the trip model. */
    invalid: number;
  } {
    if (!Array.isArray(trips)) throw new FeedError('invalid', `the trips of ${hour} are not a list`);
    const aggregator = new OdAggregator(privacy.h3Resolution);
    const valid: TripFacts[] = [];
    let invalid = 0;
    for (const trip of trips) {
      // One bad trip is left out and counted; it does not hold back the hour's other trips.
      if (tripProblem(trip)) {
        invalid += 1;
        continue;
      }
      const cells = aggregator.add(trip as Trip);
      if (cells) valid.push(tripFacts(trip as Trip, { resolution: privacy.h3Resolution, ...cells }));
    }
    const matrix = aggregator.matrix(hour, k, noise);
    return {
      read: trips.length,
      od: matrix.records,
      margins: odMargins(matrix.records, hour),
      overBudget: matrix.overBudget,
      valid,
      suppressedCells: matrix.suppressedCells,
      suppressedTrips: matrix.suppressedTrips,
      tooShort: matrix.tooShort,
      invalid,
    };
  }

  /**
   * One hour of events: counts per H3 cell and event type, k-suppressed (noisy with `noise`). Trip starts and ends
   * are not counted here: they are the OD matrix's margins. No device or event id goes further.
   */
  processEvents(
    events: unknown,
    hour: string,
    privacy: { h3Resolution: number },
    k: number,
    noise?: CellNoise,
  ): { read: number; records: object[]; suppressed: number; overBudget: number } {
    if (!Array.isArray(events)) throw new FeedError('invalid', `the events of ${hour} are not a list`);
    const counter = new CellCounter(privacy.h3Resolution);
    for (const [i, event] of events.entries()) {
      const problem = eventProblem(event);
      if (problem)
        throw new FeedError('invalid', `event ${i} of ${hour} does not fit the MDS event model: ${problem}`);
      const {
        location,
        event_types: types,
        device_id: device,
      } = event as { location?: { lat: number; lng: number }; event_types: string[]; device_id: string };
      if (!location) continue;
      for (const type of types)
        if (!tripEventTypes.has(type)) counter.add(location.lat, location.lng, type, device);
    }
    const counted = counter.records(hour, k, { category: 'eventType', count: 'events' }, noise);
    return { read: events.length, ...counted };
  }

  /**
   * A snapshot of vehicle states: vehicles per H3 cell and state, with noise (the configuration requires it for
   * this role: consecutive snapshots would otherwise differ by the few vehicles that moved). No device id goes further.
   */
  processVehicles(
    statuses: unknown,
    bucket: string,
    privacy: { h3Resolution: number },
    k: number,
    noise?: CellNoise,
  ): { read: number; records: object[]; suppressed: number; overBudget: number } {
    if (!Array.isArray(statuses)) throw new FeedError('invalid', 'vehicles_status is not a list');
    const counter = new CellCounter(privacy.h3Resolution);
    for (const [i, status] of statuses.entries()) {
      const problem = vehicleStatusProblem(status);
      if (problem)
        throw new FeedError('invalid', `vehicle ${i} does not fit the MDS vehicle status model: ${problem}`);
      const v = status as {
        last_event: { vehicle_state: string };
        last_telemetry: { location: { lat: number; lng: number } };
      };
      counter.add(
        v.last_telemetry.location.lat,
        v.last_telemetry.location.lng,
        v.last_event.vehicle_state,
        (status as { device_id: string }).device_id,
      );
    }
    const counted = counter.records(bucket, k, { category: 'state', count: 'vehicles' }, noise);
    return { read: statuses.length, ...counted };
  }

  #cursor(
    file: string,
    now: Date,
  ): { next: number; tripsFrom?: number; releasedBefore?: number; vehicleBucket?: string } {
    try {
      const saved = JSON.parse(readFileSync(file, 'utf8')) as {
        next?: string;
        tripsFrom?: string;
        releasedBefore?: string;
        vehicleBucket?: unknown;
      };
      if (saved.next) {
        const next = Date.parse(saved.next);
        const tripsFrom = saved.tripsFrom ? Date.parse(saved.tripsFrom) : Number.NaN;
        const releasedBefore = saved.releasedBefore ? Date.parse(saved.releasedBefore) : Number.NaN;
        return {
          next,
          ...(Number.isFinite(tripsFrom) && tripsFrom <= next ? { tripsFrom } : {}),
          ...(Number.isFinite(releasedBefore) ? { releasedBefore } : {}),
          ...(typeof saved.vehicleBucket === 'string' ? { vehicleBucket: saved.vehicleBucket } : {}),
        };
      }
    } catch {
      // No cursor yet.
    }
    if (this.#options.startHour && /^\d{4}-\d{2}-\d{2}T\d{2}$/.test(this.#options.startHour)) {
      return { next: Date.parse(`${this.#options.startHour}:00:00Z`) };
    }
    return { next: Math.floor(now.getTime() / hourMs) * hourMs - 24 * hourMs };
  }
}

/** The trips that passed the model check and are at least a minute long. */
function validTrips(trips: unknown): TripFacts[] {
  if (!Array.isArray(trips)) return [];
  return trips
    .filter((t) => !tripProblem(t) && (t as Trip).duration >= minimumTripSeconds)
    .map((t) => tripFacts(t as Trip));
}

/** What the day's release needs of a trip; the trip id is not among it. */
function tripFacts(trip: Trip, cells?: TripFacts['cells']): TripFacts {
  // One shape for every trip (no spread, cells present or not): the day's release reads millions of them.
  return {
    device: trip.device_id,
    start: trip.start_time,
    end: trip.end_time,
    origin: trip.start_location,
    destination: trip.end_location,
    duration: trip.duration,
    distance: trip.distance,
    cells,
  };
}
