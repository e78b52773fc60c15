import { individualsMember } from '@sangam/core';
import { type CellNoise, defaultK, type H3Binner, h3Binner, h3Centre, releaseCounts } from '@sangam/privacy';
import { minimumTripSeconds, type Trip } from './trips.js';

export interface OdRecord {
  readonly id: string;
  readonly observedAt: string;
  readonly origin: string;
  readonly destination: string;
  readonly resolution: number;
  readonly trips: number;
  /** Absent with noise. */
  readonly meanDuration?: number;
  readonly meanDistance?: number;
  readonly k: number;
  /** ε of the noise on `trips`, when it is noisy. */
  readonly epsilon?: number;
  readonly location: { type: 'Point'; coordinates: [number, number] };
  /** The distinct devices behind the cell (noisy with the count), kept by the gateway for the release-time k. */
  readonly [individualsMember]: number;
}

interface OdCell {
  readonly origin: string;
  readonly destination: string;
  /** The distinct devices behind the cell's trips: k counts individuals, not trips. */
  readonly devices: Set<string>;
  count: number;
  duration: number;
  distance: number;
}

export interface OdMatrix {
  readonly records: OdRecord[];
  /** Trips counted (valid, at least a minute long). */
  readonly trips: number;
  readonly tooShort: number;
  readonly suppressedCells: number;
  /** Cells withheld because their ε budget for the day was spent. */
  readonly overBudget: number;
  readonly suppressedTrips: number;
}

/** Counts trips per origin and destination cell for one hour; cells under k are withheld and counted. */
export class OdAggregator {
  readonly #binner: H3Binner;
  // By origin, then destination: no key text is built per trip.
  readonly #cells = new Map<string, Map<string, OdCell>>();
  #trips = 0;
  #tooShort = 0;

  constructor(resolution: number) {
    this.#binner = h3Binner(resolution);
  }

  /** Adds a trip; returns its two cells, or undefined when it is not a trip (under a minute). */
  add(trip: Trip): { origin: string; destination: string } | undefined {
    if (trip.duration < minimumTripSeconds) {
      this.#tooShort += 1;
      return undefined;
    }
    const origin = this.#binner.cell(trip.start_location.lat, trip.start_location.lng);
    const destination = this.#binner.cell(trip.end_location.lat, trip.end_location.lng);
    let row = this.#cells.get(origin);
    if (!row) {
      row = new Map();
      this.#cells.set(origin, row);
    }
    let cell = row.get(destination);
    if (!cell) {
      cell = { origin, destination, devices: new Set(), count: 0, duration: 0, distance: 0 };
      row.set(destination, cell);
    }
    cell.devices.add(trip.device_id);
    cell.count += 1;
    cell.duration += trip.duration;
    cell.distance += trip.distance;
    this.#trips += 1;
    return { origin, destination };
  }

  /**
   * The hour's matrix: the cells behind which at least k distinct devices travelled (ten trips of one scooter are one
   * individual, not ten), with their trip counts and means. With noise, each device counts once per cell and the
   * noisy count decides (`releaseCounts`).
   */
  matrix(hour: string, k = defaultK, noise?: CellNoise): OdMatrix {
    const cells = [...this.#cells.values()].flatMap((row) =>
      [...row.values()].map((cell) => ({
        cell,
        key: `${cell.origin}>${cell.destination}`,
        count: cell.count,
        individuals: cell.devices.size,
      })),
    );
    const released = releaseCounts(cells, k, noise);
    const suppressedTrips = this.#trips - released.published.reduce((n, c) => n + c.cell.cell.count, 0);
    return {
      records: released.published.map(({ cell: { cell: c, key }, count, individuals, epsilon }) => ({
        id: key,
        observedAt: hour,
        origin: c.origin,
        destination: c.destination,
        resolution: this.#binner.resolution,
        trips: count,
        // Means of exact trips would tell what the noise hides (one device's trip, in a cell the noise let out).
        ...(epsilon === undefined
          ? { meanDuration: Math.round(c.duration / c.count), meanDistance: Math.round(c.distance / c.count) }
          : {}),
        k,
        ...(epsilon !== undefined ? { epsilon } : {}),
        location: h3Centre(c.origin),
        [individualsMember]: individuals,
      })),
      trips: this.#trips,
      tooShort: this.#tooShort,
      suppressedCells: released.suppressed,
      overBudget: released.overBudget,
      suppressedTrips,
    };
  }
}

/** A count per H3 cell and category (an event type, a vehicle state), k-suppressed when read out. */
export class CellCounter {
  readonly #binner: H3Binner;
  readonly #cells = new Map<
    string,
    { cell: string; category: string; count: number; devices: Set<string> }
  >();

  constructor(resolution: number) {
    this.#binner = h3Binner(resolution);
  }

  /** Counts one event or vehicle of `device`; suppression weighs distinct devices, not counts. */
  add(lat: number, lng: number, category: string, device: string): void {
    const cell = this.#binner.cell(lat, lng);
    const key = `${cell}:${category}`;
    const entry = this.#cells.get(key) ?? { cell, category, count: 0, devices: new Set<string>() };
    entry.count += 1;
    entry.devices.add(device);
    this.#cells.set(key, entry);
  }

  /**
   * The cells behind which at least k distinct devices are, as records of `observedAt`, with their counts; with
   * noise, the noisy count of devices decides and is released (`releaseCounts`).
   */
  records(
    observedAt: string,
    k: number,
    names: { category: string; count: string },
    noise?: CellNoise,
  ): { records: object[]; suppressed: number; overBudget: number } {
    const released = releaseCounts(
      [...this.#cells.values()].map((entry) => ({
        entry,
        key: `${entry.cell}:${entry.category}`,
        count: entry.count,
        individuals: entry.devices.size,
      })),
      k,
      noise,
    );
    return {
      records: released.published.map(({ cell: { entry: c, key }, count, individuals, epsilon }) => ({
        id: key,
        observedAt,
        cell: c.cell,
        resolution: this.#binner.resolution,
        [names.category]: c.category,
        [names.count]: count,
        k,
        ...(epsilon !== undefined ? { epsilon } : {}),
        location: h3Centre(c.cell),
        [individualsMember]: individuals,
      })),
      suppressed: released.suppressed,
      overBudget: released.overBudget,
    };
  }
}

/** The event types counted from the OD matrix rather than from the events feed. */
export const tripEventTypes: ReadonlySet<string> = new Set(['trip_start', 'trip_end']);

/**
 * Trip starts and ends per cell, as the margins of the hour's released OD matrix: sums of whole released cells, each
 * behind at least k devices. So a cell's starts or ends minus any OD cell (or sum of them) out of or into it is 0 or
 * at least k: the two releases cannot be subtracted into a small count (DESIGN.md §8, one suppressed base).
 */
export function odMargins(od: readonly OdRecord[], hour: string): object[] {
  const margins = new Map<
    string,
    {
      cell: string;
      type: string;
      events: number;
      individuals: number;
      k: number;
      epsilon?: number;
      resolution: number;
    }
  >();
  for (const r of od) {
    for (const [cell, type] of [
      [r.origin, 'trip_start'],
      [r.destination, 'trip_end'],
    ] as const) {
      const key = `${cell}:${type}`;
      const margin = margins.get(key) ?? {
        cell,
        type,
        events: 0,
        individuals: Number.POSITIVE_INFINITY,
        k: r.k,
        resolution: r.resolution,
        ...(r.epsilon !== undefined ? { epsilon: r.epsilon } : {}),
      };
      margin.events += r.trips;
      // The fewest individuals of its cells: should a consumer's higher k withhold any of them at release, the
      // margin goes too, and cannot be subtracted into what was withheld.
      margin.individuals = Math.min(margin.individuals, r[individualsMember]);
      margins.set(key, margin);
    }
  }
  return [...margins.entries()].map(([key, m]) => ({
    id: key,
    observedAt: hour,
    cell: m.cell,
    resolution: m.resolution,
    eventType: m.type,
    events: m.events,
    k: m.k,
    ...(m.epsilon !== undefined ? { epsilon: m.epsilon } : {}),
    location: h3Centre(m.cell),
    [individualsMember]: m.individuals,
  }));
}
