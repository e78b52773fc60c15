import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { DatabaseHandle } from '@sangam/db';
import { testBackend, testDatabase } from '@sangam/db/testing';
import { Api, clientToken, runningTestClock, startTestGateway, waitFor } from '@sangam/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The built command, as a user runs it (`pnpm test` builds first).
const cli = resolve(import.meta.dirname, '../dist/main.js');
// One clock for the gateways these tests start and the commands they run, from the test epoch.
const clock = runningTestClock();
const clockEnv = () => ({ SANGAM_CLOCK_EPOCH: clock.now().toISOString() });

/**
 * A shell line, run as a user would paste it. Asynchronous on purpose: a synchronous child would stall this
 * process's event loop, and its idle keep-alive connections to the gateway would be closed under it.
 */
function shell(line: string): Promise<string> {
  return new Promise((done) => {
    execFile('bash', ['-c', line], { encoding: 'utf8' }, (_error, stdout) => done(stdout));
  });
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runCli(args: string[], env: Record<string, string>, cwd?: string): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [cli, ...args], {
      env: { PATH: process.env.PATH ?? '', SANGAM_SCRYPT_COST: '14', ...clockEnv(), ...env },
      cwd: cwd ?? process.cwd(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

describe(`the sangam command on ${testBackend()}`, () => {
  let database: DatabaseHandle;
  beforeAll(async () => {
    database = await testDatabase();
  });
  afterAll(async () => {
    await database.destroy();
  });

  it('initialises a city once, shows the secret once, and refuses a second time', async () => {
    const env = { DATABASE_URL: database.url };
    const first = await runCli(
      ['admin', 'init', '--id', 'surat', '--name', 'Surat Municipal Corporation', '--json'],
      env,
    );
    expect(first.code, first.stderr).toBe(0);
    const { organisation, admin } = JSON.parse(first.stdout);
    expect(organisation).toMatchObject({ id: 'surat', kind: 'government', city: 'Surat' });
    expect(admin.clientSecret).toMatch(/^sgm_/);
    expect(admin.roles).toEqual(['admin']);

    const second = await runCli(['admin', 'init'], env);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain('already has a city');
    expect(second.stdout + second.stderr).not.toContain(admin.clientSecret);
  });

  it('stops on a bad variable, naming it and what it accepts', async () => {
    const run = await runCli(['keys', 'rotate'], {
      DATABASE_URL: database.url,
      SANGAM_PORT: 'eighty',
      LOG_LEVEL: 'loud',
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('SANGAM_PORT="eighty" is not valid: it accepts an integer from 0 to 65535');
    expect(run.stderr).toContain('LOG_LEVEL="loud" is not valid: it accepts one of fatal, error, warn');
  });

  it('explains its usage for an unknown command', async () => {
    const run = await runCli(['launch'], {});
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Unknown command "launch"');
    expect(run.stderr).toContain('Usage: sangam');
  });

  it('rotates keys: a token signed before still verifies, and not after the next rotation', async () => {
    const gw = await startTestGateway({ clock, env: { SANGAM_KEY_CACHE_SECONDS: '0' } });
    try {
      const token = await gw.adminToken();
      const orgs = () => gw.api.get('/consent/v1/organisations', { token });
      const env = { DATABASE_URL: gw.database.url };

      const first = await runCli(['keys', 'rotate', '--json'], env);
      expect(first.code, first.stderr).toBe(0);
      expect((await orgs()).status).toBe(200);
      const jwks = await gw.api.get('/.well-known/jwks.json');
      expect(jwks.body.keys).toHaveLength(2);
      expect(jwks.body.keys[0].kid).toBe(JSON.parse(first.stdout).kid);

      const second = await runCli(['keys', 'rotate', '--json'], env);
      expect(second.code, second.stderr).toBe(0);
      const refused = await orgs();
      expect(refused.status).toBe(401);
      expect(refused.body.type).toBe('urn:dx:as:unknownKey');
      expect((await gw.api.get('/consent/v1/organisations', { token: await gw.adminToken() })).status).toBe(
        200,
      );
    } finally {
      await gw.close();
    }
  });
});

describe(`sangam audit export and verify on ${testBackend()}`, () => {
  it('exports a log that verifies offline, and names the first entry changed in the file', async () => {
    const gw = await startTestGateway({ clock });
    const dir = mkdtempSync(join(tmpdir(), 'sangam-audit-'));
    try {
      for (let i = 0; i < 5; i += 1) await gw.adminToken();
      const env = { DATABASE_URL: gw.database.url };
      const exported = await runCli(['audit', 'export', '--out', dir, '--json'], env);
      expect(exported.code, exported.stderr).toBe(0);
      const { entries, checkpoint } = JSON.parse(exported.stdout);
      expect(entries).toBe(checkpoint.treeSize);
      expect(entries).toBeGreaterThanOrEqual(6);

      const files = ['--export', join(dir, 'entries.jsonl'), '--checkpoint', join(dir, 'checkpoint.json')];
      const verify = () => runCli(['audit', 'verify', ...files, '--jwks', join(dir, 'jwks.json')], {});
      const ok = await verify();
      expect(ok.code, ok.stderr).toBe(0);
      expect(ok.stderr).toContain(`OK: ${entries} entries match the checkpoint`);

      const lines = readFileSync(join(dir, 'entries.jsonl'), 'utf8').split('\n');
      lines[4] = (lines[4] ?? '').replace('"decision":"allow"', '"decision":"deny"');
      writeFileSync(join(dir, 'entries.jsonl'), lines.join('\n'));
      const changed = await verify();
      expect(changed.code).toBe(1);
      expect(changed.stderr).toContain('FAILED: first bad entry 5');

      writeFileSync(join(dir, 'entries.jsonl'), lines.slice(0, 3).join('\n'));
      const truncated = await verify();
      expect(truncated.code).toBe(1);
      expect(truncated.stderr).toContain('first bad entry 4');

      const missing = await runCli(['audit', 'verify', '--export', join(dir, 'entries.jsonl')], {});
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain('needs --export FILE --checkpoint FILE --jwks FILE');
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await gw.close();
    }
  });
});

/** `sangam start` as a user runs it, in `dir`, on a free port; resolves once it says where it listens. */
async function startCli(
  dir: string,
  args: string[],
): Promise<{ child: ChildProcess; url: string; stderr: () => string }> {
  const child = spawn(process.execPath, [cli, ...args], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', SANGAM_PORT: '0', SANGAM_SCRYPT_COST: '14', ...clockEnv() },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  const url = await new Promise<string>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`no listening line in: ${stderr}`)), 20_000);
    child.stderr?.on('data', () => {
      const match = /listening on (http:\/\/[\d.:]+)/.exec(stderr);
      if (match?.[1]) {
        clearTimeout(timer);
        done(match[1]);
      }
    });
  });
  return { child, url, stderr: () => stderr };
}

describe('sangam start --no-demo', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sangam-clean-'));
  let child: ChildProcess | undefined;
  afterAll(() => {
    child?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts clean: makes no city and prints no credentials, and the catalogue is empty', async () => {
    const gateway = await startCli(dir, ['start', '--no-demo']);
    child = gateway.child;
    const api = new Api(gateway.url);
    expect((await api.get('/ready')).status).toBe(200);
    expect(gateway.stderr()).not.toMatch(/demo alliance|Admin client secret/);
    const search = await api.get('/cat/v1/search');
    expect(search.status).toBe(200);
    expect(search.body.totalHits).toBe(0);
    // Nobody exists yet to ask for a token.
    const token = await api.post('/auth/v1/token', {
      form: { grant_type: 'client_credentials', client_id: 'admin', client_secret: 'x' },
    });
    expect(token.status).toBe(401);
    const exited = new Promise<number | null>((done) => gateway.child.on('exit', (code) => done(code)));
    gateway.child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});

describe('sangam start on the embedded default', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sangam-start-'));
  let child: ChildProcess | undefined;
  afterAll(() => {
    child?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates ./data, seeds the demo alliance, serves live data to the printed commands, and stops cleanly', async () => {
    const gateway = await startCli(dir, ['start']);
    const started = gateway.child;
    child = started;
    const url = gateway.url;
    // The newcomer's banner follows the listening line.
    const stderr = await waitFor(
      'the banner',
      () => gateway.stderr().includes('These secrets are shown only this once') && gateway.stderr(),
      { timeoutMs: 30_000 },
    );
    const api = new Api(url);
    expect((await api.get('/health')).status).toBe(200);
    expect((await api.get('/ready')).status).toBe(200);

    const id = /Admin client id\s+(\S+)/.exec(stderr)?.[1] ?? '';
    const secret = /Admin client secret\s+(\S+)/.exec(stderr)?.[1] ?? '';
    const token = await clientToken(api, id, secret);
    const orgs = await api.get('/consent/v1/organisations', { token });
    expect(orgs.body.results.map((o: { id: string }) => o.id).sort()).toEqual([
      'sitilink',
      'surat-municipal-corporation',
      'svnit',
      'yulu',
    ]);

    // The printed commands, run as printed, reach live data within a minute.
    const commands = stderr
      .split('\n')
      .filter((l) => /^ {4}(ID=|TOKEN=|ACCESS=|curl -s -H "authorization: Bearer \$ACCESS")/.test(l))
      .map((l) => l.trim());
    expect(commands).toHaveLength(4);
    const live = await waitFor(
      'bus positions through the printed commands',
      async () => {
        const out = await shell(commands.join('\n'));
        return /"results":\[\{"id"/.test(out) && out;
      },
      { everyMs: 1000 },
    );
    expect(JSON.parse(live)).toMatchObject({
      type: 'urn:dx:rs:success',
      results: expect.arrayContaining([expect.objectContaining({ routeId: expect.any(String) })]),
    });
    expect(live).not.toMatch(/GJ05/);

    // The bikes line: the same commands with its item and consent, and one of the resources it names.
    const bikes = /Bikes: the same with (\{[^}]+\}) and id=([^,\s]+)/.exec(stderr);
    expect(bikes).not.toBeNull();
    const [, bikeItem = '', bikeResource = ''] = bikes ?? [];
    const bikeCommands = [
      ...commands.slice(0, 2),
      (commands[2] ?? '').replace(/-d '\{[^}]+\}'/, `-d '${bikeItem}'`),
      (commands[3] ?? '').replace('id=sitilink/surat-bus-itms/live', `id=${bikeResource}`),
    ];
    const bikeAnswer = await waitFor(
      'bikes through the printed commands',
      async () => {
        const out = await shell(bikeCommands.join('\n'));
        return /"results":\[\{"id"/.test(out) && out;
      },
      { everyMs: 1000 },
    );
    expect(JSON.parse(bikeAnswer)).toMatchObject({
      type: 'urn:dx:rs:success',
      results: expect.arrayContaining([expect.objectContaining({ available: expect.any(Number) })]),
    });

    // The auditor's printed commands: the university's steps, and a log that verifies.
    const auditing = stderr
      .split('\n')
      .filter((l) => /^ {4}(AUDITOR_ID=|AUDIT=|curl -s -H "authorization: Bearer \$AUDIT")/.test(l))
      .map((l) => l.trim());
    expect(auditing).toHaveLength(4);
    const audited = await shell(auditing.slice(0, 3).join('\n'));
    const entries = JSON.parse(audited) as { results: { action: string; organisation?: string }[] };
    expect(entries.results.length).toBeGreaterThan(0);
    expect(entries.results.map((e) => e.action)).toContain('auth.token');
    const verified = await shell([...auditing.slice(0, 2), auditing[3]].join('\n'));
    expect(JSON.parse(verified)).toMatchObject({ results: { ok: true } });
    // Every adapter publishes: none reports an error.
    const adapters = await waitFor('three healthy adapters', async () => {
      const status = await api.get('/adapters/v1/status', { token });
      const healthy = status.body.results.filter((h: { state: string }) => h.state === 'healthy');
      return healthy.length === 3 && status;
    });
    for (const h of adapters.body.results) expect(h.lastError, JSON.stringify(h)).toBeUndefined();
    expect(adapters.body.results.map((h: { name: string }) => h.name).sort()).toEqual([
      'sitilink-itms',
      'yulu-gbfs',
      'yulu-mds',
    ]);

    const exited = new Promise<number | null>((done) => started.on('exit', (code) => done(code)));
    started.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
