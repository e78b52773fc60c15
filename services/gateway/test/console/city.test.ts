import { testBackend } from '@sangam/db/testing';
import {
  type Alliance,
  position,
  positions,
  signedInPerson,
  startAlliance,
  textOf,
  Visitor,
} from '@sangam/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const group = 'sitilink/surat-bus-itms';

/** The value a KPI table shows for a metric: the "measured" cell of its row. */
function measuredOf(html: string, metric: string): string | undefined {
  const row = new RegExp(`<tr data-metric="${metric}">([\\s\\S]*?)</tr>`).exec(html)?.[1] ?? '';
  return /<td class="measured">([^<]*)<\/td>/.exec(row)?.[1];
}

/** The city runs its alliances from the console: drafts an MoU with KPIs, sees them measured, exports a report. */
describe(`the city's dashboard and MoUs in the console on ${testBackend()}`, () => {
  let a: Alliance;
  let officer: Visitor;
  let steward: Visitor;
  let researcher: Visitor;
  let mou: string;

  beforeAll(async () => {
    a = await startAlliance();
    officer = await signedInPerson(a, 'admin', { email: 'officer@surat.example', roles: ['admin'] });
    steward = await signedInPerson(a, 'sitilink', {
      email: 'steward@sitilink.example',
      roles: ['admin', 'provider'],
    });
    researcher = await signedInPerson(a, 'svnitAdmin', { email: 'head@svnit.example', roles: ['admin'] });
  });
  afterAll(async () => a?.gw.close());

  it('the city drafts an MoU in the model sections with two KPIs; a bad KPI is named and the form kept', async () => {
    const form = await officer.get('/mous/new');
    expect(form.status).toBe(200);
    const text = textOf(form.html);
    for (const section of [
      'Scope',
      'Roles and responsibilities',
      'Data and access terms',
      'Privacy',
      'Intellectual property',
      'Grievance redressal',
      'Term and termination',
    ])
      expect(text).toContain(section);
    const fields = {
      title: 'Bus punctuality <script>alert(1)</script>',
      partners: ['sitilink', 'svnit'],
      issue: 'Buses bunch at peak hours.',
      beneficiaries: 'commuters, planners',
      outcomes: 'headways even',
      areas: ['data-sharing', 'analytical-support'],
      roles: 'Sitilink publishes positions; SVNIT analyses them.',
      purposes: 'transit research',
      [`dataset:${group}`]: 'anonymised-record',
      privacy: 'No plate leaves the adapter.',
      grievance: 'Write to the city data officer.',
      effectiveFrom: a.clock.now().toISOString().slice(0, 10),
      // Relative to the alliance's clock, which CI sets years ahead.
      endsAt: new Date(a.clock.now().getTime() + 400 * 86_400_000).toISOString().slice(0, 10),
      noticeDays: '30',
      'kpi0.metric': 'records-released-per-week',
      'kpi0.direction': 'at-least',
      'kpi0.target': '10',
      'kpi0.reviewBy': '2027-06-30',
      'kpi1.metric': 'requests-refused',
      'kpi1.direction': 'at-most',
      'kpi1.target': 'many',
      'kpi1.reviewBy': '2027-06-30',
      'kpi1.dataset': group,
    };
    const refused = await officer.post('/mous', fields, { page: form.html });
    expect(refused.status).toBe(400);
    expect(textOf(refused.html)).toContain('kpis/1/target');
    expect(textOf(refused.html)).toContain('Buses bunch at peak hours.');

    const made = await officer.post('/mous', { ...fields, 'kpi1.target': '1' }, { page: form.html });
    expect(made.status, made.html).toBe(303);
    mou = made.location?.split('/').pop() ?? '';
    const page = await officer.get(`/mous/${mou}`);
    expect(page.html).not.toContain('<script>alert(1)</script>');
    expect(textOf(page.html)).toContain('Bus punctuality <script>alert(1)</script>');
    expect(textOf(page.html)).toContain('Sign for the city and send for signature');
    expect(textOf(page.html)).toContain('Grievance redressal');
    const api = await a.gw.api.get(`/consent/v1/mous/${mou}`, { token: await a.token('admin') });
    expect(api.body.results.kpis).toEqual([
      { metric: 'records-released-per-week', target: 10, direction: 'at-least', reviewBy: '2027-06-30' },
      { metric: 'requests-refused', target: 1, direction: 'at-most', reviewBy: '2027-06-30', dataset: group },
    ]);
    expect(api.body.results.documentSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('the city sends it for signature, the partners sign from their MoU pages, and the dashboard shows who is waited on', async () => {
    const page = await officer.get(`/mous/${mou}`);
    expect((await officer.post(`/mous/${mou}/sign`, {}, { page: page.html })).status).toBe(303);
    const board = await officer.get('/city');
    expect(board.status).toBe(200);
    const waiting = textOf(board.html);
    expect(waiting).toContain('Signature rounds');
    expect(waiting).toMatch(/Bus punctuality[\s\S]*awaiting signatures[\s\S]*sitilink, svnit/);

    const list = await steward.get('/mous');
    expect(textOf(list.html)).toContain('awaits your signature');
    // A partner's member reads the MoU but has no report and cannot suspend it.
    const theirs = await steward.get(`/mous/${mou}`);
    expect(textOf(theirs.html)).toContain('Sign for');
    expect(textOf(theirs.html)).not.toContain('Report for this period');
    expect((await steward.post(`/mous/${mou}/sign`, {}, { page: theirs.html })).status).toBe(303);
    const suspend = await steward.post(`/mous/${mou}/suspend`, {}, { page: theirs.html });
    expect(suspend.status).toBe(403);
    const svnit = await researcher.get(`/mous/${mou}`);
    expect((await researcher.post(`/mous/${mou}/sign`, {}, { page: svnit.html })).status).toBe(303);
    expect(textOf((await officer.get(`/mous/${mou}`)).html)).toContain('in force');
    expect((await steward.get('/city')).status).toBe(403);
    expect((await steward.get(`/mous/${mou}/report`)).status).toBe(403);
  });

  it('the dashboard shows each KPI measured as the usage API reports the same days, and exports the report', async () => {
    expect(
      (
        await a.ingest(
          positions,
          [1, 2, 3].map((b) => position(a.clock, String(b), 3)),
        )
      ).status,
    ).toBe(200);
    const consent = await a.consent({ rateLimit: 2 }, { mou });
    const token = await a.accessToken(consent);
    for (let i = 0; i < 4; i += 1) await a.gw.api.get(`/ngsi-ld/v1/entities?id=${positions}`, { token });

    const to = a.clock.now().toISOString().slice(0, 10);
    const from = new Date(a.clock.now().getTime() - 6 * 86_400_000).toISOString().slice(0, 10);
    const usage = await a.gw.api.get(`/rs/v1/usage?view=provider&from=${from}&to=${to}`, {
      token: await a.token('sitilink'),
    });
    const records = usage.body.results.reduce((n: number, r: { records: number }) => n + r.records, 0);
    const denied = usage.body.results.reduce((n: number, r: { denied: number }) => n + r.denied, 0);
    expect(records).toBe(6);
    expect(denied).toBe(2);

    // Records per week are a rate over the days the MoU was in force in the period: the usage API's records of
    // those days, times seven, over their number.
    const effective = (await a.gw.api.get(`/consent/v1/mous/${mou}`, { token: await a.token('admin') })).body
      .results.effectiveFrom as string;
    const inForce =
      (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${effective.slice(0, 10)}T00:00:00Z`)) / 86_400_000 + 1;
    const perWeek = Math.round(((records * 7) / inForce) * 100) / 100;
    const shown = new Intl.NumberFormat('en-IN').format(perWeek);
    const board = await officer.get(`/city?from=${from}&to=${to}`);
    expect(measuredOf(board.html, 'records-released-per-week')).toBe(shown);
    expect(measuredOf(board.html, 'requests-refused')).toBe(String(denied));
    expect(textOf(board.html)).toContain('not met');
    expect(board.html).toContain('<svg class="chart kpi"');
    const hindi = await officer.get(`/city?from=${from}&to=${to}&lang=hi`);
    expect(textOf(hindi.html)).toContain('नगर डैशबोर्ड');
    expect(measuredOf(hindi.html, 'requests-refused')).toBe(String(denied));

    const report = await officer.get(`/mous/${mou}/report?from=${from}&to=${to}`);
    expect(report.status).toBe(200);
    expect(measuredOf(report.html, 'records-released-per-week')).toBe(shown);
    expect(textOf(report.html)).toContain(`${records} records released, ${denied} requests refused`);
    const csv = await officer.get(`/mous/${mou}/report.csv?from=${from}&to=${to}`);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = csv.html.trim().split('\r\n');
    expect(lines[0]).toBe('section,day,subject,consumer,item,measure,value,target,note');
    expect(lines).toContain(
      `kpi,${from}..${to},${mou},,,records-released-per-week,${perWeek},at-least 10,${perWeek >= 10 ? 'met' : 'not met'}`,
    );
    expect(lines.filter((l) => l.startsWith('consent,'))).toHaveLength(1);
    const refusedRecords = lines.filter((l) => l.startsWith('usage,') && l.includes(',refused,'));
    expect(refusedRecords.map((l) => Number(l.split(',')[6])).reduce((x, y) => x + y, 0)).toBe(denied);
    // The refusals themselves are listed as the audit log shows them: the city admin is no party to a release
    // between Sitilink and SVNIT; an auditor sees each.
    expect(lines.filter((l) => l.startsWith('refusal,'))).toHaveLength(0);
    const auditor = await signedInPerson(a, 'admin', { email: 'auditor@surat.example', roles: ['auditor'] });
    const audited = await auditor.get(`/mous/${mou}/report.csv?from=${from}&to=${to}`);
    expect(audited.status).toBe(200);
    expect(audited.html.split('\r\n').filter((l) => l.startsWith('refusal,'))).toHaveLength(denied);
  });

  it('the city suspends and resumes an alliance, a party gives notice, and the dashboard counts the days left', async () => {
    let page = await officer.get(`/mous/${mou}`);
    expect(
      (await officer.post(`/mous/${mou}/suspend`, { reason: 'data breach inquiry' }, { page: page.html }))
        .status,
    ).toBe(303);
    page = await officer.get(`/mous/${mou}`);
    expect(textOf(page.html)).toContain('suspended');
    const suspended = await a.gw.api.get('/audit/v1/entries?action=mou.suspend', {
      token: await a.token('admin'),
    });
    expect(suspended.body.results.at(-1)).toMatchObject({
      reason: 'data breach inquiry',
      actor: { organisation: 'surat' },
    });
    expect((await officer.post(`/mous/${mou}/resume`, {}, { page: page.html })).status).toBe(303);
    const theirs = await steward.get(`/mous/${mou}`);
    expect(
      (await steward.post(`/mous/${mou}/terminate`, { reason: 'route handed over' }, { page: theirs.html }))
        .status,
    ).toBe(303);
    const board = textOf((await officer.get('/city')).html);
    expect(board).toMatch(
      /Upcoming expiries and notice periods[\s\S]*Bus punctuality[\s\S]*notice given[\s\S]*30/,
    );
    expect(textOf((await officer.get(`/mous/${mou}`)).html)).toContain('terminates on');
  });

  it('a bad period, a stranger and another site are refused with a 4xx', async () => {
    expect((await officer.get('/city?from=2026-02-31')).status).toBe(400);
    expect((await officer.get(`/mous/${mou}?from=2020-01-01&to=2026-01-01`)).status).toBe(400);
    expect((await officer.get('/mous/mou_nothing')).status).toBe(404);
    const anonymous = await new Visitor(a.gw.url).get('/city');
    expect(anonymous.status).toBe(303);
    expect(anonymous.location).toContain('/sign-in');
    const page = await officer.get(`/mous/${mou}`);
    const foreign = await officer.post(
      `/mous/${mou}/suspend`,
      {},
      { page: page.html, headers: { 'sec-fetch-site': 'cross-site' } },
    );
    expect(foreign.status).toBe(403);
    expect(textOf((await officer.get(`/mous/${mou}`)).html)).toContain('in force');
    const noToken = await officer.post(`/mous/${mou}/suspend`, { _csrf: 'wrong' });
    expect(noToken.status).toBe(403);
    const yulu = await signedInPerson(a, 'yulu', { email: 'ops@yulu.example', roles: ['admin'] });
    expect((await yulu.get(`/mous/${mou}`)).status).toBe(404);
  });

  it('signed in, hostile values in every parameter of the new pages get a page or a 4xx, never a 5xx', async () => {
    const hostile = [
      '',
      '%00',
      'a'.repeat(3000),
      '<script>',
      '-1',
      '9999-99-99',
      '2026-02-29',
      '1e308',
      '%E0%A4%A',
    ];
    const pages = [
      (v: string) => `/city?from=${v}&to=${v}`,
      (v: string) => `/mous/${v}`,
      (v: string) => `/mous/${mou}?from=${v}`,
      (v: string) => `/mous/${v}/report?to=${v}`,
      (v: string) => `/mous/${mou}/report.csv?from=2026-01-01&to=${v}`,
      (v: string) => `/usage?view=${v}&from=${v}`,
      (v: string) => `/audit?after=${v}&decision=${v}&from=${v}&organisation=${v}`,
      (v: string) => `/audit/entries/${v}`,
      (v: string) => `/audit/consistency?from=${v}&to=2`,
      (v: string) => `/audit/data/entries/${v}/proof?treeSize=${v}`,
      (v: string) => `/audit/data/checkpoints/${v}`,
      (v: string) => `/audit/data/consistency?from=1&to=${v}`,
      (v: string) => `/audit/export?format=${v}&action=${v}`,
    ];
    const seen: string[] = [];
    for (const page of pages) {
      for (const v of hostile) {
        const path = page(encodeURIComponent(v));
        const answer = await officer.get(path);
        if (answer.status >= 500) seen.push(`${path} → ${answer.status}`);
        expect(answer.status, path).toBeLessThan(500);
      }
    }
    expect(seen).toEqual([]);
    const form = await officer.get('/mous/new');
    const hostileDraft = await officer.post(
      '/mous',
      {
        title: 'x'.repeat(400),
        partners: ['nobody', '%00'],
        'dataset:../../x': 'aggregate',
        'kpi0.metric': 'x',
        endsAt: 'soon',
      },
      { page: form.html },
    );
    expect(hostileDraft.status).toBe(400);
    expect(textOf(hostileDraft.html)).toContain('Please correct the following');
  });
});
