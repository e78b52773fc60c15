import { AuditLog, Checkpoints, type WriterOptions } from '@sangam/audit';
import { keysAndTokens } from '@sangam/auth';
import type { Clock } from '@sangam/core';
import type { Database, Kysely, Notices } from '@sangam/db';
import type { ConsentServiceDeps } from './app.js';

export interface ConsentConfigValues {
  readonly SANGAM_ISSUER: string;
  readonly SANGAM_KEY_ALGORITHM: 'EdDSA' | 'ES256';
  readonly SANGAM_CLOCK_SKEW_SECONDS: number;
  readonly SANGAM_KEY_CACHE_SECONDS: number;
  readonly SANGAM_KEY_ENCRYPTION_SECRET: string;
  readonly SANGAM_TOKEN_TTL_SECONDS: number;
  readonly SANGAM_ACCESS_TOKEN_TTL_SECONDS: number;
  readonly SANGAM_SCRYPT_COST: number;
  readonly SANGAM_SIGNIN_LOCKOUT_HOLD_MS: number;
  readonly SANGAM_SESSION_IDLE_MINUTES: number;
  readonly SANGAM_SESSION_HOURS: number;
  readonly SANGAM_INVITATION_DAYS: number;
}

/** The consent service's dependencies from its configuration; makes the first signing key if there is none. */
export async function consentDeps(
  db: Kysely<Database>,
  config: ConsentConfigValues,
  clock: Clock,
  options: {
    readonly writer?: WriterOptions;
    readonly onCommit?: (seconds: number, entries: number) => void;
    readonly notices?: Notices;
  } = {},
): Promise<ConsentServiceDeps> {
  const { keys, tokens } = await keysAndTokens(db, config, clock);
  const audit = new AuditLog(db, {
    clock,
    ...(options.writer ? { writer: options.writer } : {}),
    ...(options.onCommit ? { onCommit: options.onCommit } : {}),
  });
  const checkpoints = new Checkpoints(db, audit, keys, { issuer: config.SANGAM_ISSUER, clock });
  return {
    db,
    keys,
    tokens,
    audit,
    checkpoints,
    clock,
    tokenTtlSeconds: config.SANGAM_TOKEN_TTL_SECONDS,
    accessTokenTtlSeconds: config.SANGAM_ACCESS_TOKEN_TTL_SECONDS,
    scryptCost: config.SANGAM_SCRYPT_COST,
    lockedOutHoldMs: config.SANGAM_SIGNIN_LOCKOUT_HOLD_MS,
    people: {
      invitationDays: config.SANGAM_INVITATION_DAYS,
      sessionIdleMinutes: config.SANGAM_SESSION_IDLE_MINUTES,
      sessionHours: config.SANGAM_SESSION_HOURS,
    },
    ...(options.notices ? { notices: options.notices } : {}),
  };
}
