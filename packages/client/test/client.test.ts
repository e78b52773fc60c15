import { SangamClient, SangamError } from '@sangam/client';
import { testBackend } from '@sangam/db/testing';
import { type Alliance, position, positions, startAlliance } from '@sangam/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe(`the typed client on ${testBackend()}`, () => {
  let a: Alliance;
  let consent: string;
  let consumer: SangamClient;
  let provider: SangamClient;

  beforeAll(async () => {
    a = await startAlliance();
    const secret = async (organisation: string, roles: string[]) => {
      const r = await a.gw.api.post('/consent/v1/clients', {
        token: await a.gw.adminToken(),
        json: { organisation, roles },
      });
      return r.body.results as { clientId: string; clientSecret: string };
    };
    const c = await secret('svnit', ['consumer']);
    const p = await secret('sitilink', ['provider']);
    consumer = new SangamClient({ baseUrl: a.gw.url, clientId: c.clientId, clientSecret: c.clientSecret });
    provider = new SangamClient({ baseUrl: a.gw.url, clientId: p.clientId, clientSecret: p.clientSecret });
    consent = await a.consent({ rateLimit: 10_000 });
  });
  afterAll(async () => {
    await consumer.close();
    await provider.close();
    await a.gw.close();
  });

  it('publishes for a provider and reports each record', async () => {
    const records = [30, 20, 10].flatMap((m) => ['1', '2', '3', '4'].map((b) => position(a.clock, b, m)));
    const summary = await provider.ingest(positions, records);
    expect(summary).toMatchObject({ accepted: 12, duplicates: 0, rejected: 0 });
    const again = await provider.ingest(positions, records.slice(0, 2));
    expect(again.duplicates).toBe(2);
  });

  it('queries latest with its own tokens, projected and filtered', async () => {
    const page = await consumer.latest({ resource: positions, consent, attrs: ['speed'], q: 'speed>22' });
    expect(page.totalHits).toBe(2);
    expect(page.results.map((r) => r.id)).toEqual(['bus-3', 'bus-4']);
    expect(Object.keys(page.results[0] ?? {}).sort()).toEqual(['id', 'observedAt', 'speed']);
  });

  it('pages and streams a temporal query to the end', async () => {
    const query = {
      resource: positions,
      consent,
      timerel: 'after' as const,
      timeAt: new Date(a.clock.now().getTime() - 3_600_000).toISOString(),
      limit: 5,
    };
    const pages = [];
    for await (const page of consumer.pages(query)) pages.push(page.results.length);
    expect(pages).toEqual([5, 5, 2]);
    const seen = [];
    for await (const record of consumer.records(query)) seen.push(`${record.id}@${record.observedAt}`);
    expect(seen).toHaveLength(12);
    expect(new Set(seen).size).toBe(12);
  });

  it('renews an access token that expired, and throws refusals as problems', async () => {
    await consumer.latest({ resource: positions, consent });
    a.clock.advance(20 * 60_000);
    const page = await consumer.latest({ resource: positions, consent });
    expect(page.totalHits).toBe(4);
    const error = await consumer.latest({ resource: positions, consent, attrs: ['plate'] }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SangamError);
    expect((error as SangamError).type).toBe('urn:dx:rs:attributeNotGranted');
    expect((error as SangamError).status).toBe(403);
    const usage = await consumer.usage();
    expect(usage.find((u) => u.consent === consent)?.requests).toBeGreaterThan(3);
  });
});
