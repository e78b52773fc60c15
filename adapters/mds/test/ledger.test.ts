import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { httpLedgerStore, parseAdapterConfig } from '@sangam/adapter-kit';
import { SangamClient } from '@sangam/client';
import { testBackend } from '@sangam/db/testing';
import { type FeedServer, startFeedServer } from '@sangam/feeds';
import { hostAdapter } from '@sangam/gateway';
import { createLogger } from '@sangam/http';
import { type Alliance, nextUtcHour, startAlliance } from '@sangam/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cellEventsModel, cellVehiclesModel, odMatrixModel } from '../src/index.js';

const fleet = { devices: 1500, tripsPerHour: 900, seed: 9 };

/**
 * Each run below starts from a fresh state folder, but they are runs of one adapter, which keeps its noise key: the
 * same count of the same hour is then the same record. (Under a new key it would be a fresh draw, which the gateway
 * rightly refuses beside the one it stored.)
 */
const noiseKey = `${'5a'.repeat(32)}\n`;
function withNoiseKey(stateDir: string): string {
  const file = join(stateDir, 'yulu-mds.noise.key');
  if (!existsSync(file)) writeFileSync(file, noiseKey, { mode: 0o600 });
  return stateDir;
}
const hourMs = 3_600_000;

interface Entry {
  resource: string;
  day: string;
  cell: string;
  epsilonSpent: number;
  draws: number;
  budgetPerDay?: number;
  provider: string;
}

describe(`the ε budget of an MoU entry, spent by the MDS adapter, on ${testBackend()}`, () => {
  let a: Alliance;
  let feeds: FeedServer;
  let budgetMou: string;

  beforeAll(async () => {
    a = await startAlliance();
    // The synthetic fleet's afternoon: busy enough for OD cells of k vehicles, hour after hour.
    a.clock.set(nextUtcHour(a.clock.now(), 13));
    feeds = await startFeedServer({ clock: a.clock });
    feeds.fleet('yulu', fleet, 'provider-token');
    for (const [id, model] of [
      ['yulu/bikes/od', odMatrixModel],
      ['yulu/bikes/events', cellEventsModel],
      ['yulu/bikes/fleet', cellVehiclesModel],
    ] as const) {
      await a.resource('yulu', id, model, { releaseLevel: 'aggregate', adapter: 'mds' });
    }
    // The city allows SVNIT Yulu's aggregates, at most ε 3 a released cell and day.
    budgetMou = await a.newMou(['yulu', 'svnit'], {
      datasets: [{ group: 'yulu/bikes', maxReleaseLevel: 'aggregate', epsilonPerDay: 3 }],
    });
    await a.signAll(budgetMou, ['admin', 'yulu', 'svnitAdmin']);
  });
  afterAll(async () => {
    await a.gw.close();
    await feeds.close();
  });

  const runtime = (resources: Record<string, string>, epsilon: number | undefined, startHour: number) =>
    hostAdapter(
      parseAdapterConfig({
        name: 'yulu-mds',
        kind: 'mds',
        mou: budgetMou,
        feed: `${feeds.url}/mds/yulu`,
        allowHosts: ['127.0.0.1'],
        provider: 'yulu',
        resources,
        privacy: { h3Resolution: 7, bucketMinutes: 15, ...(epsilon !== undefined ? { epsilon } : {}) },
        stateDir: withNoiseKey(mkdtempSync(join(tmpdir(), 'sangam-mds-'))),
        options: { token: 'provider-token', startHour: new Date(startHour).toISOString().slice(0, 13) },
      }),
      { db: a.gw.database.db, gateway: a.gw.gateway, logger: createLogger({ level: 'silent' }) },
    ).runtime;
  const ledger = async (who: string, query = '') =>
    a.gw.api.get(`/rs/v1/privacy/ledger${query}`, { token: await a.token(who) });

  it('publishes nothing, and says why, where the MoU sets a budget and the adapter adds no noise', async () => {
    const exact = runtime({ od: 'yulu/bikes/od' }, undefined, a.clock.now().getTime() - 3 * hourMs);
    const health = await exact.runOnce();
    await exact.stop();
    expect(health.state).toBe('stopped');
    expect(health.lastError?.message).toMatch(/ε budget of 3 .*\(privacy\.epsilon\)/);
    expect(health.recordsOut).toBe(0);
  });

  it('spends ε per released cell and day, withholds a cell once its budget is spent, and shows the ledger', async () => {
    const resources = { od: 'yulu/bikes/od', events: 'yulu/bikes/events', vehicles: 'yulu/bikes/fleet' };
    const first = runtime(resources, 1, a.clock.now().getTime() - 6 * hourMs);
    const health = await first.runOnce();
    await first.stop();
    expect(health.state, JSON.stringify(health.lastError)).toBe('healthy');
    // Six hours of OD cells at ε 1 each: the cells met in more than three hours ran out of budget.
    expect(health.cellsOverBudget).toBeGreaterThan(0);

    const read = await ledger('yulu', '?limit=10000');
    expect(read.status).toBe(200);
    const entries = read.body.results as Entry[];
    expect(read.body.totalHits).toBe(entries.length);
    expect(entries.length).toBeGreaterThan(0);
    for (const e of entries) {
      expect(e.provider).toBe('yulu');
      expect(e.budgetPerDay).toBe(3);
      // Every draw cost ε 1, released or withheld, and no cell spent more than its day's budget.
      expect(e.epsilonSpent).toBe(e.draws);
      expect(e.epsilonSpent).toBeLessThanOrEqual(3);
    }
    expect(entries.some((e) => e.epsilonSpent === 3)).toBe(true);

    // The ledger adds up: each released record was paid for by a draw of its cell, and carries the ε it cost.
    const spent = new Map(entries.map((e) => [`${e.resource}|${e.cell}`, e.draws]));
    for (const resource of ['yulu/bikes/od', 'yulu/bikes/fleet']) {
      const rows = await a.gw.database.db
        .selectFrom('records')
        .select(['entity_id', 'body'])
        .where('resource_id', '=', resource)
        .execute();
      expect(rows.length, resource).toBeGreaterThan(0);
      const released = new Map<string, number>();
      for (const row of rows) {
        const body = JSON.parse(row.body) as { id: string; epsilon?: number };
        expect(body.epsilon).toBe(1);
        released.set(body.id, (released.get(body.id) ?? 0) + 1);
      }
      for (const [cell, times] of released) {
        expect(times).toBeLessThanOrEqual(spent.get(`${resource}|${cell}`) ?? 0);
      }
    }

    // Another cycle the next hour: a spent cell stays spent for the rest of its day.
    a.clock.set(new Date(a.clock.now().getTime() + hourMs));
    const second = runtime(resources, 1, a.clock.now().getTime() - 2 * hourMs);
    expect((await second.runOnce()).state).toBe('healthy');
    await second.stop();
    const after = (await ledger('yulu', '?limit=10000')).body.results as Entry[];
    expect(after.every((e) => e.epsilonSpent <= 3)).toBe(true);
    expect(after.reduce((n, e) => n + e.draws, 0)).toBeGreaterThan(entries.reduce((n, e) => n + e.draws, 0));
  });

  it('shows the whole ledger to the city and auditors, a provider its own, and no one else any', async () => {
    const city = await ledger('admin', '?resource=yulu/bikes/od');
    expect(city.status).toBe(200);
    expect(city.body.results.length).toBeGreaterThan(0);
    expect((city.body.results as Entry[]).every((e) => e.resource === 'yulu/bikes/od')).toBe(true);
    const auditor = await a.gw.api.post('/consent/v1/clients', {
      token: await a.token('admin'),
      json: { organisation: 'surat', roles: ['auditor'] },
    });
    expect(auditor.status).toBe(201);
    a.wallet.set('auditor', auditor.body.results);
    const audited = await ledger('auditor');
    expect(audited.status).toBe(200);
    expect(audited.body.totalHits).toBe((await ledger('yulu')).body.totalHits);
    // Sitilink provides other data: it sees none of Yulu's spending.
    const other = await ledger('sitilink');
    expect(other.status).toBe(200);
    expect(other.body.results).toEqual([]);
    const consumer = await ledger('svnit');
    expect(consumer.status).toBe(403);
    expect(consumer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const anonymous = await a.gw.api.get('/rs/v1/privacy/ledger');
    expect(anonymous.status).toBe(401);
    for (const bad of ['?from=yesterday', '?resource=../../etc', '?limit=0', '?day=2026-01-01']) {
      const answer = await ledger('yulu', bad);
      expect(answer.status, bad).toBe(400);
      expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
  });

  it('takes the spending of an adapter that publishes over HTTP from its provider only, and keeps it where its records go', async () => {
    const client = async (organisation: string) => {
      const made = await a.gw.api.post('/consent/v1/clients', {
        token: await a.token('admin'),
        json: { organisation, roles: ['provider'] },
      });
      expect(made.status).toBe(201);
      return new SangamClient({ baseUrl: a.gw.url, ...made.body.results });
    };
    const yulu = await client('yulu');
    const store = httpLedgerStore(yulu, { name: 'yulu-remote' });
    const day = '2031-01-02';
    const spend = (cell: string, paid: string[]) => ({
      resource: 'yulu/bikes/fleet',
      day,
      cell,
      epsilonMicro: 500_000 * Math.max(1, paid.length),
      draws: Math.max(1, paid.length),
      paid,
    });
    const [p1, p2] = ['1'.repeat(32), '2'.repeat(32)];
    // Two spends of one cell in one request are added up, not refused.
    await store.add([spend('a:available', [p1]), spend('a:available', [p2]), spend('b:reserved', [])], 4);
    const spending = await store.spent('yulu/bikes/fleet', day);
    expect(Object.fromEntries(spending.spent)).toEqual({ 'a:available': 1_000_000, 'b:reserved': 500_000 });
    expect([...spending.paid].sort()).toEqual([`a:available|${p1}`, `a:available|${p2}`]);
    const entries = (await ledger('admin', `?from=${day}&to=${day}`)).body.results as (Entry & {
      adapter: string;
    })[];
    expect(entries.map((e) => [e.cell, e.epsilonSpent, e.draws, e.budgetPerDay, e.adapter])).toEqual([
      ['a:available', 1, 2, 4, 'yulu-remote'],
      ['b:reserved', 0.5, 1, 4, 'yulu-remote'],
    ]);

    // Another provider may not spend on Yulu's resources, nor read them; bad bodies and unknown resources are refused.
    const sitilink = await a.gw.api.post('/consent/v1/clients', {
      token: await a.token('admin'),
      json: { organisation: 'sitilink', roles: ['provider'] },
    });
    a.wallet.set('sitilinkProvider', sitilink.body.results);
    const post = async (who: string, json: unknown) =>
      a.gw.api.post('/rs/v1/privacy/ledger', { token: await a.token(who), json });
    const body = { adapter: 'yulu-remote', spends: [spend('c:available', [])] };
    expect((await post('sitilinkProvider', body)).status).toBe(403);
    expect(
      (
        await a.gw.api.get(`/rs/v1/privacy/ledger/spending?resource=yulu/bikes/fleet&day=${day}`, {
          token: await a.token('sitilinkProvider'),
        })
      ).status,
    ).toBe(403);
    for (const bad of [
      {},
      { adapter: 'yulu-remote', spends: [] },
      { adapter: 'yulu-remote', spends: [{ ...spend('c:available', []), epsilonMicro: -1 }] },
      { adapter: 'Not A Name', spends: [spend('c:available', [])] },
      { adapter: 'yulu-remote', spends: [{ ...spend('c:available', []), day: '2026-02-30' }] },
      { adapter: 'yulu-remote', spends: [{ ...spend('c:available', []), cell: 'bus \ud800' }] },
      { adapter: 'yulu-remote', spends: [{ ...spend('c:available', []), draws: 10_000_000 }] },
      { ...body, extra: true },
    ]) {
      const answer = await post('yulu', bad);
      expect(answer.status, JSON.stringify(bad)).toBe(400);
      expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
    expect(
      (await post('yulu', { ...body, spends: [{ ...spend('c', []), resource: 'yulu/bikes/none' }] })).status,
    ).toBe(404);
    const spendingOf = await a.gw.api.get('/rs/v1/privacy/ledger/spending?resource=yulu/bikes/fleet', {
      token: await a.token('yulu'),
    });
    expect(spendingOf.status).toBe(400);
    await yulu.close();
  });
});
