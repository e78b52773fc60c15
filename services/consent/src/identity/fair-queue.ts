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
  #queues = new Map<string, Waiting[]>();
  #running = 0;

  constructor(options: { concurrency?: number; perSource?: number } = {}) {
    this.#concurrency = options.concurrency ?? 2;
    this.#perSource = options.perSource ?? 16;
  }

  run<T>(source: string, task: () => Promise<T>): Promise<T> {
    const queue = this.#queues.get(source) ?? [];
    if (queue.length >= this.#perSource) {
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
      const waiting = queue.length === 0;
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
      // A source with nothing waiting goes first: the others have had their turn more recently than it has.
      if (waiting && !this.#queues.has(source)) this.#queues = new Map([[source, queue], ...this.#queues]);
      else this.#queues.set(source, queue);
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
      this.#running += 1;
      waiting.start();
    }
  }
}
