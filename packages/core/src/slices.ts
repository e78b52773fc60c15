/**
 * Long work of one request in slices that yield to the event loop, so other requests are answered in between: the
 * work asks `due()` often (it is cheap) and awaits `next()` when it says so. `spent` counts the work's own time, not
 * the time it waited while others ran, for budgets on it.
 */
export class TimeSlices {
  readonly #sliceMs: number;
  #start = performance.now();
  #spent = 0;

  /** `sliceMs`: how long the work runs before it lets others in; about a frame of the event loop by default. */
  constructor(sliceMs = 20) {
    this.#sliceMs = sliceMs;
  }

  /** Whether the current slice is used up. */
  due(): boolean {
    return performance.now() - this.#start > this.#sliceMs;
  }

  /** The work's own time so far, in milliseconds. */
  get spent(): number {
    return this.#spent + (performance.now() - this.#start);
  }

  /** Lets the event loop run what waits, then starts the next slice. */
  async next(): Promise<void> {
    this.#spent += performance.now() - this.#start;
    await new Promise((resolve) => setImmediate(resolve));
    this.#start = performance.now();
  }
}
