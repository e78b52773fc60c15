import type { IncomingMessage } from 'node:http';

/**
 * The address a request came from, for limits that must be fair between callers (sign-in attempts). Only the
 * connection's own address: forwarded headers are anyone's to write. A request that came through no socket (an
 * in-process call) is `local`.
 */
export function sourceOf(c: { env: unknown }): string {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  const address = incoming?.socket?.remoteAddress ?? 'local';
  // One IPv6 host holds a whole /64: its addresses count as one source.
  if (address.includes(':') && !address.startsWith('::ffff:') && address !== '::1') {
    return `${expandIpv6(address).slice(0, 4).join(':')}::/64`;
  }
  return address;
}

function expandIpv6(address: string): string[] {
  const [head = '', tail = ''] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = address.includes('::') && tail ? tail.split(':') : [];
  const zeros = Array.from({ length: Math.max(0, 8 - left.length - right.length) }, () => '0');
  return address.includes('::') ? [...left, ...zeros, ...right] : address.split(':');
}

/** Did the request come over a connection from this machine (a loopback address)? In-process calls did not. */
export function fromThisMachine(c: { env: unknown }): boolean {
  const source = sourceOf(c);
  return source === '::1' || source.startsWith('127.') || source.startsWith('::ffff:127.');
}
