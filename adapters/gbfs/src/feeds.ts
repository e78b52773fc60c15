import { FeedError } from '@sangam/adapter-kit';
import type { GbfsVersion } from './schemas.js';

/** The feeds a GBFS system publishes, by name, from its gbfs.json. */
export interface Discovery {
  readonly version: GbfsVersion;
  readonly ttl: number;
  readonly lastUpdated: string;
  readonly feeds: ReadonlyMap<string, string>;
}

/** GBFS 2.3 times are POSIX seconds; 3.0 times are RFC 3339 text. Both as canonical UTC text. */
export function gbfsTime(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return new Date(value * 1000).toISOString();
  if (typeof value === 'string') {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
  }
  return undefined;
}

/** Reads gbfs.json: 2.3 lists feeds per language (`data.<lang>.feeds`), 3.0 once (`data.feeds`). */
export function discover(document: unknown, language?: string): Discovery {
  const doc = document as { version?: unknown; ttl?: unknown; last_updated?: unknown; data?: unknown };
  const version = doc.version === '3.0' ? '3.0' : doc.version === '2.3' ? '2.3' : undefined;
  if (!version)
    throw new FeedError(
      'invalid',
      `gbfs.json names version ${JSON.stringify(doc.version)}; 2.3 and 3.0 are read`,
    );
  const data = (doc.data ?? {}) as Record<string, unknown>;
  let list: unknown;
  if (version === '3.0') list = (data as { feeds?: unknown }).feeds;
  else {
    const languages = Object.keys(data);
    const chosen = language && languages.includes(language) ? language : languages[0];
    list = chosen ? (data[chosen] as { feeds?: unknown } | undefined)?.feeds : undefined;
  }
  if (!Array.isArray(list)) throw new FeedError('invalid', 'gbfs.json lists no feeds');
  const feeds = new Map<string, string>();
  for (const f of list as { name?: unknown; url?: unknown }[]) {
    if (typeof f.name === 'string' && typeof f.url === 'string') feeds.set(f.name, f.url);
  }
  return {
    version,
    ttl: typeof doc.ttl === 'number' ? doc.ttl : 60,
    lastUpdated: gbfsTime(doc.last_updated) ?? new Date(0).toISOString(),
    feeds,
  };
}
