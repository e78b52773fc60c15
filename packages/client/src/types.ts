/** An RFC 9457 problem as Sangam answers it. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail?: string;
  readonly instance?: string;
  readonly errors?: readonly { readonly field: string; readonly message: string }[];
}

/** A record as the resource proxy releases it: its entity, when it was observed, and the granted attributes. */
export interface ResourceRecord {
  readonly id: string;
  readonly observedAt: string;
  readonly [attribute: string]: unknown;
}

/** Parameters common to `latest` and `temporal` queries (NGSI-LD style). */
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

export type RecordStatus = 'accepted' | 'duplicate' | 'rejected';

export interface IngestSummary {
  readonly resource: string;
  readonly accepted: number;
  readonly duplicates: number;
  readonly rejected: number;
  readonly records: readonly {
    readonly index: number;
    readonly id?: string;
    readonly observedAt?: string;
    readonly status: RecordStatus;
    readonly errors?: readonly { readonly field: string; readonly message: string }[];
  }[];
}

export interface UsageRow {
  readonly day: string;
  readonly requests: number;
  readonly denied: number;
  readonly records: number;
  readonly consent?: string;
  readonly item?: string;
  readonly consumer?: string;
}
