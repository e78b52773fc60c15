import { DxError } from '@sangam/core';
import { FailedAttempts } from './attempts.js';
import { FairQueue } from './fair-queue.js';
import { Tarpit } from './tarpit.js';

/**
 * Where a secret is checked (a client's at the token endpoint, a person's password at sign-in). Failures count per
 * (id, source): a stranger's wrong guesses lock out only the stranger, never the client or person itself; and per
 * source across every id, so guessing ids (known or not) from one place stops as well. The checks themselves run a
 * few at a time, taking turns between sources; refusals of a locked-out source are held before they are sent.
 */
export class CredentialGate {
  readonly #attempts: FailedAttempts;
  readonly #sourceAttempts = new FailedAttempts({ limit: 100 });
  readonly #hashing = new FairQueue();
  readonly #tarpit: Tarpit;
  readonly #lockedOut: string;

  constructor(options: { attempts?: FailedAttempts; holdMs?: number; lockedOut: string }) {
    this.#attempts = options.attempts ?? new FailedAttempts();
    this.#tarpit = new Tarpit({ holdMs: options.holdMs ?? 1000 });
    this.#lockedOut = options.lockedOut;
  }

  /**
   * Runs `verify` for `id` from `source` unless either is locked out (429, held); counts a failure when it yields
   * undefined, forgets the id's failures when it yields a value.
   */
  async check<T>(
    id: string,
    source: string,
    now: number,
    verify: () => Promise<T | undefined>,
  ): Promise<T | undefined> {
    const attempt = `${id} ${source}`;
    const wait = Math.max(
      this.#attempts.retryAfter(attempt, now),
      this.#sourceAttempts.retryAfter(source, now),
    );
    if (wait > 0) {
      await this.#tarpit.hold();
      throw new DxError('tooManyRequests', this.#lockedOut, {
        headers: { 'retry-after': String(wait), 'cache-control': 'no-store' },
      });
    }
    const verified = await this.#hashing.run(source, verify).catch(async (error: unknown) => {
      // Too many checks from this address at once: a flood, held like a locked-out source.
      if (error instanceof DxError && error.problem === 'tooManyRequests') await this.#tarpit.hold();
      throw error;
    });
    if (verified === undefined) {
      this.#attempts.fail(attempt, now);
      this.#sourceAttempts.fail(source, now);
    } else {
      this.#attempts.succeed(attempt);
    }
    return verified;
  }
}
