import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';

const prefix = 'enc:v1:';

/**
 * Seals private signing keys at rest with AES-256-GCM under a key derived from an operator secret, so a copy of
 * the database (a backup, a replica) is not enough to mint tokens.
 */
export class KeySealer {
  readonly #key: Buffer | undefined;

  constructor(secret: string | undefined) {
    this.#key = secret ? scryptSync(secret, 'sangam/signing-keys/v1', 32) : undefined;
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
      throw new Error('the signing keys are sealed: set SANGAM_KEY_ENCRYPTION_SECRET to open them');
    const raw = Buffer.from(stored.slice(prefix.length), 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', this.#key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    try {
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    } catch {
      throw new Error('the signing keys do not open with this SANGAM_KEY_ENCRYPTION_SECRET');
    }
  }
}
