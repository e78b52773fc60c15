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

/**
 * Only https upstreams, or plain http to an allow-listed host; never credentials in the URL; never an address inside
 * (loopback, private, link-local…) unless allow-listed. Names are checked again where they are connected to.
 */
export function upstreamErrors(upstream: string, allowHosts: readonly string[]): FieldError[] {
  const field = '/source/upstream';
  let url: URL;
  try {
    url = new URL(upstream);
  } catch {
    return [{ field, message: 'is not an absolute URL' }];
  }
  if (url.username || url.password) return [{ field, message: 'must not carry credentials' }];
  const allowed = allowHosts.includes(url.hostname);
  // The URL parser has turned every spelling of an IPv4 address into a dotted quad already (2130706433, 0x7f.1).
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!allowed && isIP(host) !== 0 && !isPublicAddress(host)) {
    return [{ field, message: `names ${host}, which is not a public address` }];
  }
  if (url.protocol === 'https:' || (url.protocol === 'http:' && allowed)) return [];
  return [{ field, message: 'must be https, or http to a host on SANGAM_UPSTREAM_ALLOW_HOSTS' }];
}
