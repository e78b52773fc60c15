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
  readonly requestId: string;
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
