import type { Geometry, Point, Polygon } from 'geojson';
import {
  type BoundingBox,
  bboxPolygon,
  boundingBox,
  boxAround,
  geometryErrors,
  type ItemGeometry,
  intersects,
  metresTo,
  within,
} from './geometry.js';

/**
 * Most positions a query's geometry may have: testing every candidate record against a polygon costs time in its
 * vertex count (and the self-intersection check at parsing, its square), so a query's cost is bounded here.
 */
export const maxQueryPositions = 100;

/** Positions in nested coordinate arrays, counted without trusting their shape. */
function positionCount(value: unknown): number {
  if (!Array.isArray(value)) return 0;
  if (value.length > 0 && typeof value[0] === 'number') return 1;
  let total = 0;
  for (const item of value) {
    total += positionCount(item);
    if (total > maxQueryPositions) return total;
  }
  return total;
}

/** A parsed geo-query; `box` is the bounding box an index can prefilter with. */
export type GeoQuery =
  | { readonly rel: 'within'; readonly area: Polygon; readonly box: BoundingBox }
  | { readonly rel: 'intersects'; readonly shape: Geometry; readonly box: BoundingBox }
  | { readonly rel: 'near'; readonly point: Point; readonly metres: number; readonly box: BoundingBox };

/**
 * Parses NGSI-LD geo-query parameters (`georel=near;maxDistance==…|within|intersects`, `geometry`, `coordinates`):
 * undefined when none is given; each bad parameter is reported through `bad`.
 */
export function parseGeoQuery(
  query: Record<string, string>,
  bad: (field: string, message: string) => void,
): GeoQuery | undefined {
  const { georel, geometry, coordinates, maxDistance } = query;
  if (
    georel === undefined &&
    geometry === undefined &&
    coordinates === undefined &&
    maxDistance === undefined
  ) {
    return undefined;
  }
  const [rel, ...options] = (georel ?? '').split(';');
  if (rel !== 'within' && rel !== 'intersects' && rel !== 'near') {
    bad('georel', 'must be within, intersects or near');
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(coordinates ?? '');
  } catch {
    bad('coordinates', 'must be a JSON array of positions');
    return undefined;
  }
  if (positionCount(parsed) > maxQueryPositions) {
    bad('coordinates', `a query geometry has at most ${maxQueryPositions} positions`);
    return undefined;
  }
  let shape: Geometry;
  if (geometry === 'bbox') {
    const corners = parsed as number[][];
    const ok =
      Array.isArray(corners) &&
      corners.length === 2 &&
      corners.every(
        (c) =>
          Array.isArray(c) && c.length === 2 && c.every((n) => typeof n === 'number' && Number.isFinite(n)),
      );
    if (!ok) {
      bad('coordinates', 'a bbox is two corners [[lon, lat], [lon, lat]]');
      return undefined;
    }
    const [[a = 0, b = 0] = [], [c = 0, d = 0] = []] = corners;
    shape = bboxPolygon({
      minLon: Math.min(a, c),
      maxLon: Math.max(a, c),
      minLat: Math.min(b, d),
      maxLat: Math.max(b, d),
    });
  } else if (geometry === 'Point' || geometry === 'Polygon' || geometry === 'LineString') {
    shape = { type: geometry, coordinates: parsed } as Geometry;
  } else {
    bad('geometry', 'must be bbox, Point, LineString or Polygon');
    return undefined;
  }
  const errors = geometryErrors(shape as { type: string; coordinates: unknown }, 'coordinates');
  if (errors.length > 0) {
    for (const e of errors)
      bad('coordinates', `${e.message}${e.field === 'coordinates' ? '' : ` (at ${e.field})`}`);
    return undefined;
  }
  const box = boundingBox(shape as ItemGeometry);
  if (rel === 'near') {
    const distanceOption =
      options.find((o) => o.startsWith('maxDistance=='))?.slice('maxDistance=='.length) ?? maxDistance;
    const metres =
      distanceOption !== undefined && /^\d+(\.\d+)?$/.test(distanceOption)
        ? Number(distanceOption)
        : Number.NaN;
    if (shape.type !== 'Point') bad('geometry', 'near needs a Point');
    if (!(metres > 0 && metres <= 1_000_000))
      bad('maxDistance', 'must be a distance in metres, above 0 and at most 1,000,000');
    if (shape.type !== 'Point' || !(metres > 0 && metres <= 1_000_000)) return undefined;
    return { rel, point: shape, metres, box: boxAround(shape, metres) };
  }
  if (rel === 'within') {
    if (shape.type !== 'Polygon') {
      bad('geometry', 'within needs a bbox or a Polygon');
      return undefined;
    }
    return { rel, area: shape, box };
  }
  return { rel, shape, box };
}

/** True when `location` satisfies the geo-query; a geometry turf cannot compare is not a match, never a throw. */
export function matchesGeo(location: ItemGeometry | undefined, geo: GeoQuery): boolean {
  if (!location) return false;
  try {
    if (geo.rel === 'within') return within(location, geo.area);
    if (geo.rel === 'intersects') return intersects(location, geo.shape);
    return metresTo(geo.point, location) <= geo.metres;
  } catch {
    return false;
  }
}
