import { type BoundingBox, boundingBox, type ItemGeometry } from '@sangam/geo';

/** The drawing's width in its own units; its height follows the area's shape. */
const width = 320;
const pad = 8;

type Position = readonly number[];

/**
 * Where items lie, drawn as SVG from their GeoJSON: no map tiles, nothing fetched. Longitude is scaled by the
 * cosine of the middle latitude, so a city keeps its shape.
 */
export function Coverage(props: { geometries: readonly ItemGeometry[]; label: string }) {
  if (props.geometries.length === 0) return null;
  const box = props.geometries.map(boundingBox).reduce(union);
  const squeeze = Math.cos((((box.minLat + box.maxLat) / 2) * Math.PI) / 180);
  const spanX = Math.max((box.maxLon - box.minLon) * squeeze, 1e-6);
  const spanY = Math.max(box.maxLat - box.minLat, 1e-6);
  const scale = (width - 2 * pad) / Math.max(spanX, spanY);
  const height = Math.round(spanY * scale + 2 * pad);
  const x = (lon: number) => round(pad + (lon - box.minLon) * squeeze * scale);
  const y = (lat: number) => round(height - pad - (lat - box.minLat) * scale);
  const path = (rings: readonly (readonly Position[])[]) =>
    rings.map((ring) => `M${ring.map((p) => `${x(p[0] ?? 0)},${y(p[1] ?? 0)}`).join('L')}Z`).join('');
  const shapes = props.geometries.flatMap((g) => {
    switch (g.type) {
      case 'Point':
        return [<circle class="point" cx={x(g.coordinates[0] ?? 0)} cy={y(g.coordinates[1] ?? 0)} r="4" />];
      case 'LineString':
        return [
          <polyline
            class="area"
            fill="none"
            points={g.coordinates.map((p) => `${x(p[0] ?? 0)},${y(p[1] ?? 0)}`).join(' ')}
          />,
        ];
      case 'Polygon':
        return [<path class="area" d={path(g.coordinates)} />];
      case 'MultiPolygon':
        return g.coordinates.map((polygon) => <path class="area" d={path(polygon)} />);
      default:
        return [];
    }
  });
  return (
    <svg class="coverage" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={props.label}>
      <title>{props.label}</title>
      {shapes}
    </svg>
  );
}

const round = (n: number) => Math.round(n * 10) / 10;

function union(a: BoundingBox, b: BoundingBox): BoundingBox {
  return {
    minLon: Math.min(a.minLon, b.minLon),
    minLat: Math.min(a.minLat, b.minLat),
    maxLon: Math.max(a.maxLon, b.maxLon),
    maxLat: Math.max(a.maxLat, b.maxLat),
  };
}
