/** The source of "now". Services take one so tests can move time (expiry, notice periods) without waiting. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that only moves when told to. */
export class ManualClock implements Clock {
  #ms: number;

  constructor(start: Date | string | number = Date.now()) {
    this.#ms = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.#ms);
  }

  set(instant: Date | string | number): void {
    this.#ms = new Date(instant).getTime();
  }

  advance(ms: number): void {
    this.#ms += ms;
  }
}

/**
 * A clock that runs at the machine's pace from another starting instant: the real clock, moved (for tests that run
 * at a chosen date), and movable further by `advance`.
 */
export class ShiftedClock implements Clock {
  #offsetMs: number;

  constructor(start: Date | string | number) {
    this.#offsetMs = new Date(start).getTime() - Date.now();
  }

  now(): Date {
    return new Date(Date.now() + this.#offsetMs);
  }

  advance(ms: number): void {
    this.#offsetMs += ms;
  }
}

/**
 * The clock of a process: the machine's, or with `epoch` (an ISO 8601 instant, from `SANGAM_CLOCK_EPOCH`) one that
 * runs from that instant, so tests and feed replays can run a gateway process at another date. Throws on a value
 * that is not an instant.
 */
export function processClock(epoch: string | undefined): Clock {
  if (!epoch?.trim()) return systemClock;
  const at = new Date(epoch);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(epoch) || Number.isNaN(at.getTime())) {
    throw new Error(
      `SANGAM_CLOCK_EPOCH must be an ISO 8601 instant such as 2030-02-28T23:55:00Z, not "${epoch}"`,
    );
  }
  return new ShiftedClock(at);
}

/** Whole seconds since the epoch, as JWT claims use. */
export function epochSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}
