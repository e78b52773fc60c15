import { env } from '@sangam/core';
import { signingAlgorithms } from './keys.js';
import { maxClockSkewSeconds } from './tokens.js';

/** Environment settings of token signing and verification, for a service's config module. */
export const authSettings = {
  SANGAM_ISSUER: env.url({
    default: 'http://localhost:8080',
    description: 'The `iss` of every token; the public base URL of the gateway',
  }),
  SANGAM_KEY_ALGORITHM: env.oneOf(signingAlgorithms, {
    default: 'EdDSA',
    description: 'Algorithm of new signing keys',
  }),
  SANGAM_CLOCK_SKEW_SECONDS: env.int({
    min: 0,
    max: maxClockSkewSeconds,
    default: 30,
    description: 'Clock skew tolerated on exp and nbf',
  }),
  SANGAM_KEY_ENCRYPTION_SECRET: env.string({
    default: '',
    secret: true,
    accepts: 'a secret of at least 16 characters, or nothing',
    pattern: /^.{16,}$/,
    description:
      'Seals private signing keys and upstream credentials at rest (AES-256-GCM); unset keeps them in plain text',
  }),
  SANGAM_KEY_CACHE_SECONDS: env.int({
    min: 0,
    max: 300,
    default: 10,
    description: 'How long a process may take to notice a key rotated by another process',
  }),
};
