import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { buildConnector } from 'undici';

/**
 * Addresses no partner URL may reach unless its host is explicitly allow-listed: this machine, its networks and the
 * cloud metadata service. WHATWG URL parsing already turns every IPv4 spelling (decimal, hex, octal, short forms)
 * into dotted quads; IPv4-mapped and NAT64 IPv6 addresses are checked as the IPv4 address they carry.
 */
const inside = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this network", unspecified
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  inside.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['100::', 64], // discard
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const) {
  inside.addSubnet(network, prefix, 'ipv6');
}

/** The IPv4 address an IPv6 address carries (IPv4-mapped `::ffff:a.b.c.d`, NAT64 `64:ff9b::a.b.c.d`), if any. */
function embeddedIpv4(address: string): string | undefined {
  const lower = address.toLowerCase();
  const match = /^(?:::ffff:(?:0:)?|64:ff9b::)(.+)$/.exec(lower);
  if (!match?.[1]) return undefined;
  const tail = match[1];
  if (isIP(tail) === 4) return tail;
  const hex = /^([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(tail);
  if (!hex) return undefined;
  const high = Number.parseInt(hex[1] as string, 16);
  const low = Number.parseInt(hex[2] as string, 16);
  return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
}

/** Is this IP address out in the world (not loopback, private, link-local, unique-local, multicast or unspecified)? */
export function isPublicAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '');
  const family = isIP(bare);
  if (family === 4) return !inside.check(bare, 'ipv4');
  if (family !== 6) return false;
  const carried = embeddedIpv4(bare);
  if (carried !== undefined) return !inside.check(carried, 'ipv4');
  return !inside.check(bare, 'ipv6');
}

export class InsideAddressError extends Error {
  readonly code = 'ENOTPUBLIC';
}

/**
 * A connector for undici that reaches only the outside world: an IP host is checked as is; a name is resolved once,
 * every address it resolves to is checked, and the connection goes to an address that was checked (no second
 * lookup, so a name cannot change its answer in between). Hosts in `allowHosts` are exempt.
 */
export function outsideOnlyConnector(options: { allowHosts: readonly string[]; timeoutMs: number }) {
  const allowed = new Set(options.allowHosts.map((h) => h.toLowerCase()));
  const checkedLookup = (
    hostname: string,
    lookupOptions: { all?: boolean },
    callback: (error: Error | null, address: string | LookupAddress[], family?: number) => void,
  ) => {
    dnsLookup(hostname, { all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const exempt = allowed.has(hostname.toLowerCase());
      const bad = addresses.find((a) => !isPublicAddress(a.address));
      if (bad && !exempt) {
        return callback(
          new InsideAddressError(`${hostname} resolves to ${bad.address}, which is not public`),
          [],
        );
      }
      if (lookupOptions.all) return callback(null, addresses);
      const first = addresses[0];
      return first
        ? callback(null, first.address, first.family)
        : callback(new Error(`${hostname}: no address`), []);
    });
  };
  const connect = buildConnector({
    timeout: options.timeoutMs,
    lookup: checkedLookup,
  } as buildConnector.BuildOptions);
  return (connectOptions: buildConnector.Options, callback: buildConnector.Callback): void => {
    const host = connectOptions.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host) !== 0 && !isPublicAddress(host) && !allowed.has(host.toLowerCase())) {
      callback(new InsideAddressError(`${host} is not a public address`), null);
      return;
    }
    connect(connectOptions, callback);
  };
}
