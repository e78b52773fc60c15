import { type Hash, leafHash, leafHashOfText, RootBuilder, toBase64 } from './merkle.js';

/** What a verification found: all good, or the first sequence number that does not check out, and why. */
export interface VerificationReport {
  readonly ok: boolean;
  /** Entries read. */
  readonly entries: number;
  /** The checkpoint size the log was checked against (the largest one). */
  readonly checkpointSize: number;
  readonly firstBadSeq?: number;
  readonly reason?: string;
}

/** One entry as read back: its position, the seq inside its bytes, its bytes, and the leaf hash stored beside it. */
export interface VerifiedItem {
  readonly position: number;
  readonly seq: number | undefined;
  /** The entry's bytes, or its text (hashed as UTF-8). */
  readonly bytes: Uint8Array | string;
  readonly storedLeaf?: Hash;
}

/**
 * Checks a log entry by entry against signed roots, in one pass and O(log n) memory. Used by the server-side
 * verification and by `sangam audit verify` alike.
 *
 * - a position whose entry carries another seq (deleted, swapped or inserted entries) is bad;
 * - an entry whose bytes do not hash to the leaf stored beside it is bad;
 * - the root recomputed from the entries must equal each checkpoint's signed root; when only the stored leaves
 *   reproduce the root, they are authentic and the first entry that differs from its leaf is the bad one;
 * - fewer entries than the checkpoint covers is a truncation, bad from the first missing seq.
 */
export class LogVerifier {
  readonly #roots: Map<number, string>;
  readonly #largest: number;
  readonly #computed = new RootBuilder();
  // The root over the stored leaves is only needed once a stored leaf differs from its entry: until then it is
  // the computed root, so it is forked from that at the first difference.
  #stored: RootBuilder | undefined;
  #entries = 0;
  #firstBad: { seq: number; reason: string } | undefined;
  #firstLeafMismatch: number | undefined;
  #lastGoodCheckpoint = 0;

  readonly #expected: number | undefined;

  /**
   * `checkpoints`: tree size → base64 root, each already verified against its signature. `expectedEntries`: how
   * many entries there must be (the log's recorded size, or an export's checkpoint): fewer is a truncation, more
   * are entries nothing vouches for.
   */
  constructor(checkpoints: ReadonlyMap<number, string>, expectedEntries?: number) {
    this.#roots = new Map(checkpoints);
    let largest = 0;
    for (const size of this.#roots.keys()) largest = Math.max(largest, size);
    this.#largest = largest;
    this.#expected = expectedEntries;
  }

  get failed(): boolean {
    return this.#firstBad !== undefined;
  }

  push(item: VerifiedItem): void {
    this.#entries += 1;
    const expected = this.#entries;
    if (item.position !== expected && !this.#firstBad) {
      this.#firstBad = {
        seq: expected,
        reason: `entry ${expected} is missing (found ${item.position} in its place)`,
      };
    }
    if (item.seq !== expected && !this.#firstBad) {
      this.#firstBad = {
        seq: expected,
        reason: `entry at position ${expected} says it is entry ${String(item.seq)}`,
      };
    }
    const computed = typeof item.bytes === 'string' ? leafHashOfText(item.bytes) : leafHash(item.bytes);
    const stored = item.storedLeaf ?? computed;
    const differs = !equal(computed, stored);
    if (this.#firstLeafMismatch === undefined && differs) this.#firstLeafMismatch = expected;
    // Entries past the last checkpoint are not yet under a signature; they are still checked against their leaves.
    if (expected > this.#largest) return;
    if (differs && !this.#stored) this.#stored = this.#computed.clone();
    this.#computed.add(computed);
    this.#stored?.add(stored);
    const signed = this.#roots.get(expected);
    if (signed === undefined) return;
    if (toBase64(this.#computed.root()) === signed) {
      this.#lastGoodCheckpoint = expected;
      return;
    }
    if (this.#firstBad) return;
    if (this.#firstLeafMismatch !== undefined) {
      const authentic = toBase64((this.#stored ?? this.#computed).root()) === signed;
      this.#firstBad = {
        seq: this.#firstLeafMismatch,
        reason: authentic
          ? `entry ${this.#firstLeafMismatch} does not match its leaf hash under the signed root of size ${expected}`
          : `entry ${this.#firstLeafMismatch} does not match its stored leaf hash, and the root of size ${expected} differs from its checkpoint`,
      };
    } else {
      this.#firstBad = {
        seq: this.#lastGoodCheckpoint + 1,
        reason: `the entries after ${this.#lastGoodCheckpoint} do not reproduce the signed root of size ${expected}`,
      };
    }
  }

  finish(): VerificationReport {
    const expected = Math.max(this.#largest, this.#expected ?? 0);
    if (!this.#firstBad && this.#entries < expected) {
      this.#firstBad = {
        seq: this.#entries + 1,
        reason: `the log ends at ${this.#entries} but ${expected} entries are recorded or signed`,
      };
    }
    if (!this.#firstBad && this.#expected !== undefined && this.#entries > this.#expected) {
      this.#firstBad = {
        seq: this.#expected + 1,
        reason: `${this.#entries - this.#expected} entries follow the ${this.#expected} that are recorded or signed`,
      };
    }
    if (!this.#firstBad && this.#firstLeafMismatch !== undefined) {
      this.#firstBad = {
        seq: this.#firstLeafMismatch,
        reason: `entry ${this.#firstLeafMismatch} does not match its stored leaf hash`,
      };
    }
    const base = { entries: this.#entries, checkpointSize: this.#largest };
    return this.#firstBad
      ? { ok: false, ...base, firstBadSeq: this.#firstBad.seq, reason: this.#firstBad.reason }
      : { ok: true, ...base };
  }
}

function equal(a: Hash, b: Hash): boolean {
  return Buffer.compare(a, b) === 0;
}
