import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Api,
  clientToken,
  runningTestClock,
  sangamDemoBin,
  shell,
  startSangamProcess,
  waitFor,
} from '@sangam/testkit';
import { afterAll, describe, expect, it } from 'vitest';

// The demo's clock follows the test epoch.
const clock = runningTestClock();
const clockEnv = () => ({ SANGAM_CLOCK_EPOCH: clock.now().toISOString() });

describe('the demo gateway on the embedded default (pnpm start)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sangam-start-'));
  let child: ChildProcess | undefined;
  afterAll(() => {
    child?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates ./data, seeds the demo alliance, serves live data to the printed commands, and stops cleanly', async () => {
    // The banner waits for the demo adapters' first polls (a minute at most) before the listening line.
    const gateway = await startSangamProcess({
      cwd: dir,
      bin: sangamDemoBin,
      env: clockEnv(),
      timeoutMs: 90_000,
    });
    const started = gateway.child;
    child = started;
    const url = gateway.url;
    // The newcomer's banner follows the listening line.
    const stderr = gateway.stderr();
    expect(stderr).toContain('These secrets are shown only this once');
    // The banner says what each adapter did at its first poll, and never claims what did not happen.
    expect(stderr).toMatch(/ {4}yulu-gbfs +stations [\d,]+, vehicles [\d,]+; every 15 s/);
    expect(stderr).toMatch(
      / {4}yulu-mds +od [\d,]+, trips [\d,]+, events [\d,]+, fleet-states [\d,]+; from the hours/,
    );
    expect(stderr).toMatch(
      / {4}sitilink-itms +live [\d,]+, occupancy none yet \(once its first 15-minute bucket has ended, after \d\d:\d\d UTC\); every 15 s/,
    );
    // The providers' credentials are there too, so a newcomer can grant, pause and revoke.
    expect(stderr).toMatch(/SITILINK_ID='cl_\w+'; SITILINK_SECRET='sgm_[\w-]+'/);
    expect(stderr).toMatch(/YULU_ID='cl_\w+'; YULU_SECRET='sgm_[\w-]+'/);
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
    // The pseudonym key is a file only its owner reads, and nowhere in the database.
    const keyFile = join(dir, 'data', 'adapters', 'pseudonym.key');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const key = readFileSync(keyFile, 'utf8').trim();
    expect(key.length).toBeGreaterThanOrEqual(32);
    const stored = readdirSync(join(dir, 'data')).filter((f) => /\.db(-wal)?$/.test(f));
    expect(stored.length).toBeGreaterThan(0);
    for (const file of stored) expect(readFileSync(join(dir, 'data', file)).includes(key)).toBe(false);
    // A gateway process seeding an alliance and polling three feeds: a budget above the start's own wait.
  }, 120_000);
});
