import type { KpiMeasure } from '@sangam/consent';
import { escapeHtml } from '@sangam/http';

/**
 * A KPI's values as a line with its target as a dashed line, the scale's top and the first and last stretches written
 * on it, as SVG text: a dashboard draws hundreds, so they are written as strings rather than built as JSX nodes.
 */
export function kpiChartSvg(props: {
  points: readonly { from: string; value: number | null }[];
  target: number;
  label: string;
  /** How a number is written in the page's language. */
  number: (value: number) => string;
}): string {
  const width = 480;
  const height = 140;
  const left = 44;
  const right = 8;
  const top = 10;
  const bottom = 22;
  const values = props.points.map((p) => p.value ?? 0);
  const max = Math.max(1, props.target, ...values) * 1.1;
  const n = props.points.length;
  const x = (i: number) =>
    Math.round(n === 1 ? (left + width - right) / 2 : left + (i * (width - left - right)) / (n - 1));
  const y = (v: number) => Math.round(height - bottom - (v / max) * (height - top - bottom));
  const line = props.points
    .map((p, i) => (p.value === null ? null : `${x(i)},${y(p.value)}`))
    .filter((p) => p !== null)
    .join(' ');
  const first = props.points[0];
  const last = props.points[n - 1];
  const label = escapeHtml(props.label);
  const parts = [
    `<svg class="chart kpi" viewBox="0 0 ${width} ${height}" role="img" aria-label="${label}"><title>${label}</title>`,
    `<line class="axis" x1="${left}" x2="${left}" y1="${top}" y2="${height - bottom}"></line>`,
    `<line class="axis" x1="${left}" x2="${width - right}" y1="${height - bottom}" y2="${height - bottom}"></line>`,
    `<text class="tick" x="${left - 4}" y="${y(max / 1.1) + 4}" text-anchor="end">${escapeHtml(props.number(Math.round((max / 1.1) * 100) / 100))}</text>`,
    `<text class="tick" x="${left - 4}" y="${height - bottom}" text-anchor="end">0</text>`,
    `<line class="target" x1="${left}" x2="${width - right}" y1="${y(props.target)}" y2="${y(props.target)}"></line>`,
    line ? `<polyline class="value" points="${line}"></polyline>` : '',
    ...props.points.map((p, i) =>
      p.value === null ? '' : `<circle class="point" cx="${x(i)}" cy="${y(p.value)}" r="3"></circle>`,
    ),
    first
      ? `<text class="tick" x="${x(0)}" y="${height - 6}" text-anchor="${n === 1 ? 'middle' : 'start'}">${escapeHtml(first.from)}</text>`
      : '',
    last && n > 1
      ? `<text class="tick" x="${x(n - 1)}" y="${height - 6}" text-anchor="end">${escapeHtml(last.from)}</text>`
      : '',
    '</svg>',
  ];
  return parts.join('');
}

/** The words a KPI figure needs, in the page's language. */
export interface FigureWords {
  readonly caption: string;
  readonly chartLabel: string;
  readonly numbers: string;
  readonly stretch: string;
  readonly measured: string;
  readonly number: (value: number) => string;
  readonly date: (iso: string) => string;
}

/** A KPI's chart with its numbers in a table beside it, as HTML text. */
export function kpiFigureHtml(id: string, measure: KpiMeasure, words: FigureWords): string {
  const rows = measure.points
    .map(
      (p) =>
        `<tr><td>${escapeHtml(words.date(p.from))}</td><td>${p.value === null ? '—' : escapeHtml(words.number(p.value))}</td></tr>`,
    )
    .join('');
  return [
    `<figure aria-labelledby="${escapeHtml(id)}"><figcaption id="${escapeHtml(id)}">${escapeHtml(words.caption)}</figcaption>`,
    kpiChartSvg({
      points: measure.points,
      target: measure.kpi.target,
      label: words.chartLabel,
      number: words.number,
    }),
    `<details><summary>${escapeHtml(words.numbers)}</summary><table><thead><tr><th scope="col">${escapeHtml(words.stretch)}</th><th scope="col">${escapeHtml(words.measured)}</th></tr></thead><tbody>${rows}</tbody></table></details></figure>`,
  ].join('');
}

/** Table rows of text cells as HTML, every cell escaped: for tables of thousands of rows, where JSX nodes cost. */
export function rowsHtml(rows: readonly (readonly string[])[]): string {
  return rows.map((cells) => `<tr>${cells.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('');
}
