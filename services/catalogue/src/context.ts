import type { AuditLog } from '@sangam/audit';
import type { KeySealer } from '@sangam/auth';
import type { Clock } from '@sangam/core';
import type { Database, Kysely } from '@sangam/db';

/** What catalogue operations need. */
export interface CatalogueContext {
  readonly db: Kysely<Database>;
  readonly audit: AuditLog;
  readonly clock: Clock;
  /** Hosts a proxy-mode `upstream` may name over plain http (https is allowed for any host). */
  readonly upstreamAllowHosts: readonly string[];
  /** Seals upstream credentials at rest (under SANGAM_KEY_ENCRYPTION_SECRET, when set). */
  readonly credentials: KeySealer;
}
