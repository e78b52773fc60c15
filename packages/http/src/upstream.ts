import { isIP } from 'node:net';
import { env, type FieldError } from '@sangam/core';
import { isPublicAddress } from './outside.js';

/** Settings of whatever fetches a provider's own API (the catalogue checks upstreams, the proxy calls them). */
export const upstreamSettings = {
  SANGAM_UPSTREAM_ALLOW_HOSTS: env.list({
    default: [],
    item: /^[A-Za-z0-9.-]+$/,
    description: 'Hosts a proxy-mode upstream may name over plain http (https is allowed for any host)',
  }),
};

/** Query parameters that carry a secret by their name: API keys, tokens, signatures, passwords. */
const credentialParameter =
  /^(x[-_]?)?(api[-_]?key|apikey|key|app[-_]?key|access[-_]?key|subscription[-_]?key|token|access[-_]?token|auth|authorization|secret|client[-_]?secret|password|passwd|pwd|signature)$/i;

/**
 * Only https upstreams, or plain http to an allow-listed host; never credentials in the URL (user info or a key in
 * the query string: those are secrets, kept apart and sent as a header); never an address inside
 * (loopback, private, link-local…) unless allow-listed. Names are checked again where they are connected to.
 */
export function upstreamErrors(
  upstream: string,
  allowHosts: readonly string[],
  options: {
    /** Refuse a key in the URL (at registration); a URL stored before keys were refused is still fetched. */
    readonly refuseCredentials?: boolean;
  } = {},
): FieldError[] {
  const field = '/source/upstream';
  let url: URL;
  try {
    url = new URL(upstream);
  } catch {
    return [{ field, message: 'is not an absolute URL' }];
  }
  const credentialsAt = '; set them with PUT /cat/v1/upstream-credentials/{id}, kept as a secret';
  if (url.username || url.password) return [{ field, message: `must not carry credentials${credentialsAt}` }];
  const secret = [...url.searchParams.keys()].find((name) => credentialParameter.test(name));
  if (secret !== undefined && options.refuseCredentials !== false) {
    return [{ field, message: `must not carry a credential (the "${secret}" parameter)${credentialsAt}` }];
  }
  const allowed = allowHosts.includes(url.hostname);
  // The URL parser has turned every spelling of an IPv4 address into a dotted quad already (2130706433, 0x7f.1).
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!allowed && isIP(host) !== 0 && !isPublicAddress(host)) {
    return [{ field, message: `names ${host}, which is not a public address` }];
  }
  if (url.protocol === 'https:' || (url.protocol === 'http:' && allowed)) return [];
  return [{ field, message: 'must be https, or http to a host on SANGAM_UPSTREAM_ALLOW_HOSTS' }];
}
