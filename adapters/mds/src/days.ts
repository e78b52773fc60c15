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
  /**
   * Every day that ended by this instant has been released (or was never whole): trips ending before it are
   * ignored. Kept in the adapter's cursor, so a restart never releases a day, or the end of one, again.
   */
  #releasedBefore: number;

  constructor(timeZone: string, releasedBefore = Number.NEGATIVE_INFINITY) {
    this.#offset = utcOffset(timeZone);
    this.#releasedBefore = releasedBefore;
  }

  /** The instant before which every day has been released. */
  get releasedBefore(): number {
    return this.#releasedBefore;
  }

  /** The start of the local day that holds `ms`, daylight saving included (midnight's own offset, not `ms`'s). */
  dayOf(ms: number): number {
    const local = Math.floor((ms + this.#offset(ms)) / dayMs) * dayMs;
    let midnight = local - this.#offset(ms);
    for (let i = 0; i < 2; i += 1) midnight = local - this.#offset(midnight);
    return midnight;
  }

  /** The start of the next local day (days have 23 or 25 hours where clocks change). */
  dayEnd(day: number): number {
    return this.dayOf(day + 26 * hourMs);
  }

  /**
   * The instant from which days are whole when reading starts at `hour`: the hour itself at a midnight, else the
   * next midnight (a day read only in part is never released: its first and last places would be wrong).
   */
  firstWholeDay(hour: number): number {
    const day = this.dayOf(hour);
    return day === hour ? hour : this.dayEnd(day);
  }

  /** Sets the trips that ended in the hour starting at `hour`. */
  setHour(hour: number, trips: readonly TripFacts[]): void {
    // An hour lies in at most two local days: its trips go to theirs, replacing what was read of it before.
    for (const day of new Set([this.dayOf(hour), this.dayOf(hour + hourMs - 1)]))
      this.#days.get(day)?.delete(hour);
    for (const trip of trips) {
      if (trip.end < this.#releasedBefore) continue;
      const day = this.dayOf(trip.end);
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
      const end = this.dayEnd(day);
      if (end > until) continue;
      ended.push({ day, trips: [...hours.values()].flat() });
      this.#days.delete(day);
      this.#releasedBefore = Math.max(this.#releasedBefore, end);
    }
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
