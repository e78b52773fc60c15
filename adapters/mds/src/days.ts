import type { TripFacts } from '@sangam/privacy';
import { utcOffset } from '@sangam/privacy';

const hourMs = 3_600_000;
const dayMs = 86_400_000;

/**
 * The trips of the days not yet released, read hour by hour. Anonymised trips are released a day at a time, once
 * the day is over (in the alliance's time zone): only then is it known where each device began and ended its day,
 * and a day's trips hide one another among more devices than an hour's. Reading an hour again replaces it, and the
 * trips of a day already released are ignored, so a poll repeated after a failed publish adds nothing twice.
 */
export class TripDays {
  readonly #offset: (ms: number) => number;
  /** The valid trips that ended in each hour read, by the hour's start. */
  readonly #hours = new Map<number, TripFacts[]>();
  /** Days released by this process, by their start. */
  readonly #released = new Set<number>();

  constructor(timeZone: string) {
    this.#offset = utcOffset(timeZone);
  }

  /** The start of the local day that holds `ms`. */
  dayOf(ms: number): number {
    const offset = this.#offset(ms);
    return Math.floor((ms + offset) / dayMs) * dayMs - offset;
  }

  /** The start of the next local day (days have 23 or 25 hours where clocks change). */
  #dayEnd(day: number): number {
    return this.dayOf(day + 26 * hourMs);
  }

  /** Sets the trips that ended in the hour starting at `hour`. */
  setHour(hour: number, trips: readonly TripFacts[]): void {
    this.#hours.set(
      hour,
      trips.filter((t) => !this.#released.has(this.dayOf(t.end))),
    );
  }

  /** The days over by `until` that were not released yet, each with its trips, taken out of this collection. */
  takeEnded(until: number): { day: number; trips: TripFacts[] }[] {
    const days = new Map<number, TripFacts[]>();
    for (const trips of this.#hours.values()) {
      for (const trip of trips) {
        const day = this.dayOf(trip.end);
        if (this.#dayEnd(day) > until || this.#released.has(day)) continue;
        const list = days.get(day);
        if (list) list.push(trip);
        else days.set(day, [trip]);
      }
    }
    for (const day of days.keys()) this.#released.add(day);
    for (const [hour, trips] of this.#hours) {
      const open = trips.filter((t) => !this.#released.has(this.dayOf(t.end)));
      if (open.length === 0 && hour + hourMs <= until) this.#hours.delete(hour);
      else this.#hours.set(hour, open);
    }
    // Only days that recent hours could still touch need remembering.
    for (const day of this.#released) if (day < until - 3 * dayMs) this.#released.delete(day);
    return [...days.entries()].sort((a, b) => a[0] - b[0]).map(([day, trips]) => ({ day, trips }));
  }

  /** The hour from which a restarted adapter must read again to hold every trip not yet released. */
  replayFrom(cursor: number): number {
    let earliest = this.dayOf(cursor - 1);
    for (const trips of this.#hours.values())
      for (const trip of trips) earliest = Math.min(earliest, this.dayOf(trip.end));
    return Math.floor(earliest / hourMs) * hourMs;
  }
}
