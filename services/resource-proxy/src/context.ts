import type { AuditLog } from '@sangam/audit';
import type { TokenService } from '@sangam/auth';
import type { Clock } from '@sangam/core';
import type { Database, Kysely, Notices } from '@sangam/db';
import type { ProxySettings } from './config.js';
import type { RenderedPages } from './release/pages.js';
import type { Resources } from './resources.js';
import type { Upstreams } from './upstream.js';

/** What the resource proxy's operations need. */
export interface ProxyContext {
  readonly db: Kysely<Database>;
  /** For the release path's reads: it sees only what is committed, and never waits behind a commit. */
  readonly reader: Kysely<Database>;
  readonly audit: AuditLog;
  readonly tokens: TokenService;
  readonly clock: Clock;
  readonly config: ProxySettings;
  readonly resources: Resources;
  /** Answers already rendered, served again while their data is unchanged. */
  readonly pages: RenderedPages;
  readonly upstreams: Upstreams;
  /** Queries running now per consumer organisation, across every query route of this process. */
  readonly running: Map<string, number>;
  /** Tells subscribers (in every process on the database) that a resource has new records. */
  readonly notices: Notices;
}
