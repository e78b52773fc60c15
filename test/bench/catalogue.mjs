// pnpm bench:catalogue — search latency over HTTP with 100,000 synthetic items in ten cities, on SQLite and
// PostgreSQL. Each kind of search runs 300 times; p50/p95 are printed beside GET /health over the same HTTP
// path in the same run (the baseline). BENCH_CATALOGUE_ITEMS and BENCH_BACKENDS change the run.

import { performance } from 'node:perf_hooks';
import { importItems } from '@sangam/catalogue';
import { ManualClock } from '@sangam/core';
import { migrateToLatest, sql } from '@sangam/db';
import { buildGateway, loadGatewayConfig } from '@sangam/gateway';
import { createLogger, startServer } from '@sangam/http';
import { openBenchDatabase } from './backends.mjs';

const total = Number(process.env.BENCH_CATALOGUE_ITEMS ?? 100_000);
const backends = (process.env.BENCH_BACKENDS ?? 'sqlite,postgres').split(',');
const runs = 300;

// A seeded generator, so every run searches the same catalogue.
let seed = 42;
const random = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed / 2_147_483_648;
};
const pick = (list) => list[Math.floor(random() * list.length)];

const cities = [
  ['Surat', 72.83, 21.17],
  ['Pune', 73.85, 18.52],
  ['Bengaluru', 77.59, 12.97],
  ['Chennai', 80.27, 13.08],
  ['Kochi', 76.27, 9.93],
  ['Jaipur', 75.79, 26.91],
  ['Indore', 75.86, 22.72],
  ['Bhopal', 77.41, 23.26],
  ['Nagpur', 79.09, 21.15],
  ['Lucknow', 80.95, 26.85],
];
const subjects = [
  'bus',
  'metro',
  'bike',
  'scooter',
  'parking',
  'air',
  'water',
  'waste',
  'traffic',
  'streetlight',
  'flood',
  'noise',
];
const kinds = [
  'positions',
  'occupancy',
  'availability',
  'quality',
  'levels',
  'counts',
  'trips',
  'alerts',
  'forecast',
];
const tags = [
  'transit',
  'mobility',
  'environment',
  'energy',
  'safety',
  'health',
  'realtime',
  'aggregate',
  'sensor',
  'citizen',
];

function synthetic() {
  const providers = Array.from({ length: 50 }, (_, i) => `provider-${i}`);
  const items = providers.map((id) => ({
    type: 'provider',
    id,
    name: `Provider ${id}`,
    description: 'A partner',
    city: 'Surat',
  }));
  const groups = [];
  for (let g = 0; g < 1000; g += 1) {
    const provider = providers[g % providers.length];
    const [city, lon, lat] = cities[g % cities.length];
    const subject = pick(subjects);
    const id = `${provider}/${subject}-${g}`;
    groups.push({ id, city, lon, lat, subject });
    items.push({
      type: 'resourceGroup',
      id,
      name: `${city} ${subject} data`,
      description: `All ${subject} data of ${city}`,
      tags: [pick(tags), pick(tags)].filter((t, i, a) => a.indexOf(t) === i),
      city,
      location: { type: 'Point', coordinates: [lon, lat] },
      accessPolicy: 'SECURE',
    });
  }
  for (let r = items.length; r < total; r += 1) {
    const group = groups[r % groups.length];
    const kind = pick(kinds);
    const lon = group.lon + (random() - 0.5) * 0.2;
    const lat = group.lat + (random() - 0.5) * 0.2;
    const d = 0.002;
    items.push({
      type: 'resource',
      id: `${group.id}/${kind}-${r}`,
      name: `${group.subject} ${kind} ${r}`,
      description: `${group.subject} ${kind} in ${group.city}, ward ${Math.floor(random() * 100)}`,
      tags: [pick(tags), pick(tags), pick(tags)].filter((t, i, a) => a.indexOf(t) === i),
      city: group.city,
      location:
        random() < 0.5
          ? { type: 'Point', coordinates: [lon, lat] }
          : {
              type: 'Polygon',
              coordinates: [
                [
                  [lon, lat],
                  [lon + d, lat],
                  [lon + d, lat + d],
                  [lon, lat + d],
                  [lon, lat],
                ],
              ],
            },
      dataModel: { type: 'object' },
      accessPolicy: pick(['OPEN', 'SECURE', 'PII']),
      releaseLevel: pick(['aggregate', 'anonymised-record']),
      source: { adapter: 'provider' },
    });
  }
  return items;
}

function percentiles(times) {
  const sorted = [...times].sort((a, b) => a - b);
  return { p50: sorted[Math.floor(sorted.length * 0.5)], p95: sorted[Math.floor(sorted.length * 0.95)] };
}

async function bench(backend) {
  const { handle, cleanup } = await openBenchDatabase(backend, { keepDir: process.env.BENCH_KEEP_DIR });
  const clock = new ManualClock();
  try {
    await migrateToLatest(handle);
    const { db } = handle;
    const now = new Date().toISOString();
    await db
      .insertInto('organisations')
      .values({ id: 'surat', name: 'Surat', kind: 'government', city: 'Surat', created_at: now })
      .execute();
    await db.insertInto('settings').values({ name: 'city_organisation_id', value: 'surat' }).execute();
    for (let i = 0; i < 50; i += 1) {
      await db
        .insertInto('organisations')
        .values({
          id: `provider-${i}`,
          name: `Provider ${i}`,
          kind: 'industry',
          city: 'Surat',
          created_at: now,
        })
        .execute();
    }
    const config = loadGatewayConfig({ LOG_LEVEL: 'silent' });
    const gateway = await buildGateway(handle, config, { logger: createLogger({ level: 'silent' }), clock });
    const cityAdmin = {
      principal: {
        clientId: 'cl_bench',
        organisationId: 'surat',
        roles: ['admin'],
        tokenId: 'x',
        issuedAt: 0,
      },
      requestId: 'bench',
    };
    const t = performance.now();
    const items = synthetic();
    await importItems({ db, audit: gateway.consent.audit, clock, upstreamAllowHosts: [] }, cityAdmin, items);
    const seedMs = performance.now() - t;
    // Fresh statistics, as autovacuum (PostgreSQL) or PRAGMA optimize (SQLite) keep them in a running system.
    await sql.raw(backend === 'sqlite' ? 'pragma optimize' : 'analyze').execute(db);
    const server = await startServer(gateway.app, { port: 0 });

    const measure = async (makePath) => {
      const times = [];
      let hits = 0;
      for (let i = 0; i < runs; i += 1) {
        const path = makePath();
        const s = performance.now();
        const response = await fetch(`${server.url}${path}`);
        const body = await response.json();
        times.push(performance.now() - s);
        if (response.status !== 200) throw new Error(`${path}: ${response.status} ${JSON.stringify(body)}`);
        hits += body.totalHits ?? 0;
      }
      return { ...percentiles(times), meanHits: Math.round(hits / runs) };
    };
    const near = (city = pick(cities)) => {
      const [, lon, lat] = city;
      return `georel=near;maxDistance==2000&geometry=Point&coordinates=[${(lon + (random() - 0.5) * 0.1).toFixed(4)},${(lat + (random() - 0.5) * 0.1).toFixed(4)}]`;
    };
    const results = {
      'baseline GET /health': await measure(() => '/health'),
      text: await measure(() => `/cat/v1/search?q=${pick(subjects)}%20${pick(kinds)}&limit=20`),
      tag: await measure(() => `/cat/v1/search?tags=${pick(tags)},${pick(tags)}&tagsMatch=all&limit=20`),
      geo: await measure(() => `/cat/v1/search?${near()}&limit=20`),
      combined: await measure(() => {
        const city = pick(cities);
        return `/cat/v1/search?q=${pick(subjects)}&tags=${pick(tags)}&city=${city[0]}&${near(city)}&limit=20`;
      }),
    };
    await server.close();
    await gateway.close();
    const base = results['baseline GET /health'];
    console.log(
      `catalogue bench on ${backend}: ${items.length.toLocaleString('en')} items (imported in ${(seedMs / 1000).toFixed(1)} s), ${runs} searches each, over HTTP`,
    );
    for (const [name, r] of Object.entries(results)) {
      console.log(
        `  ${name.padEnd(22)} p50 ${r.p50.toFixed(2).padStart(6)} ms   p95 ${r.p95.toFixed(2).padStart(6)} ms   (${(r.p95 / base.p95).toFixed(1)}× baseline p95; mean totalHits ${r.meanHits})`,
      );
    }
  } finally {
    await handle.destroy();
    await cleanup();
  }
}

for (const backend of backends) await bench(backend.trim());
