// pnpm bench:gbfs — the GBFS adapter over a synthetic city of 50,000 vehicles and 2,000 stations (GBFS 2.3): feed
// records handled per second and peak memory, (1) reading, validating, anonymising and aggregating only, and (2)
// with publishing into the gateway on SQLite; beside the time merely to JSON-parse the same payloads in the same run.
// BENCH_GBFS_VEHICLES, BENCH_GBFS_STATIONS and BENCH_GBFS_RUNS change the run.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GbfsAdapter, stationAvailabilityModel, vehicleAvailabilityModel } from '@sangam/adapter-gbfs';
import { AdapterRuntime, inProcessPublisher, parseAdapterConfig } from '@sangam/adapter-kit';
import { startFeedServer } from '@sangam/feeds';
import { startAlliance } from '@sangam/testkit';

const vehicles = Number(process.env.BENCH_GBFS_VEHICLES ?? 50_000);
const stationCount = Number(process.env.BENCH_GBFS_STATIONS ?? 2_000);
const runs = Number(process.env.BENCH_GBFS_RUNS ?? 5);

const feeds = await startFeedServer();
feeds.city('bench', { stations: stationCount, vehicles, seed: 3 });
const entry = feeds.gbfs('2.3', 'bench');

// Baseline: JSON.parse of the same three payloads, median of the runs.
const texts = await Promise.all(
  ['station_information', 'station_status', 'free_bike_status'].map(async (f) =>
    (await fetch(entry.replace('gbfs.json', `${f}.json`))).text(),
  ),
);
const bytes = texts.reduce((n, t) => n + t.length, 0);
const parseTimes = [];
for (let i = 0; i < runs; i += 1) {
  const t = performance.now();
  for (const text of texts) JSON.parse(text);
  parseTimes.push(performance.now() - t);
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

let peakRss = 0;
let peakHeap = 0;
const sampler = setInterval(() => {
  const m = process.memoryUsage();
  peakRss = Math.max(peakRss, m.rss);
  peakHeap = Math.max(peakHeap, m.heapUsed);
}, 5);
const resetPeaks = () => {
  global.gc?.();
  const m = process.memoryUsage();
  peakRss = m.rss;
  peakHeap = m.heapUsed;
  return m;
};

const alliance = await startAlliance({ env: { LOG_LEVEL: 'silent' } });
const token = await alliance.token('yulu');
for (const [id, model, level] of [
  ['yulu/bikes/stations', stationAvailabilityModel, 'anonymised-record'],
  ['yulu/bikes/vehicles', vehicleAvailabilityModel, 'aggregate'],
]) {
  const r = await alliance.gw.api.post('/cat/v1/items', {
    token,
    json: {
      type: 'resource',
      id,
      name: id,
      description: id,
      dataModel: model,
      accessPolicy: 'SECURE',
      releaseLevel: level,
      source: { adapter: 'gbfs' },
    },
  });
  if (r.status !== 201) throw new Error(r.text);
}

const config = (name) =>
  parseAdapterConfig({
    name,
    kind: 'gbfs',
    feed: entry,
    provider: 'yulu',
    resources: { stations: 'yulu/bikes/stations', vehicles: 'yulu/bikes/vehicles' },
    stateDir: mkdtempSync(join(tmpdir(), 'sangam-bench-')),
    maxBytes: 256 * 1024 * 1024,
    timeoutMs: 60_000,
  });

async function measure(key, label, publisher) {
  const times = [];
  let recordsIn = 0;
  let published = 0;
  const base = resetPeaks();
  for (let i = 0; i < runs; i += 1) {
    // Each run is a new snapshot (a new time bucket), so every record is new to the gateway.
    alliance.clock.advance(15 * 60_000);
    feeds.setTime(alliance.clock.now());
    // The feed server (in this process) makes and serialises the snapshot before the clock starts: the timing is
    // the adapter's fetching, parsing, validating and aggregating, not the synthetic city's making.
    await Promise.all(
      ['gbfs', 'station_information', 'station_status', 'free_bike_status'].map(async (f) =>
        (await fetch(entry.replace('gbfs.json', `${f}.json`))).text(),
      ),
    );
    const cfg = config(`bench-${key}-${i}`);
    const runtime = new AdapterRuntime({
      config: cfg,
      clock: alliance.clock,
      logic: new GbfsAdapter(cfg.options),
      publisher: publisher(cfg),
    });
    const t = performance.now();
    const health = await runtime.runOnce();
    times.push(performance.now() - t);
    await runtime.stop();
    if (health.state !== 'healthy') throw new Error(`${label}: ${JSON.stringify(health.lastError)}`);
    recordsIn = health.recordsIn;
    published = health.recordsOut;
  }
  const ms = median(times);
  return {
    label,
    ms,
    recordsIn,
    published,
    perSecond: recordsIn / (ms / 1000),
    rss: peakRss - base.rss,
    heap: peakHeap,
    baseRss: base.rss,
  };
}

const noPublisher = () => ({
  publish: async (_resource, records) => ({
    accepted: records.length,
    duplicates: 0,
    rejected: 0,
    reasons: [],
  }),
});
const inProcess = (cfg) =>
  inProcessPublisher(
    (caller, resource, records) => alliance.gw.gateway.proxy.ingest(caller, resource, records),
    cfg,
  );
const transform = await measure('transform', 'read, validate, anonymise, aggregate', noPublisher);
const full = await measure('publish', 'the same, and publish into SQLite', inProcess);
clearInterval(sampler);

const mb = (n) => `${(n / 1024 / 1024).toFixed(0)} MiB`;
console.log(
  `\nGBFS 2.3, ${vehicles.toLocaleString('en')} vehicles and ${stationCount.toLocaleString('en')} stations (${mb(bytes)} of JSON), median of ${runs} polls`,
);
console.log(
  `  baseline: JSON.parse of the same payloads                ${median(parseTimes).toFixed(0).padStart(6)} ms`,
);
for (const r of [transform, full]) {
  console.log(
    `  ${r.label.padEnd(54)} ${r.ms.toFixed(0).padStart(6)} ms  ${Math.round(r.perSecond).toLocaleString('en').padStart(9)} feed records/s  ${String(r.published).padStart(5)} published  peak RSS +${mb(r.rss)} over ${mb(r.baseRss)}`,
  );
}
console.log(
  `  ratio to parsing alone: ${(transform.ms / median(parseTimes)).toFixed(1)}× (transform), ${(full.ms / median(parseTimes)).toFixed(1)}× (with publishing)`,
);
await alliance.gw.close();
await feeds.close();
