/** A KPI's weekly values as a line with its target as a dashed line: drawn on the server, so no script is needed. */
export function KpiChart(props: {
  points: readonly { from: string; value: number | null }[];
  target: number;
  label: string;
}) {
  const width = 480;
  const height = 120;
  const pad = 6;
  const values = props.points.map((p) => p.value ?? 0);
  const max = Math.max(1, props.target, ...values) * 1.1;
  const step = (width - 2 * pad) / Math.max(1, props.points.length - 1);
  const y = (v: number) => Math.round(height - pad - (v / max) * (height - 2 * pad));
  const x = (i: number) => Math.round(pad + i * step);
  const line = props.points
    .map((p, i) => (p.value === null ? null : `${x(i)},${y(p.value)}`))
    .filter((p) => p !== null)
    .join(' ');
  return (
    <svg class="chart kpi" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={props.label}>
      <title>{props.label}</title>
      <line class="target" x1={pad} x2={width - pad} y1={y(props.target)} y2={y(props.target)} />
      {line ? <polyline class="value" points={line} /> : null}
      {props.points.map((p, i) =>
        p.value === null ? null : <circle class="point" cx={x(i)} cy={y(p.value)} r={3} />,
      )}
    </svg>
  );
}
