import { createHash } from 'node:crypto';
import { canonicalJson } from '@sangam/audit';
import {
  allianceReport,
  allianceReportCsv,
  changeMou,
  createMou,
  getMou,
  listMous,
  listProblemStatements,
  listProposals,
  type Mou,
  measureAlliances,
  measureKpis,
  type NewMou,
  newMouSchema,
  signMou,
} from '@sangam/consent';
import { addDays, DxError, dayRange, type Principal } from '@sangam/core';
import { type AppEnv, bodyCheck } from '@sangam/http';
import { seesAllAgreements } from '@sangam/policy';
import type { Context, Hono } from 'hono';
import type { ConsoleDeps } from '../app.js';
import { problemMessages, text } from '../forms.js';
import type { ConsoleKit } from '../kit.js';
import type { View } from '../layout.js';
import { type CityAdapter, DashboardPage } from '../pages/city.js';
import { type DraftForm, DraftPage, kpiRows, MouPage, MousPage } from '../pages/mous.js';
import { NoticePage } from '../pages/people.js';
import { ReportPage } from '../pages/report.js';

const checkMou = bodyCheck<NewMou>(newMouSchema);

/** Twelve weeks, the default span KPIs are shown over. */
const defaultDays = 84;

/** The MoUs, the city's dashboard, drafting, signatures and the lifecycle, and an alliance's report. */
export function cityRoutes(app: Hono<AppEnv>, kit: ConsoleKit, deps: ConsoleDeps): void {
  const ctx = deps.alliance;
  const db = ctx.db;

  /** The days a page measures over: the query's, checked; a bad one answers 400 with the console's page. */
  function periodOf(c: Context<AppEnv>) {
    return dayRange(
      { from: c.req.query('from') || undefined, to: c.req.query('to') || undefined },
      ctx.clock.now(),
      { defaultDays },
    );
  }

  async function organisationNames(): Promise<Map<string, string>> {
    return new Map(
      (await db.selectFrom('organisations').select(['id', 'name']).execute()).map((o) => [o.id, o.name]),
    );
  }

  function refused(c: Context<AppEnv>, view: View, message: string) {
    return kit.render(
      c,
      view,
      <NoticePage view={view} title={view.speech.t('refusedTitle')} text={message} />,
      403,
    );
  }

  app.get('/city', async (c) => {
    const view = await kit.signedIn(c);
    if (view instanceof Response) return view;
    if (!view.cityAdmin) return refused(c, view, view.speech.t('cityOnly'));
    const range = periodOf(c);
    const now = ctx.clock.now();
    const mous = await listMous(ctx, view.session.principal);
    const health = await deps.adapters();
    const adapters: CityAdapter[] = health.map((a) => ({
      ...a,
      minutesSinceSuccess: a.lastSuccessAt
        ? Math.max(0, Math.round((now.getTime() - Date.parse(a.lastSuccessAt)) / 60_000))
        : null,
    }));
    const inForce = mous.filter((m) => m.status === 'active' || m.status === 'suspended');
    const [measures, names, problems, proposals] = await Promise.all([
      measureAlliances(db, inForce, range, now),
      organisationNames(),
      listProblemStatements(ctx),
      listProposals(ctx, view.session.principal),
    ]);
    return kit.render(
      c,
      view,
      <DashboardPage
        view={view}
        board={{
          mous,
          measures,
          names,
          ...range,
          now: now.toISOString(),
          openProblems: problems.filter((p) => p.status === 'open').length,
          proposals: proposals.length,
          adapters,
        }}
      />,
    );
  });

  app.get('/mous', async (c) => {
    const view = await kit.signedIn(c);
    if (view instanceof Response) return view;
    const principal = view.session.principal;
    const mous = await listMous(ctx, principal);
    // An MoU waits on this person when they sign for a party that has not signed it (or its amendment) yet.
    const waitingOn = new Set(mous.filter((m) => awaitsSignatureOf(m, principal)).map((m) => m.id));
    return kit.render(c, view, <MousPage view={view} mous={mous} waitingOn={waitingOn} />);
  });

  async function draftPage(c: Context<AppEnv>, view: View, form: DraftForm, errors: string[] = []) {
    const city = view.session?.member.organisation;
    const organisations = await db
      .selectFrom('organisations')
      .select(['id', 'name'])
      .where('id', '!=', city ?? '')
      .orderBy('name')
      .execute();
    const groups = await db
      .selectFrom('catalogue_items')
      .select(['id', 'name'])
      .where('type', '=', 'resourceGroup')
      .where('status', '=', 'live')
      .orderBy('id')
      .limit(500)
      .execute();
    return kit.render(
      c,
      view,
      <DraftPage view={view} form={form} organisations={organisations} groups={groups} errors={errors} />,
      errors.length > 0 ? 400 : 200,
    );
  }

  app.get('/mous/new', async (c) => {
    const view = await kit.signedIn(c);
    if (view instanceof Response) return view;
    if (!view.cityAdmin) return refused(c, view, view.speech.t('cityOnly'));
    const today = ctx.clock.now().toISOString().slice(0, 10);
    return draftPage(c, view, {
      ...emptyDraft,
      effectiveFrom: today,
      endsAt: addDays(today, 365),
    });
  });

  app.post('/mous', async (c) => {
    const { view, form } = await kit.change(c);
    if (!view.cityAdmin) return refused(c, view, view.speech.t('cityOnly'));
    const draft = draftOf(form);
    let id: string;
    try {
      // The same schema as `POST /consent/v1/mous`, then the same domain checks.
      id = (await createMou(ctx, kit.callerOf(c, view.session), checkMou(newMouOf(draft)))).id;
    } catch (error) {
      if (error instanceof DxError && error.status === 400)
        return draftPage(c, view, draft, problemMessages(error));
      throw error;
    }
    return c.redirect(`/mous/${id}`, 303);
  });

  app.get('/mous/:id', async (c) => {
    const view = await kit.signedIn(c);
    if (view instanceof Response) return view;
    const principal = view.session.principal;
    const mou = await getMou(ctx, principal, c.req.param('id'));
    const range = periodOf(c);
    const party = mou.parties.find((p) => p.organisation === principal.organisationId && !p.leftAt);
    const admin = principal.roles.includes('admin');
    const signs = party && awaitsSignatureOf(mou, principal);
    const inForce = mou.status === 'active' || mou.status === 'suspended';
    return kit.render(
      c,
      view,
      <MouPage
        view={view}
        mou={mou}
        names={await organisationNames()}
        measures={await measureKpis(db, mou, range, ctx.clock.now())}
        {...range}
        actions={{
          ...(signs ? { sign: party.organisation } : {}),
          suspend: view.cityAdmin && mou.status === 'active',
          resume: view.cityAdmin && mou.status === 'suspended',
          terminate: Boolean(party && admin && inForce && !mou.terminatesAt),
          report: await seesAllAgreements(db, principal),
        }}
      />,
    );
  });

  app.post('/mous/:id/:action{sign|suspend|resume|terminate}', async (c) => {
    const { view, form } = await kit.change(c);
    const id = c.req.param('id');
    const action = c.req.param('action') as 'sign' | 'suspend' | 'resume' | 'terminate';
    const caller = kit.callerOf(c, view.session);
    const reason = text(form.get('reason'), 1000).trim() || undefined;
    if (action === 'sign') await signMou(ctx, caller, id);
    else await changeMou(ctx, caller, id, action, reason);
    return c.redirect(`/mous/${id}`, 303);
  });

  app.get('/mous/:id/report', async (c) => {
    const view = await kit.signedIn(c);
    if (view instanceof Response) return view;
    const report = await allianceReport(ctx, view.session.principal, c.req.param('id'), periodOf(c));
    return kit.render(c, view, <ReportPage view={view} report={report} />);
  });

  app.get('/mous/:id/report.csv', async (c) => {
    const view = await kit.signedIn(c);
    if (view instanceof Response) return view;
    const report = await allianceReport(ctx, view.session.principal, c.req.param('id'), periodOf(c));
    return c.body(allianceReportCsv(report), 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="sangam-${report.mou.id}-${report.range.from}-${report.range.to}.csv"`,
      'cache-control': 'no-store',
    });
  });
}

/**
 * Whether an MoU waits on this person's signature: an admin of a party (not withdrawn) that has not signed the MoU in
 * its signature round, or its pending amendment.
 */
function awaitsSignatureOf(mou: Mou, principal: Principal): boolean {
  if (!principal.roles.includes('admin')) return false;
  const party = mou.parties.find((p) => p.organisation === principal.organisationId && !p.leftAt);
  if (!party) return false;
  if (mou.pendingAmendment) return !mou.pendingAmendment.signedBy.includes(party.organisation);
  return (mou.status === 'draft' || mou.status === 'awaiting-signatures') && !party.signedAt;
}

const emptyDraft: DraftForm = {
  title: '',
  partners: [],
  issue: '',
  beneficiaries: '',
  outcomes: '',
  areas: ['data-sharing'],
  roles: '',
  purposes: '',
  datasets: {},
  privacy: '',
  confidentiality: '',
  intellectualProperty: '',
  grievance: '',
  effectiveFrom: '',
  endsAt: '',
  noticeDays: '30',
  documentSha256: '',
  kpis: [],
};

const strings = (form: FormData, name: string, max = 100) =>
  form
    .getAll(name)
    .filter((v): v is string => typeof v === 'string')
    .slice(0, max);

/** The draft form as typed, bounded. */
function draftOf(form: FormData): DraftForm {
  const datasets: Record<string, string> = {};
  for (const [key, value] of form.entries()) {
    if (key.startsWith('dataset:') && typeof value === 'string' && value !== '' && key.length <= 140)
      datasets[key.slice('dataset:'.length)] = value.slice(0, 40);
    if (Object.keys(datasets).length >= 200) break;
  }
  return {
    title: text(form.get('title'), 300),
    partners: strings(form, 'partners', 50),
    issue: text(form.get('issue'), 5000),
    beneficiaries: text(form.get('beneficiaries'), 3000),
    outcomes: text(form.get('outcomes'), 3000),
    areas: strings(form, 'areas', 20),
    roles: text(form.get('roles'), 5000),
    purposes: text(form.get('purposes'), 5000),
    datasets,
    privacy: text(form.get('privacy'), 5000),
    confidentiality: text(form.get('confidentiality'), 5000),
    intellectualProperty: text(form.get('intellectualProperty'), 5000),
    grievance: text(form.get('grievance'), 5000),
    effectiveFrom: text(form.get('effectiveFrom'), 40),
    endsAt: text(form.get('endsAt'), 40),
    noticeDays: text(form.get('noticeDays'), 10),
    documentSha256: text(form.get('documentSha256'), 64).trim().toLowerCase(),
    kpis: Array.from({ length: kpiRows }, (_, i) => ({
      metric: text(form.get(`kpi${i}.metric`), 60),
      target: text(form.get(`kpi${i}.target`), 30),
      direction: text(form.get(`kpi${i}.direction`), 20),
      reviewBy: text(form.get(`kpi${i}.reviewBy`), 20),
      dataset: text(form.get(`kpi${i}.dataset`), 140),
    })),
  };
}

/** A form's number as typed: a plain decimal becomes a number, anything else stays text for the schema to refuse. */
const numberOrText = (value: string): number | string =>
  /^\d{1,12}(\.\d{1,6})?$/.test(value.trim()) ? Number(value.trim()) : value;

const listOf = (value: string, separator: RegExp) =>
  value
    .split(separator)
    .map((v) => v.trim())
    .filter((v) => v !== '');

/**
 * The request the form makes, for the same checks as `POST /consent/v1/mous`. A day is read as the start of that
 * day (the end date too: the MoU runs until it begins). Without a document hash, the hash is of the terms as drafted.
 */
function newMouOf(draft: DraftForm): unknown {
  const instant = (day: string) => (/^\d{4}-\d{2}-\d{2}$/.test(day) ? `${day}T00:00:00.000Z` : day);
  const clauses = Object.fromEntries(
    (['roles', 'privacy', 'intellectualProperty', 'grievance'] as const)
      .filter((k) => draft[k].trim() !== '')
      .map((k) => [k, draft[k].trim()]),
  );
  const kpis = draft.kpis
    .filter((k) => k.metric !== '')
    .map((k) => ({
      metric: k.metric,
      // Only a plain decimal is a number; anything else stays text, for the schema to name.
      target: numberOrText(k.target),
      direction: k.direction,
      reviewBy: k.reviewBy,
      ...(k.dataset ? { dataset: k.dataset } : {}),
    }));
  const terms = {
    title: draft.title.trim(),
    partners: draft.partners,
    problem: {
      issue: draft.issue.trim(),
      beneficiaries: listOf(draft.beneficiaries, /,/),
      kpis: listOf(draft.outcomes, /,/),
    },
    areas: draft.areas,
    purposes: listOf(draft.purposes, /\r?\n/),
    datasets: Object.entries(draft.datasets).map(([group, level]) => ({ group, maxReleaseLevel: level })),
    ...(draft.confidentiality.trim() ? { confidentiality: draft.confidentiality.trim() } : {}),
    kpis,
    ...(Object.keys(clauses).length > 0 ? { clauses } : {}),
    effectiveFrom: instant(draft.effectiveFrom),
    endsAt: instant(draft.endsAt),
    ...(draft.noticeDays !== '' ? { noticeDays: numberOrText(draft.noticeDays) } : {}),
  };
  const documentSha256 = /^[0-9a-f]{64}$/.test(draft.documentSha256)
    ? draft.documentSha256
    : draft.documentSha256 === ''
      ? createHash('sha256').update(canonicalJson(terms)).digest('hex')
      : draft.documentSha256;
  return { ...terms, documentSha256 };
}
