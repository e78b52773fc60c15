import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { type DatabaseHandle, sqliteFileOf } from '@sangam/db';
import { testBackend, testDatabase } from '@sangam/db/testing';
import { Api, clientToken, startSangamProcess, startTestGateway } from '@sangam/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { clock, clockEnv, runCli } from './support/run.js';

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
      // A local time without its zone would be read in the machine's zone: refused.
      SANGAM_CLOCK_EPOCH: '2030-02-28T23:55',
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'SANGAM_CLOCK_EPOCH="2030-02-28T23:55" is not valid: it accepts an ISO 8601 instant',
    );
    expect(run.stderr).toContain('SANGAM_PORT="eighty" is not valid: it accepts an integer from 0 to 65535');
    expect(run.stderr).toContain('LOG_LEVEL="loud" is not valid: it accepts one of fatal, error, warn');
  });

  it('answers a mistaken call in one line that names what it accepts', async () => {
    const command = await runCli(['launch'], {});
    expect(command.code).toBe(2);
    expect(command.stderr.trim().split('\n')).toHaveLength(1);
    expect(command.stderr).toContain('unknown command "launch"; commands: start, admin init, clients rotate');
    const option = await runCli(['start', '--frob'], {});
    expect(option.code).toBe(2);
    expect(option.stderr.trim().split('\n')).toHaveLength(1);
    expect(option.stderr).toContain("Unknown option '--frob'; options: --json");
    const kind = await runCli(['adapter', 'run', 'bus'], {});
    expect(kind.code).toBe(2);
    expect(kind.stderr.trim().split('\n')).toHaveLength(1);
    expect(kind.stderr).toContain('unknown adapter kind "bus"; kinds: gbfs, itms, mds');
  });

  it('says its version', async () => {
    const manifest = JSON.parse(readFileSync(resolve(import.meta.dirname, '../package.json'), 'utf8'));
    for (const args of [['--version'], ['-v'], ['version']]) {
      const run = await runCli(args, {});
      expect(run.code).toBe(0);
      expect(run.stdout.trim()).toBe(`sangam ${manifest.version}`);
    }
  });

  it('refuses to make a database for a command that reads one, naming the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sangam-missing-'));
    try {
      const file = join(dir, 'typo.db');
      for (const args of [
        ['audit', 'export', '--out', dir],
        ['keys', 'rotate'],
        ['adapter', 'status'],
      ]) {
        const run = await runCli(args, { DATABASE_URL: `sqlite:${file}` });
        expect(run.code, args.join(' ')).toBe(1);
        expect(run.stderr).toContain(`there is no database at ${file}`);
        expect(run.stderr).not.toContain('Exported');
        expect(existsSync(file)).toBe(false);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
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

describe(`sangam clients rotate on ${testBackend()}`, () => {
  it('gives a client whose secret was lost a new one, from the database host, audited as such', async () => {
    const gw = await startTestGateway({ clock });
    try {
      const env = { DATABASE_URL: gw.database.url };
      const run = await runCli(['clients', 'rotate', gw.admin.clientId, '--json'], env);
      expect(run.code, run.stderr).toBe(0);
      const rotated = JSON.parse(run.stdout);
      expect(rotated).toMatchObject({ clientId: gw.admin.clientId, roles: ['admin'] });
      expect(rotated.clientSecret).toMatch(/^sgm_/);
      expect(rotated.clientSecret).not.toBe(gw.admin.clientSecret);
      const old = await gw.api.post('/auth/v1/token', {
        form: {
          grant_type: 'client_credentials',
          client_id: gw.admin.clientId,
          client_secret: gw.admin.clientSecret,
        },
      });
      expect(old.status).toBe(401);
      const token = await clientToken(gw.api, gw.admin.clientId, rotated.clientSecret);
      const entries = await gw.api.get('/audit/v1/entries?action=identity.client.rotate', { token });
      expect(entries.status, entries.text).toBe(200);
      expect(entries.body.results).toHaveLength(1);
      expect(entries.body.results[0].reason).toContain('replaced at the database host');

      const unknown = await runCli(['clients', 'rotate', 'cl_nobody'], env);
      expect(unknown.code).toBe(1);
      expect(unknown.stderr.trim()).toBe('sangam: No such client');
      const none = await runCli(['clients', 'rotate'], env);
      expect(none.code).toBe(2);
    } finally {
      await gw.close();
    }
  });
});

describe(`sangam audit export and verify on ${testBackend()}`, () => {
  it('writes an export only where told, or beside the embedded database, never into the working folder', async () => {
    const gw = await startTestGateway({ clock });
    const cwd = mkdtempSync(join(tmpdir(), 'sangam-cwd-'));
    try {
      const run = await runCli(['audit', 'export', '--json'], { DATABASE_URL: gw.database.url }, cwd);
      expect(readdirSync(cwd)).toEqual([]);
      const file = sqliteFileOf(gw.database.url);
      if (!file) {
        expect(run.code).toBe(2);
        expect(run.stderr).toContain('audit export needs --out DIR for a PostgreSQL database');
        return;
      }
      expect(run.code, run.stderr).toBe(0);
      const { out } = JSON.parse(run.stdout);
      expect(dirname(out)).toBe(join(dirname(file), 'audit-exports'));
      expect(readdirSync(out).sort()).toEqual(['checkpoint.json', 'entries.jsonl', 'jwks.json']);
      // The embedded default keeps its database under ./data, which git ignores.
      const ignored = readFileSync(resolve(import.meta.dirname, '../../../.gitignore'), 'utf8').split('\n');
      expect(ignored).toContain('data/');
    } finally {
      rmSync(cwd, { recursive: true, force: true });
      await gw.close();
    }
  });

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
      expect(missing.stderr).toContain('needs --dir DIR, or --export FILE --checkpoint FILE --jwks FILE');
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await gw.close();
    }
  });
});

describe('sangam start', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sangam-clean-'));
  let child: ChildProcess | undefined;
  afterAll(() => {
    child?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts clean: makes no city and prints no credentials, and the catalogue is empty', async () => {
    const gateway = await startSangamProcess({ cwd: dir, env: clockEnv() });
    child = gateway.child;
    const api = new Api(gateway.url);
    expect((await api.get('/ready')).status).toBe(200);
    expect(gateway.stderr()).not.toMatch(/demo alliance|Admin client secret/);
    expect(gateway.stderr()).toContain('This gateway has no city yet');
    expect(gateway.stderr()).toContain('sangam admin init');
    const search = await api.get('/cat/v1/search');
    expect(search.status).toBe(200);
    expect(search.body.totalHits).toBe(0);
    // Nobody exists yet to ask for a token.
    const token = await api.post('/auth/v1/token', {
      form: { grant_type: 'client_credentials', client_id: 'admin', client_secret: 'x' },
    });
    expect(token.status).toBe(401);
    // A second gateway on the same port says so in one line, and makes nothing.
    const port = new URL(gateway.url).port;
    const second = await runCli(['start'], {
      DATABASE_URL: `sqlite:${join(dir, 'second', 'sangam.db')}`,
      SANGAM_PORT: port,
    });
    expect(second.code).toBe(1);
    expect(second.stderr.trim().split('\n')).toHaveLength(1);
    expect(second.stderr).toContain(`port ${port} on 127.0.0.1 is in use`);
    expect(existsSync(join(dir, 'second'))).toBe(false);
    const exited = new Promise<number | null>((done) => gateway.child.on('exit', (code) => done(code)));
    gateway.child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
