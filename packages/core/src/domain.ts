/** The four helices of a city alliance, plus start-ups. */
export type OrganisationKind = 'government' | 'academia' | 'industry' | 'startup' | 'community';
export const organisationKinds: readonly OrganisationKind[] = [
  'government',
  'academia',
  'industry',
  'startup',
  'community',
];

/** How much a release may reveal: counts over cells only, or anonymised records as well (DESIGN.md §3). */
export type ReleaseLevel = 'aggregate' | 'anonymised-record';
export const releaseLevels: readonly ReleaseLevel[] = ['aggregate', 'anonymised-record'];

export type Role = 'admin' | 'provider' | 'consumer' | 'auditor' | 'delegate';
export const roles: readonly Role[] = ['admin', 'provider', 'consumer', 'auditor', 'delegate'];

export interface Organisation {
  readonly id: string;
  readonly name: string;
  readonly kind: OrganisationKind;
  readonly city: string;
  readonly createdAt: string;
}

/** Who asks, and the request it came in, for the audit trail. */
export interface Caller {
  readonly principal: Principal;
  /** The gateway's id of the request. */
  readonly requestId: string;
  /** The client's own `X-Request-Id`, if it sent a well-formed one: recorded, never trusted. */
  readonly clientRequestId?: string;
}

/** Who is calling: the client a verified identity token was issued to. */
export interface Principal {
  readonly clientId: string;
  readonly organisationId: string;
  readonly roles: readonly Role[];
  /** The token's `jti`, for the audit trail. */
  readonly tokenId: string;
  /** The token's `iat`, in seconds since the epoch. */
  readonly issuedAt: number;
}

/**
 * The member of a published record that carries the distinct individuals (vehicles, devices) behind an aggregate
 * cell. Ingestion takes it out of the record and keeps it beside it, so each release can drop the cells under its
 * consumer's k (DESIGN.md §5, rule 7); the count itself is never released.
 */
export const individualsMember = 'sangam:individuals';
