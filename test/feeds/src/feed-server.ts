import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { type Clock, systemClock } from '@sangam/core';
import { type SyntheticCity, syntheticGbfs, syntheticGbfsDiscovery } from './gbfs-synthetic.js';
import { itmsDocument } from './itms.js';
import { type SyntheticBusFleet, syntheticGtfsRealtime, syntheticIudxItms } from './itms-synthetic.js';
import {
  type SyntheticFleet,
  syntheticEvents,
  syntheticTrips,
  syntheticVehicleStatus,
} from './mds-synthetic.js';

/** The shared fixtures beside the project (CI has shared/ beside the clone). */
export const fixturesDir = resolve(import.meta.dirname, '../../../../shared/fixtures');

export type Fault = 'down' | 'slow' | 'http-500' | 'malformed' | 'invalid' | 'endless' | 'stale';
export const faults: readonly Fault[] = [
  'down',
  'slow',
  'http-500',
  'malformed',
  'invalid',
  'endless',
  'stale',
];

export interface FeedServer {
  readonly url: string;
  /** Every request made so far, by path. */
  readonly requests: string[];
  /** Makes every answer fail in one way, or (undefined) serves normally again. */
  fault(mode: Fault | undefined): void;
  /**
   * Pins the feed's own time (`last_updated` of what it serves) apart from its clock, as a partner whose clock
   * differs would; `undefined` follows the clock again.
   */
  setTime(at: Date | undefined): void;
  /** Entry URLs: `gbfs(version)` for the fixtures, `gbfs(version, city)` for a synthetic city. */
  gbfs(version: '2.3' | '3.0', synthetic?: string): string;
  /** Registers a synthetic city under a name. */
  city(name: string, city: SyntheticCity): void;
  /** Registers a synthetic MDS fleet, served at `/mds/<name>/trips` to clients sending `token`. */
  fleet(name: string, fleet: SyntheticFleet, token: string): void;
  /**
   * Registers a synthetic bus fleet, served as GTFS-realtime at `/itms/<name>/gtfs-rt.pb` and as IUDX ITMS JSON at
   * `/itms/<name>/iudx.json`, where the buses are at the feed's time.
   */
  buses(name: string, fleet: SyntheticBusFleet): void;
  close(): Promise<void>;
}

/**
 * A partner-feed server for tests, benchmarks and the demo: the GBFS and ITMS fixtures (with their feed URLs pointed
 * back here and their times made current by the given clock, the gateway's in tests), seeded synthetic cities, MDS
 * fleets and bus fleets of any size made without any fixture, conditional requests (ETag), and fault modes.
 */
export async function startFeedServer(options: { clock?: Clock } = {}): Promise<FeedServer> {
  const source = options.clock ?? systemClock;
  let fault: Fault | undefined;
  let now: Date | undefined;
  const requests: string[] = [];
  const cities = new Map<string, SyntheticCity>();
  const cache = new Map<string, unknown>();
  const bodies = new Map<string, { body: string; etag: string }>();
  const fleets = new Map<string, { fleet: SyntheticFleet; token: string }>();
  const busFleets = new Map<string, SyntheticBusFleet>();
  const clock = () => now ?? source.now();
  const fixture = (name: string) => JSON.parse(readFileSync(join(fixturesDir, 'gbfs', name), 'utf8'));
  let base = '';

  const time = (version: string, at: Date) =>
    version === '3.0' ? at.toISOString().replace(/\.\d{3}Z$/, 'Z') : Math.floor(at.getTime() / 1000);

  /** The document at a path, or undefined. */
  const document = (path: string): unknown => {
    const match = /^\/gbfs\/(2\.3|3\.0)\/(?:([a-z0-9-]+)\/)?([a-z_]+)\.json$/.exec(path);
    if (!match) return undefined;
    const [, version = '', cityName, file = ''] = match;
    const at = clock();
    const prefix = `${base}/gbfs/${version}/${cityName ? `${cityName}/` : ''}`;
    const names =
      version === '3.0'
        ? ['station_information', 'station_status', 'vehicle_status']
        : ['station_information', 'station_status', 'free_bike_status'];
    if (cityName) {
      // A synthetic city is made whole, its discovery file too: nothing of it comes from the fixtures.
      const city = cities.get(cityName);
      if (!city) return undefined;
      const v = version as '2.3' | '3.0';
      return file === 'gbfs' ? syntheticGbfsDiscovery(v, city, at, prefix) : syntheticGbfs(v, file, city, at);
    }
    if (file === 'gbfs') {
      // The fixture's own discovery file, its feeds pointed back at this server.
      const discovery = fixture(`v${version}_gbfs.json`) as {
        data: Record<string, { feeds?: { name: string }[] }>;
      };
      const point = (feeds: { name: string }[]) =>
        feeds.map((f) => ({ ...f, url: `${prefix}${f.name}.json` }));
      const data =
        version === '3.0'
          ? { feeds: point((discovery.data as unknown as { feeds: { name: string }[] }).feeds) }
          : Object.fromEntries(
              Object.entries(discovery.data).map(([lang, d]) => [lang, { feeds: point(d.feeds ?? []) }]),
            );
      return { ...discovery, last_updated: time(version, at), ttl: 0, data };
    }
    const fixtureFile = `v${version}_${file}.json`;
    if (file === 'station_information') {
      // The fixtures hold no station_information: one is made for their stations, near the vehicles' city.
      const status = fixture(`v${version}_station_status.json`) as {
        data: { stations: { station_id: string }[] };
      };
      const stations = status.data.stations.map((s, i) => ({
        station_id: s.station_id,
        name: version === '3.0' ? [{ text: `Station ${i + 1}`, language: 'en' }] : `Station ${i + 1}`,
        lat: version === '3.0' ? 48.85 + i * 0.01 : 59.91 + i * 0.01,
        lon: version === '3.0' ? 2.33 + i * 0.01 : 10.76 + i * 0.01,
      }));
      return { last_updated: time(version, at), ttl: 0, version, data: { stations } };
    }
    if (!names.includes(file)) return undefined;
    const doc = fixture(fixtureFile) as Record<string, unknown>;
    return { ...doc, last_updated: time(version, at) };
  };

  /** A synthetic bus fleet's feed at a path, or undefined: `/itms/<name>/gtfs-rt.pb` or `/itms/<name>/iudx.json`. */
  const busDocument = (path: string): Uint8Array | object | undefined => {
    const match = /^\/itms\/([a-z0-9-]+)\/(gtfs-rt\.pb|iudx\.json)$/.exec(path);
    const fleet = match ? busFleets.get(match[1] ?? '') : undefined;
    if (!fleet) return undefined;
    return match?.[2] === 'gtfs-rt.pb'
      ? syntheticGtfsRealtime(fleet, clock())
      : syntheticIudxItms(fleet, clock());
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    requests.push(path);
    switch (fault) {
      case 'down':
        req.socket.destroy();
        return;
      case 'slow': {
        const timer = setTimeout(() => res.end('{}'), 30_000);
        res.on('close', () => clearTimeout(timer));
        return;
      }
      case 'http-500':
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end('{"error":"internal"}');
        return;
      case 'malformed':
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"last_updated": 1700000000, "data": {');
        return;
      case 'endless': {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"data": [');
        // Large writes: a feed without end should be too large long before any timeout, however busy the machine.
        const chunk = '{"x":1},'.repeat(8192);
        const pump = () => {
          while (res.write(chunk)) {}
        };
        res.on('drain', pump);
        res.on('close', () => res.off('drain', pump));
        pump();
        return;
      }
      default:
        break;
    }
    const mds = /^\/mds\/([a-z0-9-]+)\/(trips|events\/historical|vehicles\/status)$/.exec(path);
    if (mds) {
      const registered = fleets.get(mds[1] ?? '');
      const send = (status: number, body?: unknown) => {
        res.writeHead(status, { 'content-type': 'application/vnd.mds+json;version=2.0' });
        res.end(body === undefined ? '' : JSON.stringify(body));
      };
      if (!registered) return send(404);
      if (req.headers.authorization !== `Bearer ${registered.token}`)
        return send(401, { error: 'unauthorized' });
      if (!/version=2\.0/.test(String(req.headers.accept ?? '')))
        return send(406, { error: 'unsupported version' });
      const now = clock().getTime();
      if (mds[2] === 'vehicles/status') {
        return send(200, {
          version: '2.0.0',
          last_updated: now,
          ttl: 60_000,
          vehicles_status: syntheticVehicleStatus(registered.fleet, now),
        });
      }
      const parameter = mds[2] === 'trips' ? 'end_time' : 'event_time';
      const hour = new URL(req.url ?? '/', base).searchParams.get(parameter) ?? '';
      const start = /^\d{4}-\d{2}-\d{2}T\d{2}$/.test(hour) ? Date.parse(`${hour}:00:00Z`) : Number.NaN;
      if (Number.isNaN(start)) return send(400, { error: `${parameter} is YYYY-MM-DDTHH` });
      // An hour is served once it has ended (and a minute more for the provider to process it).
      if (start + 3_600_000 > now) return send(404);
      if (start + 3_660_000 > now) return send(202);
      if (mds[2] === 'events/historical') {
        return send(200, { version: '2.0.0', events: syntheticEvents(registered.fleet, start) });
      }
      return send(200, { version: '2.0.0', trips: syntheticTrips(registered.fleet, start) });
    }
    // Synthetic documents are made once per path and feed time: a benchmark measures the adapter, not the server.
    const cacheKey = `${path}@${clock().getTime()}`;
    const itms = path.startsWith('/itms/') ? (busDocument(path) ?? itmsDocument(path, clock())) : undefined;
    if (itms instanceof Uint8Array && fault === undefined) {
      res.writeHead(200, { 'content-type': 'application/x-protobuf' });
      res.end(itms);
      return;
    }
    // Fault-free synthetic bodies are kept serialised too, with their ETag: one hashing per feed time, not per poll.
    const keepBody = fault === undefined && itms === undefined && path.split('/').length > 4;
    const kept = keepBody ? bodies.get(cacheKey) : undefined;
    if (kept) return send(kept.body, kept.etag);
    let doc = itms instanceof Uint8Array ? {} : (itms ?? cache.get(cacheKey) ?? document(path));
    if (doc !== undefined && path.split('/').length > 4) {
      if (cache.size > 32) cache.clear();
      cache.set(cacheKey, doc);
    }
    if (doc === undefined) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{}');
      return;
    }
    if (fault === 'invalid') doc = { ...(doc as object), data: 'not what the schema says' };
    if (fault === 'stale') {
      const old = new Date(clock().getTime() - 6 * 3_600_000);
      const version = (doc as { version?: string }).version ?? '2.3';
      doc = { ...(doc as object), last_updated: time(version, old) };
    }
    const body = JSON.stringify(doc);
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"`;
    if (keepBody) {
      if (bodies.size > 8) bodies.clear();
      bodies.set(cacheKey, { body, etag });
    }
    send(body, etag);

    function send(body: string, etag: string): void {
      if (req.headers['if-none-match'] === etag) {
        res.writeHead(304, { etag });
        res.end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json', etag });
      res.end(body);
    }
  };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    try {
      handle(req, res);
    } catch (error) {
      // A feed that cannot be made (a fixture missing, say) is a server error, as a partner's would be; it must
      // not take down the process that serves it (the demo runs it inside the gateway).
      if (res.headersSent) {
        res.destroy();
        return;
      }
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: (error as Error).message }));
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    requests,
    fault(mode) {
      fault = mode;
    },
    setTime(at) {
      now = at;
    },
    gbfs(version, synthetic) {
      return `${base}/gbfs/${version}/${synthetic ? `${synthetic}/` : ''}gbfs.json`;
    },
    city(name, city) {
      cities.set(name, city);
      // A city registered again under its name is another city: nothing made for the old one is served.
      cache.clear();
      bodies.clear();
    },
    fleet(name, fleet, token) {
      fleets.set(name, { fleet, token });
    },
    buses(name, fleet) {
      busFleets.set(name, fleet);
    },
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
