import type { components, operations } from './generated/openapi.js';

export type { components, operations, paths } from './generated/openapi.js';

/** The `results` of an operation's success answer (DESIGN.md's envelope), as the gateway's document gives them. */
export type ResultsOf<
  Id extends keyof operations,
  Status extends keyof operations[Id]['responses'] = 200 & keyof operations[Id]['responses'],
> = operations[Id]['responses'][Status] extends { content: { 'application/json': { results: infer R } } }
  ? R
  : never;

/** An RFC 9457 problem as Sangam answers it. */
export type Problem = components['schemas']['Problem'];

/** A record as the resource proxy releases it: its entity, when it was observed, and the granted attributes. */
export type ResourceRecord = ResultsOf<'latestRecords'>[number] & { readonly [attribute: string]: unknown };

/** What became of an ingested batch, record by record. */
export type IngestSummary = ResultsOf<'ingestRecords'>;
export type RecordStatus = IngestSummary['records'][number]['status'];

/** A row of `GET /rs/v1/usage`: per consent and day (a consumer's), or per item and consumer (a provider's). */
export type UsageRow = ResultsOf<'usage'>[number];

/** Parameters common to `latest` and `temporal` queries (NGSI-LD style), as this client takes them. */
export interface EntityQuery {
  /** The resource: <provider>/<group>/<resource>. */
  readonly resource: string;
  /** The consent the access token is asked under. */
  readonly consent: string;
  readonly attrs?: readonly string[];
  /** A filter, e.g. `speed>=20;route=="R1"`. */
  readonly q?: string;
  readonly geo?: {
    readonly georel: string;
    readonly geometry: 'Point' | 'LineString' | 'Polygon' | 'bbox';
    readonly coordinates: unknown;
  };
  readonly limit?: number;
  readonly offset?: number;
}

export interface TemporalQuery extends EntityQuery {
  readonly timerel: 'before' | 'after' | 'between';
  readonly timeAt: string;
  readonly endTimeAt?: string;
}

export interface Page<T> {
  readonly results: readonly T[];
  readonly totalHits: number;
  readonly limit: number;
  readonly offset: number;
}

/** A subscription to a resource's new records, notified to this client's event stream. */
export interface SubscriptionRequest {
  readonly resource: string;
  readonly consent: string;
  readonly attrs?: readonly string[];
  readonly q?: string;
  readonly geo?: EntityQuery['geo'];
  /** Seconds at least between two notifications. */
  readonly throttling?: number;
}

/** A subscription as the gateway shows it. */
export type Subscription = ResultsOf<'getSubscription'>;

/** One notification: a batch of released records, and the event id to resume after it. */
export interface Notification<T> {
  readonly subscriptionId: string;
  /** Give it back as `lastEventId` to resume after this notification. */
  readonly eventId: string;
  readonly notifiedAt: string;
  readonly data: readonly T[];
}
