import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { testBackend } from '@sangam/db/testing';
import { type FeedServer, startFeedServer } from '@sangam/feeds';
import { type Alliance, Api, startAlliance, startSangamProcess, yuluAdapterConfig } from '@sangam/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../../..');

/** Runs a command to its end; its exit code and output. */
function run(
  command: string,
  args: string[],
  options: { cwd: string; env?: Record<string, string> },
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(
      command,
      args,
      {
        cwd: options.cwd,
        env: { PATH: process.env.PATH ?? '', ...options.env },
        encoding: 'utf8',
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) =>
        done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/**
 * The gateway as the image and the systemd guide install it: `pnpm deploy --prod` of @sangam/gateway into a folder
 * outside the checkout, with only its production dependencies, run from there with nothing of the workspace around.
 */
describe(`the installed gateway, outside the checkout, on ${testBackend()}`, () => {
  let installed: string;
  let work: string;
  let a: Alliance;
  let feeds: FeedServer;
  const sangam = () => join(installed, 'dist', 'main.js');

  beforeAll(async () => {
    installed = mkdtempSync(join(tmpdir(), 'sangam-installed-'));
    rmSync(installed, { recursive: true });
    const deployed = await run(
      'pnpm',
      ['--filter', '@sangam/gateway', 'deploy', '--prod', '--legacy', '--offline', installed],
      { cwd: root, env: { HOME: process.env.HOME ?? tmpdir() } },
    );
    expect(deployed.code, deployed.stderr).toBe(0);
    work = mkdtempSync(join(tmpdir(), 'sangam-installed-work-'));
    a = await startAlliance();
    feeds = await startFeedServer({ clock: a.clock });
  }, 180_000);
  afterAll(async () => {
    await feeds?.close();
    await a?.gw.close();
    rmSync(installed, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  it('holds the gateway and its production dependencies only: no sources, no tests, no demo, no test tools', () => {
    expect(readdirSync(installed).sort()).toEqual(['dist', 'node_modules', 'package.json']);
    const modules = readdirSync(join(installed, 'node_modules', '@sangam'));
    expect(modules).toContain('consent');
    expect(modules).not.toContain('demo');
    expect(modules).not.toContain('feeds');
    expect(modules).not.toContain('testkit');
    const store = readdirSync(join(installed, 'node_modules', '.pnpm')).join(' ');
    for (const tool of ['vitest@', 'playwright-core@', 'typescript@', '@biomejs'])
      expect(store).not.toContain(tool);
    // The GBFS adapter's schemas ship with it: the adapter reads them at run time.
    expect(existsSync(join(installed, 'node_modules', '@sangam', 'adapter-gbfs', 'schemas'))).toBe(true);
  });

  it('migrates, starts, serves and stops from there', async () => {
    const manifest = JSON.parse(readFileSync(join(root, 'services/gateway/package.json'), 'utf8'));
    expect((await run(process.execPath, [sangam(), '--version'], { cwd: work })).stdout.trim()).toBe(
      `sangam ${manifest.version}`,
    );
    const env = { DATABASE_URL: `sqlite:${join(work, 'gateway.db')}` };
    const migrated = await run(process.execPath, [sangam(), 'db', 'migrate', '--json'], { cwd: work, env });
    expect(migrated.code, migrated.stderr).toBe(0);
    expect(JSON.parse(migrated.stdout).applied).toContain('0018_background_jobs');
    const gateway = await startSangamProcess({ cwd: work, bin: sangam(), env });
    try {
      const api = new Api(gateway.url);
      expect((await api.get('/health')).status).toBe(200);
      expect((await api.get('/ready')).status).toBe(200);
      // The console's own browser module is served from the install.
      expect((await api.get('/console/verifier.js')).status).toBe(200);
      expect(gateway.stderr()).toContain('This gateway has no city yet');
    } finally {
      const exited = new Promise<number | null>((done) => gateway.child.on('exit', (code) => done(code)));
      gateway.child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });

  it('runs an adapter that publishes over HTTP, with no database and the kind read from its file', async () => {
    const config = await yuluAdapterConfig(a, feeds, work);
    const once = spawn(process.execPath, [sangam(), 'adapter', 'run', '--config', config, '--once'], {
      cwd: work,
      env: {
        PATH: process.env.PATH ?? '',
        LOG_LEVEL: 'warn',
        SANGAM_CLOCK_EPOCH: a.clock.now().toISOString(),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    once.stdout.on('data', (d) => {
      stdout += d;
    });
    once.stderr.on('data', (d) => {
      stderr += d;
    });
    const code = await new Promise<number | null>((done) => once.on('exit', (c) => done(c)));
    expect(code, stderr).toBe(0);
    const health = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}');
    expect(health).toMatchObject({ name: 'yulu-gbfs', state: 'healthy' });
    expect(health.recordsOut).toBeGreaterThan(0);
    const stored = await a.gw.database.db
      .selectFrom('records')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('resource_id', '=', 'yulu/bikes/stations')
      .executeTakeFirstOrThrow();
    expect(Number(stored.n)).toBeGreaterThan(0);
    expect(existsSync(join(work, 'data'))).toBe(false);
  });
});
