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

/** Whole seconds since the epoch, as JWT claims use. */
export function epochSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}
