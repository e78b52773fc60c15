import { testBackend } from '@sangam/db/testing';
import { type Alliance, bikes, position, positions, startAlliance } from '@sangam/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe(`a provider that withdraws from the MoU on ${testBackend()}`, () => {
  let a: Alliance;
  beforeAll(async () => {
    a = await startAlliance();
  });
  afterAll(async () => {
    await a.gw.close();
  });

  it('releases nothing of its data from then on: no query, no new access token, no new consent', async () => {
    const published = await a.ingest(
      bikes,
      ['1', '2', '3'].map((b) => position(a.clock, b, 2)),
      'yulu',
    );
    expect(published.status, published.text).toBe(200);
    await a.ingest(positions, [position(a.clock, '9', 2)]);
    const terms = { attributes: ['speed', 'route', 'location'] };
    const bikeConsent = await a.consent({ ...terms, items: [bikes] }, { provider: 'yulu' });
    const busConsent = await a.consent(terms);
    const bikeToken = await a.accessToken(bikeConsent, bikes);
    const busToken = await a.accessToken(busConsent, positions);
    const read = (item: string, token: string) => a.gw.api.get(`/ngsi-ld/v1/entities?id=${item}`, { token });
    expect((await read(bikes, bikeToken)).body.results).toHaveLength(3);

    const paused = await a.consent({ ...terms, items: [bikes] }, { provider: 'yulu' });
    await a.act('yulu', paused, 'pause');

    const withdrawn = await a.gw.api.post(`/consent/v1/mous/${a.mou}/withdraw`, {
      token: await a.token('yulu'),
      json: { reason: 'leaving the alliance' },
    });
    expect(withdrawn.status, withdrawn.text).toBe(200);

    // The token issued before is refused at once, and says why.
    const after = await read(bikes, bikeToken);
    expect(after.status).toBe(403);
    expect(after.body.type).toBe('urn:dx:rs:providerNotParty');
    // No new access token for it...
    const token = await a.gw.api.post('/auth/v1/access-tokens', {
      token: await a.token('svnit'),
      json: { item: bikes, consent: bikeConsent },
    });
    expect(token.status).toBe(403);
    expect(token.body.type).toBe('urn:dx:as:providerNotParty');
    // ... and no new consent on its items under that MoU.
    const asked = await a.gw.api.post('/consent/v1/consents', {
      token: await a.token('svnit'),
      json: {
        mou: a.mou,
        items: [bikes],
        purpose: 'transit research',
        accessTypes: ['latest'],
        attributes: ['speed'],
        releaseLevel: 'aggregate',
        validTo: new Date(a.clock.now().getTime() + 30 * 86_400_000).toISOString(),
      },
    });
    expect(asked.status).toBe(403);
    expect(asked.body.type).toBe('urn:dx:as:providerNotParty');
    // Nor is a paused consent on its items resumed.
    const resumed = await a.gw.api.post(`/consent/v1/consents/${paused}/resume`, {
      token: await a.token('yulu'),
    });
    expect(resumed.status).toBe(403);
    expect(resumed.body.type).toBe('urn:dx:as:providerNotParty');
    // The consent reads as stopped; the partners who stayed go on sharing.
    const consent = await a.gw.api.get(`/consent/v1/consents/${bikeConsent}`, {
      token: await a.token('svnit'),
    });
    expect(consent.body.results.status).toBe('stopped');
    const bus = await read(positions, busToken);
    expect(bus.status, bus.text).toBe(200);
    expect(bus.body.results.length).toBeGreaterThan(0);

    // Every refusal is in the log, with the rule that refused it.
    const denials = await a.gw.database.db
      .selectFrom('audit_entries')
      .select('entry')
      .where('decision', '=', 'deny')
      .where('target_consent', '=', bikeConsent)
      .execute();
    expect(denials.map((d) => JSON.parse(d.entry).reason).join('\n')).toContain('no longer a party');
  });

  describe('no amendment re-terms the datasets of a partner that withdrew', () => {
    const terms = (b: Alliance, minimumCellCount: number) => ({
      title: 'Bus and bike data for research',
      problem: { issue: 'Bunching', beneficiaries: ['commuters'], kpis: ['headway'] },
      areas: ['data-sharing'],
      purposes: ['transit research'],
      datasets: [
        { group: 'sitilink/surat-bus-itms', maxReleaseLevel: 'anonymised-record' },
        { group: 'yulu/bikes', maxReleaseLevel: 'anonymised-record', minimumCellCount },
      ],
      endsAt: new Date(b.clock.now().getTime() + 365 * 86_400_000).toISOString(),
      documentSha256: 'e'.repeat(64),
    });

    it('refuses an amendment that names them, proposed after the withdrawal', async () => {
      const b = await startAlliance();
      try {
        const left = await b.gw.api.post(`/consent/v1/mous/${b.mou}/withdraw`, {
          token: await b.token('yulu'),
          json: { reason: 'leaving' },
        });
        expect(left.status, left.text).toBe(200);
        const amended = await b.gw.api.post(`/consent/v1/mous/${b.mou}/amend`, {
          token: await b.token('admin'),
          json: terms(b, 1),
        });
        expect(amended.status).toBe(400);
        expect(amended.body.type).toBe('urn:dx:as:invalidPayload');
        expect(JSON.stringify(amended.body.errors)).toContain('yulu, which provides it, is not a party');
        // Without their dataset, the partners who stayed amend as before.
        const without = terms(b, 1);
        const kept = await b.gw.api.post(`/consent/v1/mous/${b.mou}/amend`, {
          token: await b.token('admin'),
          json: { ...without, datasets: without.datasets.slice(0, 1) },
        });
        expect(kept.status, kept.text).toBe(200);
      } finally {
        await b.gw.close();
      }
    });

    it('refuses to sign one proposed before the withdrawal, so it never comes into force', async () => {
      const b = await startAlliance();
      try {
        const amended = await b.gw.api.post(`/consent/v1/mous/${b.mou}/amend`, {
          token: await b.token('admin'),
          json: terms(b, 1),
        });
        expect(amended.status, amended.text).toBe(200);
        await b.signAll(b.mou, ['admin']);
        const left = await b.gw.api.post(`/consent/v1/mous/${b.mou}/withdraw`, {
          token: await b.token('yulu'),
          json: { reason: 'leaving' },
        });
        expect(left.status, left.text).toBe(200);
        for (const who of ['sitilink', 'svnitAdmin']) {
          const signed = await b.gw.api.post(`/consent/v1/mous/${b.mou}/sign`, { token: await b.token(who) });
          expect(signed.status).toBe(409);
          expect(signed.body.detail).toContain('yulu/bikes, whose provider has withdrawn');
        }
        const mou = await b.gw.api.get(`/consent/v1/mous/${b.mou}`, { token: await b.token('admin') });
        const bikes = mou.body.results.datasets.find((d: { group: string }) => d.group === 'yulu/bikes');
        expect(bikes?.minimumCellCount).toBeUndefined();
      } finally {
        await b.gw.close();
      }
    });
  });
});
