import { authSettings, requireSharedIdentity } from '@sangam/auth';

import { type ConfigOf, env, parseConfig } from '@sangam/core';
import { databaseSettings } from '@sangam/db';
import { serverSettings, upstreamSettings } from '@sangam/http';

/** Settings of the resource proxy itself. */
export const proxySettings = {
  SANGAM_STREAM_BATCH: env.int({
    min: 1,
    max: 5000,
    default: 500,
    description: 'Most records one notification of a subscription carries',
  }),
  SANGAM_STREAM_MAX_QUEUED_KB: env.int({
    min: 16,
    max: 1_048_576,
    default: 1024,
    description:
      'Unread kilobytes an event stream may hold for a slow consumer before it is closed (the consumer resumes with Last-Event-ID)',
  }),
  SANGAM_STREAM_POLL_MS: env.int({
    min: 50,
    max: 60_000,
    default: 1000,
    description:
      'How often subscriptions look for new records and a consent that ran out without a notice (a lost notice costs at most this)',
  }),
  SANGAM_WEBHOOK_TIMEOUT_MS: env.int({
    min: 100,
    max: 60_000,
    default: 10_000,
    description: 'How long a webhook has to answer a notification',
  }),
  SANGAM_WEBHOOK_MAX_ATTEMPTS: env.int({
    min: 1,
    max: 50,
    default: 8,
    description: 'Attempts at one webhook notification before it is dead-lettered',
  }),
  SANGAM_WEBHOOK_BACKOFF_MS: env.int({
    min: 10,
    max: 3_600_000,
    default: 2000,
    description: 'The first retry delay of a webhook; it doubles with each attempt, with jitter',
  }),
  SANGAM_INGEST_MAX_RECORDS: env.int({
    min: 1,
    max: 10_000,
    default: 1000,
    description: 'Most records in one ingestion batch (POST /rs/v1/ingest/{resourceId})',
  }),
  SANGAM_QUERY_MAX_LIMIT: env.int({
    min: 1,
    max: 10_000,
    default: 1000,
    description: 'Largest page (limit) of a resource query',
  }),
  SANGAM_QUERY_SCAN_LIMIT: env.int({
    min: 1000,
    max: 1_000_000,
    default: 50_000,
    description: 'Most records a q or geo filter tests in one query; a broader query must be narrowed',
  }),
  SANGAM_QUERY_TIME_BUDGET_MS: env.int({
    min: 100,
    max: 60_000,
    default: 2000,
    description:
      'Most time a q or geo filter may take in one query (it yields to other requests as it goes); a slower one must be narrowed',
  }),
  SANGAM_QUERY_CONCURRENCY: env.int({
    min: 1,
    max: 1000,
    default: 8,
    description:
      'Most queries one consumer organisation may have running at once in this process; more get 429',
  }),
  SANGAM_RETENTION_DAYS: env.int({
    min: 1,
    max: 36_500,
    default: 90,
    description: "Days records are kept when the resource's catalogue entry names no retentionDays",
  }),
  SANGAM_RETENTION_SWEEP_SECONDS: env.int({
    min: 0,
    max: 86_400,
    default: 3600,
    description: 'How often records past their retention are deleted; 0: never by a timer',
  }),
  SANGAM_PAGE_CACHE_MB: env.int({
    min: 0,
    max: 4096,
    default: 32,
    description:
      'Memory for answers already rendered, served again while their data is unchanged (every request is still decided and audited); 0: none',
  }),
  SANGAM_UPSTREAM_TIMEOUT_MS: env.int({
    min: 100,
    max: 120_000,
    default: 10_000,
    description: "Connect, header and body timeout for a proxy-mode provider's API, in milliseconds",
  }),
  SANGAM_UPSTREAM_MAX_BYTES: env.int({
    min: 1024,
    max: 256 * 1024 * 1024,
    default: 8 * 1024 * 1024,
    description: "Largest answer read from a proxy-mode provider's API, in bytes",
  }),
};

export type ProxySettings = ConfigOf<typeof proxySettings> & {
  readonly SANGAM_UPSTREAM_ALLOW_HOSTS: readonly string[];
  /** Opens the upstream credentials the catalogue sealed; empty: they were kept in plain text. */
  readonly SANGAM_KEY_ENCRYPTION_SECRET?: string;
};

/** Everything the resource proxy reads from its environment when it runs alone. */
export const proxyServiceConfig = {
  ...serverSettings,
  ...databaseSettings,
  ...authSettings,
  ...upstreamSettings,
  ...proxySettings,
};

export function loadProxyConfig(source: Record<string, string | undefined> = process.env) {
  const config = parseConfig(proxyServiceConfig, source);
  requireSharedIdentity(config, source);
  return config;
}
