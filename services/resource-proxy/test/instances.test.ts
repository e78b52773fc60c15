import { type Notification, type ResourceRecord, SangamClient, type SangamError } from '@sangam/client';
import { createDatabase, type DatabaseHandle } from '@sangam/db';
import { testBackend } from '@sangam/db/testing';
import { buildGateway, loadGatewayConfig } from '@sangam/gateway';
import { createLogger, type RunningServer, startServer } from '@sangam/http';
import { type Alliance, position, positions, startAlliance, waitFor } from '@sangam/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe(`two proxy instances sharing one database on ${testBackend()}`, () => {
  let a: Alliance;
  let other: { handle: DatabaseHandle; server: RunningServer; close(): Promise<void> };

  beforeAll(async () => {
    a = await startAlliance({ env: { SANGAM_STREAM_POLL_MS: '200' } });
    await a.ingest(positions, [position(a.clock, '1', 1)]);
    // A second gateway process in all but name: its own connection to the same database, its own caches.
    const handle = createDatabase(a.gw.database.url, { poolSize: 5 });
    const gateway = await buildGateway(
      handle,
      loadGatewayConfig({ SANGAM_SCRYPT_COST: '14', SANGAM_STREAM_POLL_MS: '200' }),
      {
        logger: createLogger({ level: 'silent' }),
        clock: a.clock,
      },
    );
    const server = await startServer(gateway.app, { port: 0 });
    other = {
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
    await other.close();
    await a.gw.close();
  });

  it('holds one rate limit across both, and both see a revocation at once', async () => {
    const consent = await a.consent({ rateLimit: 7 });
    const token = await a.accessToken(consent);
    const ask = (base: string) =>
      fetch(`${base}/ngsi-ld/v1/entities?id=${positions}`, { headers: { authorization: `Bearer ${token}` } });
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => ask(i % 2 === 0 ? a.gw.url : other.server.url)),
    );
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(7);
    expect(statuses.filter((s) => s === 429)).toHaveLength(13);

    const fresh = await a.consent({ rateLimit: 100 });
    const freshToken = await a.accessToken(fresh);
    const on = (base: string) =>
      fetch(`${base}/ngsi-ld/v1/entities?id=${positions}`, {
        headers: { authorization: `Bearer ${freshToken}` },
      });
    expect((await on(other.server.url)).status).toBe(200);
    await a.act('sitilink', fresh, 'pause');
    expect((await on(other.server.url)).status).toBe(403);
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
    const before = await ids(other.server.url);
    expect(await ids(other.server.url)).toEqual(before);
    expect(await ids(a.gw.url)).toEqual(before);
    // ... until records arrive through the other one: the next answer holds them, on both.
    expect((await a.ingest(positions, [position(a.clock, '7', 1), position(a.clock, '8', 1)])).status).toBe(
      200,
    );
    const after = await ids(other.server.url);
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

  it('delivers to a stream held by one instance what was published through the other, and both cut a revocation made through either', async () => {
    const follow = (base: string) => new SangamClient({ baseUrl: base, ...a.wallet.credentials('svnit') });
    const first = follow(a.gw.url);
    const second = follow(other.server.url);
    try {
      const consentA = await a.consent();
      const consentB = await a.consent();
      // Each stream is held by the other instance than the one records and revocations go through.
      const onSecond = second.subscribe({ resource: positions, consent: consentA, reconnectMs: 50 });
      const onFirst = first.subscribe({ resource: positions, consent: consentB, reconnectMs: 50 });
      const got: Record<string, string[]> = { a: [], b: [] };
      const errors: Record<string, unknown> = {};
      const read = (name: 'a' | 'b', stream: AsyncGenerator<Notification<ResourceRecord>>) =>
        (async () => {
          try {
            for await (const n of stream) got[name]?.push(...n.data.map((r) => r.id));
          } catch (error) {
            errors[name] = error;
          }
        })();
      const reading = [read('a', onSecond), read('b', onFirst)];
      await new Promise((r) => setTimeout(r, 500));
      await a.ingest(positions, [position(a.clock, '40', 1)]);
      const publish = await fetch(`${other.server.url}/rs/v1/ingest/${positions}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${await a.token('sitilinkAdapter')}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ records: [position(a.clock, '41', 0)] }),
      });
      expect(publish.status).toBe(200);
      await waitFor('both streams to hold both records', () => got.a?.length === 2 && got.b?.length === 2);
      expect(got).toEqual({ a: ['bus-40', 'bus-41'], b: ['bus-40', 'bus-41'] });

      // Revoked through the first instance: the stream the second holds ends; and the other way round.
      await a.act('sitilink', consentA, 'revoke');
      const revoke = await fetch(`${other.server.url}/consent/v1/consents/${consentB}/revoke`, {
        method: 'POST',
        headers: { authorization: `Bearer ${await a.token('sitilink')}`, 'content-type': 'application/json' },
        body: '{}',
      });
      expect(revoke.status).toBe(200);
      await Promise.all(reading);
      expect((errors.a as SangamError).type).toBe('urn:dx:rs:consentRevoked');
      expect((errors.b as SangamError).type).toBe('urn:dx:rs:consentRevoked');
    } finally {
      await first.close();
      await second.close();
    }
  });
});
