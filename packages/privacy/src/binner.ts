import { getHexagonEdgeLengthAvg, getIcosahedronFaces, latLngToCell, UNITS } from 'h3-js';
import { h3Cell } from './spatial.js';

/** Above this resolution (cells under about 70 m across) boxes would seldom be met twice: every point is computed. */
const highestBoxedResolution = 10;
/** Boxes remembered before the memory is started afresh (a city has a few tens of thousands at resolution 8). */
const maxBoxes = 200_000;

/**
 * The H3 cells of many points at one resolution, for adapters that bin a million points a week. The plane is cut
 * into small latitude-longitude boxes (a sixteenth of a cell's edge); a box whose corners, widened a little, all
 * fall in one cell on one icosahedron face lies wholly in it (such cells are convex in the face's gnomonic plane),
 * so its points take that cell without asking H3 again. Points in boxes that straddle cell edges are computed one by one. The answer is always h3Cell's.
 */
export class H3Binner {
  readonly resolution: number;
  readonly #step: number;
  /**
   * How far past a box's edges its corners are tested. A box's east and west sides are meridians, straight in the
   * gnomonic planes H3 draws its hexagons in; its north and south sides are parallels, which bow out of the straight
   * line between their corners by at most step² (in radians) / 16. Ten times that, and never under a centimetre.
   */
  readonly #margin: number;
  /** Box → its cell, null for a box that straddles an edge, or false for a box met only once so far. */
  readonly #boxes = new Map<number, string | null | false>();

  constructor(resolution: number) {
    // h3Cell checks the resolution; a point that is surely valid makes it throw for a bad one.
    h3Cell(0, 0, resolution);
    this.resolution = resolution;
    this.#step =
      resolution <= highestBoxedResolution ? getHexagonEdgeLengthAvg(resolution, UNITS.m) / 111_320 / 16 : 0;
    const stepRadians = (this.#step * Math.PI) / 180;
    this.#margin = Math.max(1e-7, (10 * ((stepRadians * stepRadians) / 16) * 180) / Math.PI);
  }

  /** The cell that holds the point; a RangeError for a point not on Earth, as from h3Cell. */
  cell(lat: number, lng: number): string {
    if (this.#step === 0 || !(lat > -89 && lat < 89 && lng > -179 && lng < 179)) {
      return h3Cell(lat, lng, this.resolution);
    }
    const row = Math.floor(lat / this.#step);
    const column = Math.floor(lng / this.#step);
    // Rows and columns stay under 10^7 in magnitude at the boxed resolutions: one exact integer names the box.
    const key = (row + 10_000_000) * 20_000_000 + column + 10_000_000;
    const known = this.#boxes.get(key);
    if (typeof known === 'string') return known;
    if (known === false) {
      // A box is worth its four corners from its second point on: points spread thin cost one lookup each.
      const cell = this.#boxCell(row, column);
      this.#boxes.set(key, cell);
      if (cell) return cell;
    } else if (known === undefined) {
      if (this.#boxes.size >= maxBoxes) this.#boxes.clear();
      this.#boxes.set(key, false);
    }
    return latLngToCell(lat, lng, this.resolution);
  }

  #boxCell(row: number, column: number): string | null {
    const south = row * this.#step - this.#margin;
    const north = (row + 1) * this.#step + this.#margin;
    const west = column * this.#step - this.#margin;
    const east = (column + 1) * this.#step + this.#margin;
    const cell = latLngToCell(south, west, this.resolution);
    const same =
      latLngToCell(south, east, this.resolution) === cell &&
      latLngToCell(north, west, this.resolution) === cell &&
      latLngToCell(north, east, this.resolution) === cell;
    // A cell across an edge of the icosahedron is two half-hexagons from two planes, with a kink where they meet:
    // not convex, so its corners prove nothing about the box. Only cells on one face are remembered.
    return same && getIcosahedronFaces(cell).length === 1 ? cell : null;
  }
}

const binners = new Map<number, H3Binner>();

/** The process's binner for a resolution: the boxes one adapter has learnt serve every other. */
export function h3Binner(resolution: number): H3Binner {
  let binner = binners.get(resolution);
  if (!binner) {
    binner = new H3Binner(resolution);
    binners.set(resolution, binner);
  }
  return binner;
}
