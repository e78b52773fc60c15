import { authSettings, requireSharedIdentity } from '@sangam/auth';
import { type ConfigOf, env, parseConfig } from '@sangam/core';
import { databaseSettings } from '@sangam/db';
import { serverSettings } from '@sangam/http';

/** Settings of the consent service itself. */
export const consentSettings = {
  SANGAM_AUDIT_WRITER_THREAD: env.bool({
    default: false,
    description:
      'Commit audit entries in a thread of their own, so a commit (and its fsync) never stalls a request: worth it where fsync is slow; false: in the event loop',
  }),
  SANGAM_TOKEN_TTL_SECONDS: env.int({
    min: 60,
    max: 3600,
    default: 900,
    description: 'Lifetime of identity tokens from POST /auth/v1/token',
  }),
  SANGAM_ACCESS_TOKEN_TTL_SECONDS: env.int({
    min: 60,
    max: 3600,
    default: 600,
    description: 'Lifetime of access tokens for the resource proxy (POST /auth/v1/access-tokens)',
  }),
  SANGAM_CHECKPOINT_INTERVAL_SECONDS: env.int({
    min: 0,
    max: 86_400,
    default: 300,
    description: 'How often a signed audit checkpoint is made when the log has grown; 0: only on demand',
  }),
  SANGAM_SIGNIN_LOCKOUT_HOLD_MS: env.int({
    min: 0,
    max: 10_000,
    default: 1000,
    description:
      'How long a sign-in refused for too many failures is held before it is answered, so a guessing flood asks about once a second per connection; 0: at once',
  }),
  SANGAM_SESSION_IDLE_MINUTES: env.int({
    min: 5,
    max: 480,
    default: 30,
    description: 'A console session ends after this many minutes without a request',
  }),
  SANGAM_SESSION_HOURS: env.int({
    min: 1,
    max: 72,
    default: 12,
    description: 'A console session ends this many hours after sign-in, however it is used',
  }),
  SANGAM_INVITATION_DAYS: env.int({
    min: 1,
    max: 30,
    default: 7,
    description: "How long an invitation's one-time link to join an organisation stays valid",
  }),
  SANGAM_SCRYPT_COST: env.int({
    min: 14,
    max: 20,
    default: 15,
    description:
      "log2 of the scrypt cost N for client secrets and people's passwords (stored with each hash)",
  }),
};

export type ConsentSettings = ConfigOf<typeof consentSettings>;

/** Everything the consent service reads from its environment when it runs alone. */
export const consentServiceConfig = {
  ...serverSettings,
  ...databaseSettings,
  ...authSettings,
  ...consentSettings,
};

export function loadConsentConfig(source: Record<string, string | undefined> = process.env) {
  const config = parseConfig(consentServiceConfig, source);
  requireSharedIdentity(config, source);
  return config;
}
