import { randomBytes } from 'node:crypto';

/** What the gateway answered for one batch. */
export interface PublishResult {
  readonly accepted: number;
  readonly duplicates: number;
  readonly rejected: number;
  /** The first rejections' reasons, for health and logs. */
  readonly reasons: readonly string[];
}

/** Where an adapter's records go: the ingestion API over HTTP, or in-process when all-in-one. */
export interface Publisher {
  publish(resource: string, records: readonly object[]): Promise<PublishResult>;
}

/** The most records sent in one call (the gateway's default batch limit). */
export const publishChunk = 1000;

/** Summarises the per-record results of an ingestion answer. */
export function resultOf(summary: {
  accepted: number;
  duplicates: number;
  rejected: number;
  records: readonly { status: string; errors?: readonly { field: string; message: string }[] }[];
}): PublishResult {
  return {
    accepted: summary.accepted,
    duplicates: summary.duplicates,
    rejected: summary.rejected,
    reasons: summary.records
      .filter((r) => r.status === 'rejected')
      .slice(0, 3)
      .map((r) => (r.errors ?? []).map((e) => `${e.field} ${e.message}`).join('; ')),
  };
}

/** One ingestion answer, as the resource proxy gives it. */
export interface IngestAnswer {
  readonly accepted: number;
  readonly duplicates: number;
  readonly rejected: number;
  readonly records: readonly { status: string; errors?: readonly { field: string; message: string }[] }[];
}

/** The identity an in-process adapter publishes with: its provider, as a provider client named after the adapter. */
export interface AdapterCaller {
  readonly principal: {
    readonly clientId: string;
    readonly organisationId: string;
    readonly roles: readonly ['provider'];
    readonly tokenId: string;
    readonly issuedAt: number;
  };
  readonly requestId: string;
}

/** Publishing in the gateway's own process, through the same checks and transaction as the ingestion API. */
export function inProcessPublisher(
  ingest: (caller: AdapterCaller, resource: string, records: readonly object[]) => Promise<IngestAnswer>,
  adapter: { name: string; provider: string },
): Publisher {
  let sequence = 0;
  // Request ids need only be unique, so a random run id and a counter serve (no clock involved).
  const run = randomBytes(6).toString('base64url');
  return {
    async publish(resource, records) {
      sequence += 1;
      const caller: AdapterCaller = {
        principal: {
          clientId: `adapter:${adapter.name}`,
          organisationId: adapter.provider,
          roles: ['provider'],
          tokenId: `adapter:${adapter.name}`,
          issuedAt: 0,
        },
        requestId: `adp_${adapter.name}_${run}_${sequence}`,
      };
      return resultOf(await ingest(caller, resource, records));
    },
  };
}

/** Publishing over HTTP with the provider's client (anything with an `ingest` like `@sangam/client`'s). */
export function httpPublisher(client: {
  ingest(resource: string, records: readonly object[]): Promise<IngestAnswer>;
}): Publisher {
  return { publish: async (resource, records) => resultOf(await client.ingest(resource, records)) };
}
