import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';

const prefix = 'enc:v1:';

/** What a sealer keeps: its own key (derived per purpose), and the words its errors use. */
export type SealedKind = 'signing-keys' | 'upstream-credentials';

const named: Record<SealedKind, string> = {
  'signing-keys': 'the signing keys',
  'upstream-credentials': "the upstreams' credentials",
};

/**
 * Seals secrets at rest (private signing keys, upstream credentials) with AES-256-GCM under a key derived from an
 * operator secret, so a copy of the database (a backup, a replica) is not enough to mint tokens or call a
 * provider's API. Without the secret, values are kept as they are, and sealed ones cannot be opened.
 */
export class KeySealer {
  readonly #key: Buffer | undefined;
  readonly #what: string;

  constructor(secret: string | undefined, kind: SealedKind = 'signing-keys') {
    this.#key = secret ? scryptSync(secret, `sangam/${kind}/v1`, 32) : undefined;
    this.#what = named[kind];
  }

  seal(plain: string): string {
    if (!this.#key) return plain;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return prefix + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  }

  open(stored: string): string {
    if (!stored.startsWith(prefix)) return stored;
    if (!this.#key)
      throw new Error(`${this.#what} are sealed: set SANGAM_KEY_ENCRYPTION_SECRET to open them`);
    const raw = Buffer.from(stored.slice(prefix.length), 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', this.#key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    try {
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    } catch {
      throw new Error(`${this.#what} do not open with this SANGAM_KEY_ENCRYPTION_SECRET`);
    }
  }
}
