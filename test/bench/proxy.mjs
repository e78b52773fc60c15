// pnpm bench:proxy — the resource proxy's release path under load, on SQLite and PostgreSQL. autocannon (50
// connections) drives (a) a bare hono handler that returns the same JSON from memory, and (b) an authorised
// `latest` query through the whole path: token verification, client check, consent and MoU read fresh, the query,
// the rate limit and the audit commit before the answer. It prints throughput and p99 of each and the ratio b/a.
// BENCH_BACKENDS and BENCH_PROXY_SECONDS change the run.

import { migrateToLatest } from '@sangam/db';
import { startServer } from '@sangam/http';
import { createPartner, startTestGateway } from '@sangam/testkit';
import autocannon from 'autocannon';
import { Hono } from 'hono';
import { openBenchDatabase } from './backends.mjs';

const backends = (process.env.BENCH_BACKENDS ?? 'sqlite,postgres').split(',');
const seconds = Number(process.env.BENCH_PROXY_SECONDS ?? 10);
const resource = 'sitilink/surat-bus-itms/positions';

const check = (r, what) => {
  if (r.status >= 300) throw new Error(`${what}: ${r.status} ${r.text}`);
  return r.body;
};

/** The city, a bus operator with 50 buses' positions, a university with a granted consent and an access token. */
async function alliance(gw) {
  const admin = await gw.adminToken();
  const sitilink = await createPartner(gw, {
    id: 'sitilink',
    kind: 'industry',
    roles: ['admin', 'provider'],
  });
  const svnitAdmin = await createPartner(gw, { id: 'svnit', kind: 'academia', roles: ['admin'] });
  const consumer = check(
    await gw.api.post('/consent/v1/clients', {
      token: admin,
      json: { organisation: 'svnit', roles: ['consumer'] },
    }),
    'consumer client',
  ).results;
  const { clientToken } = await import('@sangam/testkit');
  const svnit = await clientToken(gw.api, consumer.clientId, consumer.clientSecret);
  const post = async (json) =>
    check(await gw.api.post('/cat/v1/items', { token: sitilink.token, json }), 'item');
  await post({ type: 'provider', id: 'sitilink', name: 'Sitilink' });
  await post({ type: 'resourceGroup', id: 'sitilink/surat-bus-itms', name: 'Buses', description: 'Buses' });
  await post({
    type: 'resource',
    id: resource,
    name: 'Bus positions',
    description: 'Bus positions, live',
    dataModel: {
      type: 'object',
      properties: {
        id: { type: 'string' },
        observedAt: { type: 'string' },
        location: { type: 'object' },
        speed: { type: 'number' },
        route: { type: 'string' },
      },
    },
    accessPolicy: 'SECURE',
    releaseLevel: 'anonymised-record',
    source: { adapter: 'itms' },
  });
  const now = Date.now();
  const records = Array.from({ length: 50 }, (_, i) => ({
    id: `bus-${i}`,
    observedAt: new Date(now - 60_000).toISOString(),
    location: { type: 'Point', coordinates: [72.8 + i / 1000, 21.17] },
    speed: 20 + (i % 30),
    route: `R${i % 12}`,
  }));
  check(
    await gw.api.post(`/rs/v1/ingest/${resource}`, { token: sitilink.token, json: { records } }),
    'ingest',
  );
  const mou = check(
    await gw.api.post('/consent/v1/mous', {
      token: admin,
      json: {
        title: 'Bus data for research',
        partners: ['sitilink', 'svnit'],
        problem: { issue: 'Bunching', beneficiaries: ['commuters'], kpis: ['headway'] },
        areas: ['data-sharing'],
        purposes: ['transit research'],
        datasets: [{ group: 'sitilink/surat-bus-itms', maxReleaseLevel: 'anonymised-record' }],
        effectiveFrom: new Date(now).toISOString(),
        endsAt: new Date(now + 365 * 86_400_000).toISOString(),
        documentSha256: 'a'.repeat(64),
      },
    }),
    'mou',
  ).results.id;
  for (const token of [admin, sitilink.token, svnitAdmin.token]) {
    check(await gw.api.post(`/consent/v1/mous/${mou}/sign`, { token }), 'sign');
  }
  const consent = check(
    await gw.api.post('/consent/v1/consents', {
      token: svnit,
      json: {
        mou,
        items: [resource],
        purpose: 'transit research',
        accessTypes: ['latest'],
        attributes: ['speed', 'route', 'location'],
        releaseLevel: 'anonymised-record',
        validTo: new Date(now + 30 * 86_400_000).toISOString(),
        rateLimit: 100_000,
      },
    }),
    'consent',
  ).results.id;
  check(await gw.api.post(`/consent/v1/consents/${consent}/grant`, { token: sitilink.token }), 'grant');
  // The consent schema caps a provider's limit at 100,000 a minute, which this run exceeds; the limit is still
  // checked and counted on every request, only set higher here.
  await gw.database.db
    .updateTable('consents')
    .set({ rate_limit: 100_000_000 })
    .where('id', '=', consent)
    .execute();
  return check(
    await gw.api.post('/auth/v1/access-tokens', { token: svnit, json: { item: resource, consent } }),
    'access token',
  ).results.accessToken;
}

function load(url, headers) {
  return new Promise((resolve, reject) => {
    autocannon({ url, connections: 50, duration: seconds, headers, workers: 1 }, (error, result) =>
      error ? reject(error) : resolve(result),
    );
  });
}

async function bench(backend) {
  const { handle, cleanup } = await openBenchDatabase(backend);
  await migrateToLatest(handle);
  const gw = await startTestGateway({ database: handle, env: { LOG_LEVEL: 'silent' } });
  try {
    const token = await alliance(gw);
    const path = `/ngsi-ld/v1/entities?id=${resource}`;
    const sample = await fetch(`${gw.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    const body = await sample.text();
    if (sample.status !== 200) throw new Error(`the authorised query failed: ${sample.status} ${body}`);

    const bare = new Hono();
    bare.get('/ngsi-ld/v1/entities', (c) => c.body(body, 200, { 'content-type': 'application/json' }));
    const baseline = await startServer(bare, { port: 0 });
    const before = Number(
      (await handle.db.selectFrom('audit_head').select('size').executeTakeFirstOrThrow()).size,
    );
    const a = await load(`${baseline.url}${path}`, {});
    await baseline.close();
    const elu = performance.eventLoopUtilization();
    const b = await load(`${gw.url}${path}`, { authorization: `Bearer ${token}` });
    const busy = performance.eventLoopUtilization(elu).utilization;
    const after = Number(
      (await handle.db.selectFrom('audit_head').select('size').executeTakeFirstOrThrow()).size,
    );

    const row = (name, r) =>
      `  ${name.padEnd(44)} ${String(Math.round(r.requests.average)).padStart(7)} req/s   p99 ${String(r.latency.p99).padStart(4)} ms   non-2xx ${r.non2xx}   errors ${r.errors + r.timeouts}`;
    console.log(`\n${backend}: ${seconds} s each, 50 connections, ${body.length} bytes an answer`);
    console.log(row('(a) bare hono, same JSON from memory', a));
    console.log(row('(b) authorised latest, whole release path', b));
    console.log(
      `  server event loop busy during (b): ${(busy * 100).toFixed(0)}% (the load generator runs in a worker thread)`,
    );
    console.log(
      `  ratio b/a ${(b.requests.average / a.requests.average).toFixed(2)}   audit entries committed ${after - before} for ${b.requests.total} answers`,
    );
    return { backend, a, b };
  } finally {
    await gw.close();
    await handle.destroy();
    await cleanup();
  }
}

for (const backend of backends) await bench(backend);
