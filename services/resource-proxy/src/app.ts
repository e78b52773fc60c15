import type { AuditLog } from '@sangam/audit';
import { bearerAuth, clientCheck, KeySealer, type TokenService } from '@sangam/auth';
import type { Caller, Clock } from '@sangam/core';
import type { Database, Kysely } from '@sangam/db';
import {
  createServiceApp,
  mountRoutes,
  openApiComponents,
  openApiPaths,
  type RouteDeclaration,
  route,
  type ServiceMount,
} from '@sangam/http';
import type { ProxySettings } from './config.js';
import type { ProxyContext } from './context.js';
import { type IngestSummary, ingest } from './records/ingest.js';
import { RenderedPages } from './release/pages.js';
import { Resources } from './resources.js';
import { ingestRoutes } from './routes/ingest.js';
import { ledgerRoutes } from './routes/ledger.js';
import { queryRoutes } from './routes/queries.js';
import { usageRoutes } from './routes/usage.js';
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
  /** The OpenAPI paths of its routes, for the gateway's document. */
  readonly openApiPaths: Record<string, Record<string, object>>;
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
  const app = createServiceApp();
  const routes: RouteDeclaration[] = [
    ...ingestRoutes(ctx),
    ...queryRoutes(ctx),
    ...usageRoutes(ctx),
    ...ledgerRoutes(ctx),
  ];
  const own = route({
    method: 'get',
    path: '/rs/v1/openapi.json',
    operationId: 'proxyOpenApi',
    summary: "The resource proxy's own OpenAPI 3.1 document (the gateway's, at /openapi.json, holds it too)",
    tag: 'Documents',
    security: 'none',
    responses: { 200: { description: 'OpenAPI 3.1', schema: { type: 'object' }, envelope: false } },
    refusals: [],
    handle: (c) => c.json(document),
  });
  const paths = openApiPaths([...routes, own]);
  const document = {
    openapi: '3.1.0',
    info: {
      title: 'Sangam resource proxy',
      version: '1.0.0',
      description:
        'Ingestion by providers, and queries by consumers under the release rule, every decision audited.',
    },
    paths,
    components: openApiComponents,
  };
  mountRoutes(app, [...routes, own], {
    guards: {
      identity: bearerAuth({ tokens: deps.tokens, checkClient: clientCheck(deps.db) }),
      // The release rule checks access tokens itself: a refusal without a valid one is counted, not audited as a
      // decision, and every other refusal is audited in its order.
      access: (_c, next) => next(),
    },
  });
  return {
    code: 'rs',
    prefixes: ['/rs/', '/ngsi-ld/'],
    app,
    ingest: (caller, resourceId, records) => ingest(ctx, caller, resourceId, records),
    close: () => ctx.upstreams.close(),
    openApiPaths: paths,
  };
}
