import type { ProblemName } from '@sangam/core';

/** What a problem means and what its reader can do about it, for its documentation page. */
export interface Advice {
  readonly means: string;
  readonly todo: string;
}

const advice: Partial<Record<ProblemName, Advice>> = {
  invalidPayload: {
    means: 'The body is JSON, but it does not fit the schema of this operation.',
    todo: 'Fix every field named in errors (a JSON Pointer each) and send it again; /docs lists each operation’s schema.',
  },
  malformedJson: {
    means: 'The body could not be read as JSON, or nests deeper than 64 levels.',
    todo: 'Send well-formed JSON with Content-Type: application/json.',
  },
  invalidParameter: {
    means: 'A query or path parameter is unknown, repeated, or has a value outside what it takes.',
    todo: 'Fix the parameters named in errors; each operation in /docs lists the parameters it takes.',
  },
  unsupportedMediaType: {
    means: 'The body has a media type this operation does not read.',
    todo: 'Send application/json (the token endpoint also takes application/x-www-form-urlencoded).',
  },
  payloadTooLarge: {
    means: 'The body is larger than the gateway accepts (SANGAM_BODY_LIMIT_BYTES).',
    todo: 'Send less at once: split an ingestion batch, for instance.',
  },
  notFound: {
    means: 'Nothing with this id exists, or nothing this client may see.',
    todo: 'Check the id; a list operation shows what this client can see.',
  },
  methodNotAllowed: {
    means: 'This path does not take this method.',
    todo: 'See /docs for the methods of the path.',
  },
  conflict: {
    means:
      'The request does not fit the current state of the resource (a retired item, an MoU not in the right state).',
    todo: 'Read the resource again; detail says which state stands in the way.',
  },
  alreadyExists: {
    means: 'Something with this id already exists.',
    todo: 'Choose another id, or update the existing one.',
  },
  logInconsistent: {
    means:
      'The audit log as stored does not extend the last checkpoint the gateway signed: it may have been rewritten.',
    todo: 'Stop and investigate: run GET /audit/v1/verify and compare with the witnesses’ checkpoints.',
  },
  preconditionFailed: {
    means: 'The resource changed since it was read (its ETag is another).',
    todo: 'Read it again, apply the change to what is there now, and send it with the new ETag in If-Match.',
  },
  preconditionRequired: {
    means: 'An update needs the ETag of the resource as it was read.',
    todo: 'Read the resource, then send its ETag in If-Match.',
  },
  tooManyRequests: {
    means:
      'A limit was reached: the consent’s rate limit, queries at once, or failed sign-ins from this address.',
    todo: 'Wait the seconds in Retry-After; send fewer requests at once.',
  },
  missingToken: {
    means: 'The operation needs a bearer token and the request carried none.',
    todo: 'Get an identity token from POST /auth/v1/token (client credentials) and send it as Authorization: Bearer.',
  },
  invalidToken: {
    means: 'The token is malformed, or its signature does not verify.',
    todo: 'Get a new token from POST /auth/v1/token; never edit a token.',
  },
  unsupportedAlgorithm: {
    means: 'The token is signed with an algorithm the gateway does not accept.',
    todo: 'Use a token the gateway issued.',
  },
  unknownKey: {
    means: 'The token names a signing key the gateway does not have (in its JWKS).',
    todo: 'Get a new token; keys are rotated and old ones leave the JWKS.',
  },
  tokenExpired: { means: 'The token has expired.', todo: 'Get a new one: tokens are short-lived by design.' },
  tokenNotYetValid: { means: 'The token is not valid yet (nbf).', todo: 'Check this machine’s clock.' },
  invalidAudience: {
    means: 'The token is meant for another part of the gateway.',
    todo: 'The management API takes identity tokens (POST /auth/v1/token); the data API takes access tokens (POST /auth/v1/access-tokens).',
  },
  invalidIssuer: {
    means: 'The token was issued by another gateway.',
    todo: 'Get a token from this gateway.',
  },
  clientRevoked: {
    means:
      'The client the token was issued to was revoked, or its secret rotated after the token was issued.',
    todo: 'Ask the city admin for a client, or sign in again with the new secret.',
  },
  forbidden: {
    means: 'This client’s organisation or roles do not allow the operation.',
    todo: 'detail names the rule; ask the organisation’s admin or the city admin for the role it needs.',
  },
  invalidClient: {
    means: 'Client authentication failed: the client id or secret is wrong.',
    todo: 'Check the client id and secret. After ten failures from one address, that address waits five minutes.',
  },
  invalidRequest: {
    means: 'The token request is malformed.',
    todo: 'Send grant_type=client_credentials with the client’s credentials once.',
  },
  unsupportedGrantType: {
    means: 'Only the client_credentials grant is supported.',
    todo: 'Send grant_type=client_credentials.',
  },
  invalidScope: {
    means: 'The scope names a role this client does not have.',
    todo: 'Ask only for the client’s roles.',
  },
  invalidCredentials: {
    means:
      'The console could not sign this person in: the e-mail address is unknown, the password is wrong, or the member is suspended.',
    todo: 'Check both and try again; after ten failures from one address the sign-in waits five minutes. An admin of the organisation can send a new invitation.',
  },
  signInRequired: {
    means:
      'This console page shows an organisation’s own objects, and no one is signed in (or the session ended: idle too long or past its end).',
    todo: 'Sign in at /sign-in and open the page again.',
  },
  csrfRejected: {
    means: 'A console form arrived without the token of the session that showed it, or from another site.',
    todo: 'Reload the page and send the form from it; a form kept open across a sign-out cannot be sent.',
  },
  consentRequested: {
    means: 'The consent was requested, and its provider has not granted it yet.',
    todo: 'Wait for the provider’s decision; GET /consent/v1/consents/{id} shows its state.',
  },
  consentDenied: {
    means: 'The provider denied the consent.',
    todo: 'Ask for a new consent that meets the provider’s reason.',
  },
  consentPaused: {
    means: 'The provider paused the consent.',
    todo: 'Wait until it is resumed, or ask the provider why.',
  },
  consentRevoked: { means: 'The consent was revoked.', todo: 'Ask for a new consent.' },
  consentExpired: { means: 'The consent’s term has ended.', todo: 'Ask for a new consent.' },
  consentNotYetValid: { means: 'The consent’s term has not started.', todo: 'Wait for its validFrom.' },
  mouNotActive: {
    means: 'The MoU has not been signed by every party yet.',
    todo: 'Every party’s admin signs it: POST /consent/v1/mous/{id}/sign.',
  },
  mouSuspended: {
    means: 'The city suspended the MoU; its consents release nothing meanwhile.',
    todo: 'Wait until it is resumed.',
  },
  mouTerminated: { means: 'The MoU has been terminated.', todo: 'Data flows again only under a new MoU.' },
  mouExpired: {
    means: 'The MoU’s term has ended.',
    todo: 'Data flows again only under a new MoU, or an amended end date.',
  },
  mouNotInTerm: { means: 'The MoU’s term has not started.', todo: 'Wait for its effectiveFrom.' },
  notParty: {
    means: 'The organisation is not a party to the MoU.',
    todo: 'Ask the city to include it in an MoU.',
  },
  providerNotParty: {
    means: 'The provider of the items is no longer a party to the MoU (it withdrew).',
    todo: 'Data from it flows again only under an MoU it is party to.',
  },
  purposeNotInMou: {
    means: 'The purpose is not one the MoU names (or no longer, after an amendment).',
    todo: 'Ask under one of the purposes in allowedPurposes, or ask the city to amend the MoU.',
  },
  personalDataNotAllowed: {
    means: 'The item holds personal data, which the MoU does not allow for this purpose.',
    todo: 'Use a purpose the MoU allows personal data for, or non-personal items.',
  },
  itemOutsideConsent: {
    means: 'The item is not covered by the consent.',
    todo: 'Ask for a consent covering it.',
  },
  accessTypeNotGranted: {
    means: 'The consent does not grant this access type (latest, temporal, download…).',
    todo: 'Ask for a consent with it.',
  },
  attributeNotGranted: {
    means: 'The query asks for attributes the consent does not grant.',
    todo: 'Ask only for granted attributes (attrs).',
  },
  timeRangeOutsideConsent: {
    means: 'The data time range asked for is outside the consent’s.',
    todo: 'Narrow timeAt/endTimeAt to the consent’s range.',
  },
  releaseLevelAboveConsent: {
    means: 'The resource is released at a level more revealing than the consent allows.',
    todo: 'Query its aggregates, or ask for a consent at that level if the MoU allows it.',
  },
  releaseTermsChanged: {
    means: 'The consent or MoU changed while the answer was prepared.',
    todo: 'Ask again: the answer follows the terms as they are now.',
  },
  itemOutsideToken: {
    means: 'The access token is for another item.',
    todo: 'Get an access token for this item.',
  },
  notAccessToken: {
    means: 'The data API takes access tokens, and this is not one (an identity token, for instance).',
    todo: 'Ask POST /auth/v1/access-tokens with {item, consent} and your identity token, then send the access token.',
  },
  notResourceProvider: {
    means: 'Only the resource’s provider (or its adapter) publishes its records.',
    todo: 'Use a client of the provider.',
  },
  notAcceptable: {
    means: 'None of the media types in Accept can be produced.',
    todo: 'Accept application/json, application/geo+json or text/csv.',
  },
  queryTooBroad: {
    means: 'The query would test too many records, or take too long, before its filter is applied.',
    todo: 'Narrow the time range or the area, or simplify q.',
  },
  upstreamUnavailable: {
    means: 'The provider’s own API (proxy mode) did not answer with data.',
    todo: 'Try later; the provider sees the failure in its audit view.',
  },
  upstreamInvalid: {
    means: 'The provider’s API answered with data that does not fit the data model.',
    todo: 'Tell the provider; try later.',
  },
  upstreamTimeout: { means: 'The provider’s API did not answer in time.', todo: 'Try later.' },
  subscriptionEnded: {
    means:
      'The subscription has ended: its consent or MoU stopped for good (revoked, expired, terminated, left), or its consumer deleted it.',
    todo: 'Read the subscription for its ended reason; subscribe again under an active consent.',
  },
  streamBehind: {
    means:
      'The event stream held more unread notifications than the gateway keeps for one consumer, so it was closed rather than buffer without bound.',
    todo: 'Reconnect with the Last-Event-ID of the last event you read: the stream resumes from there with nothing lost, while the records are retained. Read faster, or throttle the subscription.',
  },
  alreadyInitialised: {
    means: 'This gateway already has a city administrator.',
    todo: 'Use the existing admin client.',
  },
  notReady: {
    means: 'A dependency (the database) is unreachable or busy.',
    todo: 'Try again after Retry-After.',
  },
  internalError: {
    means: 'An unexpected error occurred; nothing about it is shown.',
    todo: 'Quote the instance (request id) to the operators.',
  },
};

/** The advice for a problem, or one for its status class where none is written. */
export function problemAdvice(name: ProblemName, status: number): Advice {
  return (
    advice[name] ?? {
      means: status >= 500 ? 'The gateway could not answer.' : 'The request was refused.',
      todo: 'detail says why.',
    }
  );
}
