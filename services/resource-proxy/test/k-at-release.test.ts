import { individualsMember } from '@sangam/core';
import { testBackend } from '@sangam/db/testing';
import { type Alliance, position, startAlliance, stops } from '@sangam/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { meteredRelease } from '../src/release/meter.js';

const group = 'sitilink/surat-bus-itms';

/** An aggregate cell as an adapter publishes it: the individuals behind it travel beside its data. */
const cell = (a: Alliance, id: string, individuals: number) => ({
  ...position(a.clock, id, 2),
  id: `cell-${id}`,
  [individualsMember]: individuals,
});

describe(`k applied at release, per the consumer's MoU, on ${testBackend()}`, () => {
  let a: Alliance;
  beforeAll(async () => {
    a = await startAlliance();
    const published = await a.ingest(stops, [cell(a, '1', 4), cell(a, '2', 12), cell(a, '3', 60)]);
    expect(published.status, published.text).toBe(200);
    expect(published.body.results.accepted).toBe(3);
  });
  afterAll(async () => {
    await a.gw.close();
  });

  const ids = (body: { results: { id: string }[] }) => body.results.map((r) => r.id).sort();

  it('drops every cell behind fewer individuals than the MoU entry k, and never releases the count', async () => {
    // The alliance MoU names no k for the bus dataset: 10.
    const consent = await a.consent({ items: [stops], releaseLevel: 'aggregate' });
    const token = await a.accessToken(consent, stops);
    const latest = await a.gw.api.get(`/ngsi-ld/v1/entities?id=${stops}`, { token });
    expect(latest.status, latest.text).toBe(200);
    expect(ids(latest.body)).toEqual(['cell-2', 'cell-3']);
    const from = new Date(a.clock.now().getTime() - 3_600_000).toISOString();
    const temporal = await a.gw.api.get(
      `/ngsi-ld/v1/temporal/entities?id=${stops}&timerel=after&timeAt=${from}`,
      { token },
    );
    expect(temporal.status, temporal.text).toBe(200);
    expect(ids(temporal.body)).toEqual(['cell-2', 'cell-3']);
    const csv = await a.gw.api.get(`/ngsi-ld/v1/temporal/entities?id=${stops}&timerel=after&timeAt=${from}`, {
      token,
      headers: { accept: 'text/csv' },
    });
    expect(csv.status, csv.text).toBe(200);
    for (const text of [latest.text, temporal.text, csv.text]) {
      expect(text).not.toContain('individuals');
      expect(text).not.toContain('cell-1');
    }
  });

  it('applies the stricter k of a second MoU over the same dataset to its consumers only', async () => {
    const strict = await a.newMou(['sitilink', 'svnit'], {
      datasets: [{ group, maxReleaseLevel: 'anonymised-record', minimumCellCount: 50 }],
    });
    await a.signAll(strict, ['admin', 'sitilink', 'svnitAdmin']);
    const consent = await a.consent({ items: [stops], releaseLevel: 'aggregate' }, { mou: strict });
    const token = await a.accessToken(consent, stops);
    const latest = await a.gw.api.get(`/ngsi-ld/v1/entities?id=${stops}`, { token });
    expect(latest.status, latest.text).toBe(200);
    expect(ids(latest.body)).toEqual(['cell-3']);
    expect(latest.body.total ?? latest.body.results.length).toBe(1);
  });

  it('refuses a release whose k an amendment raised between its decision and its commit', async () => {
    const consent = await a.consent({ items: [stops], releaseLevel: 'aggregate' });
    const at = a.clock.now();
    const base = { action: 'rs.query.latest', target: { consent, item: stops }, requestId: 'req_k_0' };
    const commit = (applied: number) =>
      a.gw.gateway.consent.audit.appendInGroup(meteredRelease, {
        metered: { consentId: consent, item: stops, consumer: 'svnit', provider: 'sitilink' },
        at,
        limit: 1000,
        records: 2,
        allow: { ...base, decision: 'allow', reason: 'released 2 of 2 records' },
        deny: { ...base, decision: 'deny', reason: 'tooManyRequests: over 1000 requests a minute' },
        recheck: {
          consentId: consent,
          consumer: 'svnit',
          item: stops,
          accessType: 'latest',
          attributes: ['speed'],
          releaseLevel: 'aggregate',
          dataFrom: at.toISOString(),
          dataTo: at.toISOString(),
          minimumCellCount: applied,
        },
      });
    // Released at k = 10 under an MoU whose k is 10: committed as an allow.
    expect((await commit(10)).decision).toBe('allow');
    // Released at a k below the one in force by the commit: refused, with the rule.
    const entry = await commit(5);
    expect(entry.decision).toBe('deny');
    expect(entry.reason).toMatch(/^releaseTermsChanged: /);
  });

  it('takes the count out of the record, checks it, and counts it in what makes a record the same', async () => {
    const bad = await a.ingest(stops, [
      { ...cell(a, '7', 12), [individualsMember]: -1 },
      { ...cell(a, '8', 12), [individualsMember]: 2.5 },
      { ...cell(a, '9', 12), [individualsMember]: '12' },
      { ...cell(a, '10', 12), [individualsMember]: 2 ** 31 },
    ]);
    expect(bad.status, bad.text).toBe(200);
    expect(bad.body.results.rejected).toBe(4);
    expect(bad.body.results.records[0].errors[0].field).toBe(`/records/0/${individualsMember}`);
    const again = await a.ingest(stops, [cell(a, '2', 12)]);
    expect(again.body.results.duplicates).toBe(1);
    const changed = await a.ingest(stops, [cell(a, '2', 13)]);
    expect(changed.body.results.rejected).toBe(1);
    const stored = await a.gw.database.db
      .selectFrom('records')
      .select(['body', 'individuals'])
      .where('resource_id', '=', stops)
      .where('entity_id', '=', 'cell-2')
      .executeTakeFirstOrThrow();
    expect(Number(stored.individuals)).toBe(12);
    expect(stored.body).not.toContain('individuals');
  });
});
