import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBase32 } from '@sangam/core';

// What a client may send as its own trace id: short and plain, so it cannot smuggle anything into logs or entries.
const clientRequestIdPattern = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * The security headers of every answer: those hono's secureHeaders sets by default, with resources shared within
 * the site only and no referrer, computed once instead of per request.
 */
export const securityHeaders: readonly (readonly [string, string])[] = [
  ['cross-origin-resource-policy', 'same-site'],
  ['cross-origin-opener-policy', 'same-origin'],
  ['origin-agent-cluster', '?1'],
  ['referrer-policy', 'no-referrer'],
  ['strict-transport-security', 'max-age=15552000; includeSubDomains'],
  ['x-content-type-options', 'nosniff'],
  ['x-dns-prefetch-control', 'off'],
  ['x-download-options', 'noopen'],
  ['x-frame-options', 'SAMEORIGIN'],
  ['x-permitted-cross-domain-policies', 'none'],
  ['x-xss-protection', '0'],
];

// Request ids need to be unique, not secret: a random prefix per process and a counter, instead of 15 random bytes
// a request.
const requestIdPrefix = `req_${randomBase32(50)}`;
let requestCount = 0;

/**
 * A new request id. The gateway owns it: it names the request in audit entries and problems, so no client may
 * choose it (an anonymous caller could otherwise write entries under another party's id).
 */
export function newRequestId(): string {
  return `${requestIdPrefix}${(requestCount++).toString(36)}`;
}

/** The client's own `X-Request-Id`, kept beside the gateway's when well-formed and short; nothing trusts it. */
export function clientRequestIdOf(incoming: string | null | undefined): string | undefined {
  return incoming && clientRequestIdPattern.test(incoming) ? incoming : undefined;
}

const stampedId = Symbol('sangam.requestId');

/**
 * Puts the request id and the security headers on the node response before the app sees the request: node merges
 * them into whatever response the handler makes, which then keeps the node server's fast path (headers a hono
 * middleware sets become a web Headers object on every response).
 */
export function stampResponse(incoming: IncomingMessage, outgoing: ServerResponse): void {
  const id = newRequestId();
  (incoming as IncomingMessage & { [stampedId]?: string })[stampedId] = id;
  outgoing.setHeader('x-request-id', id);
  for (const [name, value] of securityHeaders) outgoing.setHeader(name, value);
}

/** The id `stampResponse` gave a request, or undefined for a request that did not come through it. */
export function stampedRequestId(env: unknown): string | undefined {
  const incoming = (env as { incoming?: IncomingMessage & { [stampedId]?: string } } | undefined)?.incoming;
  return incoming?.[stampedId];
}
