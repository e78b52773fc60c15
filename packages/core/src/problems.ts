/**
 * The registry of problem types (RFC 9457). A problem's `type` is `urn:dx:<service>:<name>`, prefixed by the
 * service that answered, as IUDX does: `urn:dx:as:invalidClient`, `urn:dx:rs:consentRevoked`.
 */
export const serviceCodes = ['gw', 'as', 'cat', 'rs', 'adp'] as const;
export type ServiceCode = (typeof serviceCodes)[number];

interface ProblemSpec {
  readonly status: number;
  readonly title: string;
}

export const problems = {
  // Request shape
  invalidPayload: { status: 400, title: 'The request body does not match its schema' },
  malformedJson: { status: 400, title: 'The request body is not well-formed JSON' },
  invalidParameter: { status: 400, title: 'A query or path parameter is not valid' },
  unsupportedMediaType: {
    status: 415,
    title: 'The request body has a media type this endpoint does not accept',
  },
  payloadTooLarge: { status: 413, title: 'The request body is larger than this endpoint accepts' },
  notFound: { status: 404, title: 'No such resource' },
  methodNotAllowed: { status: 405, title: 'This method is not allowed on this resource' },
  conflict: { status: 409, title: 'The request conflicts with the current state of the resource' },
  alreadyExists: { status: 409, title: 'A resource with this id already exists' },
  // The audit log as stored does not extend what the gateway signed before: it refuses to sign over it.
  logInconsistent: { status: 409, title: 'The audit log does not extend its last signed checkpoint' },
  preconditionFailed: { status: 412, title: 'The resource has changed since it was read' },
  preconditionRequired: { status: 428, title: 'This update needs an If-Match header with the current ETag' },
  tooManyRequests: { status: 429, title: 'Rate limit exceeded' },

  // Bearer tokens (one type per reason, so a client and an auditor can tell them apart)
  missingToken: { status: 401, title: 'A bearer token is required' },
  invalidToken: { status: 401, title: 'The bearer token is malformed or its signature does not verify' },
  unsupportedAlgorithm: {
    status: 401,
    title: 'The bearer token is signed with an algorithm that is not allowed',
  },
  unknownKey: { status: 401, title: 'The bearer token names a signing key that is not in the JWKS' },
  tokenExpired: { status: 401, title: 'The bearer token has expired' },
  tokenNotYetValid: { status: 401, title: 'The bearer token is not valid yet' },
  invalidAudience: { status: 401, title: 'The bearer token is meant for another audience' },
  invalidIssuer: { status: 401, title: 'The bearer token was issued by someone else' },
  clientRevoked: { status: 401, title: 'The client this token was issued to has been revoked' },
  forbidden: { status: 403, title: 'This client is not allowed to do this' },

  // OAuth 2.0 token endpoint (RFC 6749 §5.2 codes, carried as extension members)
  invalidClient: { status: 401, title: 'Client authentication failed' },
  invalidRequest: { status: 400, title: 'The token request is malformed' },
  unsupportedGrantType: { status: 400, title: 'This grant type is not supported' },
  invalidScope: { status: 400, title: 'The requested scope is not valid for this client' },

  // People in the console (DESIGN.md §12)
  invalidCredentials: { status: 401, title: 'The e-mail address or the password is not right' },
  signInRequired: { status: 401, title: 'Sign in to see this page' },
  csrfRejected: { status: 403, title: 'The form did not carry the token of this session' },

  // The release rule (DESIGN.md §5): one type per reason a consent or its MoU does not allow a release
  consentRequested: { status: 403, title: 'The consent has been requested but not granted' },
  consentDenied: { status: 403, title: 'The consent was denied' },
  consentPaused: { status: 403, title: 'The consent is paused by its provider' },
  consentRevoked: { status: 403, title: 'The consent has been revoked' },
  consentExpired: { status: 403, title: 'The consent has expired' },
  consentNotYetValid: { status: 403, title: 'The consent is not valid yet' },
  mouNotActive: { status: 403, title: 'The MoU has not been signed by every party yet' },
  mouSuspended: { status: 403, title: 'The MoU is suspended' },
  mouTerminated: { status: 403, title: 'The MoU has been terminated' },
  mouExpired: { status: 403, title: 'The MoU has expired' },
  mouNotInTerm: { status: 403, title: 'The MoU is not in force yet' },
  notParty: { status: 403, title: 'The organisation is not a party to the MoU' },
  providerNotParty: { status: 403, title: "The items' provider is no longer a party to the MoU" },
  purposeNotInMou: { status: 403, title: 'The purpose is not one the MoU names' },
  personalDataNotAllowed: {
    status: 403,
    title: 'The item holds personal data, which the MoU does not allow for this purpose',
  },
  itemOutsideConsent: { status: 403, title: 'The item is not covered by the consent' },
  accessTypeNotGranted: { status: 403, title: 'The consent does not grant this access type' },
  attributeNotGranted: { status: 403, title: 'The consent does not grant these attributes' },
  timeRangeOutsideConsent: { status: 403, title: 'The data time range is outside the consent' },
  releaseLevelAboveConsent: { status: 403, title: 'The release level is above what the consent allows' },
  releaseTermsChanged: {
    status: 409,
    title: 'The terms of the release changed while it was prepared; ask again',
  },
  itemOutsideToken: { status: 403, title: "The item is outside the access token's scope" },
  notAccessToken: { status: 401, title: 'The bearer token is not an access token for the resource proxy' },

  // Resources and queries
  notResourceProvider: { status: 403, title: "Only the resource's provider may publish its records" },
  notAcceptable: { status: 406, title: 'None of the accepted media types can be produced' },
  queryTooBroad: { status: 400, title: 'The query must be narrowed before it can be filtered' },
  upstreamUnavailable: { status: 502, title: "The provider's API did not answer with data" },
  upstreamInvalid: {
    status: 502,
    title: "The provider's API answered with data that does not fit the data model",
  },
  upstreamTimeout: { status: 504, title: "The provider's API did not answer in time" },
  subscriptionEnded: { status: 410, title: 'The subscription has ended and notifies no more' },
  streamBehind: {
    status: 409,
    title: 'The stream fell too far behind its consumer; reconnect with Last-Event-ID to resume',
  },

  // Identity
  alreadyInitialised: { status: 409, title: 'This gateway already has a city administrator' },

  // Operations
  notReady: { status: 503, title: 'A dependency of this service is unreachable' },
  internalError: { status: 500, title: 'An unexpected error occurred' },
} as const satisfies Record<string, ProblemSpec>;

export type ProblemName = keyof typeof problems;

export function problemType(service: ServiceCode, name: ProblemName): string {
  return `urn:dx:${service}:${name}`;
}

const typePattern = /^urn:dx:([a-z]+):([A-Za-z]+)$/;

/** True when `type` is `urn:dx:<known service>:<registered name>`. */
export function isRegisteredProblemType(type: unknown): boolean {
  if (typeof type !== 'string') return false;
  const match = typePattern.exec(type);
  if (!match) return false;
  const [, service, name] = match;
  return (serviceCodes as readonly string[]).includes(service ?? '') && Object.hasOwn(problems, name ?? '');
}
