import { createHmac, hkdfSync } from 'node:crypto';
import { HmacSha256 } from './sha256.js';
import { utcOffset } from './zone.js';

/**
 * Keyed pseudonyms that rotate: within one period an identifier always maps to the same pseudonym (so records of
 * that period can be linked), and the key of each period is derived afresh from the secret (so pseudonyms of
 * different periods cannot be linked, and nobody without the secret can recompute them from identifiers).
 */
export class Pseudonymiser {
  readonly #secret: Buffer;
  readonly #periodMs: number;
  readonly #offset: (ms: number) => number;
  readonly #keys = new Map<number, HmacSha256>();

  /**
   * `secret`: at least 32 bytes; `periodMs`: how long a pseudonym stays the same (default one day); `timeZone`:
   * whose midnight starts a day (default UTC), so that a city's pseudonyms change overnight, not in its morning.
   */
  constructor(secret: string | Buffer, periodMs = 86_400_000, timeZone = 'UTC') {
    const key = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret;
    if (key.length < 32) throw new RangeError('a pseudonym secret needs at least 32 bytes');
    if (!(periodMs >= 60_000)) throw new RangeError('a pseudonym period is at least one minute');
    this.#secret = key;
    this.#periodMs = periodMs;
    this.#offset = utcOffset(timeZone);
  }

  /** The period an instant falls in (whole periods since the epoch). */
  periodOf(at: Date | number): number {
    const ms = typeof at === 'number' ? at : at.getTime();
    // Periods count in the zone's local time: in UTC, whole periods since the epoch.
    return Math.floor((ms + this.#offset(ms)) / this.#periodMs);
  }

  /** The pseudonym of `identifier` in the period of `at` (a date or epoch milliseconds): 128 bits of HMAC-SHA-256, base64url. */
  pseudonym(identifier: string, at: Date | number): string {
    return this.#key(this.periodOf(at)).digest128Base64url(identifier);
  }

  #key(period: number): HmacSha256 {
    let key = this.#keys.get(period);
    if (!key) {
      key = new HmacSha256(
        createHmac('sha256', this.#secret).update(`sangam-pseudonym-period:${period}`).digest(),
      );
      // Only the periods in use are kept.
      if (this.#keys.size > 8) this.#keys.clear();
      this.#keys.set(period, key);
    }
    return key;
  }
}

/**
 * The key of one adapter's pseudonyms of one kind of identifier (a bus label, a device id), derived from the
 * alliance's pseudonym secret (HKDF-SHA-256): two adapters, or two kinds, never share pseudonyms, so one leaked
 * mapping cannot be carried over to another.
 */
export function pseudonymKey(secret: string | Buffer, adapter: string, kind: string): Buffer {
  const key = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret;
  if (key.length < 32) throw new RangeError('a pseudonym secret needs at least 32 bytes');
  return Buffer.from(hkdfSync('sha256', key, 'sangam-pseudonym', `${adapter}\u0000${kind}`, 32));
}
