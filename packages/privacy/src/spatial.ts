import { cellToLatLng, cellToParent, isValidCell, latLngToCell } from 'h3-js';

/** The default H3 resolution: cells of about 0.74 km², a few city blocks. */
export const defaultH3Resolution = 8;

/** The H3 cell (resolution 0 to 15) that holds a point. */
export function h3Cell(lat: number, lon: number, resolution = defaultH3Resolution): string {
  if (!Number.isInteger(resolution) || resolution < 0 || resolution > 15) {
    throw new RangeError('an H3 resolution is an integer from 0 to 15');
  }
  if (!validPoint(lat, lon)) throw new RangeError(`(${lat}, ${lon}) is not a point on Earth`);
  return latLngToCell(lat, lon, resolution);
}

/** The cell of a coarser resolution that holds an H3 cell (the cell itself at its own resolution). */
export function h3Parent(cell: string, resolution: number): string {
  return cellToParent(cell, resolution);
}

/** The centre of an H3 cell as a GeoJSON point (longitude, latitude). */
export function h3Centre(cell: string): { type: 'Point'; coordinates: [number, number] } {
  if (!isValidCell(cell)) throw new RangeError(`${cell} is not an H3 cell`);
  const [lat, lon] = cellToLatLng(cell);
  return { type: 'Point', coordinates: [lon, lat] };
}

/**
 * A square grid cell of about `metres` on a side (in latitude; longitude steps widen with latitude so cells stay
 * square on the ground), named by its south-west corner.
 */
export function gridCell(lat: number, lon: number, metres: number): string {
  if (!validPoint(lat, lon)) throw new RangeError(`(${lat}, ${lon}) is not a point on Earth`);
  if (!(metres >= 10)) throw new RangeError('a grid cell is at least 10 metres');
  const dLat = metres / 111_320;
  const row = Math.floor(lat / dLat);
  const cos = Math.max(Math.cos(((row + 0.5) * dLat * Math.PI) / 180), 1e-6);
  const dLon = metres / (111_320 * cos);
  const col = Math.floor(lon / dLon);
  return `grid:${metres}:${row}:${col}`;
}

/** A coordinate rounded to `decimals` places (4 places: about 11 m). */
export function roundCoordinate(value: number, decimals: number): number {
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 8) throw new RangeError('0 to 8 decimals');
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

function validPoint(lat: number, lon: number): boolean {
  return Number.isFinite(lat) && Number.isFinite(lon) && lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180;
}
