/**
 * Holds the refusal of a source that is locked out for a while before it is sent: each of its connections then asks
 * about once per `holdMs` instead of as fast as the gateway answers, so a guessing flood costs the gateway a timer,
 * not a stream of requests to parse and refuse. At most `maxHeld` refusals are held at once; past that they go at
 * once: one source can use the hold up, but never make anyone else wait.
 */
export class Tarpit {
  readonly #holdMs: number;
  readonly #maxHeld: number;
  #held = 0;

  constructor(options: { holdMs: number; maxHeld?: number }) {
    this.#holdMs = options.holdMs;
    this.#maxHeld = options.maxHeld ?? 10_000;
  }

  /** Waits `holdMs` (real time: it paces connections, whatever the clock says), or not at all when full. */
  async hold(): Promise<void> {
    if (this.#holdMs <= 0 || this.#held >= this.#maxHeld) return;
    this.#held += 1;
    try {
      await new Promise((resolve) => setTimeout(resolve, this.#holdMs).unref());
    } finally {
      this.#held -= 1;
    }
  }
}
