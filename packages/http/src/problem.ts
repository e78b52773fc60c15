import { DxError, problems, problemType, type ServiceCode } from '@sangam/core';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv } from './env.js';

export const problemContentType = 'application/problem+json';

/** Renders any thrown value as RFC 9457 problem+json: a DxError as itself, anything else as a 500 with no detail. */
export function renderProblem(c: Context<AppEnv>, error: unknown, service: ServiceCode): Response {
  const dx = toDxError(error);
  if (dx.status >= 500) {
    c.var.logger?.error({ err: error, reqId: c.var.requestId }, 'request failed');
  }
  const body = {
    ...dx.extensions,
    type: problemType(service, dx.problem),
    title: problemTitle(dx),
    status: dx.status,
    detail: dx.detail,
    instance: c.var.requestId,
  };
  const headers: Record<string, string> = {
    ...dx.headers,
    'content-type': problemContentType,
    // Where the problem type is explained, with what to do about it.
    link: `</docs/problems/${dx.problem}>; rel="help"`,
  };
  const requestId = c.var.requestId;
  if (requestId) headers['x-request-id'] = requestId;
  return c.body(JSON.stringify(body), dx.status as ContentfulStatusCode, headers);
}

function problemTitle(error: DxError): string {
  return problems[error.problem].title;
}

// Errors that mean a dependency is unreachable or overloaded, not a bug: connection failures, PostgreSQL's
// admin shutdown, cannot-connect and query-cancelled classes, SQLite's busy database.
const unavailable = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  '57P01',
  '57P03',
  '57014',
  'SQLITE_BUSY',
]);

function toDxError(error: unknown): DxError {
  if (error instanceof DxError) return error;
  const code = error && typeof error === 'object' && 'code' in error ? String(error.code) : '';
  if (unavailable.has(code) || code.startsWith('08')) {
    return new DxError('notReady', 'A dependency is unreachable or busy; try again shortly', {
      headers: { 'retry-after': '2' },
    });
  }
  // hono's own HTTPExceptions (e.g. from a helper) keep their status where it is a client error.
  if (error && typeof error === 'object' && 'status' in error && typeof error.status === 'number') {
    if (error.status === 413) return new DxError('payloadTooLarge');
    if (error.status === 400) return new DxError('invalidPayload');
    if (error.status === 401) return new DxError('missingToken');
  }
  return new DxError(
    'internalError',
    'An unexpected error occurred; the request id identifies it in the logs',
  );
}
