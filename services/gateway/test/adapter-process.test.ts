import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testBackend } from '@sangam/db/testing';
import { type FeedServer, startFeedServer } from '@sangam/feeds';
import { type Alliance, startAlliance, waitFor, yuluAdapterConfig } from '@sangam/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './support/run.js';

/** An adapter process as a city runs it beside a gateway: its own working folder, no database, its log kept. */
interface AdapterProcess {
  readonly child: ChildProcess;
  log(): string;
  exited: Promise<number | null>;
}

describe(`an adapter in its own process, publishing over HTTP, on ${testBackend()}`, () => {
  let a: Alliance;
  let feeds: FeedServer;
  let configFile: string;
  let workDir: string;
  const started: AdapterProcess[] = [];

  const run = (): AdapterProcess => {
    const child = spawn(process.execPath, [cli, 'adapter', 'run', 'gbfs', '--config', configFile], {
      // Nothing of the gateway's: no DATABASE_URL, no secrets. The lease is the gateway's (1 s, for a quick takeover).
      env: {
        PATH: process.env.PATH ?? '',
        LOG_LEVEL: 'info',
        SANGAM_CLOCK_EPOCH: a.clock.now().toISOString(),
      },
      cwd: workDir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    child.stdout?.on('data', (d) => {
      log += d;
    });
    child.stderr?.on('data', (d) => {
      log += d;
    });
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    const process_ = { child, log: () => log, exited };
    started.push(process_);
    return process_;
  };

  beforeAll(async () => {
    a = await startAlliance({ env: { SANGAM_JOB_LEASE_SECONDS: '1' } });
    feeds = await startFeedServer({ clock: a.clock });
    workDir = mkdtempSync(join(tmpdir(), 'sangam-adapter-process-'));
    configFile = await yuluAdapterConfig(a, feeds, workDir);
  });
  afterAll(async () => {
    for (const p of started) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    await feeds.close();
    await a.gw.close();
  });

  const status = async () => {
    const r = await a.gw.api.get('/adapters/v1/status', { token: await a.token('yulu') });
    expect(r.status).toBe(200);
    return (
      r.body.results as { name: string; state: string; lastAttemptAt?: string; recordsOut: number }[]
    ).find((h) => h.name === 'yulu-gbfs');
  };

  it('publishes, reports its health to the gateway, and runs once however many instances are started', async () => {
    const first = run();
    const healthy = await waitFor('the adapter reports healthy', async () => {
      const h = await status();
      return h?.state === 'healthy' && h.recordsOut > 0 ? h : undefined;
    });
    expect(healthy.recordsOut).toBeGreaterThan(0);
    const stored = await a.gw.database.db
      .selectFrom('records')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('resource_id', '=', 'yulu/bikes/stations')
      .executeTakeFirstOrThrow();
    expect(Number(stored.n)).toBeGreaterThan(0);
    // It read no database: the embedded default it would have made in its folder is not there.
    expect(existsSync(join(workDir, 'data'))).toBe(false);

    // A second instance of the same adapter waits; the first keeps publishing.
    const second = run();
    await waitFor('the second instance stands by', () => second.log().includes('standing by'));
    expect(second.log()).not.toContain('adapter running');

    // The first dies without a word: the second takes over once its lease lapses, and publishes.
    first.child.kill('SIGKILL');
    await first.exited;
    // The gateway keeps the lease by its clock: a lease's time (1 s here, as the gateway is set) passes.
    a.clock.advance(1_500);
    await waitFor('the standby takes over', () => second.log().includes('adapter running'), {
      timeoutMs: 10_000,
    });
    const before = (await status())?.lastAttemptAt ?? '';
    await waitFor('the new holder polls', async () => ((await status())?.lastAttemptAt ?? '') > before);

    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    // Stopped cleanly, it gave its lease up: another instance holds it at its first ask, without waiting.
    const next = await a.gw.api.post('/adapters/v1/leases/yulu-gbfs', {
      token: await a.token('yulu'),
      json: { instance: 'a-third-instance' },
    });
    expect(next.body.results.held).toBe(true);
  });

  it("keeps each provider's adapters apart, and refuses terms for datasets not the caller's own", async () => {
    const sitilink = await a.token('sitilinkAdapter');
    const health = (provider: string) => ({
      name: 'yulu-gbfs',
      kind: 'gbfs',
      provider,
      state: 'stale',
      recordsIn: 0,
      recordsOut: 0,
      duplicates: 0,
      rejected: 0,
      cellsSuppressed: 0,
      recordsLeftOut: 0,
      deadLettered: 0,
      consecutiveFailures: 0,
      circuit: 'closed',
    });
    // A report for another provider is refused.
    const forYulu = await a.gw.api.request('PUT', '/adapters/v1/status/yulu-gbfs', {
      token: sitilink,
      json: health('yulu'),
    });
    expect(forYulu.status).toBe(403);
    expect(forYulu.headers.get('content-type')).toContain('application/problem+json');
    // Sitilink may name an adapter of its own alike: it is Sitilink's, and Yulu's adapter is untouched.
    const own = await a.gw.api.request('PUT', '/adapters/v1/status/yulu-gbfs', {
      token: sitilink,
      json: health('sitilink'),
    });
    expect(own.status).toBe(200);
    const yulus = await a.gw.api.get('/adapters/v1/status', { token: await a.token('yulu') });
    const yulu = (yulus.body.results as { name: string; provider: string; state: string }[]).filter(
      (h) => h.name === 'yulu-gbfs',
    );
    expect(yulu).toEqual([expect.objectContaining({ provider: 'yulu' })]);
    expect(yulu[0]?.state).not.toBe('stale');
    const all = await a.gw.api.get('/adapters/v1/status', { token: await a.gw.adminToken() });
    expect(
      (all.body.results as { name: string; provider: string }[])
        .filter((h) => h.name === 'yulu-gbfs')
        .map((h) => h.provider)
        .sort(),
    ).toEqual(['sitilink', 'yulu']);
    const terms = await a.gw.api.get('/adapters/v1/terms?datasets=yulu/bikes', { token: sitilink });
    expect(terms.status).toBe(403);
    const malformed = await a.gw.api.request('PUT', '/adapters/v1/status/yulu-gbfs', {
      token: await a.token('yulu'),
      json: { name: 'yulu-gbfs', state: 'fine' },
    });
    expect(malformed.status).toBe(400);
    const anonymous = await a.gw.api.post('/adapters/v1/leases/yulu-gbfs', { json: { instance: 'x' } });
    expect(anonymous.status).toBe(401);
  });
});
