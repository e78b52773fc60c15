/**
 * A KPI's weekly values as a line with its target as a dashed line, the scale's top and the first and last weeks
 * written on it: drawn on the server, so no script is needed; the numbers are in the table beside it.
 */
export function KpiChart(props: {
  points: readonly { from: string; value: number | null }[];
  target: number;
  label: string;
  /** How a number is written in the page's language. */
  number: (value: number) => string;
}) {
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
  return (
    <svg class="chart kpi" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={props.label}>
      <title>{props.label}</title>
      <line class="axis" x1={left} x2={left} y1={top} y2={height - bottom} />
      <line class="axis" x1={left} x2={width - right} y1={height - bottom} y2={height - bottom} />
      <text class="tick" x={left - 4} y={y(max / 1.1) + 4} text-anchor="end">
        {props.number(Math.round((max / 1.1) * 100) / 100)}
      </text>
      <text class="tick" x={left - 4} y={height - bottom} text-anchor="end">
        0
      </text>
      <line class="target" x1={left} x2={width - right} y1={y(props.target)} y2={y(props.target)} />
      {line ? <polyline class="value" points={line} /> : null}
      {props.points.map((p, i) =>
        p.value === null ? null : <circle class="point" cx={x(i)} cy={y(p.value)} r={3} />,
      )}
      {first ? (
        <text class="tick" x={x(0)} y={height - 6} text-anchor={n === 1 ? 'middle' : 'start'}>
          {first.from}
        </text>
      ) : null}
      {last && n > 1 ? (
        <text class="tick" x={x(n - 1)} y={height - 6} text-anchor="end">
          {last.from}
        </text>
      ) : null}
    </svg>
  );
}
