import type { AuditLog } from '@sangam/audit';
import { type BearerOptions, clientCheck, KeySealer, type TokenService } from '@sangam/auth';
import type { Caller, Clock } from '@sangam/core';
import type { Database, Kysely } from '@sangam/db';
import { createServiceApp, type ServiceMount } from '@sangam/http';
import type { ProxySettings } from './config.js';
import type { ProxyContext } from './context.js';
import { proxyOpenApi } from './openapi.js';
import { type IngestSummary, ingest } from './records/ingest.js';
import { RenderedPages } from './release/pages.js';
import { Resources } from './resources.js';
import { registerIngestRoutes } from './routes/ingest.js';
import { registerLedgerRoutes } from './routes/ledger.js';
import { registerQueryRoutes } from './routes/queries.js';
import { registerUsageRoutes } from './routes/usage.js';
import { UpstreamCredentials, Upstreams } from './upstream.js';

export interface ProxyServiceDeps {
  readonly db: Kysely<Database>;
  /** Where the release path reads (a read-only SQLite connection beside the writer); `db` when absent. */
  readonly reader?: Kysely<Database>;
  readonly audit: AuditLog;
  readonly tokens: TokenService;
  readonly clock: Clock;
  readonly config: ProxySettings;
}

export interface ProxyService extends ServiceMount {
  /**
   * Ingestion in-process, for adapters running in the gateway's own process: the same checks, transaction and audit
   * entry as `POST /rs/v1/ingest/{resourceId}`.
   */
  ingest(caller: Caller, resourceId: string, records: readonly unknown[]): Promise<IngestSummary>;
  /** Closes the upstream connection pools. */
  close(): Promise<void>;
}

/** The resource proxy: ingestion, NGSI-LD queries under the release rule, usage, and its OpenAPI document. */
export function createProxyService(deps: ProxyServiceDeps): ProxyService {
  const reader = deps.reader ?? deps.db;
  const ctx: ProxyContext = {
    ...deps,
    reader,
    resources: new Resources(reader, deps.config.SANGAM_RETENTION_DAYS),
    pages: new RenderedPages(deps.config.SANGAM_PAGE_CACHE_MB * 1024 * 1024),
    running: new Map(),
    upstreams: new Upstreams({
      timeoutMs: deps.config.SANGAM_UPSTREAM_TIMEOUT_MS,
      maxBytes: deps.config.SANGAM_UPSTREAM_MAX_BYTES,
      allowHosts: deps.config.SANGAM_UPSTREAM_ALLOW_HOSTS,
      credentials: new UpstreamCredentials(
        reader,
        new KeySealer(deps.config.SANGAM_KEY_ENCRYPTION_SECRET, 'upstream-credentials'),
      ),
    }),
  };
  const auth: BearerOptions = { tokens: deps.tokens, checkClient: clientCheck(deps.db) };
  const app = createServiceApp();
  const openapi = proxyOpenApi();
  app.get('/rs/v1/openapi.json', (c) => c.json(openapi));
  registerIngestRoutes(app, ctx, auth);
  registerQueryRoutes(app, ctx);
  registerUsageRoutes(app, ctx, auth);
  registerLedgerRoutes(app, ctx, auth);
  return {
    code: 'rs',
    prefixes: ['/rs/', '/ngsi-ld/'],
    app,
    ingest: (caller, resourceId, records) => ingest(ctx, caller, resourceId, records),
    close: () => ctx.upstreams.close(),
  };
}
