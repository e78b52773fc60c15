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
 * A clock that runs at the machine's pace from another starting instant: the real clock, moved (for tests and
 * replays that run at a chosen date).
 */
export class ShiftedClock implements Clock {
  #offsetMs: number;

  constructor(start: Date | string | number) {
    this.#offsetMs = new Date(start).getTime() - Date.now();
  }

  now(): Date {
    return new Date(Date.now() + this.#offsetMs);
  }
}

/**
 * The clock of a process: the machine's, or with `epoch` (a validated instant, the `SANGAM_CLOCK_EPOCH` setting)
 * one that runs from that instant, so tests and feed replays can run a gateway process at another date.
 */
export function processClock(epoch: string | undefined): Clock {
  return epoch ? new ShiftedClock(epoch) : systemClock;
}

/** Whole seconds since the epoch, as JWT claims use. */
export function epochSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}
