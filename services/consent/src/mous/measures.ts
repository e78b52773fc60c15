import type { DayRange } from '@sangam/core';
import type { Database, Kysely } from '@sangam/db';
import { type Kpi, type KpiMetric, kpiMet } from './kpis.js';
import type { Mou } from './model.js';

/** A KPI's value over one stretch of days; null when there was nothing to measure (no grant to time, no adapter). */
export interface KpiPoint extends DayRange {
  readonly value: number | null;
}

/** A KPI of an MoU with what was measured: one point per week of the range, and the range as a whole. */
export interface KpiMeasure {
  readonly kpi: Kpi;
  readonly points: readonly KpiPoint[];
  readonly whole: KpiPoint;
  /** Whether the whole range meets the target; null when nothing was measured. */
  readonly met: boolean | null;
}

const dayMs = 86_400_000;
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const msOf = (day: string) => Date.parse(`${day}T00:00:00Z`);

/**
 * The range cut into stretches of `days` that end on its last day, oldest first: the latest stretches are whole, and
 * only the first may be shorter.
 */
export function weeksOf(range: DayRange, days = 7): DayRange[] {
  const weeks: DayRange[] = [];
  const start = msOf(range.from);
  for (let end = msOf(range.to); end >= start; end -= days * dayMs) {
    weeks.unshift({ from: dayOf(Math.max(end - (days - 1) * dayMs, start)), to: dayOf(end) });
  }
  return weeks;
}

/**
 * The stretches a range is charted in: weeks up to half a year, four weeks beyond (a year is 14 points, not 53).
 * Rates per week stay rates per week whatever the stretch; counts are of the stretch.
 */
export function bucketsOf(range: DayRange): DayRange[] {
  return weeksOf(range, daysIn(range) > 182 ? 28 : 7);
}

const within = (day: string, range: DayRange) => day >= range.from && day <= range.to;

/**
 * The days of a range the MoU was in its term: from its first day to the day before it ended (its end, or its
 * termination, is exclusive); undefined when none.
 */
function inTermOf(mou: Mou, range: DayRange): DayRange | undefined {
  const first = mou.effectiveFrom.slice(0, 10);
  const last = dayOf(Date.parse(mou.terminatesAt ?? mou.endsAt) - 1);
  // biome-ignore lint/complexity/useMathMinMax: days are ISO text, compared as text; Math.max would give NaN
  const from = range.from > first ? range.from : first;
  // biome-ignore lint/complexity/useMathMinMax: as above
  const to = range.to < last ? range.to : last;
  return from <= to ? { from, to } : undefined;
}
function daysIn(range: DayRange): number {
  return (msOf(range.to) - msOf(range.from)) / dayMs + 1;
}

/** Whether an item (a group or a resource) belongs to a dataset (a resource group). */
const inDataset = (item: string, group: string | undefined) =>
  group === undefined || item === group || item.startsWith(`${group}/`);

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** The facts MoUs' KPIs are measured from, read once for all of them and the whole range. */
interface Facts {
  /** Usage per MoU and stretch of the range (by its index), summed per item and consumer, as metered at release. */
  readonly usage: ReadonlyMap<string, ReadonlyMap<number, readonly UsageFact[]>>;
  /** Grants per MoU, from the audit log. */
  readonly grants: ReadonlyMap<string, readonly GrantFact[]>;
  /** The stretches of the range in which each dataset had data observed. */
  readonly delivered: ReadonlyMap<string, readonly DayRange[]>;
  /** Per dataset, minutes since its provider's adapters last read their feed (the stalest), when any has. */
  readonly freshness: ReadonlyMap<string, number>;
  /** The day it is now, for the measures that are values of now. */
  readonly today: string;
}
interface UsageFact {
  readonly item: string;
  readonly consumer: string;
  readonly requests: number;
  readonly denied: number;
  readonly records: number;
}
interface GrantFact {
  readonly day: string;
  readonly items: readonly string[];
  readonly hours: number;
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

async function factsOf(
  db: Kysely<Database>,
  mous: readonly Mou[],
  range: DayRange,
  now: Date,
): Promise<Facts> {
  const ids = mous.map((m) => m.id);
  const start = new Date(msOf(range.from)).toISOString();
  const end = new Date(msOf(range.to) + dayMs).toISOString();
  const usage = new Map<string, Map<number, UsageFact[]>>();
  const stretches = bucketsOf(range);
  // Summed in the database per MoU, stretch, item and consumer: a year of fifty alliances comes back as a few
  // hundred rows.
  const usageRows = await db
    .selectFrom('usage_daily as u')
    .innerJoin('consents as c', 'c.id', 'u.consent_id')
    .select((eb) => {
      let bucket = eb
        .case()
        .when('u.day', '<=', stretches[0]?.to ?? range.to)
        .then(0);
      stretches.slice(1).forEach((stretch, i) => {
        bucket = bucket.when('u.day', '<=', stretch.to).then(i + 1);
      });
      return [
        'c.mou_id',
        bucket.end().as('bucket'),
        'u.item',
        'u.consumer_org',
        eb.fn.sum<number>('u.requests').as('requests'),
        eb.fn.sum<number>('u.denied').as('denied'),
        eb.fn.sum<number>('u.records').as('records'),
      ];
    })
    .where('c.mou_id', 'in', ids)
    .where('u.day', '>=', range.from)
    .where('u.day', '<=', range.to)
    .groupBy(['c.mou_id', 'bucket', 'u.item', 'u.consumer_org'])
    .execute();
  for (const u of usageRows) {
    let buckets = usage.get(u.mou_id);
    if (!buckets) {
      buckets = new Map();
      usage.set(u.mou_id, buckets);
    }
    const index = Number(u.bucket);
    const list = buckets.get(index) ?? [];
    list.push({
      item: u.item,
      consumer: u.consumer_org,
      requests: Number(u.requests),
      denied: Number(u.denied),
      records: Number(u.records),
    });
    buckets.set(index, list);
  }
  const grants = new Map<string, GrantFact[]>();
  const grantRows = await db
    .selectFrom('audit_entries as a')
    .innerJoin('consents as c', 'c.id', 'a.target_consent')
    .select(['c.mou_id', 'a.time', 'c.created_at', 'c.terms'])
    .where('c.mou_id', 'in', ids)
    .where('a.action', '=', 'consent.grant')
    .where('a.decision', '=', 'allow')
    .where('a.time', '>=', start)
    .where('a.time', '<', end)
    .execute();
  for (const g of grantRows) {
    push(grants, g.mou_id, {
      day: g.time.slice(0, 10),
      items: (JSON.parse(g.terms) as { items?: string[] }).items ?? [],
      hours: Math.max(0, (Date.parse(g.time) - Date.parse(g.created_at)) / 3_600_000),
    });
  }
  const groups = [...new Set(mous.flatMap((m) => m.datasets.map((d) => d.group)))];
  const delivered = new Map<string, DayRange[]>();
  const freshness = new Map<string, number>();
  if (groups.length > 0) {
    const weeks = bucketsOf(range);
    for (const group of groups) {
      // One probe per week, each an index seek on (resource, time): a year of records is never read to answer.
      // The group's resources are named by a subquery, so a large group binds no list of ids.
      const probe = await db
        .selectNoFrom((eb) =>
          weeks.map((week, i) =>
            eb
              .exists(
                eb
                  .selectFrom('records')
                  .select('resource_id')
                  .where(
                    'resource_id',
                    'in',
                    eb
                      .selectFrom('catalogue_items')
                      .select('id')
                      .where('type', '=', 'resource')
                      .where('group_id', '=', group),
                  )
                  .where('observed_at', '>=', new Date(msOf(week.from)).toISOString())
                  .where('observed_at', '<', new Date(msOf(week.to) + dayMs).toISOString()),
              )
              .as(`w${i}`),
          ),
        )
        .executeTakeFirst();
      const row = (probe ?? {}) as Record<string, unknown>;
      delivered.set(
        group,
        weeks.filter((_, i) => row[`w${i}`] === true || Number(row[`w${i}`]) === 1),
      );
    }
    const providers = await db
      .selectFrom('catalogue_items')
      .select(['id', 'provider'])
      .where('id', 'in', groups)
      .execute();
    const adapters = await db
      .selectFrom('adapter_status')
      .select(['provider', 'health'])
      .where('provider', 'in', [...new Set(providers.map((p) => p.provider))])
      .execute();
    for (const group of providers) {
      let stalest: number | undefined;
      for (const a of adapters.filter((x) => x.provider === group.provider)) {
        const last = Date.parse((JSON.parse(a.health) as { lastSuccessAt?: string }).lastSuccessAt ?? '');
        // An adapter that never read its feed has been stale as long as the alliance has been meant to have it.
        const covering = mous.filter((m) => m.datasets.some((d) => d.group === group.id));
        const since = Number.isNaN(last)
          ? Math.min(...covering.map((m) => Date.parse(m.effectiveFrom)))
          : last;
        stalest = Math.max(stalest ?? 0, Math.max(0, (now.getTime() - since) / 60_000));
      }
      if (stalest !== undefined) freshness.set(group.id, Math.round(stalest));
    }
  }
  return { usage, grants, delivered, freshness, today: now.toISOString().slice(0, 10) };
}

/** A KPI's value over some days, from the facts. */
function measured(
  metric: KpiMetric,
  kpi: Kpi,
  mou: Mou,
  facts: Facts,
  stretch: DayRange,
  buckets: readonly number[],
): number | null {
  // Only the days the MoU was in force count: a rate is per week of those, and outside them nothing is measured.
  const range = inTermOf(mou, stretch);
  if (!range) return null;
  const usage: UsageFact[] = [];
  const byBucket = facts.usage.get(mou.id);
  if (byBucket) {
    for (const b of buckets) {
      for (const u of byBucket.get(b) ?? []) if (inDataset(u.item, kpi.dataset)) usage.push(u);
    }
  }
  const grants = (facts.grants.get(mou.id) ?? []).filter(
    (g) =>
      within(g.day, range) && (kpi.dataset === undefined || g.items.some((i) => inDataset(i, kpi.dataset))),
  );
  const promised = kpi.dataset === undefined ? mou.datasets.map((d) => d.group) : [kpi.dataset];
  switch (metric) {
    case 'records-released-per-week': {
      const records = usage.reduce((sum, u) => sum + u.records, 0);
      return Math.round(((records * 7) / daysIn(range)) * 100) / 100;
    }
    case 'requests-refused':
      return usage.reduce((sum, u) => sum + u.denied, 0);
    case 'active-consumers':
      return new Set(usage.filter((u) => u.records > 0).map((u) => u.consumer)).size;
    case 'consents-granted':
      return grants.length;
    case 'median-grant-hours': {
      const hours = median(grants.map((g) => g.hours));
      return hours === null ? null : Math.round(hours * 100) / 100;
    }
    case 'adapter-freshness-minutes': {
      // A value of now: shown for the stretch that holds today, never for weeks gone by.
      if (facts.today < range.from || facts.today > range.to) return null;
      const known = promised.map((g) => facts.freshness.get(g)).filter((m) => m !== undefined);
      return known.length === 0 ? null : Math.max(...known);
    }
    case 'datasets-delivered-percent': {
      if (promised.length === 0) return null;
      // Observed in a stretch that overlaps the days measured.
      const delivered = promised.filter((g) =>
        (facts.delivered.get(g) ?? []).some((week) => week.to >= range.from && week.from <= range.to),
      ).length;
      return Math.round((delivered / promised.length) * 10_000) / 100;
    }
  }
}

/**
 * MoUs' KPIs measured over a range of days, week by week and as a whole, from the gateway's own records: usage as
 * metered at release (the same rows `GET /rs/v1/usage` reports), grants from the audit log, data observed in the
 * catalogue's datasets, and the adapters' health. Adapter freshness is a value of now, not of the range. The facts
 * of every MoU are read together, so a dashboard of fifty alliances costs a handful of queries.
 */
export async function measureAlliances(
  db: Kysely<Database>,
  mous: readonly Mou[],
  range: DayRange,
  now: Date,
): Promise<Map<string, KpiMeasure[]>> {
  const measuredMous = mous.filter((m) => m.kpis.length > 0);
  const result = new Map<string, KpiMeasure[]>(mous.map((m) => [m.id, []]));
  if (measuredMous.length === 0) return result;
  const facts = await factsOf(db, measuredMous, range, now);
  const weeks = bucketsOf(range);
  const all = weeks.map((_, i) => i);
  for (const mou of measuredMous) {
    result.set(
      mou.id,
      mou.kpis.map((kpi) => {
        const whole = { ...range, value: measured(kpi.metric, kpi, mou, facts, range, all) };
        return {
          kpi,
          // A week wholly outside the MoU's term has nothing to measure.
          points: weeks.map((week, i) => ({
            ...week,
            value: measured(kpi.metric, kpi, mou, facts, week, [i]),
          })),
          whole,
          met: whole.value === null ? null : kpiMet(kpi, whole.value),
        };
      }),
    );
  }
  return result;
}

/** One MoU's KPIs measured over a range (see measureAlliances). */
export async function measureKpis(
  db: Kysely<Database>,
  mou: Mou,
  range: DayRange,
  now: Date,
): Promise<KpiMeasure[]> {
  return (await measureAlliances(db, [mou], range, now)).get(mou.id) ?? [];
}
