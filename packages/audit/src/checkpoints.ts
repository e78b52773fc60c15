import type { KeyStore } from '@sangam/auth';
import { type Clock, systemClock } from '@sangam/core';
import { type Database, type Kysely, toDbTime } from '@sangam/db';
import { CompactSign, compactVerify, createLocalJWKSet, type JSONWebKeySet } from 'jose';
import type { AuditLog } from './log.js';
import { toBase64 } from './merkle.js';

/** A signed tree head: the log had `treeSize` entries with this root at this time, signed by the gateway. */
export interface Checkpoint {
  readonly treeSize: number;
  /** Base64 SHA-256 root hash. */
  readonly rootHash: string;
  readonly timestamp: string;
  /** Compact JWS over `{treeSize, rootHash, timestamp, iss}`. */
  readonly jws: string;
}

export const checkpointType = 'sangam-checkpoint+jws';

/** Makes, stores and reads signed checkpoints. */
export class Checkpoints {
  readonly #db: Kysely<Database>;
  readonly #log: AuditLog;
  readonly #keys: KeyStore;
  readonly #issuer: string;
  readonly #clock: Clock;

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
  }

  /** A checkpoint at the log's current size (the existing one, if that size already has one). */
  async create(): Promise<Checkpoint> {
    const treeSize = await this.#log.size();
    const existing = await this.at(treeSize);
    if (existing) return existing;
    const rootHash = toBase64(await this.#log.rootAt(treeSize));
    const timestamp = toDbTime(this.#clock.now());
    const key = await this.#keys.signingKey();
    const payload = new TextEncoder().encode(
      JSON.stringify({ treeSize, rootHash, timestamp, iss: this.#issuer }),
    );
    const jws = await new CompactSign(payload)
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: checkpointType })
      .sign(key.privateKey);
    await this.#db
      .insertInto('audit_checkpoints')
      .values({ tree_size: treeSize, root_hash: rootHash, timestamp, jws })
      .onConflict((oc) => oc.column('tree_size').doNothing())
      .execute();
    return (await this.at(treeSize)) ?? { treeSize, rootHash, timestamp, jws };
  }

  async latest(): Promise<Checkpoint | undefined> {
    const row = await this.#db
      .selectFrom('audit_checkpoints')
      .selectAll()
      .orderBy('tree_size', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row && toCheckpoint(row);
  }

  async at(treeSize: number): Promise<Checkpoint | undefined> {
    const row = await this.#db
      .selectFrom('audit_checkpoints')
      .selectAll()
      .where('tree_size', '=', treeSize)
      .executeTakeFirst();
    return row && toCheckpoint(row);
  }

  async all(): Promise<Checkpoint[]> {
    const rows = await this.#db.selectFrom('audit_checkpoints').selectAll().orderBy('tree_size').execute();
    return rows.map(toCheckpoint);
  }

  /** Makes a checkpoint every `intervalMs` when the log has grown; returns a function that stops it. */
  every(intervalMs: number, onError: (error: unknown) => void): () => void {
    const timer = setInterval(() => {
      void (async () => {
        const [latest, size] = await Promise.all([this.latest(), this.#log.size()]);
        if (size > (latest?.treeSize ?? 0)) await this.create();
      })().catch(onError);
    }, intervalMs);
    timer.unref();
    return () => clearInterval(timer);
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
    (checkpoint.rootHash !== undefined && checkpoint.rootHash !== rootHash)
  ) {
    throw new Error('the checkpoint fields differ from what its signature covers');
  }
  return { treeSize, rootHash, timestamp };
}
