// pnpm bench:fairness — does one party's heavy use slow everyone else? A light client reads a catalogue item and
// queries the release path one request at a time, first alone, then while, all at once:
//   - one consumer sends its most expensive allowed queries (a temporal query within a 100-position polygon over
//     every record) on 8 connections;
//   - 32 connections request tokens for random client ids (each costs a secret check);
//   - a provider ingests records whose route a catastrophic pattern (^(a+)+$) must check.
// The attackers and the light client run in processes of their own; the gateway in this one. The light client's
// p99 under attack is printed beside its idle p99 (target: within 3×). BENCH_FAIRNESS_SECONDS changes the run.
//
// The light client is another consumer (Yulu) than the heavy one (SVNIT), as the concurrency cap is per consumer.
// Each attacker comes from an address of its own (127.0.0.2 to .4), as they would from another machine, and their process
// runs at the lowest CPU priority: on one small machine the load generator would otherwise take the CPU the gateway
// and the light client's own clock need, and the bench would measure the generator. BENCH_FAIRNESS_NICE=0 keeps the
// attackers at normal priority, to see that difference.

import { fork } from 'node:child_process';
import { Agent, request } from 'node:http';
import { setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';

const seconds = Number(process.env.BENCH_FAIRNESS_SECONDS ?? 8);
const here = fileURLToPath(new URL('.', import.meta.url));

if (process.argv[2] === 'client') await client(JSON.parse(process.argv[3]));
else if (process.argv[2] === 'attack') await attack(JSON.parse(process.argv[3]));
else await main();

async function main() {
  const kit = await import('../testkit/dist/index.js');
  const a = await kit.startAlliance({ env: { LOG_LEVEL: 'silent' } });
  try {
    const positions = kit.positions;
    // 2,000 records over the last hour, spread over the city.
    for (let batch = 0; batch < 10; batch += 1) {
      const records = Array.from({ length: 200 }, (_, i) => {
        const n = batch * 200 + i;
        const record = kit.position(a.clock, `bus-${n}`, (n % 60) + 1);
        return {
          ...record,
          location: { type: 'Point', coordinates: [72.78 + (n % 40) * 0.002, 21.15 + (n % 50) * 0.002] },
        };
      });
      const r = await a.ingest(positions, records);
      if (r.status !== 200) throw new Error(`ingest: ${r.status} ${r.text}`);
    }
    const nested = 'sitilink/surat-bus-itms/nested';
    const provider = await a.token('sitilink');
    const registered = await a.gw.api.post('/cat/v1/items', {
      token: provider,
      json: {
        type: 'resource',
        id: nested,
        name: 'nested',
        description: 'a catastrophic pattern',
        dataModel: {
          ...kit.positionModel,
          properties: { ...kit.positionModel.properties, route: { type: 'string', pattern: '^(a+)+$' } },
        },
        accessPolicy: 'SECURE',
        releaseLevel: 'anonymised-record',
        source: { adapter: 'itms' },
      },
    });
    if (registered.status !== 201) throw new Error(`register: ${registered.status} ${registered.text}`);
    const heavy = await a.accessToken(await a.consent({ rateLimit: 100_000 }));
    const light = await lightAccess(a, kit.positions);
    const since = new Date(a.clock.now().getTime() - 2 * 3600_000).toISOString();
    const ring = Array.from({ length: 99 }, (_, i) => {
      const angle = (2 * Math.PI * i) / 99;
      return [72.82 + 0.08 * Math.cos(angle), 21.2 + 0.08 * Math.sin(angle)];
    });
    ring.push(ring[0]);
    const setup = {
      url: a.gw.url,
      seconds,
      light,
      heavy,
      adapter: await a.token('sitilinkAdapter'),
      item: `/cat/v1/items/${positions}`,
      release: `/ngsi-ld/v1/entities?id=${positions}&limit=20`,
      expensive: `/ngsi-ld/v1/temporal/entities?id=${positions}&timerel=after&timeAt=${encodeURIComponent(since)}&georel=within&geometry=Polygon&coordinates=${encodeURIComponent(JSON.stringify([ring]))}&limit=1000`,
      nested,
      observedAt: a.clock.now().toISOString(),
    };
    const idle = await runClient(setup);
    const attacker = fork(`${here}fairness.mjs`, ['attack', JSON.stringify(setup)], { stdio: 'inherit' });
    const loaded = await runClient(setup);
    const attackStats = await new Promise((resolve) => attacker.once('message', resolve));
    attacker.kill();
    console.log(`fairness bench on sqlite, ${seconds} s a phase`);
    for (const what of ['catalogue', 'release']) {
      const ratio = loaded[what].p99 / idle[what].p99;
      console.log(
        `  light client, ${what.padEnd(9)}  idle p50 ${idle[what].p50.toFixed(1)} ms, p99 ${idle[what].p99.toFixed(1)} ms` +
          ` | under attack p50 ${loaded[what].p50.toFixed(1)} ms, p99 ${loaded[what].p99.toFixed(1)} ms → p99 ${ratio.toFixed(2)}× idle (target ≤ 3×)`,
      );
    }
    console.log(
      `  attackers: ${attackStats.heavy} expensive queries (${attackStats.heavyRefused} refused), ${attackStats.tokens} token requests, ${attackStats.ingests} hostile ingests`,
    );
  } finally {
    await a.gw.close();
  }
}

/** Yulu, a consumer apart from the heavy one, with a consent and an access token for the positions. */
async function lightAccess(a, positions) {
  const yulu = await a.token('yulu');
  const asked = await a.gw.api.post('/consent/v1/consents', {
    token: yulu,
    json: {
      mou: a.mou,
      items: [positions],
      purpose: 'transit research',
      accessTypes: ['latest'],
      attributes: ['speed', 'route'],
      releaseLevel: 'anonymised-record',
      validTo: new Date(a.clock.now().getTime() + 30 * 86_400_000).toISOString(),
      rateLimit: 100_000,
    },
  });
  if (asked.status !== 201) throw new Error(`consent: ${asked.status} ${asked.text}`);
  const consent = asked.body.results.id;
  await a.act('sitilink', consent, 'grant');
  const access = await a.gw.api.post('/auth/v1/access-tokens', {
    token: yulu,
    json: { item: positions, consent },
  });
  if (access.status !== 200) throw new Error(`access token: ${access.status} ${access.text}`);
  return access.body.results.accessToken;
}

function runClient(setup) {
  const child = fork(`${here}fairness.mjs`, ['client', JSON.stringify(setup)], { stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('error', reject);
  });
}

/** One request at a time, alternating a catalogue read and a release; latencies per kind. */
async function client(setup) {
  const times = { catalogue: [], release: [] };
  const stopAt = performance.now() + setup.seconds * 1000;
  const headers = { authorization: `Bearer ${setup.light}` };
  while (performance.now() < stopAt) {
    for (const [kind, path, init] of [
      ['catalogue', setup.item, {}],
      ['release', setup.release, { headers }],
    ]) {
      const started = performance.now();
      const r = await fetch(`${setup.url}${path}`, init);
      const body = await r.text();
      if (r.status !== 200) throw new Error(`${kind}: ${r.status} ${body}`);
      times[kind].push(performance.now() - started);
    }
  }
  const stats = (list) => {
    const sorted = [...list].sort((x, y) => x - y);
    return {
      p50: sorted[Math.floor(sorted.length * 0.5)],
      p99: sorted[Math.floor(sorted.length * 0.99)],
      n: sorted.length,
    };
  };
  process.send({ catalogue: stats(times.catalogue), release: stats(times.release) });
}

/** Every attacker at once for the phase, then a count of what each sent. */
async function attack(setup) {
  if (process.env.BENCH_FAIRNESS_NICE !== '0') setPriority(19);
  // Each attacker from an address of its own: three parties, as on the network.
  const agents = new Map(
    ['heavy', 'tokens', 'ingest'].map((name, i) => [
      name,
      new Agent({ keepAlive: true, maxSockets: 64, localAddress: `127.0.0.${i + 2}` }),
    ]),
  );
  const fetch = (url, init = {}) =>
    new Promise((resolve, reject) => {
      const agent = agents.get(init.from);
      const req = request(url, { method: init.method ?? 'GET', headers: init.headers, agent }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode, arrayBuffer: async () => undefined }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(init.body);
    });
  const stopAt = performance.now() + setup.seconds * 1000 + 500;
  const counts = { heavy: 0, heavyRefused: 0, tokens: 0, ingests: 0 };
  const loop = async (send) => {
    while (performance.now() < stopAt) {
      try {
        await send();
      } catch {
        // A refused connection is part of the load, not a failure of the bench.
      }
    }
  };
  const heavy = async () => {
    const r = await fetch(`${setup.url}${setup.expensive}`, {
      from: 'heavy',
      headers: { authorization: `Bearer ${setup.heavy}` },
    });
    await r.arrayBuffer();
    counts.heavy += 1;
    if (r.status !== 200) counts.heavyRefused += 1;
  };
  const token = async () => {
    const r = await fetch(`${setup.url}/auth/v1/token`, {
      from: 'tokens',
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `grant_type=client_credentials&client_id=cl_${Math.random().toString(36).slice(2)}&client_secret=sgm_guess`,
    });
    await r.arrayBuffer();
    counts.tokens += 1;
  };
  const ingest = async () => {
    const records = Array.from({ length: 100 }, (_, i) => ({
      id: `evil-${counts.ingests}-${i}`,
      observedAt: setup.observedAt,
      route: `${'a'.repeat(40)}!`,
    }));
    const r = await fetch(`${setup.url}/rs/v1/ingest/${setup.nested}`, {
      from: 'ingest',
      method: 'POST',
      headers: { authorization: `Bearer ${setup.adapter}`, 'content-type': 'application/json' },
      body: JSON.stringify({ records }),
    });
    await r.arrayBuffer();
    counts.ingests += 1;
  };
  // BENCH_FAIRNESS_ATTACKERS (heavy,tokens,ingest by default) runs some of them, to see what each costs.
  const chosen = (process.env.BENCH_FAIRNESS_ATTACKERS ?? 'heavy,tokens,ingest').split(',');
  await Promise.all([
    ...Array.from({ length: chosen.includes('heavy') ? 8 : 0 }, () => loop(heavy)),
    ...Array.from({ length: chosen.includes('tokens') ? 32 : 0 }, () => loop(token)),
    ...Array.from({ length: chosen.includes('ingest') ? 2 : 0 }, () => loop(ingest)),
  ]);
  process.send(counts);
}
