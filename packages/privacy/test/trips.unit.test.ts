import { describe, expect, it } from 'vitest';
import { h3Cell, releaseTrips, type TripFacts, tripLadder, tripRecords } from '../src/index.js';

const home = { lat: 21.17, lng: 72.83 };
const work = { lat: 21.23, lng: 72.9 };
const market = { lat: 21.12, lng: 72.78 };
const at = Date.parse('2026-11-16T03:00:00Z');
const leg = (device: string, from: typeof home, to: typeof home, start: number): TripFacts => ({
  device,
  start,
  end: start + 1_200_000,
  origin: from,
  destination: to,
  duration: 1200,
  distance: 9000,
});
/** Ten devices that each ride home → work → market → home in the same buckets. */
const day = Array.from({ length: 10 }, (_, d) => [
  leg(`d${d}`, home, work, at),
  leg(`d${d}`, work, market, at + 4 * 3_600_000),
  leg(`d${d}`, market, home, at + 9 * 3_600_000),
]).flat();
const ladder = tripLadder(8, 15);

describe('k-anonymous trips', () => {
  it('releases the ends near where a device began and ended its day at the coarsest resolution, and no others', () => {
    const out = releaseTrips(day, { k: 10, ladder });
    expect(out.released).toBe(30);
    // Home is the first start and the last end: the first trip's origin and the last trip's destination.
    expect(out.trimmedEnds).toBe(20);
    const groups = out.groups.map((g) => g.tuple);
    const first = groups.find((t) => t.destination === h3Cell(work.lat, work.lng, 8));
    expect(first?.originResolution).toBe(5);
    const middle = groups.find((t) => t.origin === h3Cell(work.lat, work.lng, 8));
    expect(middle?.originResolution).toBe(8);
    expect(middle?.destinationResolution).toBe(8);
    const last = groups.find((t) => t.origin === h3Cell(market.lat, market.lng, 8));
    expect(last?.destinationResolution).toBe(5);
  });

  it('withholds a trip that is not one of a day, without holding back the rest', () => {
    const outlier = {
      ...leg('d0', work, market, at),
      start: at - 3 * 365 * 86_400_000,
      duration: 94_608_000,
    };
    const out = releaseTrips([...day, outlier], { k: 10, ladder, withMembers: true });
    expect(out.released).toBe(30);
    expect(out.suppressed).toBe(1);
    // Members name trips of the input as given.
    const named = out.groups.flatMap((g) => g.members ?? []);
    expect(named.sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i));
  });

  it('gives the same records to the same release, and an id to each that is unique in it', () => {
    const once = tripRecords(releaseTrips(day, { k: 10, ladder }), () => ({}));
    const again = tripRecords(releaseTrips(day, { k: 10, ladder }), () => ({}));
    expect(again).toEqual(once);
    expect(new Set(once.map((r) => r.id)).size).toBe(30);
  });

  it('suppresses what no rung hides among k devices', () => {
    const out = releaseTrips(day.slice(0, 27), { k: 10, ladder });
    expect(out.released).toBe(0);
    expect(out.suppressed).toBe(27);
  });
});
