import { testBackend } from '@sangam/db/testing';
import { type Alliance, position, positions, startAlliance } from '@sangam/testkit';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { weeksOf } from '../src/index.js';

const group = 'sitilink/surat-bus-itms';

describe('weeks of a range', () => {
  it('cuts a range into weeks ending on its last day, the first one shorter', () => {
    expect(weeksOf({ from: '2026-11-01', to: '2026-11-16' })).toEqual([
      { from: '2026-11-01', to: '2026-11-02' },
      { from: '2026-11-03', to: '2026-11-09' },
      { from: '2026-11-10', to: '2026-11-16' },
    ]);
    expect(weeksOf({ from: '2026-11-01', to: '2026-11-01' })).toEqual([
      { from: '2026-11-01', to: '2026-11-01' },
    ]);
  });
});

describe(`KPIs in an MoU, measured from the gateway's own records, on ${testBackend()}`, () => {
  let a: Alliance;
  let mou: string;
  const kpis = [
    { metric: 'records-released-per-week', target: 20, direction: 'at-least', reviewBy: '2027-03-31' },
    { metric: 'requests-refused', target: 1, direction: 'at-most', reviewBy: '2027-03-31', dataset: group },
    { metric: 'active-consumers', target: 1, direction: 'at-least', reviewBy: '2027-03-31' },
    { metric: 'consents-granted', target: 1, direction: 'at-least', reviewBy: '2027-03-31' },
    { metric: 'median-grant-hours', target: 48, direction: 'at-most', reviewBy: '2027-03-31' },
    { metric: 'datasets-delivered-percent', target: 100, direction: 'at-least', reviewBy: '2027-03-31' },
  ];

  beforeAll(async () => {
    a = await startAlliance();
    mou = await a.newMou(['sitilink', 'svnit'], {
      kpis,
      clauses: { grievance: 'Write to the city data officer; an answer within 15 days.' },
    });
    await a.signAll(mou, ['admin', 'sitilink', 'svnitAdmin']);
  });
  afterAll(async () => a?.gw.close());

  it('keeps KPIs and the model clauses in the signed terms: the MoU, its artefact and its page', async () => {
    const read = await a.gw.api.get(`/consent/v1/mous/${mou}`, { token: await a.token('svnitAdmin') });
    expect(read.body.results.kpis).toEqual(kpis);
    expect(read.body.results.clauses.grievance).toContain('15 days');
    const artefact = await a.gw.api.get(`/consent/v1/mous/${mou}/artefact`, {
      token: await a.token('sitilink'),
    });
    expect(decodeJwt(artefact.body.results.jws).kpis).toEqual(kpis);
    const page = await a.gw.api.get(`/consent/v1/mous/${mou}/summary`, { token: await a.token('sitilink') });
    expect(page.text).toContain('Key performance indicators');
    expect(page.text).toContain('requests refused');
    expect(page.text).toContain('Grievance redressal');
  });

  it('refuses a KPI of a dataset the MoU does not cover, a metric it does not know, and one named twice', async () => {
    const token = await a.token('admin');
    const draft = (k: unknown[]) =>
      a.gw.api.post('/consent/v1/mous', {
        token,
        json: {
          title: 'x',
          partners: ['sitilink'],
          problem: { issue: 'x', beneficiaries: [], kpis: [] },
          areas: ['data-sharing'],
          purposes: ['p'],
          datasets: [{ group, maxReleaseLevel: 'aggregate' }],
          effectiveFrom: a.clock.now().toISOString(),
          endsAt: new Date(a.clock.now().getTime() + 86_400_000).toISOString(),
          documentSha256: 'a'.repeat(64),
          kpis: k,
        },
      });
    const other = await draft([{ ...kpis[0], dataset: 'yulu/bikes' }]);
    expect(other.status).toBe(400);
    expect(other.headers.get('content-type')).toContain('application/problem+json');
    expect(other.body.errors).toEqual([
      { field: '/kpis/0/dataset', message: '"yulu/bikes" is not among the MoU\'s datasets' },
    ]);
    expect((await draft([{ ...kpis[0], metric: 'happiness' }])).status).toBe(400);
    const twice = await draft([kpis[0], { ...kpis[0], target: 5 }]);
    expect(twice.status).toBe(400);
    expect(twice.body.errors[0].field).toBe('/kpis/1');
    expect((await draft([{ ...kpis[0], reviewBy: '2027-02-30' }])).status).toBe(400);
  });

  it('measures records released and requests refused exactly as the usage API reports them', async () => {
    const ingested = await a.ingest(
      positions,
      [1, 2, 3, 4].map((bus) => position(a.clock, String(bus), 5)),
    );
    expect(ingested.status).toBe(200);
    a.clock.advance(3_600_000);
    const consent = await a.consent({ rateLimit: 3 }, { mou });
    const token = await a.accessToken(consent);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const r = await a.gw.api.get(`/ngsi-ld/v1/entities?id=${positions}`, { token });
      statuses.push(r.status);
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(3);
    expect(statuses.filter((s) => s === 429)).toHaveLength(2);

    const today = a.clock.now().toISOString().slice(0, 10);
    const from = new Date(a.clock.now().getTime() - 13 * 86_400_000).toISOString().slice(0, 10);
    const usage = await a.gw.api.get(`/rs/v1/usage?view=provider&from=${from}&to=${today}`, {
      token: await a.token('sitilink'),
    });
    const records = usage.body.results.reduce((n: number, r: { records: number }) => n + r.records, 0);
    const denied = usage.body.results.reduce((n: number, r: { denied: number }) => n + r.denied, 0);
    expect(records).toBe(12);
    expect(denied).toBe(2);

    const measured = await a.gw.api.get(`/consent/v1/mous/${mou}/kpis?from=${from}&to=${today}`, {
      token: await a.token('admin'),
    });
    expect(measured.status, measured.text).toBe(200);
    expect(measured.body).toMatchObject({ from, to: today });
    const byMetric = new Map(
      measured.body.results.map((m: { kpi: { metric: string } }) => [m.kpi.metric, m] as const),
    );
    const whole = (metric: string) => (byMetric.get(metric) as { whole: { value: number } }).whole.value;
    // A rate per week of the days the MoU was in force: from its first day to today (one or two days of the
    // fourteen, as the clock's hour falls).
    const effective = (await a.gw.api.get(`/consent/v1/mous/${mou}`, { token: await a.token('admin') })).body
      .results.effectiveFrom as string;
    const inForce =
      (Date.parse(`${today}T00:00:00Z`) - Date.parse(`${effective.slice(0, 10)}T00:00:00Z`)) / 86_400_000 + 1;
    const perWeek = Math.round(((records * 7) / inForce) * 100) / 100;
    expect(whole('records-released-per-week')).toBe(perWeek);
    expect(whole('requests-refused')).toBe(denied);
    expect(whole('active-consumers')).toBe(1);
    expect(whole('consents-granted')).toBe(1);
    expect(whole('median-grant-hours')).toBe(0);
    expect(whole('datasets-delivered-percent')).toBe(100);
    const released = byMetric.get('records-released-per-week') as {
      points: { from: string; to: string; value: number }[];
      met: boolean;
    };
    expect(released.points).toHaveLength(2);
    expect(released.points[1]).toMatchObject({ to: today, value: perWeek });
    // The first week ended before the MoU took effect: nothing to measure, not zero.
    expect(released.points[0]?.value).toBeNull();
    expect(released.met).toBe(perWeek >= 20);
    expect((byMetric.get('requests-refused') as { met: boolean }).met).toBe(false);
    expect((byMetric.get('active-consumers') as { met: boolean }).met).toBe(true);
  });

  it('shows the measures to the parties and auditors only, and names a bad range', async () => {
    const yulu = await a.gw.api.get(`/consent/v1/mous/${mou}/kpis`, { token: await a.token('yulu') });
    expect(yulu.status).toBe(404);
    const party = await a.gw.api.get(`/consent/v1/mous/${mou}/kpis`, { token: await a.token('svnit') });
    expect(party.status).toBe(200);
    expect(party.body.results[0].points).toHaveLength(12);
    const bad = await a.gw.api.get(`/consent/v1/mous/${mou}/kpis?from=2026-02-30`, {
      token: await a.token('admin'),
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ field: 'from', message: 'must be a day, YYYY-MM-DD' }]);
    const long = await a.gw.api.get(`/consent/v1/mous/${mou}/kpis?from=2020-01-01&to=2026-01-01`, {
      token: await a.token('admin'),
    });
    expect(long.status).toBe(400);
  });

  it('an amendment brings new KPIs into force once every party has signed it, and not before', async () => {
    const current = (await a.gw.api.get(`/consent/v1/mous/${mou}`, { token: await a.token('admin') })).body
      .results;
    const newer = [{ metric: 'consents-granted', target: 3, direction: 'at-least', reviewBy: '2027-09-30' }];
    const proposed = await a.gw.api.post(`/consent/v1/mous/${mou}/amend`, {
      token: await a.token('admin'),
      json: {
        title: current.title,
        problem: current.problem,
        areas: current.areas,
        purposes: current.purposes,
        datasets: current.datasets,
        endsAt: current.endsAt,
        documentSha256: 'd'.repeat(64),
        kpis: newer,
      },
    });
    expect(proposed.status, proposed.text).toBe(200);
    const read = async () =>
      (await a.gw.api.get(`/consent/v1/mous/${mou}`, { token: await a.token('admin') })).body.results.kpis;
    for (const who of ['admin', 'sitilink']) {
      expect(
        (await a.gw.api.post(`/consent/v1/mous/${mou}/sign`, { token: await a.token(who) })).status,
      ).toBe(200);
      expect(await read()).toEqual(kpis);
    }
    expect(
      (await a.gw.api.post(`/consent/v1/mous/${mou}/sign`, { token: await a.token('svnitAdmin') })).status,
    ).toBe(200);
    expect(await read()).toEqual(newer);
    const measured = await a.gw.api.get(`/consent/v1/mous/${mou}/kpis`, { token: await a.token('admin') });
    expect(measured.body.results.map((m: { kpi: { metric: string } }) => m.kpi.metric)).toEqual([
      'consents-granted',
    ]);
  });
});
