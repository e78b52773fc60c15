import type { IncomingMessage } from 'node:http';

/**
 * The address a request came from, for limits that must be fair between callers (sign-in attempts). Only the
 * connection's own address: forwarded headers are anyone's to write. A request that came through no socket (an
 * in-process call) is `local`.
 */
export function sourceOf(c: { env: unknown }): string {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? 'local';
}
