import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

/** A new client secret: 256 bits from the CSPRNG, with a prefix that secret scanners can recognise. */
export function generateClientSecret(): string {
  return `sgm_${randomBytes(32).toString('base64url')}`;
}

function scryptAsync(secret: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, keylen, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

const keyLength = 32;

function scryptOptions(logN: number, r: number, p: number): ScryptOptions {
  const N = 2 ** logN;
  return { N, r, p, maxmem: 256 * N * r + 1024 * 1024 };
}

/** `scrypt$<logN>$<r>$<p>$<salt>$<hash>`: the parameters travel with the hash, so the cost can be raised later. */
export async function hashSecret(secret: string, logN: number): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(secret, salt, keyLength, scryptOptions(logN, 8, 1));
  return ['scrypt', logN, 8, 1, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

/** Compares in constant time; false for a malformed stored hash. */
export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [logN, r, p] = parts.slice(1, 4).map(Number);
  if (!logN || !r || !p || logN > 20) return false;
  const salt = Buffer.from(parts[4] ?? '', 'base64url');
  const expected = Buffer.from(parts[5] ?? '', 'base64url');
  if (expected.length !== keyLength) return false;
  const actual = await scryptAsync(secret, salt, keyLength, scryptOptions(logN, r, p));
  return timingSafeEqual(actual, expected);
}

let decoy: Promise<string> | undefined;

/** Spends the same time as a real check, so an unknown client id cannot be told apart by timing. */
export async function verifyAgainstDecoy(secret: string, logN: number): Promise<false> {
  decoy ??= hashSecret(generateClientSecret(), logN);
  await verifySecret(secret, await decoy);
  return false;
}
