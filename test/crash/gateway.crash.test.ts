import type { ChildProcess } from 'node:child_process';
import type { DatabaseHandle } from '@sangam/db';
import { testBackend, testDatabase } from '@sangam/db/testing';
import { type Alliance, clientToken, positions, startAlliance, startSangamProcess } from '@sangam/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The gateway SIGKILLed at random moments under mixed load (ingestion, queries, consent changes, token requests),
 * then started again on the same database, `SANGAM_CRASH_KILLS` times (CI: 50 per backend). Whatever it
 * acknowledged with a 2xx before a kill is there afterwards exactly once, and the audit log verifies without a gap.
 */
const kills = Number(process.env.SANGAM_CRASH_KILLS ?? 4);

// A random but repeatable run.
let state = Number(process.env.SANGAM_CRASH_SEED ?? 7);
const random = () => {
  state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
  return state / 2 ** 31;
};

describe(`the gateway killed under load on ${testBackend()}`, () => {
  let database: DatabaseHandle;
  let a: Alliance;
  let consent: string;
  const tokens: Record<string, string> = {};
  // The clock the gateway processes keep: the alliance's, running from when it was set up.
  let epochOf: () => string;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    database = await testDatabase();
    a = await startAlliance({ database });
    consent = await a.consent({ rateLimit: 100_000 });
    tokens.access = await a.accessToken(consent);
    tokens.adapter = await a.token('sitilinkAdapter');
    tokens.provider = await a.token('sitilink');
    const made = await a.gw.api.post('/consent/v1/clients', {
      token: await a.token('admin'),
      json: { organisation: 'surat', roles: ['auditor'], name: 'Crash auditor' },
    });
    tokens.auditor = await clientToken(a.gw.api, made.body.results.clientId, made.body.results.clientSecret);
    const setUpAt = a.clock.now().getTime();
    const started = performance.now();
    epochOf = () => new Date(setUpAt + (performance.now() - started)).toISOString();
    // From here on only gateway processes of their own serve the database.
    await a.gw.close();
  }, 60_000);
  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await database.destroy();
  });

  /** `sangam start` on the test database, on a free port; resolves with its URL once it listens. */
  const start = async () => {
    const started = await startSangamProcess({
      cwd: process.cwd(),
      env: {
        DATABASE_URL: database.url,
        SANGAM_CLOCK_EPOCH: epochOf(),
        SANGAM_CHECKPOINT_INTERVAL_SECONDS: '1',
        LOG_LEVEL: 'warn',
      },
      timeoutMs: 30_000,
    });
    children.push(started.child);
    return started;
  };

  it('keeps every acknowledged batch and audit entry exactly once, and a log that verifies', async () => {
    const ingested: string[] = [];
    const acknowledged: string[] = [];
    let batch = 0;
    for (let round = 0; round < kills; round += 1) {
      const { child, url } = await start();
      let running = true;
      // Every 2xx of a decision or change is an audit entry; reads of the log itself are not.
      const call = async (path: string, init: RequestInit & { token: string; audited?: false }) => {
        const response = await fetch(`${url}${path}`, {
          ...init,
          headers: { authorization: `Bearer ${init.token}`, ...(init.headers ?? {}) },
        });
        await response.arrayBuffer();
        if (response.status >= 200 && response.status < 300 && init.audited !== false) {
          acknowledged.push(response.headers.get('x-request-id') ?? '');
        }
        return response.status;
      };
      const worker = async (kind: number) => {
        while (running) {
          try {
            if (kind === 0) {
              const ids = Array.from({ length: 20 }, (_, i) => `crash-${batch}-${i}`);
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
            } else if (kind === 1) {
              await call(`/ngsi-ld/v1/entities?id=${positions}&limit=5`, { token: tokens.access as string });
            } else if (kind === 2) {
              // Pausing and resuming the consent: changes audited in the same commit as the change.
              await call(`/consent/v1/consents/${consent}/pause`, {
                method: 'POST',
                token: tokens.provider as string,
              });
              await call(`/consent/v1/consents/${consent}/resume`, {
                method: 'POST',
                token: tokens.provider as string,
              });
            } else {
              await call('/audit/v1/entries?limit=5', { token: tokens.auditor as string, audited: false });
            }
          } catch {
            // The connection died with the gateway: nothing was acknowledged.
          }
        }
      };
      const workers = [0, 0, 1, 1, 2, 3].map(worker);
      await new Promise((r) => setTimeout(r, 100 + random() * 500));
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      running = false;
      await Promise.all(workers);
    }

    // Started once more: everything acknowledged is there, once.
    const { child, url } = await start();
    try {
      const verify = await fetch(`${url}/audit/v1/verify`, {
        headers: { authorization: `Bearer ${tokens.auditor}` },
      });
      const report = (await verify.json()) as { results: { ok: boolean; reason?: string; entries: number } };
      expect(report.results.reason).toBeUndefined();
      expect(report.results.ok).toBe(true);

      const db = database.db;
      const stored = await db
        .selectFrom('records')
        .select(['entity_id'])
        .where('resource_id', '=', positions)
        .where('entity_id', 'like', 'crash-%')
        .execute();
      const counts = new Map<string, number>();
      for (const row of stored) counts.set(row.entity_id, (counts.get(row.entity_id) ?? 0) + 1);
      expect(ingested.length).toBeGreaterThan(0);
      expect(ingested.filter((id) => counts.get(id) !== 1)).toEqual([]);

      const entries = await db
        .selectFrom('audit_entries')
        .select(['seq', 'request_id'])
        .orderBy('seq')
        .execute();
      const byRequest = new Map<string, number>();
      for (const e of entries)
        if (e.request_id) byRequest.set(e.request_id, (byRequest.get(e.request_id) ?? 0) + 1);
      expect(acknowledged.length).toBeGreaterThan(0);
      expect(acknowledged.filter((id) => byRequest.get(id) !== 1)).toEqual([]);
      // No gap and nothing beyond the head.
      const head = await db.selectFrom('audit_head').select('size').executeTakeFirstOrThrow();
      expect(entries.map((e) => Number(e.seq))).toEqual(entries.map((_, i) => i + 1));
      expect(Number(head.size)).toBe(entries.length);
      process.stdout.write(
        `crash suite on ${testBackend()}: ${kills} kills, ${ingested.length / 20} ingest batches and ${acknowledged.length} audited requests acknowledged, each there once; ${entries.length} entries verify\n`,
      );
    } finally {
      child.kill('SIGKILL');
    }
  }, 900_000);
});
