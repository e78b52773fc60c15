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

/** Did the request come over a connection from this machine (a loopback address)? In-process calls did not. */
export function fromThisMachine(c: { env: unknown }): boolean {
  const source = sourceOf(c);
  return source === '::1' || source.startsWith('127.') || source.startsWith('::ffff:127.');
}
