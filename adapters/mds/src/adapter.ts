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
import { Pseudonymiser, timeBucket } from '@sangam/privacy';
import { CellCounter, OdAggregator, TripAnonymiser } from './aggregate.js';
import { eventProblem, type Trip, tripProblem, vehicleStatusProblem } from './trips.js';

export interface MdsOptions {
  /** The provider API's bearer token. */
  readonly token?: string;
  /** The secret behind the daily pseudonyms of anonymised trips, at least 32 characters. */
  readonly pseudonymSecret?: string;
  /** Whose midnight starts a pseudonym's day (IANA; the host passes the configuration's `privacy.timeZone`). */
  readonly timeZone?: string;
  /** The first hour to read (`YYYY-MM-DDTHH`), when the adapter has no cursor yet; 24 hours ago otherwise. */
  readonly startHour?: string;
  /** Most hours read in one poll while catching up (default 24). */
  readonly maxHoursPerPoll?: number;
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
 * anonymised records) anonymised trips. With role `events`, `/events/historical` for the same hours becomes event
 * counts per cell and type; with role `vehicles`, `/vehicles/status` becomes vehicles per cell and state.
 * The hour cursor moves only once an hour's batches are acknowledged.
 */
export class MdsAdapter implements AdapterLogic {
  readonly #options: MdsOptions;
  readonly #pseudonyms: Pseudonymiser | undefined;
  readonly #devices = new Map<string, string>();
  #deviceDay = -1;
  #vehicleBucket: string | undefined;
  #anonymiser: TripAnonymiser | undefined;

  constructor(options: MdsOptions) {
    this.#options = options;
    const secret = options.pseudonymSecret;
    this.#pseudonyms =
      secret && secret.length >= 32
        ? new Pseudonymiser(secret, 86_400_000, options.timeZone ?? 'UTC')
        : undefined;
  }

  async poll({ config, feed, k, recordsAllowed, now }: PollContext): Promise<PollResult> {
    // Anonymised trips are records: published only where the MoU allows records for the dataset.
    const withTrips = Boolean(config.resources.trips) && recordsAllowed;
    if (config.resources.trips && !this.#pseudonyms) {
      throw new Error('Publishing anonymised trips needs a pseudonym secret of 32+ characters');
    }
    const cursorFile = join(config.stateDir, `${config.name}.cursor.json`);
    let cursor = this.#cursor(cursorFile, now);
    const base = config.feed.replace(/\/+$/, '');
    const headers: Record<string, string> = { accept: 'application/vnd.mds+json;version=2.0' };
    if (this.#options.token) headers.authorization = `Bearer ${this.#options.token}`;
    const batches: PendingBatch[] = [];
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
        const counted = this.processVehicles(document.vehicles_status, bucket, config.privacy, k);
        recordsIn += counted.read;
        suppressed += counted.suppressed;
        if (counted.records.length > 0) batches.push({ resource: vehicles, records: counted.records });
        this.#vehicleBucket = bucket;
      }
    }
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
      const hour = this.processHour(page.trips, new Date(cursor).toISOString(), config.privacy, k, withTrips);
      if (config.resources.events) {
        const eventsUrl = `${base}/events/historical?event_time=${hourText(cursor)}`;
        const events = await feed.get(eventsUrl, headers);
        // The hour is read again, whole, once its events are ready: nothing of it is counted or published yet.
        if (events.status === 202) break;
        if (events.status !== 200 && events.status !== 404) {
          throw new FeedError('http-error', `${shownUrl(eventsUrl)} answered HTTP ${events.status}`);
        }
        if (events.status === 200) {
          const counted = this.processEvents(
            parse(events.body, eventsUrl).events,
            new Date(cursor).toISOString(),
            config.privacy,
            k,
          );
          recordsIn += counted.read;
          suppressed += counted.suppressed;
          if (counted.records.length > 0)
            batches.push({ resource: config.resources.events, records: counted.records });
        }
      }
      recordsIn += hour.read;
      leftOut += hour.invalid;
      suppressed += hour.suppressedCells;
      if (config.resources.od && hour.od.length > 0)
        batches.push({ resource: config.resources.od, records: hour.od });
      if (config.resources.trips && withTrips && hour.trips.length > 0)
        batches.push({ resource: config.resources.trips, records: hour.trips });
      cursor += hourMs;
      hours += 1;
    }
    const next = cursor;
    return {
      batches,
      recordsIn,
      cellsSuppressed: suppressed,
      recordsLeftOut: leftOut,
      dataTime: new Date(next).toISOString(),
      published: () => {
        mkdirSync(config.stateDir, { recursive: true });
        writeFileSync(cursorFile, JSON.stringify({ next: new Date(next).toISOString() }));
      },
    };
  }

  /**
   * One hour of trips: checked against the trip model, aggregated into the OD matrix and, when asked, anonymised.
   * Exposed for the benchmark and the tests.
   */
  processHour(
    trips: unknown,
    hour: string,
    privacy: { h3Resolution: number; bucketMinutes: number },
    k: number,
    withTrips: boolean,
  ): {
    read: number;
    od: object[];
    trips: object[];
    suppressedCells: number;
    suppressedTrips: number;
    tooShort: number;
    /** Trips left out because they do not fit the trip model. */
    invalid: number;
  } {
    if (!Array.isArray(trips)) throw new FeedError('invalid', `the trips of ${hour} are not a list`);
    const aggregator = new OdAggregator(privacy.h3Resolution);
    const anonymised: object[] = [];
    let invalid = 0;
    const pseudonyms = this.#pseudonyms;
    if (withTrips && pseudonyms && !this.#anonymiser) {
      this.#anonymiser = new TripAnonymiser(
        { trip: pseudonyms, device: (id, at) => this.#device(id, at) },
        privacy.bucketMinutes,
      );
    }
    const anonymiser = withTrips ? this.#anonymiser : undefined;
    for (const trip of trips) {
      // One bad trip is left out and counted; it does not hold back the hour's other trips.
      if (tripProblem(trip)) {
        invalid += 1;
        continue;
      }
      const cells = aggregator.add(trip as Trip);
      if (cells && anonymiser) anonymised.push(anonymiser.anonymise(trip as Trip, cells));
    }
    const matrix = aggregator.matrix(hour, k);
    return {
      read: trips.length,
      od: matrix.records,
      trips: anonymised,
      suppressedCells: matrix.suppressedCells,
      suppressedTrips: matrix.suppressedTrips,
      tooShort: matrix.tooShort,
      invalid,
    };
  }

  /** One hour of events: counts per H3 cell and event type, k-suppressed. No device or event id goes further. */
  processEvents(
    events: unknown,
    hour: string,
    privacy: { h3Resolution: number },
    k: number,
  ): { read: number; records: object[]; suppressed: number } {
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
      for (const type of types) counter.add(location.lat, location.lng, type, device);
    }
    const { records, suppressed } = counter.records(hour, k, { category: 'eventType', count: 'events' });
    return { read: events.length, records, suppressed };
  }

  /** A snapshot of vehicle states: vehicles per H3 cell and state, k-suppressed. No device id goes further. */
  processVehicles(
    statuses: unknown,
    bucket: string,
    privacy: { h3Resolution: number },
    k: number,
  ): { read: number; records: object[]; suppressed: number } {
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
    const { records, suppressed } = counter.records(bucket, k, { category: 'state', count: 'vehicles' });
    return { read: statuses.length, records, suppressed };
  }

  /** A device's pseudonym for the day, remembered for the day (a fleet's devices recur all day long). */
  #device(id: string, at: number): string {
    const day = (this.#pseudonyms as Pseudonymiser).periodOf(at);
    if (day !== this.#deviceDay) {
      this.#devices.clear();
      this.#deviceDay = day;
    }
    let pseudonym = this.#devices.get(id);
    if (!pseudonym) {
      pseudonym = (this.#pseudonyms as Pseudonymiser).pseudonym(id, at);
      this.#devices.set(id, pseudonym);
    }
    return pseudonym;
  }

  #cursor(file: string, now: Date): number {
    try {
      const saved = JSON.parse(readFileSync(file, 'utf8')) as { next?: string };
      if (saved.next) return Date.parse(saved.next);
    } catch {
      // No cursor yet.
    }
    if (this.#options.startHour && /^\d{4}-\d{2}-\d{2}T\d{2}$/.test(this.#options.startHour)) {
      return Date.parse(`${this.#options.startHour}:00:00Z`);
    }
    return Math.floor(now.getTime() / hourMs) * hourMs - 24 * hourMs;
  }
}
