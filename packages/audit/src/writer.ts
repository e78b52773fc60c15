import { Worker } from 'node:worker_threads';
import type { DatabaseOptions } from '@sangam/db';
import type { AuditEntry, AuditEvent } from './entry.js';

/** Where a writer thread finds an event group: the module that exports it, and the export's name. */
export interface GroupModule {
  readonly url: string;
  readonly name: string;
}

/** One append for the writer thread. `at`: the event loop's clock, in ms, when it was appended. */
export type Append =
  | { readonly kind: 'event'; readonly at: number; readonly event: AuditEvent }
  | { readonly kind: 'group'; readonly at: number; readonly module: GroupModule; readonly item: unknown };

/** What the event loop sends the writer thread. */
export type WriterMessage = (Append & { readonly id: number }) | { readonly kind: 'close' };

type Answer =
  | { readonly id: number; readonly entry: AuditEntry }
  | { readonly id: number; readonly error: { readonly name: string; readonly message: string } }
  | { readonly id: -1; readonly closed: true };

/**
 * The built module for a module URL: a thread runs JavaScript, so a TypeScript source (as a test runner loads it)
 * stands for its build, `src/…/x.ts` for `dist/…/x.js` of the same package.
 */
export function builtModule(url: string): string {
  const at = url.lastIndexOf('/src/');
  // Only a module under a package's sources: a build's own path may well pass through some other `src` folder.
  if (at < 0 || at < url.lastIndexOf('/dist/') || !/\.(ts|js)$/.test(url)) return url;
  return `${url.slice(0, at)}/dist/${url.slice(at + 5).replace(/\.ts$/, '.js')}`;
}

/** How a log reaches its database from a writer thread: the same database, opened there again. */
export interface WriterOptions {
  readonly databaseUrl: string;
  readonly databaseOptions?: DatabaseOptions;
}

/**
 * The event loop's side of the audit writer thread. Each append is a message; its promise resolves with the entry
 * once the thread committed it, or rejects with the thread's error. If the thread dies, what was waiting is
 * refused (never acknowledged) and the log appends in the event loop from then on.
 */
export class WriterThread {
  readonly #worker: Worker;
  readonly #waiting = new Map<number, { resolve(entry: AuditEntry): void; reject(error: Error): void }>();
  #next = 0;
  #dead: Error | undefined;
  readonly #exited: Promise<void>;

  constructor(options: WriterOptions, maxBatch: number) {
    this.#worker = new Worker(new URL(builtModule(new URL('./writer-thread.js', import.meta.url).href)), {
      workerData: {
        databaseUrl: options.databaseUrl,
        databaseOptions: options.databaseOptions ?? {},
        maxBatch,
      },
    });
    // An idle writer does not keep the process alive; one with appends in flight does.
    this.#worker.unref();
    this.#worker.on('message', (answer: Answer) => this.#answer(answer));
    this.#worker.on('error', (error) => this.#fail(error));
    this.#exited = new Promise((done) => {
      this.#worker.once('exit', (code) => {
        this.#fail(new Error(`the audit writer thread stopped (exit code ${code})`));
        done();
      });
    });
  }

  /** False once the thread has failed or closed: appends then go through the event loop. */
  get alive(): boolean {
    return this.#dead === undefined;
  }

  send(message: Append): Promise<AuditEntry> {
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject });
      if (this.#waiting.size === 1) this.#worker.ref();
      try {
        this.#worker.postMessage({ ...message, id });
      } catch (error) {
        // A message that cannot be cloned (a function in an item) fails its own append only.
        this.#waiting.delete(id);
        if (this.#waiting.size === 0) this.#worker.unref();
        reject(error);
      }
    });
  }

  /** Lets every append in flight finish, then stops the thread. */
  async close(): Promise<void> {
    if (this.#dead) return;
    this.#worker.ref();
    this.#worker.postMessage({ kind: 'close' });
    await this.#exited;
  }

  #answer(answer: Answer): void {
    if ('closed' in answer) return;
    const waiting = this.#waiting.get(answer.id);
    if (!waiting) return;
    this.#waiting.delete(answer.id);
    if (this.#waiting.size === 0) this.#worker.unref();
    if ('entry' in answer) waiting.resolve(answer.entry);
    else waiting.reject(Object.assign(new Error(answer.error.message), { name: answer.error.name }));
  }

  #fail(error: Error): void {
    this.#dead ??= error;
    for (const waiting of this.#waiting.values()) waiting.reject(error);
    this.#waiting.clear();
  }
}
