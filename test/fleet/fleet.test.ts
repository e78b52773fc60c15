import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseHandle } from '@sangam/db';
import { testPostgresDatabase } from '@sangam/db/testing';
import { type FeedServer, startFeedServer } from '@sangam/feeds';
import {
  type Alliance,
  type Balancer,
  positions,
  type SangamProcess,
  sangamBin,
  startAlliance,
  startBalancer,
  startSangamProcess,
  yuluAdapterConfig,
} from '@sangam/testkit';
import { decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * A city's production in miniature, without Docker: three `sangam start` processes and two copies of one adapter on
 * one PostgreSQL database, a round-robin proxy in front, under mixed load for `SANGAM_FLEET_SECONDS` (60 in CI).
 * During it one instance is SIGKILLed and started again, keys are rotated, and a consent is revoked through a third
 * instance. Afterwards the instances agree on everything the database holds.
 */
const seconds = Number(process.env.SANGAM_FLEET_SECONDS ?? 60);
const shared = {
  SANGAM_ISSUER: 'http://sangam.surat.test',
  SANGAM_KEY_ENCRYPTION_SECRET: 'a-secret-every-instance-shares-0123',
};
const checkpointSeconds = 2;
const sweepSeconds = 3;
const rateLimit = 40;
const pollSeconds = 1;
const leaseSeconds = 5;

describe('three gateways and two adapter processes on one PostgreSQL database, behind a proxy', () => {
  let database: DatabaseHandle;
  let a: Alliance;
  let feeds: FeedServer;
  let balancer: Balancer;
  let work: string;
  let adapterConfig: string;
  const consents: Record<'open' | 'limited' | 'revoked', string> = { open: '', limited: '', revoked: '' };
  const tokens: Record<string, string> = {};
  let epochOf: () => string;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    database = await testPostgresDatabase({ migrate: true });
    a = await startAlliance({ database, env: shared });
    feeds = await startFeedServer({ clock: a.clock });
    consents.open = await a.consent();
    consents.limited = await a.consent({ rateLimit });
    consents.revoked = await a.consent();
    for (const [name, id] of Object.entries(consents)) tokens[name] = await a.accessToken(id);
    tokens.adapter = await a.token('sitilinkAdapter');
    tokens.provider = await a.token('sitilink');
    const auditor = await a.gw.api.post('/consent/v1/clients', {
      token: await a.token('admin'),
      json: { organisation: 'surat', roles: ['auditor'], name: 'Fleet auditor' },
    });
    tokens.auditorId = auditor.body.results.clientId;
    tokens.auditorSecret = auditor.body.results.clientSecret;
    work = mkdtempSync(join(tmpdir(), 'sangam-fleet-'));
    balancer = await startBalancer([]);
    adapterConfig = await yuluAdapterConfig(a, feeds, work, { gatewayUrl: balancer.url, pollSeconds });
    const setUpAt = a.clock.now().getTime();
    const started = performance.now();
    epochOf = () => new Date(setUpAt + (performance.now() - started)).toISOString();
    // From here on only the processes serve the database.
    await a.gw.close();
  }, 120_000);
  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await balancer?.close();
    await feeds?.close();
    await database?.destroy();
  });

  const environment = () => ({
    ...shared,
    DATABASE_URL: database.url,
    SANGAM_CLOCK_EPOCH: epochOf(),
    SANGAM_CHECKPOINT_INTERVAL_SECONDS: String(checkpointSeconds),
    SANGAM_RETENTION_SWEEP_SECONDS: String(sweepSeconds),
    SANGAM_JOB_LEASE_SECONDS: String(leaseSeconds),
    SANGAM_KEY_CACHE_SECONDS: '1',
    SANGAM_QUERY_CONCURRENCY: '256',
    LOG_LEVEL: 'warn',
  });
  const startInstance = async (): Promise<SangamProcess> => {
    const instance = await startSangamProcess({ cwd: work, env: environment(), timeoutMs: 60_000 });
    children.push(instance.child);
    return instance;
  };
  /** An adapter copy as a supervisor runs it: one that stops after losing its lease is started again. */
  type AdapterCopy = { child: ChildProcess; log(): string };
  const adapterCopies: AdapterCopy[] = [];
  let supervising = true;
  const startAdapter = (): AdapterCopy => {
    const child = spawn(process.execPath, [sangamBin, 'adapter', 'run', '--config', adapterConfig], {
      cwd: work,
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', SANGAM_CLOCK_EPOCH: epochOf() },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let log = '';
    child.stdout.on('data', (d) => {
      log += d;
    });
    child.stderr.on('data', (d) => {
      log += d;
    });
    const copy = { child, log: () => log };
    adapterCopies.push(copy);
    child.once('exit', (code) => {
      if (supervising && code === 1) startAdapter();
    });
    return copy;
  };

  it(
    'agrees on revocation, rate limit, keys, one log and one run of each job per period, and loses nothing',
    async () => {
      const instances = [await startInstance(), await startInstance(), await startInstance()];
      balancer.backends = instances.map((i) => i.url);
      startAdapter();
      startAdapter();

      // The load: ingestion, queries under three consents, through the proxy; every 2xx kept with its request id.
      const ingested: string[] = [];
      const acknowledged: string[] = [];
      const limited: number[] = [];
      const afterRevocation: number[] = [];
      let revokedAt = Number.POSITIVE_INFINITY;
      let running = true;
      let batch = 0;
      const call = async (path: string, init: RequestInit & { token: string }) => {
        const response = await fetch(`${balancer.url}${path}`, {
          ...init,
          headers: { authorization: `Bearer ${init.token}`, ...(init.headers ?? {}) },
        });
        await response.arrayBuffer();
        if (response.status >= 200 && response.status < 300) {
          acknowledged.push(response.headers.get('x-request-id') ?? '');
        }
        return response.status;
      };
      const query = (token: string) => call(`/ngsi-ld/v1/entities?id=${positions}&limit=5`, { token });
      const worker = async (kind: 'ingest' | 'open' | 'limited' | 'revoked') => {
        while (running) {
          try {
            if (kind === 'ingest') {
              const ids = Array.from({ length: 10 }, (_, i) => `fleet-${batch}-${i}`);
              batch += 1;
              const status = await call(`/rs/v1/ingest/${positions}`, {
                method: 'POST',
                token: tokens.adapter as string,
                headers: { 'content-type': 'application/json' },
                body: JSON.stringify({
                  records: ids.map((id) => ({ id, observedAt: epochOf(), route: 'R1', speed: 20 })),
                }),
              });
              if (status === 200) ingested.push(...ids);
            } else if (kind === 'limited') {
              limited.push(await query(tokens.limited as string));
            } else if (kind === 'revoked') {
              const sent = performance.now();
              const status = await query(tokens.revoked as string);
              if (sent > revokedAt) afterRevocation.push(status);
            } else {
              await query(tokens.open as string);
            }
          } catch {
            // A connection cut by the killed instance: nothing was acknowledged.
          }
        }
      };
      const workers = (['ingest', 'ingest', 'open', 'open', 'limited', 'revoked'] as const).map(worker);
      const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
      const at = (share: number) => wait(share * seconds * 1000);

      // A quarter in: the instance holding the checkpoint job dies without a word, and is started again.
      await at(0.25);
      const holder = await database.db
        .selectFrom('background_jobs')
        .select('holder')
        .where('name', '=', 'audit-checkpoint')
        .executeTakeFirstOrThrow();
      // An instance's name in a lease is host:pid:random.
      const holderPid = Number(holder.holder.split(':').at(-2));
      const killedAt = instances.findIndex((i) => i.child.pid === holderPid);
      expect(killedAt).toBeGreaterThanOrEqual(0);
      const killed = instances[killedAt] as SangamProcess;
      const killedEpoch = Date.parse(epochOf());
      killed.child.kill('SIGKILL');
      await new Promise((r) => killed.child.once('exit', r));
      balancer.backends = balancer.backends.filter((u) => u !== killed.url);
      instances[killedAt] = await startInstance();
      balancer.backends = [...balancer.backends, (instances[killedAt] as SangamProcess).url];

      // Half way: keys are rotated (on the database, as `sangam keys rotate` does on any instance's machine).
      await at(0.25);
      const rotated = await new Promise<{ kid: string }>((done, fail) => {
        const child = spawn(process.execPath, [sangamBin, 'keys', 'rotate', '--json'], {
          env: { PATH: process.env.PATH ?? '', ...environment() },
        });
        let out = '';
        child.stdout.on('data', (d) => {
          out += d;
        });
        child.on('exit', (code) =>
          code === 0 ? done(JSON.parse(out)) : fail(new Error(`keys rotate: ${code}`)),
        );
      });
      // Within SANGAM_KEY_CACHE_SECONDS every instance signs with the new key and accepts what the others sign.
      await wait(1_500);
      for (const signer of instances) {
        const api = { url: signer.url };
        const token = await clientTokenAt(
          api.url,
          tokens.auditorId as string,
          tokens.auditorSecret as string,
        );
        expect(decodeProtectedHeader(token).kid).toBe(rotated.kid);
        for (const checker of instances) {
          const answer = await fetch(`${checker.url}/audit/v1/entries?limit=1`, {
            headers: { authorization: `Bearer ${token}` },
          });
          expect(answer.status, `${signer.url} → ${checker.url}`).toBe(200);
        }
      }

      // Later: the consent is revoked through the third instance; every instance refuses it from the next request.
      await at(0.15);
      const third = instances[2] as SangamProcess;
      const revoke = await fetch(`${third.url}/consent/v1/consents/${consents.revoked}/revoke`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens.provider}` },
      });
      expect(revoke.status).toBe(200);
      revokedAt = performance.now();
      for (const instance of instances) {
        const refused = await fetch(`${instance.url}/ngsi-ld/v1/entities?id=${positions}`, {
          headers: { authorization: `Bearer ${tokens.revoked}` },
        });
        expect(refused.status, instance.url).toBe(403);
        expect(((await refused.json()) as { type: string }).type).toContain('consentRevoked');
      }

      await at(0.35);
      running = false;
      await Promise.all(workers);

      // No instance released the revoked consent after the revocation was acknowledged.
      expect(afterRevocation.length).toBeGreaterThan(0);
      expect(afterRevocation.filter((s) => s < 300)).toEqual([]);

      // The rate limit held exactly across instances: every release counted in its window, none over the limit.
      const windows = await database.db
        .selectFrom('rate_windows')
        .select(['window_start', 'requests'])
        .where('consent_id', '=', consents.limited)
        .execute();
      const released = limited.filter((s) => s === 200).length;
      expect(windows.reduce((n, w) => n + Number(w.requests), 0)).toBe(released);
      expect(windows.every((w) => Number(w.requests) <= rateLimit)).toBe(true);
      expect(windows.some((w) => Number(w.requests) === rateLimit)).toBe(true);
      expect(limited.filter((s) => s === 429).length).toBeGreaterThan(0);

      // One gap-free log that verifies.
      const auditor = await clientTokenAt(
        balancer.url,
        tokens.auditorId as string,
        tokens.auditorSecret as string,
      );
      const verify = await fetch(`${balancer.url}/audit/v1/verify`, {
        headers: { authorization: `Bearer ${auditor}` },
      });
      const report = (await verify.json()) as { results: { ok: boolean; reason?: string } };
      expect(report.results.reason).toBeUndefined();
      expect(report.results.ok).toBe(true);
      const entries = await database.db
        .selectFrom('audit_entries')
        .select(['seq', 'request_id'])
        .orderBy('seq')
        .execute();
      expect(entries.map((e) => Number(e.seq))).toEqual(entries.map((_, i) => i + 1));

      // Nothing acknowledged was lost: every ingested record once, every acknowledged request's entry once.
      const stored = await database.db
        .selectFrom('records')
        .select('entity_id')
        .where('resource_id', '=', positions)
        .where('entity_id', 'like', 'fleet-%')
        .execute();
      const copies = new Map<string, number>();
      for (const r of stored) copies.set(r.entity_id, (copies.get(r.entity_id) ?? 0) + 1);
      expect(ingested.length).toBeGreaterThan(0);
      expect(ingested.filter((id) => copies.get(id) !== 1)).toEqual([]);
      const byRequest = new Map<string, number>();
      for (const e of entries)
        if (e.request_id) byRequest.set(e.request_id, (byRequest.get(e.request_id) ?? 0) + 1);
      expect(acknowledged.filter((id) => byRequest.get(id) !== 1)).toEqual([]);

      // Each background job ran once per period: checkpoints at least a period apart, sweeps no more than periods.
      const checkpoints = await database.db
        .selectFrom('audit_checkpoints')
        .select('timestamp')
        .orderBy('tree_size')
        .execute();
      const times = checkpoints.map((c) => Date.parse(c.timestamp));
      expect(times.length).toBeGreaterThan(seconds / checkpointSeconds / 3);
      const gaps = times.slice(1).map((t, i) => t - (times[i] ?? 0));
      // Two holders at once would leave checkpoints moments apart, and twice as many: neither happened. (A
      // checkpoint's time is when it was signed, a commit after its period was claimed, so gaps are not exact.)
      expect(Math.min(...gaps)).toBeGreaterThan((checkpointSeconds * 1000) / 2);
      const span = Math.max(...times) - Math.min(...times);
      expect(times.length).toBeLessThanOrEqual(span / (checkpointSeconds * 1000) + 2);
      // The checkpoint job moved on from the instance that died: checkpoints went on after its lease lapsed.
      expect(Math.max(...times)).toBeGreaterThan(
        killedEpoch + leaseSeconds * 1000 + checkpointSeconds * 1000,
      );
      const jobs = await database.db
        .selectFrom('background_jobs')
        .select(['name', 'runs', 'holder'])
        .execute();
      expect(jobs.find((j) => j.name === 'audit-checkpoint')?.holder).not.toBe(holder.holder);
      const sweeps = Number(jobs.find((j) => j.name === 'retention-sweep')?.runs ?? 0);
      expect(sweeps).toBeGreaterThan(0);
      expect(sweeps).toBeLessThanOrEqual(Math.ceil((seconds + 60) / sweepSeconds));

      // One copy of the adapter publishes at a time. A copy that fell behind renewing its lease under this load
      // stopped before its lease could lapse, said so, and was started again as a standby by its supervisor.
      supervising = false;
      const live = adapterCopies.filter((p) => p.child.exitCode === null && p.child.signalCode === null);
      const publishing = live.filter((p) => p.log().includes('adapter running'));
      expect(publishing.length).toBeLessThanOrEqual(1);
      const handedOver = adapterCopies.filter((p) => p.child.exitCode === 1);
      for (const copy of handedOver) expect(copy.log()).toContain('lease lost');
      expect(adapterCopies.some((p) => p.log().includes('standing by'))).toBe(true);
      const polls = feeds.requests.filter((p) => p.endsWith('/gbfs.json')).length;
      expect(polls).toBeGreaterThan(0);
      expect(polls).toBeLessThanOrEqual(Math.ceil((seconds + 60) / pollSeconds));
      // What it published is there, through the proxy and whichever instance took it.
      const published = await database.db
        .selectFrom('records')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('resource_id', '=', 'yulu/bikes/stations')
        .executeTakeFirstOrThrow();
      const health = await database.db
        .selectFrom('adapter_status')
        .select('health')
        .where('name', '=', 'yulu-gbfs')
        .executeTakeFirst();
      expect(Number(published.n), health?.health).toBeGreaterThan(0);

      process.stdout.write(
        `fleet: ${seconds} s, ${handedOver.length} adapter handovers, ${ingested.length / 10} ingest batches and ${acknowledged.length} acknowledged requests kept once; ${released} releases under a limit of ${rateLimit}/min in ${windows.length} windows; ${entries.length} entries verify; ${times.length} checkpoints, ${sweeps} sweeps; ${polls} feed polls\n`,
      );
    },
    (seconds + 180) * 1000,
  );
});

/** An identity token from one gateway (or the proxy), by the client-credentials grant. */
async function clientTokenAt(url: string, clientId: string, secret: string): Promise<string> {
  const answer = await fetch(`${url}/auth/v1/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: secret,
    }),
  });
  const body = (await answer.json()) as { access_token?: string };
  if (!body.access_token) throw new Error(`no token from ${url}: ${answer.status}`);
  return body.access_token;
}
