import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

const bare = (address: string) => (address.startsWith('::ffff:') ? address.slice(7) : address);

/**
 * The client's address: the connection's own, or, when the connection comes from a trusted proxy, the nearest
 * address in `X-Forwarded-For` that is not itself a trusted proxy (the rest of the header is anyone's to write).
 */
export function clientAddress(
  socketAddress: string,
  forwardedFor: string | undefined,
  trustedProxies: readonly string[],
): string {
  let address = socketAddress;
  if (!forwardedFor || !trustedProxies.includes(bare(address))) return address;
  const hops = forwardedFor.split(',').map((hop) => hop.trim());
  for (let i = hops.length - 1; i >= 0; i -= 1) {
    const hop = hops[i] ?? '';
    if (isIP(bare(hop)) === 0) return address;
    address = hop;
    if (!trustedProxies.includes(bare(hop))) return hop;
  }
  return address;
}

/**
 * The address a request came from, for limits that must be fair between callers (sign-in attempts): as the
 * gateway worked it out (`clientAddress`), else the connection's own. A request that came through no socket (an
 * in-process call) is `local`.
 */
export function sourceOf(c: { env: unknown; var?: unknown }): string {
  const known = (c.var as { source?: string } | undefined)?.source;
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  const address = known ?? incoming?.socket?.remoteAddress ?? 'local';
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
export function fromThisMachine(c: { env: unknown; var?: unknown }): boolean {
  const source = sourceOf(c);
  return source === '::1' || source.startsWith('127.') || source.startsWith('::ffff:127.');
}
