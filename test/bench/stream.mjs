// pnpm bench:stream — live subscriptions under load. 1,000 consumers each hold a server-sent-event stream of the
// bus positions, filtered to one route of 100 (as an app showing one route would), while an adapter publishes 1,000
// records a second for 60 s in batches of 100. Printed: the delay from a batch's publication to its records'
// arrival (p50, p99; target p99 ≤ 250 ms), the gateway's memory (target ≤ 300 MB), and, for 50 consents revoked
// during the run, the delay from the revocation's answer (its commit) to the stream's final problem event (p99
// target ≤ 1 s), with a check in the audit log that no release of a revoked consent follows its revocation.
//
// Beside it, the same run against a bare fan-out: a plain node:http server that writes each published record to
// the streams whose route it is, with no release rule, audit or database, as the floor of what SSE costs here.
//
// The consumers and the publisher run in a process of their own, at the lowest CPU priority (as in bench:fairness),
// so the gateway's figures are not the load generator's. BENCH_STREAM_SUBSCRIBERS, BENCH_STREAM_SECONDS,
// BENCH_STREAM_RATE and BENCH_STREAM_REVOCATIONS change the run, BENCH_GATEWAY_ENV (JSON) the gateway's settings; SANGAM_TEST_DB=postgres runs it on PostgreSQL.

import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, createServer, request } from 'node:http';
import { setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';

const subscribers = Number(process.env.BENCH_STREAM_SUBSCRIBERS ?? 1000);
const seconds = Number(process.env.BENCH_STREAM_SECONDS ?? 60);
const rate = Number(process.env.BENCH_STREAM_RATE ?? 1000);
const revocations = Number(process.env.BENCH_STREAM_REVOCATIONS ?? 50);
const routes = 100;
const batchesPerSecond = 10;
const here = fileURLToPath(new URL('.', import.meta.url));

// The load process takes its setup (every stream's token) by message: too large for its arguments.
if (process.argv[2] === 'load') process.once('message', (setup) => void load(setup));
else await main();

async function main() {
  const bare = await runBare();
  const gateway = await runGateway();
  const backend = process.env.SANGAM_TEST_DB ?? 'sqlite';
  console.log(
    `stream bench on ${backend}: ${subscribers} SSE subscribers (one route of ${routes} each), ${rate} records/s for ${seconds} s; audit commits ${process.env.SANGAM_AUDIT_WRITER_THREAD === 'true' ? 'in a writer thread' : 'in the event loop'}`,
  );
  for (const [name, r] of [
    ['bare fan-out', bare],
    ['gateway', gateway],
  ]) {
    console.log(
      `  ${name.padEnd(12)} delivery p50 ${r.p50.toFixed(0)} ms, p99 ${r.p99.toFixed(0)} ms (target ≤ 250 ms); after the first 5 s p50 ${r.steadyP50.toFixed(0)} ms, p99 ${r.steadyP99.toFixed(0)} ms | ` +
        `${r.received} of ${r.expected} records arrived\n` +
        `  ${''.padEnd(12)} event loop busy ${(100 * r.busy).toFixed(0)}% of the run; memory peak ${r.rssMb.toFixed(0)} MB RSS (${r.restMb.toFixed(0)} MB before the load; target ≤ 300 MB), of it anonymous ${r.anonMb.toFixed(0)} MB (${r.anonRestMb.toFixed(0)} MB before), heap and buffers ${r.ownMb.toFixed(0)} MB (${r.ownRestMb.toFixed(0)} MB before)`,
    );
  }
  console.log(
    `  gateway / bare fan-out: delivery p99 ${(gateway.p99 / Math.max(1, bare.p99)).toFixed(1)}×, memory ${(gateway.rssMb / bare.rssMb).toFixed(1)}×`,
  );
  const closes = gateway.revocations;
  console.log(
    `  ${closes.length} revocations under load: revocation answered → stream closed p50 ${quantile(closes, 0.5).toFixed(0)} ms, p99 ${quantile(closes, 0.99).toFixed(0)} ms, largest ${Math.max(...closes).toFixed(0)} ms (target p99 ≤ 1 s); releases after a revocation in the audit log: ${gateway.releasedAfter}`,
  );
}

/** The gateway with an alliance, its subscribers, and the load; its figures. */
async function runGateway() {
  const kit = await import('../testkit/dist/index.js');
  // SANGAM_AUDIT_WRITER_THREAD=true commits the audit log in a thread of its own, as a deployment may.
  const writer = process.env.SANGAM_AUDIT_WRITER_THREAD ?? 'false';
  const a = await kit.startAlliance({
    // The production scrypt cost (the default), not the tests' lower one: at 2^14 scrypt works in 16 MiB, under
    // glibc's largest mmap threshold, so each libuv thread that checks a secret keeps that memory in its arena after
    // (64 MB with four threads, none of it the gateway's); at 2^15 it works in 32 MiB plus a little, always mapped
    // apart and returned at once.
    env: {
      LOG_LEVEL: 'silent',
      SANGAM_AUDIT_WRITER_THREAD: writer,
      SANGAM_SCRYPT_COST: '15',
      ...JSON.parse(process.env.BENCH_GATEWAY_ENV ?? '{}'),
    },
  });
  try {
    const positions = kit.positions;
    const consent = async () => {
      const id = await a.consent({ rateLimit: 100_000, attributes: ['speed', 'route'] });
      return { id, token: await a.accessToken(id) };
    };
    // Shared consents (about 50 streams each), and one consent per stream to be revoked.
    const shared = [];
    for (let i = 0; i < Math.ceil((subscribers - revocations) / 50); i += 1) shared.push(await consent());
    const plan = [];
    for (let i = 0; i < subscribers; i += 1) {
      const own = i < revocations ? await consent() : shared[i % shared.length];
      const route = `R${i % routes}`;
      const made = await a.gw.api.post('/ngsi-ld/v1/subscriptions', {
        token: own.token,
        json: {
          entities: [{ id: positions }],
          q: `route=="${route}"`,
          notification: { attributes: ['speed', 'route'], endpoint: { uri: 'urn:sangam:sse' } },
        },
      });
      if (made.status !== 201) throw new Error(`subscribe: ${made.status} ${made.text}`);
      plan.push({
        url: `/ngsi-ld/v1/subscriptions/${made.body.results.id}/events`,
        token: own.token,
        route,
        revoke: i < revocations ? own.id : undefined,
      });
    }
    const setup = {
      kind: 'gateway',
      base: a.gw.url,
      plan,
      publish: { url: `/rs/v1/ingest/${positions}`, token: await a.token('sitilinkAdapter') },
      revoker: await a.token('sitilink'),
      start: a.clock.now().getTime() - 3_600_000,
    };
    const result = await measure(setup);
    // No allow for a revoked consent after its revocation, in the log.
    let releasedAfter = 0;
    for (const { revoke } of plan.filter((p) => p.revoke)) {
      const entries = await a.gw.database.db
        .selectFrom('audit_entries')
        .select(['seq', 'action', 'decision'])
        .where('target_consent', '=', revoke)
        .orderBy('seq')
        .execute();
      const at = entries.find((e) => e.action === 'consent.revoke')?.seq ?? Number.POSITIVE_INFINITY;
      releasedAfter += entries.filter((e) => e.seq > at && e.decision === 'allow').length;
    }
    return { ...result, releasedAfter };
  } finally {
    await a.gw.close();
  }
}

/** A bare fan-out: each published record written to the streams of its route. */
async function runBare() {
  const streams = new Map();
  const server = createServer((req, res) => {
    if (req.method === 'GET') {
      const route = new URL(req.url, 'http://x').searchParams.get('route');
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('retry: 2000\n\n');
      const set = streams.get(route) ?? new Set();
      set.add(res);
      streams.set(route, set);
      req.on('close', () => set.delete(res));
      return;
    }
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      const byRoute = new Map();
      for (const r of JSON.parse(body).records) {
        const list = byRoute.get(r.route) ?? [];
        list.push({ id: r.id, observedAt: r.observedAt, speed: r.speed, route: r.route });
        byRoute.set(r.route, list);
      }
      for (const [route, records] of byRoute) {
        const event = `event: notification\ndata: ${JSON.stringify({ data: records })}\n\n`;
        for (const res of streams.get(route) ?? []) res.write(event);
      }
      res.writeHead(200).end('{}');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${server.address().port}`;
  const plan = Array.from({ length: subscribers }, (_, i) => ({
    url: `/events?route=R${i % routes}`,
    route: `R${i % routes}`,
  }));
  try {
    return await measure({
      kind: 'bare',
      base,
      plan,
      publish: { url: '/ingest' },
      start: Date.now() - 3_600_000,
    });
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

/** Runs the load process against a server, sampling this process's memory meanwhile. */
async function measure(setup) {
  // RSS counts the SQLite file's pages mapped into memory (mmap) with the rest; the heap and what it holds outside
  // (buffers) are the gateway's own.
  const at = () => process.memoryUsage();
  // RSS in parts (Linux): anonymous memory is the process's own; file pages (the SQLite file mapped, the code)
  // are the page cache's, shared and given back under pressure.
  const anonymous = () => {
    try {
      const kb = /RssAnon:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
      return kb === undefined ? Number.NaN : Number(kb) * 1024;
    } catch {
      return Number.NaN;
    }
  };
  const atRest = at();
  const anonRest = anonymous();
  let peak = atRest.rss;
  let anonPeak = anonRest;
  let ownPeak = atRest.heapUsed + atRest.external;
  const busyAtStart = performance.eventLoopUtilization();
  const sampler = setInterval(() => {
    const now = at();
    peak = Math.max(peak, now.rss);
    anonPeak = Math.max(anonPeak, anonymous());
    ownPeak = Math.max(ownPeak, now.heapUsed + now.external);
  }, 250);
  try {
    const child = fork(`${here}stream.mjs`, ['load'], { stdio: 'inherit' });
    child.send(setup);
    const result = await new Promise((resolve, reject) => {
      child.once('message', resolve);
      child.once('exit', (code) => reject(new Error(`the load process exited with ${code}`)));
    });
    child.kill();
    const mb = (bytes) => bytes / 1024 / 1024;
    return {
      ...result,
      // How much of the run the gateway's event loop was busy: near 1, it is what holds deliveries back.
      busy: performance.eventLoopUtilization(busyAtStart).utilization,
      rssMb: mb(peak),
      restMb: mb(atRest.rss),
      anonMb: mb(anonPeak),
      anonRestMb: mb(anonRest),
      ownMb: mb(ownPeak),
      ownRestMb: mb(atRest.heapUsed + atRest.external),
    };
  } finally {
    clearInterval(sampler);
  }
}

/** The load process: the consumers' streams, the publisher, and the revocations. */
async function load(setup) {
  setPriority(19);
  const agent = new Agent({ keepAlive: true, maxSockets: subscribers + 50 });
  const sentAt = new Map();
  const latencies = [];
  const steady = [];
  let warmUntil = Number.POSITIVE_INFINITY;
  const revoked = new Map();
  const closed = new Map();
  let failures = 0;
  let received = 0;
  let expected = 0;
  const open = setup.plan.map(
    (p) =>
      new Promise((resolve, reject) => {
        const req = request(`${setup.base}${p.url}`, {
          agent,
          headers: {
            accept: 'text/event-stream',
            ...(p.token ? { authorization: `Bearer ${p.token}` } : {}),
          },
        });
        req.on('response', (res) => {
          if (res.statusCode !== 200) reject(new Error(`stream: ${res.statusCode}`));
          resolve();
          let buffer = '';
          res.setEncoding('utf8');
          res.on('data', (chunk) => {
            buffer += chunk;
            let end = buffer.indexOf('\n\n');
            while (end >= 0) {
              const event = buffer.slice(0, end);
              buffer = buffer.slice(end + 2);
              end = buffer.indexOf('\n\n');
              const data = event.split('\n').find((l) => l.startsWith('data: '));
              if (event.includes('event: problem')) {
                if (p.revoke) closed.set(p.revoke, performance.now());
              } else if (data) {
                const now = performance.now();
                for (const r of JSON.parse(data.slice(6)).data) {
                  received += 1;
                  const sent = sentAt.get(Number(r.id.split('-')[2]));
                  if (sent !== undefined) {
                    latencies.push(now - sent);
                    if (sent >= warmUntil) steady.push(now - sent);
                  }
                }
              }
            }
          });
        });
        req.on('error', reject);
        req.end();
      }),
  );
  await Promise.all(open);
  const perBatch = rate / batchesPerSecond;
  const batches = seconds * batchesPerSecond;
  const revokeEvery = Math.floor(batches / (setup.plan.filter((p) => p.revoke).length + 1));
  const toRevoke = setup.plan.filter((p) => p.revoke);
  const subscribersOf = new Map();
  for (const p of setup.plan) subscribersOf.set(p.route, (subscribersOf.get(p.route) ?? 0) + 1);
  const started = performance.now();
  warmUntil = started + 5000;
  for (let b = 0; b < batches; b += 1) {
    const due = started + (b * 1000) / batchesPerSecond;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const records = Array.from({ length: perBatch }, (_, i) => {
      const n = b * perBatch + i;
      const route = `R${n % routes}`;
      return {
        id: `bus-${n % 500}-${b}`,
        observedAt: new Date(setup.start + n).toISOString(),
        route,
        speed: n % 80,
      };
    });
    for (const r of records) expected += subscribersOf.get(r.route) ?? 0;
    sentAt.set(b, performance.now());
    post(agent, setup.base, setup.publish.url, setup.publish.token, { records }).catch(() => {
      failures += 1;
    });
    if (setup.kind === 'gateway' && b > 0 && b % revokeEvery === 0 && toRevoke.length > 0) {
      const p = toRevoke.shift();
      const consentUrl = `/consent/v1/consents/${p.revoke}/revoke`;
      post(agent, setup.base, consentUrl, setup.revoker, {}).then(
        () => revoked.set(p.revoke, performance.now()),
        () => {
          failures += 1;
        },
      );
    }
  }
  // Streams of revoked consents stop receiving; the rest settles for a few seconds.
  await new Promise((r) => setTimeout(r, 5000));
  latencies.sort((x, y) => x - y);
  // A stream may close before the revocation's answer reaches the revoker: no later than the commit, then.
  const closes = [...revoked].map(([consent, at]) =>
    Math.max(0, (closed.get(consent) ?? Number.POSITIVE_INFINITY) - at),
  );
  if (failures > 0) console.error(`  ${failures} publications or revocations failed`);
  process.send({
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    steadyP50: quantile(steady, 0.5),
    steadyP99: quantile(steady, 0.99),
    received,
    expected,
    revocations: closes,
  });
  await new Promise((r) => setTimeout(r, 100));
  process.exit(0);
}

function post(agent, base, path, token, json) {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify(json);
    const req = request(`${base}${path}`, {
      method: 'POST',
      agent,
      headers: {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () =>
        res.statusCode < 300 ? resolve() : reject(new Error(`${path}: ${res.statusCode}`)),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

function quantile(values, q) {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}
