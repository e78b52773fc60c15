import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { testBackend } from '@sangam/db/testing';
import { type FeedServer, startFeedServer, syntheticGbfs } from '@sangam/feeds';
import { timeBucket } from '@sangam/privacy';
import { type Alliance, startAlliance, waitFor } from '@sangam/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vehicleCells } from '../src/index.js';
import { gbfsAlliance, stations, vehicles } from './support.js';

const cli = resolve(import.meta.dirname, '../../../services/gateway/dist/main.js');
// Three chunks of stations per snapshot (a chunk is 1,000 records), so a kill after the first lands mid-snapshot.
const city = { stations: 3000, vehicles: 8000, seed: 5 };

describe(`an adapter killed mid-publish on ${testBackend()}`, () => {
  let a: Alliance;
  let feeds: FeedServer;
  let mou: string;
  let configFile: string;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    a = await startAlliance();
    feeds = await startFeedServer({ clock: a.clock });
    feeds.city('big', city);
    mou = await gbfsAlliance(a);
    const dir = mkdtempSync(join(tmpdir(), 'sangam-kill-'));
    configFile = join(dir, 'yulu-gbfs.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        name: 'yulu-gbfs',
        kind: 'gbfs',
        feed: feeds.gbfs('2.3', 'big'),
        allowHosts: ['127.0.0.1'],
        provider: 'yulu',
        mou,
        resources: { stations, vehicles },
        pollSeconds: 0.1,
        stateDir: join(dir, 'state'),
        options: { maxAgeSeconds: 7200 },
      }),
    );
  });
  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await a.gw.close();
    await feeds.close();
  });

  /** The adapter as its own process, on the gateway's database; resolves each line it logs. */
  const run = () => {
    const child = spawn(process.execPath, [cli, 'adapter', 'run', 'gbfs', '--config', configFile], {
      env: {
        ...process.env,
        DATABASE_URL: a.gw.database.url,
        // Each published chunk is a debug line: the test kills the adapter at the first.
        LOG_LEVEL: 'debug',
        SANGAM_SCRYPT_COST: '14',
        // The adapter process keeps the gateway's time, as two processes on one machine would.
        SANGAM_CLOCK_EPOCH: a.clock.now().toISOString(),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    const lines: string[] = [];
    child.stdout?.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean)));
    return { child, lines };
  };
  // Each wait is bounded under the test's own budget, so a stuck step is named rather than timed out.
  const until = (what: string, check: () => Promise<boolean> | boolean) =>
    waitFor(what, check, { timeoutMs: 30_000, everyMs: 25 });
  const healthAt = async (dataTime: string) => {
    const row = await a.gw.database.db.selectFrom('adapter_status').select('health').executeTakeFirst();
    const health = row ? JSON.parse(row.health) : undefined;
    return health?.state === 'healthy' && health.dataTime === dataTime;
  };
  const snapshotsOf = async (resource: string) => {
    const rows = await a.gw.database.db
      .selectFrom('records')
      .select(['entity_id', 'observed_at', 'body'])
      .where('resource_id', '=', resource)
      .execute();
    const byTime = new Map<string, Map<string, string>>();
    for (const r of rows) {
      const at = byTime.get(r.observed_at) ?? new Map<string, string>();
      expect(at.has(r.entity_id)).toBe(false);
      at.set(r.entity_id, r.body);
      byTime.set(r.observed_at, at);
    }
    return byTime;
  };

  it('restarts and publishes every snapshot exactly once: no gap, no duplicate', async () => {
    const start = timeBucket(new Date(a.clock.now().getTime() - 40 * 60_000), 15);
    const times = [0, 1, 2].map((i) => new Date(start.getTime() + i * 15 * 60_000 + 1000));
    const iso = (d: Date) => new Date(Math.floor(d.getTime() / 1000) * 1000).toISOString();

    feeds.setTime(times[0] as Date);
    const first = run();
    await until('the first snapshot', () => healthAt(iso(times[0] as Date)));

    // The next snapshot appears; the adapter is killed as soon as it has published its first chunk of it.
    const seen = first.lines.length;
    feeds.setTime(times[1] as Date);
    await until('a chunk of the second snapshot', () =>
      first.lines.slice(seen).some((l) => l.includes('published')),
    );
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    // The kill landed mid-publish: the second snapshot was stored only in part when the process died.
    const stationsAtKill = (await snapshotsOf(stations)).get(iso(times[1] as Date))?.size ?? 0;
    const cellsAtKill =
      (await snapshotsOf(vehicles)).get(timeBucket(times[1] as Date, 15).toISOString())?.size ?? 0;
    expect(stationsAtKill < city.stations || cellsAtKill === 0).toBe(true);

    const second = run();
    await until('the second snapshot after the restart', () => healthAt(iso(times[1] as Date)));
    feeds.setTime(times[2] as Date);
    await until('the third snapshot', () => healthAt(iso(times[2] as Date)));
    second.child.kill('SIGTERM');
    await new Promise((r) => second.child.once('exit', r));

    const stationSnapshots = await snapshotsOf(stations);
    for (const t of times)
      expect(stationSnapshots.get(iso(t))?.size, `stations at ${iso(t)}`).toBe(city.stations);

    const cellSnapshots = await snapshotsOf(vehicles);
    for (const t of times) {
      const expected = vehicleCells(syntheticGbfs('2.3', 'free_bike_status', city, t), '2.3', new Map(), {
        resolution: 8,
        bucketMinutes: 15,
        k: 10,
        feedTime: iso(t),
      });
      const bucket = timeBucket(t, 15).toISOString();
      const got = cellSnapshots.get(bucket);
      expect(got?.size, `cells at ${bucket}`).toBe(expected.records.length);
      for (const r of expected.records)
        expect(JSON.parse(got?.get(r.id) ?? '{}').available).toBe(r.available);
    }

    // `sangam adapter status` reads the same health the API serves.
    const status = spawn(process.execPath, [cli, 'adapter', 'status', '--json'], {
      env: {
        ...process.env,
        DATABASE_URL: a.gw.database.url,
        SANGAM_CLOCK_EPOCH: a.clock.now().toISOString(),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    status.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    expect(await new Promise((r) => status.once('exit', r))).toBe(0);
    const reported = JSON.parse(out);
    expect(reported[0]).toMatchObject({
      name: 'yulu-gbfs',
      state: 'healthy',
      dataTime: iso(times[2] as Date),
    });
    expect(reported[0].recordsOut).toBeGreaterThan(city.stations);
    // Two adapter processes and four waits of at most 30 s each: the budget of a multi-process test.
  }, 150_000);
});
