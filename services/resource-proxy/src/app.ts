import type { AuditLog } from '@sangam/audit';
import { bearerAuth, clientCheck, KeySealer, type TokenService } from '@sangam/auth';
import type { Caller, Clock } from '@sangam/core';
import { type Database, type Kysely, LocalNotices, type Notices } from '@sangam/db';
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
import { subscriptionRoutes } from './routes/subscriptions.js';
import { usageRoutes } from './routes/usage.js';
import { FeedWindows } from './subscriptions/feed.js';
import { StreamHub } from './subscriptions/streams.js';
import { WebhookDispatcher } from './subscriptions/webhooks.js';
import { UpstreamCredentials, Upstreams } from './upstream.js';

export interface ProxyServiceDeps {
  readonly db: Kysely<Database>;
  /** Where the release path reads (a read-only SQLite connection beside the writer); `db` when absent. */
  readonly reader?: Kysely<Database>;
  readonly audit: AuditLog;
  readonly tokens: TokenService;
  readonly clock: Clock;
  readonly config: ProxySettings;
  /**
   * Notices of new records and policy changes between the processes on the database (the database handle's);
   * in-process when absent.
   */
  readonly notices?: Notices;
  /** Told of a subscription stream that failed. */
  readonly onStreamError?: (error: unknown, subscription: string) => void;
}

export interface ProxyService extends ServiceMount {
  /**
   * Ingestion in-process, for adapters running in the gateway's own process: the same checks, transaction and audit
   * entry as `POST /rs/v1/ingest/{resourceId}`.
   */
  ingest(caller: Caller, resourceId: string, records: readonly unknown[]): Promise<IngestSummary>;
  /** Event streams open now in this process. */
  readonly streams: StreamHub;
  /** Closes the open event streams, the webhook dispatcher and the upstream connection pools. */
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
    notices: deps.notices ?? new LocalNotices(),
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
  const config = deps.config;
  // The newest records of each subscribed resource, read once for every stream and webhook of this process.
  const feeds = new FeedWindows(reader, 10_000);
  const streams = new StreamHub(ctx, feeds, {
    batch: config.SANGAM_STREAM_BATCH,
    maxQueuedBytes: config.SANGAM_STREAM_MAX_QUEUED_KB * 1024,
    pollMs: config.SANGAM_STREAM_POLL_MS,
    ...(deps.onStreamError ? { onError: deps.onStreamError } : {}),
  });
  const webhooks = new WebhookDispatcher(ctx, feeds, {
    batch: config.SANGAM_STREAM_BATCH,
    timeoutMs: config.SANGAM_WEBHOOK_TIMEOUT_MS,
    maxAttempts: config.SANGAM_WEBHOOK_MAX_ATTEMPTS,
    backoffMs: config.SANGAM_WEBHOOK_BACKOFF_MS,
    pollMs: config.SANGAM_STREAM_POLL_MS,
    allowHosts: config.SANGAM_UPSTREAM_ALLOW_HOSTS,
  });
  const app = createServiceApp();
  const routes: RouteDeclaration[] = [
    ...ingestRoutes(ctx),
    ...queryRoutes(ctx),
    ...subscriptionRoutes(ctx, streams),
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
    streams,
    async close() {
      streams.close();
      await webhooks.close();
      await ctx.upstreams.close();
    },
    openApiPaths: paths,
  };
}
