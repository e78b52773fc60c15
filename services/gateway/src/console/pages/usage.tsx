import { raw } from 'hono/html';
import { rowsHtml } from '../charts.js';
import { Page, type View } from '../layout.js';
import { PeriodForm } from './mous.js';

export interface UsageRow {
  readonly day: string;
  /** The consumer (a provider's view) or the consent (a consumer's). */
  readonly who: string;
  readonly item?: string;
  readonly requests: number;
  readonly denied: number;
  readonly records: number;
}

/** Records released per day as bars: drawn on the server, the numbers in the table beside it. */
function Bars(props: { days: readonly { day: string; records: number }[]; label: string }) {
  const width = 640;
  const height = 160;
  const max = Math.max(1, ...props.days.map((d) => d.records));
  const bar = width / Math.max(1, props.days.length);
  return (
    <svg class="chart" viewBox={`0 0 ${width} ${height + 20}`} role="img" aria-label={props.label}>
      <title>{props.label}</title>
      {props.days.map((d, i) => {
        const h = Math.round((d.records / max) * height);
        return (
          <g>
            <rect
              class="bar"
              x={Math.round(i * bar + 2)}
              y={height - h}
              width={Math.max(1, Math.round(bar - 4))}
              height={h}
            />
            {props.days.length <= 31 ? (
              <text x={Math.round(i * bar + bar / 2)} y={height + 14} text-anchor="middle" class="tick">
                {d.day.slice(8)}
              </text>
            ) : null}
          </g>
        );
      })}
    </svg>
  );
}

/** The most series charted one by one; every one is in the table. */
const seriesShown = 12;

/** Usage: a provider's data per consumer and day, or a consumer's own per consent and day. */
export function UsagePage(props: {
  view: View;
  provider: boolean;
  /** Whether the person may switch to the other view (an organisation that both provides and consumes). */
  both: boolean;
  rows: readonly UsageRow[];
  from: string;
  to: string;
}) {
  const s = props.view.speech;
  const perDay = new Map<string, number>();
  for (const r of props.rows) perDay.set(r.day, (perDay.get(r.day) ?? 0) + r.records);
  const days: { day: string; records: number }[] = [];
  for (
    let t = Date.parse(`${props.from}T00:00:00Z`);
    t <= Date.parse(`${props.to}T00:00:00Z`);
    t += 86_400_000
  ) {
    const day = new Date(t).toISOString().slice(0, 10);
    days.push({ day, records: perDay.get(day) ?? 0 });
  }
  // One series per item and consumer (a provider's view) or per consent (a consumer's), each over the same days.
  const series = new Map<string, Map<string, number>>();
  for (const r of props.rows) {
    const key = props.provider ? `${r.item} · ${r.who}` : r.who;
    const perSeries = series.get(key) ?? new Map<string, number>();
    perSeries.set(r.day, (perSeries.get(r.day) ?? 0) + r.records);
    series.set(key, perSeries);
  }
  const view = props.provider ? 'provider' : 'consumer';
  return (
    <Page view={props.view} title={s.t(props.provider ? 'usageTitle' : 'usageOwnTitle')}>
      <PeriodForm view={props.view} action="/usage" from={props.from} to={props.to}>
        {props.both ? (
          <label>
            {s.t('usageView')}
            <select name="view">
              <option value="provider" selected={view === 'provider'}>
                {s.t('usageTitle')}
              </option>
              <option value="consumer" selected={view === 'consumer'}>
                {s.t('usageOwnTitle')}
              </option>
            </select>
          </label>
        ) : null}
      </PeriodForm>
      <p class="meta">{s.t('mouTermText', { from: s.date(props.from), until: s.date(props.to) })}</p>
      <Bars days={days} label={s.t('usageChart')} />
      {series.size > seriesShown ? <p>{s.t('usageSeriesTop', { n: seriesShown })}</p> : null}
      {series.size > 0 ? (
        <div class="charts">
          {[...series]
            .map(([key, perDay]) => ({ key, perDay, total: [...perDay.values()].reduce((a, b) => a + b, 0) }))
            .sort((x, y) => y.total - x.total)
            .slice(0, seriesShown)
            .map(({ key, perDay, total }) => {
              const label = s.t('usageSeries', { series: key });
              return (
                <figure>
                  <figcaption>
                    {key} · {s.t('usageSeriesTotal', { records: total })}
                  </figcaption>
                  <Bars
                    days={days.map((d) => ({ day: d.day, records: perDay.get(d.day) ?? 0 }))}
                    label={label}
                  />
                </figure>
              );
            })}
        </div>
      ) : null}
      {props.rows.length === 0 ? (
        <p>{s.t('usageEmpty')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{s.t('usageDay')}</th>
              <th scope="col">{s.t(props.provider ? 'usageWho' : 'navConsents')}</th>
              {props.provider ? <th scope="col">{s.t('tokenItem')}</th> : null}
              <th scope="col">{s.t('usageRequests')}</th>
              <th scope="col">{s.t('usageRecords')}</th>
              <th scope="col">{s.t('usageRefusals')}</th>
            </tr>
          </thead>
          <tbody>
            {raw(
              rowsHtml(
                props.rows.map((r) => [
                  s.date(r.day),
                  r.who,
                  ...(props.provider ? [r.item ?? ''] : []),
                  s.number(r.requests),
                  s.number(r.records),
                  s.number(r.denied),
                ]),
              ),
            )}
          </tbody>
        </table>
      )}
    </Page>
  );
}
