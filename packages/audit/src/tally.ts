import type { Clock } from '@sangam/core';
import type { AuditEvent } from './entry.js';

/** The action of the entry that records a minute's requests without a valid token. */
export const uncredentialedAction = 'gw.uncredentialed';

/**
 * Requests refused before they could be a decision about any consent (no token, a token that does not verify, wrong
 * client credentials). They are counted per minute, route and reason, and one entry per minute records the counts:
 * a flood of them costs the log O(1) entries a minute, and never one entry a request.
 */
export class UncredentialedTally {
  readonly #append: (event: AuditEvent) => Promise<unknown>;
  readonly #clock: Clock;
  readonly #onError: (error: unknown) => void;
  /** The minute being counted (`YYYY-MM-DDTHH:MM`), and its counts by route and reason. */
  #minute: string | undefined;
  #counts = new Map<string, number>();
  #written: Promise<void> = Promise.resolve();
  readonly #timer: ReturnType<typeof setInterval>;

  constructor(
    append: (event: AuditEvent) => Promise<unknown>,
    clock: Clock,
    onError: (error: unknown) => void = () => {},
  ) {
    this.#append = append;
    this.#clock = clock;
    this.#onError = onError;
    // A minute that ended with no request after it is still written within about a minute.
    this.#timer = setInterval(() => {
      if (this.#minute !== undefined && this.#minute !== minuteOf(this.#clock.now())) void this.flush();
    }, 15_000);
    this.#timer.unref();
  }

  /** Counts one refused request of `route` (an action, e.g. `rs.query.latest`) for `reason` (a problem name). */
  count(route: string, reason: string): void {
    const minute = minuteOf(this.#clock.now());
    if (this.#minute !== undefined && this.#minute !== minute) void this.flush();
    this.#minute = minute;
    const key = `${route} ${reason}`;
    this.#counts.set(key, (this.#counts.get(key) ?? 0) + 1);
  }

  /** Writes the counts so far as one entry (none when nothing was counted); resolves once it is durable. */
  flush(): Promise<void> {
    const minute = this.#minute;
    const counts = this.#counts;
    this.#minute = undefined;
    this.#counts = new Map();
    if (minute === undefined || counts.size === 0) return this.#written;
    this.#written = this.#written
      .then(() => this.#append(tallyEvent(minute, counts)))
      .then(
        () => undefined,
        (error: unknown) => this.#onError(error),
      );
    return this.#written;
  }

  /** Stops the timer and writes what is counted. */
  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.flush();
  }
}

function minuteOf(now: Date): string {
  return now.toISOString().slice(0, 16);
}

/** One entry for a minute: the total, then each route and reason with its count, in the reason. */
function tallyEvent(minute: string, counts: ReadonlyMap<string, number>): AuditEvent {
  let total = 0;
  const parts: string[] = [];
  for (const [key, n] of [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    total += n;
    parts.push(`${key} ${n}`);
  }
  return {
    action: uncredentialedAction,
    decision: 'deny',
    reason: `${total} requests without a valid token in the minute from ${minute}Z: ${parts.join(', ')}`,
  };
}
