import { buildGateway, loadGatewayConfig } from '@sangam/cli';
import { createDatabase, type DatabaseHandle } from '@sangam/db';
import { testBackend } from '@sangam/db/testing';
import { createLogger, type RunningServer, startServer } from '@sangam/http';
import { type Alliance, position, positions, startAlliance } from '@sangam/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe(`two proxy instances sharing one database on ${testBackend()}`, () => {
  let a: Alliance;
  let second: { handle: DatabaseHandle; server: RunningServer; close(): Promise<void> };

  beforeAll(async () => {
    a = await startAlliance();
    await a.ingest(positions, [position(a.clock, '1', 1)]);
    // A second gateway process in all but name: its own connection to the same database, its own caches.
    const handle = createDatabase(a.gw.database.url, { poolSize: 5 });
    const gateway = await buildGateway(handle, loadGatewayConfig({ SANGAM_SCRYPT_COST: '14' }), {
      logger: createLogger({ level: 'silent' }),
      clock: a.clock,
    });
    const server = await startServer(gateway.app, { port: 0 });
    second = {
      handle,
      server,
      async close() {
        await server.close();
        await gateway.close();
        await handle.destroy();
      },
    };
  });
  afterAll(async () => {
    await second.close();
    await a.gw.close();
  });

  it('holds one rate limit across both, and both see a revocation at once', async () => {
    const consent = await a.consent({ rateLimit: 7 });
    const token = await a.accessToken(consent);
    const ask = (base: string) =>
      fetch(`${base}/ngsi-ld/v1/entities?id=${positions}`, { headers: { authorization: `Bearer ${token}` } });
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => ask(i % 2 === 0 ? a.gw.url : second.server.url)),
    );
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(7);
    expect(statuses.filter((s) => s === 429)).toHaveLength(13);

    const fresh = await a.consent({ rateLimit: 100 });
    const other = await a.accessToken(fresh);
    const on = (base: string) =>
      fetch(`${base}/ngsi-ld/v1/entities?id=${positions}`, { headers: { authorization: `Bearer ${other}` } });
    expect((await on(second.server.url)).status).toBe(200);
    await a.act('sitilink', fresh, 'pause');
    expect((await on(second.server.url)).status).toBe(403);
    expect((await on(a.gw.url)).status).toBe(403);
  });

  it("serves each instance's rendered answers only while the data is unchanged, whichever instance changed it", async () => {
    const consent = await a.consent({ rateLimit: 1000 });
    const token = await a.accessToken(consent);
    const ids = async (base: string) => {
      const r = await fetch(
        `${base}/ngsi-ld/v1/temporal/entities?id=${positions}&timerel=after&timeAt=${new Date(a.clock.now().getTime() - 3_600_000).toISOString()}`,
        {
          headers: { authorization: `Bearer ${token}` },
        },
      );
      expect(r.status).toBe(200);
      return ((await r.json()) as { results: { id: string }[] }).results.map((x) => x.id).sort();
    };
    // Both render and keep the same answer...
    const before = await ids(second.server.url);
    expect(await ids(second.server.url)).toEqual(before);
    expect(await ids(a.gw.url)).toEqual(before);
    // ... until records arrive through the other one: the next answer holds them, on both.
    expect((await a.ingest(positions, [position(a.clock, '7', 1), position(a.clock, '8', 1)])).status).toBe(
      200,
    );
    const after = await ids(second.server.url);
    expect(after).toEqual([...before, 'bus-7', 'bus-8'].sort());
    expect(await ids(a.gw.url)).toEqual(after);
    // Every answer, served again or not, was decided and audited.
    const allowed = await a.gw.database.db
      .selectFrom('audit_entries')
      .select('seq')
      .where('target_consent', '=', consent)
      .where('decision', '=', 'allow')
      .where('action', '=', 'rs.query.temporal')
      .execute();
    expect(allowed).toHaveLength(5);
  });
});
