import { individualsMember } from '@sangam/core';
import { defaultK, type H3Binner, h3Binner, h3Centre, suppressBelowK } from '@sangam/privacy';
import { minimumTripSeconds, type Trip } from './trips.js';

export interface OdRecord {
  readonly id: string;
  readonly observedAt: string;
  readonly origin: string;
  readonly destination: string;
  readonly resolution: number;
  readonly trips: number;
  readonly meanDuration: number;
  readonly meanDistance: number;
  readonly k: number;
  readonly location: { type: 'Point'; coordinates: [number, number] };
  /** The distinct devices behind the cell, kept by the gateway for the release-time k, never released. */
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
   * individual, not ten), with their trip counts and means.
   */
  matrix(hour: string, k = defaultK): OdMatrix {
    const cells = [...this.#cells.values()].flatMap((row) => [...row.values()]);
    const kept = suppressBelowK(
      cells.map((cell) => ({ cell, count: cell.devices.size })),
      k,
    );
    const published = kept.published.map((c) => c.cell);
    const suppressed = kept.suppressed;
    const suppressedTrips = this.#trips - published.reduce((n, c) => n + c.count, 0);
    return {
      records: published.map((c) => ({
        id: `${c.origin}>${c.destination}`,
        observedAt: hour,
        origin: c.origin,
        destination: c.destination,
        resolution: this.#binner.resolution,
        trips: c.count,
        meanDuration: Math.round(c.duration / c.count),
        meanDistance: Math.round(c.distance / c.count),
        k,
        location: h3Centre(c.origin),
        [individualsMember]: c.devices.size,
      })),
      trips: this.#trips,
      tooShort: this.#tooShort,
      suppressedCells: suppressed,
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

  /** The cells behind which at least k distinct devices are, as records of `observedAt`, with their counts. */
  records(
    observedAt: string,
    k: number,
    names: { category: string; count: string },
  ): { records: object[]; suppressed: number } {
    const kept = suppressBelowK(
      [...this.#cells.values()].map((entry) => ({ entry, count: entry.devices.size })),
      k,
    );
    const published = kept.published.map((c) => c.entry);
    const suppressed = kept.suppressed;
    return {
      records: published.map((c) => ({
        id: `${c.cell}:${c.category}`,
        observedAt,
        cell: c.cell,
        resolution: this.#binner.resolution,
        [names.category]: c.category,
        [names.count]: c.count,
        k,
        location: h3Centre(c.cell),
        [individualsMember]: c.devices.size,
      })),
      suppressed,
    };
  }
}
