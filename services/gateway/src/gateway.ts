import { adapterHealth, createAdapterStatusService } from '@sangam/adapter-kit';
import { clientCheck } from '@sangam/auth';
import { catalogueContext, createCatalogueService } from '@sangam/catalogue';
import { type ConsentServiceDeps, consentDeps, createConsentService, Sessions } from '@sangam/consent';
import type { Clock } from '@sangam/core';
import { BackgroundJobs, type DatabaseHandle, isReachable, sqliteFileOf } from '@sangam/db';
import {
  type AppEnv,
  createGateway,
  GatewayMetrics,
  limitHeapGrowth,
  openApiPaths,
  probeRoutes,
} from '@sangam/http';
import { createProxyService, type ProxyService, sweepRetention } from '@sangam/resource-proxy';
import type { Hono } from 'hono';
import type { Logger } from 'pino';
import type { GatewayConfig } from './config.js';
import { createConsoleService } from './console/app.js';
import { createDocsService } from './docs.js';

export interface Gateway {
  readonly app: Hono<AppEnv>;
  readonly consent: ConsentServiceDeps;
  readonly proxy: ProxyService;
  /** The one source of "now" of every service, and of the adapters the gateway hosts. */
  readonly clock: Clock;
  /** Deletes records past their retention now. */
  sweepRetention(): Promise<{ records: number }>;
  /**
   * The periodic checkpoint and retention sweep, run once per period across every gateway on the database;
   * started by the process that serves (`start()`), stopped by `close()`.
   */
  readonly jobs: BackgroundJobs;
  /** Stops the background jobs and the proxy's upstream pools and lets the audit writer commit what it holds; the database stays open. */
  close(): Promise<void>;
}

/** Every service of the workspace in one hono app, on one database (migrated by the caller). */
export async function buildGateway(
  database: DatabaseHandle,
  config: GatewayConfig,
  options: { logger: Logger; clock: Clock },
): Promise<Gateway> {
  const { db } = database;
  // The process's heap, set by the composition that owns the process.
  limitHeapGrowth(config.SANGAM_HEAP_GROWTH_PERCENT);
  // The audit writer thread opens the database again: not possible for one that lives in this process's memory.
  const separate = database.backend === 'postgres' || sqliteFileOf(database.url) !== undefined;
  const metrics = new GatewayMetrics();
  const observeCommit = metrics.histogram(
    'sangam_audit_commit_seconds',
    'Time to commit a group of audit appends (in the event loop; the writer thread commits on its own)',
    [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
  );
  const consent = await consentDeps(db, config, options.clock, {
    ...(config.SANGAM_AUDIT_WRITER_THREAD && separate
      ? { writer: { databaseUrl: database.url, databaseOptions: database.options } }
      : {}),
    onCommit: (seconds) => observeCommit(seconds),
    notices: database.notices,
  });
  metrics.gauge('sangam_audit_log_entries', 'Entries in the audit log', () => consent.audit.size());
  if (database.poolUse) {
    const use = database.poolUse;
    metrics.gauge('sangam_db_pool_connections', 'Open connections of the PostgreSQL pool', () => use().total);
    metrics.gauge('sangam_db_pool_idle', 'Idle connections of the PostgreSQL pool', () => use().idle);
    metrics.gauge(
      'sangam_db_pool_waiting',
      'Queries waiting for a PostgreSQL connection',
      () => use().waiting,
    );
  }
  const proxy = createProxyService({
    db,
    reader: database.reader,
    audit: consent.audit,
    tokens: consent.tokens,
    clock: options.clock,
    config,
    notices: database.notices,
    onStreamError: (err, subscription) =>
      options.logger.error({ err, subscription }, 'a subscription stream failed'),
  });
  const consentService = createConsentService(consent);
  const adapterStatus = createAdapterStatusService(
    db,
    { tokens: consent.tokens, checkClient: clientCheck(db) },
    {
      clock: options.clock,
      leaseMs: config.SANGAM_JOB_LEASE_SECONDS * 1000,
      metricsToken: config.SANGAM_METRICS_TOKEN,
      moreMetrics: () => metrics.text(),
    },
  );
  const app = createGateway({
    logger: options.logger,
    services: [
      consentService,
      createCatalogueService({
        db,
        audit: consent.audit,
        tokens: consent.tokens,
        clock: options.clock,
        upstreamAllowHosts: config.SANGAM_UPSTREAM_ALLOW_HOSTS,
        keyEncryptionSecret: config.SANGAM_KEY_ENCRYPTION_SECRET,
        openApiPaths: {
          ...consentService.openApiPaths,
          ...proxy.openApiPaths,
          ...adapterStatus.openApiPaths,
          // The probes the gateway itself answers (their handlers are mounted by createGateway).
          ...openApiPaths(probeRoutes(() => isReachable(db))),
        },
      }),
      proxy,
      adapterStatus,
      createDocsService(),
      createConsoleService({
        identity: consent,
        sessions: new Sessions(consent, {
          ...(consent.people ? { terms: consent.people } : {}),
          ...(consent.lockedOutHoldMs === undefined ? {} : { lockedOutHoldMs: consent.lockedOutHoldMs }),
        }),
        city: config.SANGAM_CITY,
        publicUrl: config.SANGAM_ISSUER,
        alliance: { ...consent, keys: consent.keys, issuer: consent.tokens.issuer },
        tokens: consent.tokens,
        accessTokenTtlSeconds: consent.accessTokenTtlSeconds,
        // The gateway's own app, made just below: the explorer queries through the release path like anyone.
        data: async (path, init) => app.request(path, init),
        catalogue: catalogueContext({
          db,
          audit: consent.audit,
          clock: options.clock,
          upstreamAllowHosts: config.SANGAM_UPSTREAM_ALLOW_HOSTS,
          keyEncryptionSecret: config.SANGAM_KEY_ENCRYPTION_SECRET,
        }),
        checkpoints: consent.checkpoints,
        adapters: (provider) => adapterHealth(db, provider),
      }),
    ],
    ready: () => isReachable(db),
    bodyLimitBytes: config.SANGAM_BODY_LIMIT_BYTES,
    corsOrigins: config.SANGAM_CORS_ORIGINS,
    metrics,
    trustedProxies: config.SANGAM_TRUSTED_PROXIES,
  });
  const sweep = () => sweepRetention(db, options.clock.now(), config.SANGAM_RETENTION_DAYS);
  const jobs = gatewayJobs(database, config, { ...options, checkpoints: consent.checkpoints, sweep });
  return {
    app,
    consent,
    proxy,
    clock: options.clock,
    sweepRetention: sweep,
    jobs,
    async close() {
      await jobs.stop();
      await proxy.close();
      await consent.audit.close();
    },
  };
}

/** The jobs one gateway among several runs for all: a checkpoint when the log grew, and the retention sweep. */
function gatewayJobs(
  database: DatabaseHandle,
  config: GatewayConfig,
  options: {
    logger: Logger;
    clock: Clock;
    checkpoints: ConsentServiceDeps['checkpoints'];
    sweep: () => Promise<unknown>;
  },
): BackgroundJobs {
  return new BackgroundJobs(database.db, {
    clock: options.clock,
    leaseMs: config.SANGAM_JOB_LEASE_SECONDS * 1000,
    onError: (err, job) => options.logger.error({ err, job }, 'background job failed'),
  })
    .add({
      name: 'audit-checkpoint',
      intervalMs: config.SANGAM_CHECKPOINT_INTERVAL_SECONDS * 1000,
      run: async () => {
        await options.checkpoints.createIfGrown();
      },
    })
    .add({
      name: 'retention-sweep',
      intervalMs: config.SANGAM_RETENTION_SWEEP_SECONDS * 1000,
      run: async () => {
        await options.sweep();
      },
    });
}
