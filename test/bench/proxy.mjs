// pnpm bench:proxy — what governance costs on top of reading the data, and what the gateway's HTTP layer costs on
// top of hono, on SQLite and PostgreSQL. Each handler answers the same 50 bus positions (about 7 KB of JSON):
//
//   static       bare hono, the answer from memory;
//   middleware   the gateway's own HTTP layer (request id, headers, limits, logs) around the same static answer;
//   data read    bare hono running the same prepared SELECT of the latest records and the same render: no token,
//                consent, policy or audit;
//   release      the whole release path: token, client, consent, MoU and item read fresh, the query, the rate
//                limit and the audit commit before the answer.
//
// Load comes from a separate process (autocannon, 50 connections; the release path once more at 1 connection), so
// the CPU time read from /proc around each run is the server's alone (PostgreSQL's own processes are reported
// beside it). Handlers take turns, round after round, and the medians are printed with the ratios.
// BENCH_HANDLERS picks handlers by the start of their names. BENCH_BASELINE=<other built checkouts, comma-separated>
// adds their data read and release path to every round, for a before and after in one run. BENCH_BACKENDS,
// BENCH_PROXY_SECONDS and BENCH_PROXY_ROUNDS change the run.

import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { Hono } from 'hono';
import { openBenchDatabase } from './backends.mjs';
import { ownCpu, postgresCpu, postgresCpuSince } from './cpu.mjs';

const run = promisify(execFile);
const here = fileURLToPath(new URL('.', import.meta.url));
const backends = (process.env.BENCH_BACKENDS ?? 'sqlite,postgres').split(',');
const seconds = Number(process.env.BENCH_PROXY_SECONDS ?? 5);
const rounds = Number(process.env.BENCH_PROXY_ROUNDS ?? 3);
const baselineRoots = (process.env.BENCH_BASELINE ?? '')
  .split(',')
  .filter((p) => p.trim() !== '')
  .map((p) => resolve(p.trim()));
const resource = 'sitilink/surat-bus-itms/positions';
const attributes = ['speed', 'route', 'location'];
const path = `/ngsi-ld/v1/entities?id=${resource}`;

/** The modules of one checkout (this one, or the baseline's), each from its own build. */
async function checkout(root) {
  const load = (file) => import(pathToFileURL(resolve(root, file)).href);
  return {
    root,
    testkit: await load('test/testkit/dist/index.js'),
    http: await load('packages/http/dist/index.js'),
    db: await load('packages/db/dist/index.js'),
    render: await load('services/resource-proxy/dist/query/render.js'),
  };
}

const check = (r, what) => {
  if (r.status >= 300) throw new Error(`${what}: ${r.status} ${r.text}`);
  return r.body;
};

/** The city, a bus operator with 50 buses' positions, a university with a granted consent and an access token. */
async function alliance(kit, gw) {
  const admin = await gw.adminToken();
  const sitilink = await kit.createPartner(gw, {
    id: 'sitilink',
    kind: 'industry',
    roles: ['admin', 'provider'],
  });
  const svnitAdmin = await kit.createPartner(gw, { id: 'svnit', kind: 'academia', roles: ['admin'] });
  const consumer = check(
    await gw.api.post('/consent/v1/clients', {
      token: admin,
      json: { organisation: 'svnit', roles: ['consumer'] },
    }),
    'consumer client',
  ).results;
  const svnit = await kit.clientToken(gw.api, consumer.clientId, consumer.clientSecret);
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
        attributes,
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

/**
 * The bare data read: the latest records of the resource by one statement compiled once and re-run, projected and
 * rendered by the proxy's own render, with nothing of governance around it.
 */
function dataReadApp(kit, reader, retentionDays) {
  const compiled = reader
    .selectFrom('latest_records')
    .select('body')
    .where('resource_id', '=', resource)
    .where('observed_at', '>=', '')
    .orderBy('entity_id')
    .orderBy('observed_at')
    .limit(100)
    .offset(0)
    .compile();
  const app = new Hono();
  app.get('/ngsi-ld/v1/entities', async (c) => {
    const cutoff = new Date(Date.now() - retentionDays * 86_400_000).toISOString();
    const { rows } = await reader.executeQuery({ ...compiled, parameters: [resource, cutoff, 100, 0] });
    const records = rows.map((r) => kit.render.project(JSON.parse(r.body), attributes));
    const out = kit.render.render('json', records, {
      total: records.length,
      limit: 100,
      offset: 0,
      resource,
      attributes,
    });
    return c.body(out.body, 200, { 'content-type': out.contentType, ...out.headers });
  });
  return app;
}

/** The gateway's HTTP layer around a static answer, as every service's routes sit in it. */
function middlewareApp(kit, body) {
  const service = kit.http.createServiceApp();
  service.get('/ngsi-ld/v1/entities', (c) => c.body(body, 200, { 'content-type': 'application/json' }));
  return kit.http.createGateway({
    logger: kit.http.createLogger({ level: 'silent' }),
    services: [{ code: 'rs', prefixes: ['/ngsi-ld/'], app: service }],
    ready: async () => true,
    bodyLimitBytes: 1_048_576,
  });
}

/** One load run against a handler; CPU time of the server (and of PostgreSQL) around it. */
async function measure(url, headers, connections, duration, backend) {
  const cpu0 = ownCpu();
  const db0 = backend === 'postgres' ? postgresCpu() : undefined;
  const { stdout } = await run(
    process.execPath,
    [resolve(here, 'load.mjs'), JSON.stringify({ url, headers, connections, duration })],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  const cpu = ownCpu() - cpu0;
  const dbCpu = db0 ? postgresCpuSince(db0) : 0;
  const r = JSON.parse(stdout);
  const answered = r['2xx'];
  if (r.non2xx > 0 || r.errors > 0)
    throw new Error(`${url}: ${r.non2xx} non-2xx answers, ${r.errors} errors`);
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    cpu: cpu / answered,
    dbCpu: dbCpu / answered,
    answered,
  };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** A gateway of one checkout with its alliance, and its bare data read beside it. */
async function stand(kit, backend, label) {
  const { handle, cleanup } = await openBenchDatabase(backend, { createDatabase: kit.db.createDatabase });
  await kit.db.migrateToLatest(handle);
  // BENCH_GATEWAY_ENV='{"SANGAM_AUDIT_WRITER_THREAD":"false"}' compares gateway settings.
  // One consumer sends every request: its concurrency cap is raised above the connections.
  const env = {
    LOG_LEVEL: 'silent',
    SANGAM_QUERY_CONCURRENCY: '256',
    ...JSON.parse(process.env.BENCH_GATEWAY_ENV ?? '{}'),
  };
  const gw = await kit.testkit.startTestGateway({ database: handle, env });
  const token = await alliance(kit.testkit, gw);
  const sample = await fetch(`${gw.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  const body = await sample.text();
  if (sample.status !== 200)
    throw new Error(`${label}: the authorised query failed: ${sample.status} ${body}`);
  const data = await kit.http.startServer(dataReadApp(kit, handle.reader, 30), { port: 0, stamp: false });
  const check = await (await fetch(`${data.url}${path}`)).json();
  if (check.results.length !== JSON.parse(body).results.length)
    throw new Error(`${label}: the data read differs`);
  return {
    label,
    gw,
    handle,
    token,
    body,
    data,
    async close() {
      await data.close();
      await gw.close();
      await handle.destroy();
      await cleanup();
    },
  };
}

async function bench(backend, kits) {
  const stands = [];
  try {
    for (const [label, kit] of kits) stands.push(await stand(kit, backend, label));
    const main = stands[0];
    const statics = new Hono();
    statics.get('/ngsi-ld/v1/entities', (c) =>
      c.body(main.body, 200, { 'content-type': 'application/json' }),
    );
    const kit = kits[0][1];
    const bare = await kit.http.startServer(statics, { port: 0, stamp: false });
    const layered = await kit.http.startServer(middlewareApp(kit, main.body), { port: 0 });
    const handlers = [
      { name: 'static: bare hono', url: bare.url, headers: {}, connections: 50 },
      { name: 'middleware: gateway layer, static', url: layered.url, headers: {}, connections: 50 },
      ...stands.flatMap((s) => [
        {
          name: `data read${s === main ? '' : ` (${s.label})`}`,
          url: s.data.url,
          headers: {},
          connections: 50,
        },
        {
          name: `release path${s === main ? '' : ` (${s.label})`}`,
          url: s.gw.url,
          headers: { authorization: `Bearer ${s.token}` },
          connections: 50,
          stand: s,
        },
        {
          name: `release path, 1 connection${s === main ? '' : ` (${s.label})`}`,
          url: s.gw.url,
          headers: { authorization: `Bearer ${s.token}` },
          connections: 1,
          stand: s,
        },
      ]),
    ];
    // BENCH_HANDLERS=release,data runs only the handlers whose names start so (for a profile of one of them).
    const only = process.env.BENCH_HANDLERS?.split(',');
    if (only)
      handlers.splice(0, handlers.length, ...handlers.filter((h) => only.some((o) => h.name.startsWith(o))));
    const results = new Map(handlers.map((h) => [h.name, []]));
    const audited = new Map();
    for (let round = 0; round < rounds; round += 1) {
      for (const h of handlers) {
        const before = h.stand ? await h.stand.gw.gateway.consent.audit.size() : 0;
        const m = await measure(`${h.url}${path}`, h.headers, h.connections, seconds, backend);
        if (h.stand) {
          const committed = (await h.stand.gw.gateway.consent.audit.size()) - before;
          audited.set(h.name, [...(audited.get(h.name) ?? []), committed - m.answered]);
        }
        results.get(h.name).push(m);
      }
    }
    await bare.close();
    await layered.close();

    const summary = new Map();
    console.log(
      `\n${backend}: ${rounds} rounds of ${seconds} s per handler, ${main.body.length} bytes an answer, medians`,
    );
    const dbColumn = backend === 'postgres' ? '   db CPU µs/req' : '';
    console.log(`  ${'handler'.padEnd(44)}    req/s   p50 ms   p99 ms   CPU µs/req${dbColumn}`);
    for (const h of handlers) {
      const runs = results.get(h.name);
      const s = {
        rps: median(runs.map((r) => r.rps)),
        p50: median(runs.map((r) => r.p50)),
        p99: median(runs.map((r) => r.p99)),
        cpu: median(runs.map((r) => r.cpu)),
        dbCpu: median(runs.map((r) => r.dbCpu)),
      };
      summary.set(h.name, s);
      const db = backend === 'postgres' ? String(Math.round(s.dbCpu)).padStart(16) : '';
      console.log(
        `  ${h.name.padEnd(44)} ${String(Math.round(s.rps)).padStart(8)} ${String(s.p50).padStart(8)} ${String(s.p99).padStart(8)} ${String(Math.round(s.cpu)).padStart(12)}${db}`,
      );
    }
    const ratio = (a, b, what) =>
      summary.has(a) && summary.has(b) ? (summary.get(a)[what] / summary.get(b)[what]).toFixed(2) : '-';
    console.log(
      `  middleware ÷ static: ${ratio('middleware: gateway layer, static', 'static: bare hono', 'rps')} (req/s)`,
    );
    for (const s of stands) {
      const suffix = s === main ? '' : ` (${s.label})`;
      const release = `release path${suffix}`;
      const data = `data read${suffix}`;
      console.log(
        `  release ÷ data read${suffix}: ${ratio(release, data, 'rps')} (req/s), CPU per request ${ratio(data, release, 'cpu')} of the data read's`,
      );
      const missing = (audited.get(release) ?? []).filter((d) => d < 0);
      if (missing.length > 0) throw new Error(`${release}: answers without an audit entry`);
    }
    return summary;
  } finally {
    for (const s of stands) await s.close();
  }
}

const kits = [['this checkout', await checkout(resolve(here, '../..'))]];
for (const root of baselineRoots) kits.push([root, await checkout(root)]);
for (const backend of backends) await bench(backend, kits);
