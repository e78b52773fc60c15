/**
 * Failed sign-in attempts per client id, so secrets cannot be guessed online at the speed of the token endpoint.
 * After `limit` failures within `windowMs`, the id is refused (429) until the window has passed. Held in this
 * process: behind a load balancer each instance counts its own attempts.
 */
export class FailedAttempts {
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #maxTracked: number;
  readonly #failures = new Map<string, { count: number; since: number }>();

  constructor(options: { limit?: number; windowMs?: number; maxTracked?: number } = {}) {
    this.#limit = options.limit ?? 10;
    this.#windowMs = options.windowMs ?? 5 * 60_000;
    this.#maxTracked = options.maxTracked ?? 50_000;
  }

  /** Seconds until `id` may try again, or 0 when it may try now. */
  retryAfter(id: string, now: number): number {
    const record = this.#failures.get(id);
    if (!record) return 0;
    if (now - record.since >= this.#windowMs) {
      this.#failures.delete(id);
      return 0;
    }
    return record.count >= this.#limit ? Math.ceil((record.since + this.#windowMs - now) / 1000) : 0;
  }

  fail(id: string, now: number): void {
    const record = this.#failures.get(id);
    if (record && now - record.since < this.#windowMs) {
      record.count += 1;
      return;
    }
    if (this.#failures.size >= this.#maxTracked) {
      // Forget the oldest record rather than grow without bound.
      const oldest = this.#failures.keys().next().value;
      if (oldest !== undefined) this.#failures.delete(oldest);
    }
    this.#failures.set(id, { count: 1, since: now });
  }

  succeed(id: string): void {
    this.#failures.delete(id);
  }
}
