import { type Clock, newId, systemClock } from '@sangam/core';
import { type Database, type Kysely, toDbTime } from '@sangam/db';
import { exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { KeySealer } from './sealing.js';

export type SigningAlgorithm = 'EdDSA' | 'ES256';
export const signingAlgorithms: readonly SigningAlgorithm[] = ['EdDSA', 'ES256'];

type VerifyKey = Awaited<ReturnType<typeof importJWK>>;

export interface SigningKey {
  readonly kid: string;
  readonly alg: SigningAlgorithm;
  readonly privateKey: VerifyKey;
}

interface PublishedKey {
  readonly kid: string;
  readonly alg: SigningAlgorithm;
  readonly jwk: JWK;
  readonly key: VerifyKey;
}

export interface KeyStoreOptions {
  readonly algorithm?: SigningAlgorithm;
  readonly clock?: Clock;
  /** How long another process's rotation may go unseen here. */
  readonly cacheMs?: number;
  /** Seals private keys at rest when set; sealed keys need it to be read. */
  readonly encryptionSecret?: string;
}

/**
 * The gateway's signing keys, kept in the database so every instance signs and verifies with the same keys.
 * The JWKS holds the current key and the one before it; a rotation retires the one before that.
 */
export class KeyStore {
  readonly #db: Kysely<Database>;
  readonly #algorithm: SigningAlgorithm;
  readonly #clock: Clock;
  readonly #cacheMs: number;
  readonly #sealer: KeySealer;
  #loadedAt = Number.NEGATIVE_INFINITY;
  #current: SigningKey | undefined;
  #published: PublishedKey[] = [];
  #loading: Promise<void> | undefined;

  constructor(db: Kysely<Database>, options: KeyStoreOptions = {}) {
    this.#db = db;
    this.#algorithm = options.algorithm ?? 'EdDSA';
    this.#clock = options.clock ?? systemClock;
    this.#cacheMs = options.cacheMs ?? 10_000;
    this.#sealer = new KeySealer(options.encryptionSecret);
  }

  /** Creates the first signing key on an empty database; a no-op when one exists. */
  async ensureSigningKey(): Promise<void> {
    const current = await this.#db
      .selectFrom('signing_keys')
      .select('kid')
      .where('status', '=', 'current')
      .executeTakeFirst();
    if (!current) {
      const row = await this.#newKeyRow();
      // Another process may win the race; the unique index on the current key keeps exactly one.
      await this.#db
        .insertInto('signing_keys')
        .values(row)
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
    await this.#reload();
  }

  /** Makes a new current key; the old current stays in the JWKS as previous, the previous one is retired. */
  async rotate(): Promise<{ kid: string; retired: string[] }> {
    const row = await this.#newKeyRow();
    const now = toDbTime(this.#clock.now());
    const retired = await this.#db.transaction().execute(async (trx) => {
      // Lock the current key first, so two rotations at once run one after the other.
      await trx
        .updateTable('signing_keys')
        .set((eb) => ({ status: eb.ref('status') }))
        .where('status', '=', 'current')
        .execute();
      const old = await trx
        .selectFrom('signing_keys')
        .select('kid')
        .where('status', '=', 'previous')
        .execute();
      await trx
        .updateTable('signing_keys')
        .set({ status: 'retired', retired_at: now })
        .where('status', '=', 'previous')
        .execute();
      await trx
        .updateTable('signing_keys')
        .set({ status: 'previous' })
        .where('status', '=', 'current')
        .execute();
      await trx.insertInto('signing_keys').values(row).execute();
      return old.map((r) => r.kid);
    });
    await this.#reload();
    return { kid: row.kid, retired };
  }

  async signingKey(): Promise<SigningKey> {
    await this.#fresh();
    if (!this.#current) {
      await this.ensureSigningKey();
    }
    if (!this.#current) throw new Error('no current signing key');
    return this.#current;
  }

  /** The public JWKS (RFC 7517): current and previous keys. */
  async jwks(): Promise<{ keys: JWK[] }> {
    await this.#fresh();
    return { keys: this.#published.map((k) => k.jwk) };
  }

  /** The verification key for a `kid`, if that key is published; reloads once when the kid is new here. */
  async verificationKey(kid: string): Promise<{ alg: SigningAlgorithm; key: VerifyKey } | undefined> {
    await this.#fresh();
    let found = this.#published.find((k) => k.kid === kid);
    if (!found && this.#clock.now().getTime() - this.#loadedAt > 1000) {
      await this.#reload();
      found = this.#published.find((k) => k.kid === kid);
    }
    return found ? { alg: found.alg, key: found.key } : undefined;
  }

  /** Forget the cache, e.g. after another process rotated and this one must see it now. */
  invalidate(): void {
    this.#loadedAt = Number.NEGATIVE_INFINITY;
  }

  async #fresh(): Promise<void> {
    if (this.#clock.now().getTime() - this.#loadedAt >= this.#cacheMs) await this.#reload();
  }

  async #reload(): Promise<void> {
    this.#loading ??= this.#load().finally(() => {
      this.#loading = undefined;
    });
    await this.#loading;
  }

  async #load(): Promise<void> {
    const rows = await this.#db
      .selectFrom('signing_keys')
      .selectAll()
      .where('status', 'in', ['current', 'previous'])
      .execute();
    // Current first: verifiers that take the first key of a JWKS get the one that signs now.
    rows.sort((a, b) => (a.status === b.status ? 0 : a.status === 'current' ? -1 : 1));
    const published: PublishedKey[] = [];
    let current: SigningKey | undefined;
    for (const row of rows) {
      const alg = row.alg as SigningAlgorithm;
      const jwk = JSON.parse(row.public_jwk) as JWK;
      published.push({ kid: row.kid, alg, jwk, key: await importJWK(jwk, alg) });
      if (row.status === 'current') {
        const privateJwk = JSON.parse(this.#sealer.open(row.private_jwk)) as JWK;
        current = { kid: row.kid, alg, privateKey: await importJWK(privateJwk, alg) };
      }
    }
    this.#published = published;
    this.#current = current;
    this.#loadedAt = this.#clock.now().getTime();
  }

  async #newKeyRow() {
    const alg = this.#algorithm;
    const { publicKey, privateKey } = await generateKeyPair(
      alg,
      alg === 'EdDSA' ? { crv: 'Ed25519', extractable: true } : { extractable: true },
    );
    const kid = newId('key');
    const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
    const privateJwk = { ...(await exportJWK(privateKey)), kid, alg };
    return {
      kid,
      alg,
      public_jwk: JSON.stringify(publicJwk),
      private_jwk: this.#sealer.seal(JSON.stringify(privateJwk)),
      status: 'current' as const,
      created_at: toDbTime(this.#clock.now()),
      retired_at: null,
    };
  }
}
