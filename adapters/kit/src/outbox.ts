import {
  appendFileSync,
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '@sangam/core';

/** One batch waiting to be acknowledged by the gateway. */
export interface PendingBatch {
  readonly resource: string;
  readonly records: readonly object[];
}

/**
 * The adapter's outbox: batches are written (and synced) to disk before they are published and removed only when
 * the gateway has acknowledged them. After a crash, what was pending is published again first; record keys make a
 * second delivery a duplicate, never a second record. At least once plus idempotence: exactly once in effect.
 */
export class Outbox {
  readonly #file: string;
  readonly #clock: Clock;

  constructor(stateDir: string, adapter: string, clock: Clock) {
    mkdirSync(stateDir, { recursive: true });
    this.#clock = clock;
    this.#file = join(stateDir, `${adapter}.outbox.json`);
  }

  /** What a previous run left unacknowledged. */
  pending(): PendingBatch[] {
    try {
      return JSON.parse(readFileSync(this.#file, 'utf8')) as PendingBatch[];
    } catch {
      return [];
    }
  }

  /** Makes `batches` durable before any of them is sent (write to a temporary file, sync, rename). */
  hold(batches: readonly PendingBatch[]): void {
    const temporary = `${this.#file}.tmp`;
    const fd = openSync(temporary, 'w');
    try {
      writeSync(fd, JSON.stringify(batches));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, this.#file);
  }

  /**
   * Sets aside a batch the gateway refused for good (its resource is gone, it is malformed, it is too large), so it
   * neither blocks every later batch nor is lost: an operator can read it, fix the cause, and publish it again.
   */
  deadLetter(batch: PendingBatch, reason: string): void {
    appendFileSync(
      `${this.#file.replace(/\.outbox\.json$/, '')}.dead-letter.jsonl`,
      `${JSON.stringify({ at: this.#clock.now().toISOString(), reason, ...batch })}\n`,
    );
  }

  /** Everything held was acknowledged. */
  clear(): void {
    rmSync(this.#file, { force: true });
  }
}
