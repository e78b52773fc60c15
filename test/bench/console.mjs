// pnpm bench:console — server render time of the console's pages over HTTP with the demo alliance, on SQLite (and
// PostgreSQL with BENCH_BACKENDS=sqlite,postgres). Each page is asked 200 times, one request at a time; p50 and p95
// are printed beside GET /health over the same HTTP path in the same run (the baseline). Target: p95 ≤ 50 ms a page.

import { performance } from 'node:perf_hooks';
import { buildGateway, loadGatewayConfig, seedDemo } from '@sangam/cli';
import { initialiseCity } from '@sangam/consent';
import { systemClock } from '@sangam/core';
import { migrateToLatest } from '@sangam/db';
import { createLogger, startServer } from '@sangam/http';
import { openBenchDatabase } from './backends.mjs';

const backends = (process.env.BENCH_BACKENDS ?? 'sqlite').split(',');
const runs = Number(process.env.BENCH_CONSOLE_RUNS ?? 200);
const password = 'a long enough password';

function percentiles(times) {
  const sorted = [...times].sort((a, b) => a - b);
  return { p50: sorted[Math.floor(sorted.length * 0.5)], p95: sorted[Math.floor(sorted.length * 0.95)] };
}

async function timed(url, headers) {
  // A few unmeasured requests first, so the first page timed does not pay for the JIT's warm-up.
  for (let i = 0; i < 20; i += 1) await (await fetch(url, { headers, redirect: 'manual' })).arrayBuffer();
  const times = [];
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    const response = await fetch(url, { headers, redirect: 'manual' });
    await response.arrayBuffer();
    times.push(performance.now() - started);
    if (response.status !== 200) throw new Error(`${url}: ${response.status}`);
  }
  return percentiles(times);
}

async function bench(backend) {
  const { handle, cleanup } = await openBenchDatabase(backend);
  const clock = systemClock;
  try {
    await migrateToLatest(handle);
    const config = loadGatewayConfig({ SANGAM_SCRYPT_COST: '14' });
    const gateway = await buildGateway(handle, config, { logger: createLogger({ level: 'silent' }), clock });
    const { organisation, admin } = await initialiseCity(
      handle.db,
      { name: 'Surat Municipal Corporation', city: 'Surat' },
      { clock, scryptCost: 14, audit: gateway.consent.audit },
    );
    const newcomer = await seedDemo(gateway.app, handle.db, admin, {
      city: 'Surat',
      cityOrganisation: organisation.id,
      now: clock.now(),
    });
    const server = await startServer(gateway.app, { port: 0 });
    const form = (fields) => ({
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
      body: new URLSearchParams(fields).toString(),
    });
    // The demo's researcher joins and signs in: the signed-in pages are timed with the session's cookie.
    await fetch(`${server.url}/join/${newcomer.people.svnit}`, form({ password }));
    const signIn = await fetch(
      `${server.url}/sign-in`,
      form({ email: 'researcher@svnit.example', password }),
    );
    const cookie = signIn.headers.getSetCookie()[0]?.split(';')[0];
    if (!cookie) throw new Error('sign-in failed');
    await fetch(`${server.url}/join/${newcomer.people.sitilink}`, form({ password }));
    const stewardIn = await fetch(
      `${server.url}/sign-in`,
      form({ email: 'steward@sitilink.example', password }),
    );
    const steward = stewardIn.headers.getSetCookie()[0]?.split(';')[0];
    if (!steward) throw new Error('sign-in failed');
    const explore = `/explore?consent=${newcomer.alliance.busConsent}&item=sitilink/surat-bus-itms/live`;
    const pages = [
      ['GET /health (baseline)', '/health', {}],
      ['bulletin', '/', {}],
      ['bulletin, Hindi', '/?lang=hi', {}],
      ['archive', '/archive', {}],
      ['catalogue', '/catalogue', {}],
      ['catalogue search', '/catalogue?q=bus&type=resource', {}],
      ['item', '/catalogue/items/sitilink/surat-bus-itms/live', {}],
      ['sign-in', '/sign-in', {}],
      ['consents (signed in)', '/consents', { cookie }],
      ['consent request (signed in)', '/consents/new', { cookie }],
      ['members (signed in)', '/members', { cookie }],
      ['account (signed in)', '/account', { cookie }],
      ['usage (signed in)', '/usage', { cookie }],
      ['explorer, a release (signed in)', explore, { cookie }],
      ['items (provider)', '/items', { cookie: steward }],
      ['usage (provider)', '/usage', { cookie: steward }],
      ['problems', '/problems', {}],
      ['proposal form', '/propose', {}],
    ];
    console.log(`console bench on ${backend}: the demo alliance, ${runs} requests per page, one at a time`);
    let baseline;
    for (const [name, path, headers] of pages) {
      const { p50, p95 } = await timed(`${server.url}${path}`, headers);
      baseline ??= p95;
      const verdict = name.includes('baseline')
        ? ''
        : p95 <= 50
          ? '  (target p95 ≤ 50 ms: met)'
          : '  (target p95 ≤ 50 ms: MISSED)';
      console.log(
        `  ${name.padEnd(30)} p50 ${p50.toFixed(1).padStart(6)} ms  p95 ${p95.toFixed(1).padStart(6)} ms  ${(p95 / baseline).toFixed(1).padStart(5)}× baseline${verdict}`,
      );
    }
    await server.close();
    await gateway.close();
  } finally {
    await handle.destroy();
    await cleanup();
  }
}

for (const backend of backends) await bench(backend);
