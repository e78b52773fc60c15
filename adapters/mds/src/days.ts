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
  /** The valid trips of each day not yet released, by the day's start, then by the hour they ended in. */
  readonly #days = new Map<number, Map<number, TripFacts[]>>();
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
    // An hour lies in at most two local days: its trips go to theirs, replacing what was read of it before.
    for (const day of new Set([this.dayOf(hour), this.dayOf(hour + hourMs - 1)]))
      this.#days.get(day)?.delete(hour);
    for (const trip of trips) {
      const day = this.dayOf(trip.end);
      if (this.#released.has(day)) continue;
      let hours = this.#days.get(day);
      if (!hours) {
        hours = new Map();
        this.#days.set(day, hours);
      }
      const list = hours.get(hour);
      if (list) list.push(trip);
      else hours.set(hour, [trip]);
    }
  }

  /** The days over by `until` that were not released yet, each with its trips, taken out of this collection. */
  takeEnded(until: number): { day: number; trips: TripFacts[] }[] {
    const ended: { day: number; trips: TripFacts[] }[] = [];
    for (const [day, hours] of this.#days) {
      if (this.#dayEnd(day) > until) continue;
      ended.push({ day, trips: [...hours.values()].flat() });
      this.#days.delete(day);
      this.#released.add(day);
    }
    // Only days that recent hours could still touch need remembering.
    for (const day of this.#released) if (day < until - 3 * dayMs) this.#released.delete(day);
    return ended.sort((a, b) => a.day - b.day);
  }

  /** The hour from which a restarted adapter must read again to hold every trip it holds now: `cursor` if none. */
  replayFrom(cursor: number): number {
    let earliest = cursor;
    for (const hours of this.#days.values())
      for (const hour of hours.keys()) earliest = Math.min(earliest, hour);
    return earliest;
  }
}
