import type { FieldError } from '@sangam/core';
import { booleanIntersects } from '@turf/boolean-intersects';
import { booleanWithin } from '@turf/boolean-within';
import { distance } from '@turf/distance';
import { kinks } from '@turf/kinks';
import { pointToLineDistance } from '@turf/point-to-line-distance';
import { pointToPolygonDistance } from '@turf/point-to-polygon-distance';
import type { Geometry, LineString, MultiPolygon, Point, Polygon, Position } from 'geojson';

export type ItemGeometry = Point | LineString | Polygon | MultiPolygon;

export interface BoundingBox {
  readonly minLon: number;
  readonly minLat: number;
  readonly maxLon: number;
  readonly maxLat: number;
}

/** Checks a GeoJSON geometry beyond its schema: coordinate ranges, ring closure, no self-intersection. */
export function geometryErrors(
  geometry: { type: string; coordinates: unknown },
  field: string,
): FieldError[] {
  const errors: FieldError[] = [];
  const position = (p: unknown, at: string): p is Position => {
    if (
      !Array.isArray(p) ||
      p.length < 2 ||
      p.length > 3 ||
      !p.every((n) => typeof n === 'number' && Number.isFinite(n))
    ) {
      errors.push({ field: at, message: 'must be a position [longitude, latitude]' });
      return false;
    }
    if (p[0] < -180 || p[0] > 180)
      errors.push({ field: at, message: `longitude ${p[0]} is outside -180..180` });
    if (p[1] < -90 || p[1] > 90) errors.push({ field: at, message: `latitude ${p[1]} is outside -90..90` });
    return true;
  };
  const ring = (r: unknown, at: string) => {
    if (!Array.isArray(r) || r.length < 4) {
      errors.push({ field: at, message: 'a linear ring needs at least four positions' });
      return;
    }
    for (const [i, p] of r.entries()) position(p, `${at}/${i}`);
    const [first, last] = [r[0] as Position, r[r.length - 1] as Position];
    if (Array.isArray(first) && Array.isArray(last) && (first[0] !== last[0] || first[1] !== last[1])) {
      errors.push({ field: at, message: 'a linear ring must end where it starts' });
    }
  };
  const c = geometry.coordinates;
  switch (geometry.type) {
    case 'Point':
      position(c, field);
      break;
    case 'LineString':
      if (!Array.isArray(c) || c.length < 2)
        errors.push({ field, message: 'a line needs at least two positions' });
      else for (const [i, p] of c.entries()) position(p, `${field}/${i}`);
      break;
    case 'Polygon':
      if (!Array.isArray(c)) errors.push({ field, message: 'must be an array of rings' });
      else for (const [i, r] of c.entries()) ring(r, `${field}/${i}`);
      break;
    case 'MultiPolygon':
      if (!Array.isArray(c)) errors.push({ field, message: 'must be an array of polygons' });
      else
        for (const [i, polygon] of c.entries()) {
          if (Array.isArray(polygon)) for (const [j, r] of polygon.entries()) ring(r, `${field}/${i}/${j}`);
          else errors.push({ field: `${field}/${i}`, message: 'must be an array of rings' });
        }
      break;
  }
  if (errors.length === 0 && (geometry.type === 'Polygon' || geometry.type === 'MultiPolygon')) {
    if (kinks(geometry as Polygon | MultiPolygon).features.length > 0) {
      errors.push({ field, message: 'the polygon intersects itself' });
    }
  }
  return errors;
}

export function boundingBox(geometry: ItemGeometry): BoundingBox {
  let minLon = 180;
  let minLat = 90;
  let maxLon = -180;
  let maxLat = -90;
  const visit = (value: unknown): void => {
    if (Array.isArray(value) && typeof value[0] === 'number') {
      const [lon, lat] = value as [number, number];
      minLon = Math.min(minLon, lon);
      maxLon = Math.max(maxLon, lon);
      minLat = Math.min(minLat, lat);
      maxLat = Math.max(maxLat, lat);
    } else if (Array.isArray(value)) value.forEach(visit);
  };
  visit(geometry.coordinates);
  return { minLon, minLat, maxLon, maxLat };
}

export function bboxPolygon(box: BoundingBox): Polygon {
  return {
    type: 'Polygon',
    coordinates: [
      [
        [box.minLon, box.minLat],
        [box.maxLon, box.minLat],
        [box.maxLon, box.maxLat],
        [box.minLon, box.maxLat],
        [box.minLon, box.minLat],
      ],
    ],
  };
}

/** Metres from a point to a geometry; 0 when the point lies inside a polygon. */
export function metresTo(point: Point, geometry: ItemGeometry): number {
  switch (geometry.type) {
    case 'Point':
      return distance(point, geometry, { units: 'meters' });
    case 'LineString':
      return pointToLineDistance(point, geometry, { units: 'meters' });
    default:
      return Math.max(0, pointToPolygonDistance(point, geometry, { units: 'meters' }));
  }
}

/** The box around a point that holds everything within `metres` of it: the index prefilter for `near`. */
export function boxAround(point: Point, metres: number): BoundingBox {
  const [lon = 0, lat = 0] = point.coordinates;
  const dLat = metres / 111_000 + 1e-6;
  const cos = Math.cos((lat * Math.PI) / 180);
  const dLon = cos < 1e-6 ? 180 : Math.min(180, metres / (111_000 * cos) + 1e-6);
  return {
    minLon: Math.max(-180, lon - dLon),
    maxLon: Math.min(180, lon + dLon),
    minLat: Math.max(-90, lat - dLat),
    maxLat: Math.min(90, lat + dLat),
  };
}

export function within(item: ItemGeometry, area: Polygon): boolean {
  return booleanWithin(item as Geometry, area);
}

export function intersects(item: ItemGeometry, shape: Geometry): boolean {
  return booleanIntersects(item as Geometry, shape);
}
