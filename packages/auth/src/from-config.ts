import { type Clock, type ConfigOf, systemClock } from '@sangam/core';
import type { Database, Kysely } from '@sangam/db';
import { KeyStore } from './keys.js';
import type { authSettings } from './settings.js';
import { TokenService } from './tokens.js';

export type AuthSettings = ConfigOf<typeof authSettings>;

/** The key store and token service every service builds from its auth settings; makes the first key if none. */
export async function keysAndTokens(
  db: Kysely<Database>,
  config: AuthSettings,
  clock: Clock = systemClock,
): Promise<{ keys: KeyStore; tokens: TokenService }> {
  const keys = new KeyStore(db, {
    algorithm: config.SANGAM_KEY_ALGORITHM,
    clock,
    cacheMs: config.SANGAM_KEY_CACHE_SECONDS * 1000,
    encryptionSecret: config.SANGAM_KEY_ENCRYPTION_SECRET,
  });
  await keys.ensureSigningKey();
  const tokens = new TokenService(keys, {
    issuer: config.SANGAM_ISSUER,
    clock,
    clockSkewSeconds: config.SANGAM_CLOCK_SKEW_SECONDS,
  });
  return { keys, tokens };
}
