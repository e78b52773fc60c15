import { DxError } from '@sangam/core';

interface Waiting {
  start(): void;
}

/**
 * Runs expensive work (secret hashing) a few at a time, taking turns between sources: a source that sends a flood
 * waits behind its own requests, not in front of everyone else's. A source with too many waiting is refused (429)
 * rather than queued without bound.
 */
export class FairQueue {
  readonly #concurrency: number;
  readonly #perSource: number;
  readonly #queues = new Map<string, Waiting[]>();
  #running = 0;
  /** Work waiting in every queue, bounded so many sources cannot queue without limit either. */
  #waitingTotal = 0;
  readonly #total: number;

  constructor(options: { concurrency?: number; perSource?: number; total?: number } = {}) {
    this.#concurrency = options.concurrency ?? 2;
    this.#perSource = options.perSource ?? 16;
    this.#total = options.total ?? 1000;
  }

  run<T>(source: string, task: () => Promise<T>): Promise<T> {
    const queue = this.#queues.get(source) ?? [];
    if (queue.length >= this.#perSource || this.#waitingTotal >= this.#total) {
      return Promise.reject(
        new DxError(
          'tooManyRequests',
          'Too many sign-in attempts from this address at once; try again shortly',
          {
            headers: { 'retry-after': '1', 'cache-control': 'no-store' },
          },
        ),
      );
    }
    return new Promise<T>((resolve, reject) => {
      queue.push({
        start: () => {
          task()
            .then(resolve, reject)
            .finally(() => {
              this.#running -= 1;
              this.#next();
            });
        },
      });
      // Round robin: a source joins the back of the line, and goes back there after each turn.
      this.#queues.set(source, queue);
      this.#waitingTotal += 1;
      this.#next();
    });
  }

  /** Starts work while there is room, one source at a time in turn (a Map keeps insertion order: round robin). */
  #next(): void {
    while (this.#running < this.#concurrency && this.#queues.size > 0) {
      const [source, queue] = this.#queues.entries().next().value as [string, Waiting[]];
      this.#queues.delete(source);
      const waiting = queue.shift();
      // The source goes to the back of the line with what it still has waiting.
      if (queue.length > 0) this.#queues.set(source, queue);
      if (!waiting) continue;
      this.#waitingTotal -= 1;
      this.#running += 1;
      waiting.start();
    }
  }
}
