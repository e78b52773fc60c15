import { type AuditScope, listEntries } from '@sangam/audit';
import { csvCell, type DayRange, DxError, type Principal } from '@sangam/core';
import { seesAllAgreements, seesWholeLog } from '@sangam/policy';
import { listConsents } from '../consents/consents.js';
import type { Consent } from '../consents/model.js';
import { type KpiMeasure, measureKpis } from './measures.js';
import type { Mou } from './model.js';
import { getMou, type MouContext } from './mous.js';

/** A day's metering of one consent of the alliance, as the release path counted it. */
export interface AllianceUsage {
  readonly day: string;
  readonly consent: string;
  readonly consumer: string;
  readonly item: string;
  readonly requests: number;
  readonly denied: number;
  readonly records: number;
}

/** A refusal the audit log holds for the alliance. */
export interface AllianceRefusal {
  readonly seq: number;
  readonly time: string;
  readonly action: string;
  readonly consumer: string | null;
  readonly reason: string;
}

/** What the city reviews an alliance by, for a period: its KPIs, usage, consents and refusals. */
export interface AllianceReport {
  readonly mou: Mou;
  readonly range: DayRange;
  readonly measures: readonly KpiMeasure[];
  readonly usage: readonly AllianceUsage[];
  /** Whether the usage was cut at the report's limit. */
  readonly usageCut: boolean;
  readonly consents: readonly Consent[];
  readonly refusals: readonly AllianceRefusal[];
  /** Whether the refusals were cut at the report's limit. */
  readonly refusalsCut: boolean;
}

const refusalLimit = 1000;
/** A year of a few dozen consents' days; beyond, the report says it was cut and the usage API pages the rest. */
const usageLimit = 20_000;

/**
 * An alliance's report for a period: for the city admin and auditors, who oversee every alliance (a partner does not
 * read the other consumers' usage through it).
 */
export async function allianceReport(
  ctx: MouContext,
  principal: Principal,
  id: string,
  range: DayRange,
): Promise<AllianceReport> {
  const mou = await getMou(ctx, principal, id);
  if (!(await seesAllAgreements(ctx.db, principal)))
    throw new DxError('forbidden', "An alliance's report is for the city administrator and auditors");
  const now = ctx.clock.now();
  const start = `${range.from}T00:00:00.000Z`;
  const end = new Date(Date.parse(`${range.to}T00:00:00Z`) + 86_400_000).toISOString();
  const usage = await ctx.db
    .selectFrom('usage_daily as u')
    .innerJoin('consents as c', 'c.id', 'u.consent_id')
    .select(['u.day', 'u.consent_id', 'u.consumer_org', 'u.item', 'u.requests', 'u.denied', 'u.records'])
    .where('c.mou_id', '=', id)
    .where('u.day', '>=', range.from)
    .where('u.day', '<=', range.to)
    .orderBy('u.day')
    .orderBy('u.consent_id')
    .orderBy('u.item')
    .limit(usageLimit + 1)
    .execute();
  // Refusals as the audit log shows them to this reader: every one to an auditor, those its organisation is party
  // to otherwise (the city admin's counts of refusals are in the usage above).
  const scope: AuditScope = seesWholeLog(principal)
    ? { all: true }
    : { all: false, organisation: principal.organisationId };
  const refusals = await listEntries(
    ctx.db,
    { target: id, decision: 'deny', from: start, to: end },
    scope,
    refusalLimit,
  );
  return {
    mou,
    range,
    measures: await measureKpis(ctx.db, mou, range, now),
    usageCut: usage.length > usageLimit,
    usage: usage.slice(0, usageLimit).map((u) => ({
      day: u.day,
      consent: u.consent_id,
      consumer: u.consumer_org,
      item: u.item,
      requests: Number(u.requests),
      denied: Number(u.denied),
      records: Number(u.records),
    })),
    consents: await listConsents(ctx, principal, { mou: id }),
    refusals: refusals.entries.map((e) => ({
      seq: e.seq,
      time: e.time,
      action: e.action,
      consumer: e.target?.consumer ?? null,
      reason: e.reason ?? '',
    })),
    refusalsCut: refusals.next !== undefined,
  };
}

/** The report as one CSV table: a `section` column says what each row is. */
export function allianceReportCsv(report: AllianceReport): string {
  const header = ['section', 'day', 'subject', 'consumer', 'item', 'measure', 'value', 'target', 'note'];
  const rows: (string | number | null | undefined)[][] = [];
  for (const m of report.measures) {
    const subject = m.kpi.dataset ?? report.mou.id;
    const target = `${m.kpi.direction} ${m.kpi.target}`;
    rows.push([
      'kpi',
      `${m.whole.from}..${m.whole.to}`,
      subject,
      '',
      '',
      m.kpi.metric,
      m.whole.value,
      target,
      m.met === null ? 'nothing measured' : m.met ? 'met' : 'not met',
    ]);
    for (const p of m.points)
      rows.push(['kpi-week', p.from, subject, '', '', m.kpi.metric, p.value, target, '']);
  }
  for (const u of report.usage) {
    rows.push(['usage', u.day, u.consent, u.consumer, u.item, 'requests', u.requests, '', '']);
    rows.push(['usage', u.day, u.consent, u.consumer, u.item, 'records', u.records, '', '']);
    rows.push(['usage', u.day, u.consent, u.consumer, u.item, 'refused', u.denied, '', '']);
  }
  for (const c of report.consents) {
    rows.push([
      'consent',
      c.createdAt.slice(0, 10),
      c.id,
      c.consumer,
      c.items.join(' '),
      'status',
      c.status,
      '',
      c.purpose,
    ]);
  }
  if (report.usageCut) rows.push(['note', '', '', '', '', 'usage', '', '', 'cut at the report limit']);
  if (report.refusalsCut) rows.push(['note', '', '', '', '', 'refusals', '', '', 'cut at the report limit']);
  for (const r of report.refusals) {
    rows.push(['refusal', r.time, String(r.seq), r.consumer, '', r.action, '', '', r.reason]);
  }
  return [header, ...rows]
    .map((row) => row.map(csvCell).join(','))
    .join('\r\n')
    .concat('\r\n');
}
