import { isDay } from '@sangam/core';
import { type Static, Type } from '@sinclair/typebox';

/**
 * What an alliance measures itself by: the fixed list of metrics Sangam computes from its own usage records, audit
 * log, catalogue and adapters' health, so a KPI in an MoU is always something the gateway can answer.
 */
export const kpiMetrics = [
  /** Records released to consumers, per week of the period. */
  'records-released-per-week',
  /** Consuming organisations that were released at least one record in the period. */
  'active-consumers',
  /** Consents granted in the period. */
  'consents-granted',
  /** Requests refused by the release rule in the period. */
  'requests-refused',
  /** The median time from a consent's request to its grant, in hours, over consents granted in the period. */
  'median-grant-hours',
  /** Minutes since the stalest of the MoU's adapters last read its feed (now, not over time). */
  'adapter-freshness-minutes',
  /** The share of the datasets promised that delivered data observed in the period, in percent. */
  'datasets-delivered-percent',
] as const;
export type KpiMetric = (typeof kpiMetrics)[number];

/** Whether a KPI is met by reaching its target from below (`at-least`) or by staying under it (`at-most`). */
export const kpiDirections = ['at-least', 'at-most'] as const;
export type KpiDirection = (typeof kpiDirections)[number];

/** One KPI of an MoU, as every party signs it. */
export const kpiSchema = Type.Object(
  {
    metric: Type.Unsafe<KpiMetric>({ enum: [...kpiMetrics] }),
    target: Type.Number({ minimum: 0, maximum: 1e12 }),
    direction: Type.Unsafe<KpiDirection>({ enum: [...kpiDirections] }),
    reviewBy: Type.String({
      pattern: '^\\d{4}-\\d{2}-\\d{2}$',
      title: 'a day, YYYY-MM-DD',
      description: 'When the parties review the KPI against its target',
    }),
    dataset: Type.Optional(
      Type.String({
        pattern: '^[a-z0-9-]{1,64}/[a-z0-9-]{1,64}$',
        description: "One of the MoU's datasets, when the KPI measures that dataset alone",
      }),
    ),
  },
  { additionalProperties: false },
);
export type Kpi = Static<typeof kpiSchema>;

/** Whether a measured value meets a KPI's target. */
export function kpiMet(kpi: Pick<Kpi, 'target' | 'direction'>, value: number): boolean {
  return kpi.direction === 'at-least' ? value >= kpi.target : value <= kpi.target;
}

/** Checks of KPIs against the terms they belong to: a KPI of a dataset names one the MoU covers. */
export function kpiErrors(
  kpis: readonly Kpi[],
  datasets: readonly { readonly group: string }[],
): { field: string; message: string }[] {
  const errors: { field: string; message: string }[] = [];
  kpis.forEach((kpi, i) => {
    if (kpi.dataset !== undefined && !datasets.some((d) => d.group === kpi.dataset)) {
      errors.push({
        field: `/kpis/${i}/dataset`,
        message: `"${kpi.dataset}" is not among the MoU's datasets`,
      });
    }
    if (!isDay(kpi.reviewBy)) {
      errors.push({ field: `/kpis/${i}/reviewBy`, message: 'is not a day that exists' });
    }
    if (kpi.metric === 'datasets-delivered-percent' && kpi.target > 100) {
      errors.push({ field: `/kpis/${i}/target`, message: 'a percentage is at most 100' });
    }
  });
  const seen = new Set<string>();
  kpis.forEach((kpi, i) => {
    const key = `${kpi.metric}\u0000${kpi.dataset ?? ''}`;
    if (seen.has(key))
      errors.push({ field: `/kpis/${i}`, message: 'the MoU names this metric for this scope already' });
    seen.add(key);
  });
  return errors;
}
