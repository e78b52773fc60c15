import type { webcrypto } from 'node:crypto';
import type { KeyStore } from '@sangam/auth';
import { type Clock, DxError, systemClock } from '@sangam/core';
import { type Database, type Kysely, toDbTime } from '@sangam/db';
import { CompactSign, compactVerify, createLocalJWKSet, type JSONWebKeySet } from 'jose';
import type { AuditLog } from './log.js';
import { fromBase64, toBase64, verifyConsistency } from './merkle.js';
import {
  checkpointText,
  cosignatureTime,
  formatNote,
  type NoteSignature,
  noteSignatureType,
  noteSigner,
  parseNote,
  parseSignatureLine,
  parseVerifierKey,
  signNoteText,
} from './note.js';

/** A witness's cosignature of a checkpoint, as served with it. */
export interface Cosignature {
  readonly witness: string;
  /** Seconds since the epoch, as the witness signed it. */
  readonly time: number;
  /** The signature line (tlog-cosignature), without its newline. */
  readonly line: string;
}

/** A signed tree head: the log had `treeSize` entries with this root at this time, signed by the gateway. */
export interface Checkpoint {
  readonly treeSize: number;
  /** Base64 SHA-256 root hash. */
  readonly rootHash: string;
  readonly timestamp: string;
  /** Compact JWS over `{treeSize, rootHash, timestamp, iss}`. */
  readonly jws: string;
  /** The checkpoint as a C2SP signed note: the gateway's signature, then every witness's cosignature. */
  readonly note?: string;
  readonly cosignatures?: readonly Cosignature[];
}

export const checkpointType = 'sangam-checkpoint+jws';

/** The checkpoint origin of a gateway: its issuer without the scheme, and `/audit` (tlog-checkpoint's origin line). */
export function checkpointOrigin(issuer: string): string {
  return `${issuer.replace(/^[a-z]+:\/\//i, '').replace(/\/+$/, '')}/audit`;
}

/** Makes, stores and reads signed checkpoints, and the cosignatures witnesses post for them. */
export class Checkpoints {
  readonly #db: Kysely<Database>;
  readonly #log: AuditLog;
  readonly #keys: KeyStore;
  readonly #issuer: string;
  readonly #clock: Clock;
  readonly origin: string;
  /** The last checkpoint this process signed: what the next one must extend, even if the table lost it. */
  #lastSigned: { treeSize: number; rootHash: string } | undefined;
  #creating: Promise<Checkpoint> | undefined;

  constructor(
    db: Kysely<Database>,
    log: AuditLog,
    keys: KeyStore,
    options: { issuer: string; clock?: Clock },
  ) {
    this.#db = db;
    this.#log = log;
    this.#keys = keys;
    this.#issuer = options.issuer;
    this.#clock = options.clock ?? systemClock;
    this.origin = checkpointOrigin(options.issuer);
  }

  /**
   * A checkpoint at the log's current size (the existing one, if that size already has one). Refused
   * (`logInconsistent`) unless the log as stored extends the last checkpoint signed: its root at that size is the
   * signed one, and the entries since hash to the root about to be signed.
   */
  create(): Promise<Checkpoint> {
    // One at a time: two made at once would each check against the same predecessor.
    const made = (this.#creating ?? Promise.resolve(undefined))
      .catch(() => undefined)
      .then(() => this.#create());
    this.#creating = made;
    return made;
  }

  async #create(): Promise<Checkpoint> {
    // The predecessor first, then the size: a checkpoint another process signs in between is then never larger
    // than the size read after it.
    const previous = await this.#previous();
    const treeSize = await this.#log.size();
    if (previous && previous.treeSize > treeSize) {
      throw new DxError(
        'logInconsistent',
        `the log holds ${treeSize} entries, fewer than the ${previous.treeSize} of its last checkpoint`,
      );
    }
    const rootHash = toBase64(await this.#log.rootAt(treeSize));
    if (previous) await this.#checkExtends(previous, treeSize, rootHash);
    const existing = await this.at(treeSize);
    if (existing && existing.rootHash === rootHash) {
      this.#lastSigned = { treeSize, rootHash };
      return existing;
    }
    const timestamp = toDbTime(this.#clock.now());
    const key = await this.#keys.signingKey();
    const payload = new TextEncoder().encode(
      JSON.stringify({ treeSize, rootHash, timestamp, iss: this.#issuer }),
    );
    const jws = await new CompactSign(payload)
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: checkpointType })
      .sign(key.privateKey);
    // The signed note needs an Ed25519 key; a gateway configured for ES256 serves the JWS form only.
    const text = checkpointText({ origin: this.origin, treeSize, rootHash });
    const note =
      key.alg === 'EdDSA'
        ? formatNote({
            text,
            signatures: [
              signNoteText(
                text,
                noteSigner(this.origin, noteSignatureType.ed25519, key.privateKey as webcrypto.CryptoKey),
              ),
            ],
          })
        : null;
    await this.#db.transaction().execute(async (trx) => {
      // A row at this size that does not match the log (changed behind the gateway's back) is replaced; one that
      // another process signed meanwhile for the same root stands.
      const stale = await trx
        .deleteFrom('audit_checkpoints')
        .where('tree_size', '=', treeSize)
        .where('root_hash', '!=', rootHash)
        .executeTakeFirst();
      if (Number(stale.numDeletedRows) > 0) {
        await trx.deleteFrom('audit_cosignatures').where('tree_size', '=', treeSize).execute();
      }
      await trx
        .insertInto('audit_checkpoints')
        .values({ tree_size: treeSize, root_hash: rootHash, timestamp, jws, note })
        .onConflict((oc) => oc.column('tree_size').doNothing())
        .execute();
    });
    this.#lastSigned = { treeSize, rootHash };
    return (await this.at(treeSize)) ?? { treeSize, rootHash, timestamp, jws, ...(note ? { note } : {}) };
  }

  /** The checkpoint to extend: the last this process signed, or the largest stored one whose signature holds. */
  async #previous(): Promise<{ treeSize: number; rootHash: string } | undefined> {
    const jwks = await this.#keys.jwks();
    let stored: { treeSize: number; rootHash: string } | undefined;
    // Newest first, past any row that does not verify (junk written to push the real ones out of sight).
    for (let below = Number.MAX_SAFE_INTEGER; stored === undefined; ) {
      const rows = await this.#db
        .selectFrom('audit_checkpoints')
        .select(['tree_size', 'jws'])
        .where('tree_size', '<', below)
        .orderBy('tree_size', 'desc')
        .limit(100)
        .execute();
      for (const row of rows) {
        try {
          stored = await verifyCheckpoint({ jws: row.jws }, jwks);
          break;
        } catch {
          // Not one the gateway signed (or signed with a key no longer published): not a predecessor.
        }
      }
      if (rows.length < 100) break;
      below = Number(rows[rows.length - 1]?.tree_size);
    }
    const last = this.#lastSigned;
    if (!stored) return last;
    if (!last) return stored;
    return last.treeSize >= stored.treeSize ? last : stored;
  }

  async #checkExtends(
    previous: { treeSize: number; rootHash: string },
    treeSize: number,
    rootHash: string,
  ): Promise<void> {
    if (previous.treeSize === 0) return;
    const proof = await this.#log.consistencyProof(previous.treeSize, treeSize);
    const consistent =
      toBase64(proof.fromRoot) === previous.rootHash &&
      verifyConsistency(
        previous.treeSize,
        treeSize,
        fromBase64(previous.rootHash),
        fromBase64(rootHash),
        proof.proof,
      );
    if (!consistent) {
      throw new DxError(
        'logInconsistent',
        `the log's first ${previous.treeSize} entries no longer have the root signed at that size`,
      );
    }
    const computed = await this.#log.rootFromEntries(previous.treeSize, treeSize).catch(() => undefined);
    if (!computed || toBase64(computed) !== rootHash) {
      throw new DxError(
        'logInconsistent',
        `the entries after ${previous.treeSize} do not hash to the stored tree of ${treeSize}`,
      );
    }
  }

  async latest(): Promise<Checkpoint | undefined> {
    const row = await this.#db
      .selectFrom('audit_checkpoints')
      .selectAll()
      .orderBy('tree_size', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row && this.#withCosignatures(row);
  }

  async at(treeSize: number): Promise<Checkpoint | undefined> {
    const row = await this.#db
      .selectFrom('audit_checkpoints')
      .selectAll()
      .where('tree_size', '=', treeSize)
      .executeTakeFirst();
    return row && this.#withCosignatures(row);
  }

  async all(): Promise<Checkpoint[]> {
    const rows = await this.#db.selectFrom('audit_checkpoints').selectAll().orderBy('tree_size').execute();
    return Promise.all(rows.map((row) => this.#withCosignatures(row)));
  }

  /**
   * Stores a witness's cosignature of the checkpoint at `treeSize`: a tlog-cosignature line by a witness key
   * registered for `organisation`. Throws a DxError saying why one is refused.
   */
  async addCosignature(treeSize: number, line: string, organisation: string): Promise<Cosignature> {
    let signature: NoteSignature;
    try {
      signature = parseSignatureLine(line.replace(/\n$/, ''));
    } catch (error) {
      throw new DxError('invalidPayload', (error as Error).message);
    }
    const witness = await this.#db
      .selectFrom('audit_witnesses')
      .selectAll()
      .where('name', '=', signature.name)
      .executeTakeFirst();
    if (!witness || witness.organisation !== organisation) {
      throw new DxError(
        'forbidden',
        `No witness key named ${signature.name} is registered for ${organisation}`,
      );
    }
    const checkpoint = await this.at(treeSize);
    if (!checkpoint?.note) throw new DxError('notFound', `No signed note at tree size ${treeSize}`);
    const text = parseNote(checkpoint.note).text;
    const time = cosignatureTime(text, signature, parseVerifierKey(witness.verifier_key));
    if (time === undefined) {
      throw new DxError('invalidPayload', `The cosignature does not verify with ${signature.name}'s key`);
    }
    const stored = line.replace(/\n$/, '');
    await this.#db
      .insertInto('audit_cosignatures')
      .values({
        tree_size: treeSize,
        witness: signature.name,
        signature: stored,
      })
      .onConflict((oc) => oc.columns(['tree_size', 'witness']).doUpdateSet({ signature: stored }))
      .execute();
    return { witness: signature.name, time, line: stored };
  }

  async #withCosignatures(row: Database['audit_checkpoints']): Promise<Checkpoint> {
    const checkpoint = toCheckpoint(row);
    if (!row.note) return checkpoint;
    const rows = await this.#db
      .selectFrom('audit_cosignatures')
      .select(['witness', 'signature'])
      .where('tree_size', '=', row.tree_size)
      .orderBy('witness')
      .execute();
    const cosignatures = rows.map((r) => ({
      witness: r.witness,
      time: timeOfLine(r.signature),
      line: r.signature,
    }));
    return {
      ...checkpoint,
      note: row.note + cosignatures.map((c) => `${c.line}\n`).join(''),
      cosignatures,
    };
  }

  /** Makes a checkpoint when the log has grown since the newest; the job a gateway runs once per period. */
  async createIfGrown(): Promise<Checkpoint | undefined> {
    const [latest, size] = await Promise.all([this.latest(), this.#log.size()]);
    return size > (latest?.treeSize ?? 0) ? this.create() : undefined;
  }
}

/** The time a cosignature line says it was made (its signature is checked where it is trusted). */
function timeOfLine(line: string): number {
  try {
    const bytes = parseSignatureLine(line).signature;
    return bytes.length >= 8 ? Number(Buffer.from(bytes).readBigUInt64BE(0)) : 0;
  } catch {
    return 0;
  }
}

function toCheckpoint(row: Database['audit_checkpoints']): Checkpoint {
  return { treeSize: Number(row.tree_size), rootHash: row.root_hash, timestamp: row.timestamp, jws: row.jws };
}

/**
 * Verifies a checkpoint's JWS against a JWKS and returns what it signs; throws when the signature, algorithm or
 * key does not check out, or the signed values differ from the checkpoint's plain fields.
 */
export async function verifyCheckpoint(
  checkpoint: Pick<Checkpoint, 'jws'> & Partial<Checkpoint>,
  jwks: JSONWebKeySet,
): Promise<{ treeSize: number; rootHash: string; timestamp: string }> {
  const { payload, protectedHeader } = await compactVerify(checkpoint.jws, createLocalJWKSet(jwks), {
    algorithms: ['EdDSA', 'ES256'],
  });
  if (protectedHeader.typ !== checkpointType) throw new Error('the JWS is not a Sangam checkpoint');
  const signed = JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>;
  const { treeSize, rootHash, timestamp } = signed;
  if (typeof treeSize !== 'number' || typeof rootHash !== 'string' || typeof timestamp !== 'string') {
    throw new Error('the checkpoint payload is malformed');
  }
  if (
    (checkpoint.treeSize !== undefined && checkpoint.treeSize !== treeSize) ||
    (checkpoint.rootHash !== undefined && checkpoint.rootHash !== rootHash) ||
    (checkpoint.timestamp !== undefined && checkpoint.timestamp !== timestamp)
  ) {
    throw new Error('the checkpoint fields differ from what its signature covers');
  }
  return { treeSize, rootHash, timestamp };
}
