import { testBackend } from '@sangam/db/testing';
import { type Alliance, day, position, positionModel, startAlliance } from '@sangam/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const short = 'sitilink/surat-bus-itms/short-lived';

describe(`retention on ${testBackend()}`, () => {
  let a: Alliance;

  beforeAll(async () => {
    a = await startAlliance();
    const created = await a.gw.api.post('/cat/v1/items', {
      token: await a.token('sitilink'),
      json: {
        type: 'resource',
        id: short,
        name: 'Positions kept a day',
        description: 'Kept for one day only',
        dataModel: positionModel,
        accessPolicy: 'SECURE',
        releaseLevel: 'anonymised-record',
        source: { adapter: 'itms' },
        retentionDays: 1,
      },
    });
    expect(created.status, created.text).toBe(201);
  });
  afterAll(async () => {
    await a.gw.close();
  });

  it('refuses records older than the retention, stops serving them once they age out, and sweeps them', async () => {
    const old = await a.ingest(short, [position(a.clock, '1', 25 * 60)]);
    expect(old.body.results.records[0].errors[0].message).toContain('1 days');
    const stored = await a.ingest(short, [position(a.clock, '1', 60), position(a.clock, '2', 600)]);
    expect(stored.body.results.accepted).toBe(2);
    const consent = await a.consent({
      items: [short],
      validTo: new Date(a.clock.now().getTime() + 30 * day).toISOString(),
    });
    const ask = async () =>
      a.gw.api.get(`/ngsi-ld/v1/entities?id=${short}`, { token: await a.accessToken(consent, short) });
    expect((await ask()).body.totalHits).toBe(2);

    a.clock.advance(20 * 3_600_000);
    // Bus 2 was seen 30 hours ago now: past the day the resource keeps.
    const later = await ask();
    expect(later.body.results.map((r: { id: string }) => r.id)).toEqual(['bus-1']);
    const swept = await a.gw.gateway.sweepRetention();
    expect(swept.records).toBe(1);
    const left = await a.gw.database.db
      .selectFrom('records')
      .select('entity_id')
      .where('resource_id', '=', short)
      .execute();
    expect(left.map((r) => r.entity_id)).toEqual(['bus-1']);
  });
});
