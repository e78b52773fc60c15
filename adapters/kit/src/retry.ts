import type { Clock } from '@sangam/core';

/**
 * Exponential backoff with full jitter (a random wait between zero and the capped exponential step), so many
 * adapters that failed together do not retry together.
 */
export function backoffMs(
  failures: number,
  baseMs: number,
  capMs: number,
  random: () => number = Math.random,
): number {
  if (failures <= 0) return 0;
  const step = Math.min(capMs, baseMs * 2 ** Math.min(failures - 1, 30));
  return Math.floor(random() * step);
}

/**
 * A circuit that stops hammering a dead feed: after `threshold` failures in a row it opens for `cooldownMs`, then
 * lets one attempt through (half-open); a success closes it, a failure opens it again.
 */
export class Circuit {
  readonly #threshold: number;
  readonly #cooldownMs: number;
  readonly #clock: Clock;
  #failures = 0;
  #openedAt: number | undefined;

  constructor(threshold: number, cooldownMs: number, clock: Clock) {
    this.#threshold = threshold;
    this.#cooldownMs = cooldownMs;
    this.#clock = clock;
  }

  get state(): 'closed' | 'open' | 'half-open' {
    if (this.#openedAt === undefined) return 'closed';
    return this.#clock.now().getTime() - this.#openedAt >= this.#cooldownMs ? 'half-open' : 'open';
  }

  get failures(): number {
    return this.#failures;
  }

  /** True when an attempt may be made now. */
  allows(): boolean {
    return this.state !== 'open';
  }

  /** Milliseconds until the circuit lets an attempt through again (0 when it does now). */
  waitMs(): number {
    if (this.#openedAt === undefined) return 0;
    return Math.max(0, this.#openedAt + this.#cooldownMs - this.#clock.now().getTime());
  }

  succeeded(): void {
    this.#failures = 0;
    this.#openedAt = undefined;
  }

  failed(): void {
    this.#failures += 1;
    if (this.#failures >= this.#threshold) this.#openedAt = this.#clock.now().getTime();
  }
}
