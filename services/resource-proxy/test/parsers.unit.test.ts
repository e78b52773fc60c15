import { maxQueryPositions, parseGeoQuery } from '@sangam/geo';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { attributesOf, matches, parseQ } from '../src/index.js';
import { geo, qText } from './arbitraries.js';

describe('the q and geo parsers under a fuzzer', () => {
  it('either parse or refuse with a 400 problem, and evaluate without throwing', () => {
    const record = {
      id: 'bus-1',
      observedAt: '2026-11-27T10:00:00.000Z',
      speed: 21,
      route: 'R1',
      location: { type: 'Point', coordinates: [72.83, 21.17] },
    };
    fc.assert(
      fc.property(qText, (text) => {
        let filter: ReturnType<typeof parseQ>;
        try {
          filter = parseQ(text);
        } catch (error) {
          expect((error as { status?: number }).status).toBe(400);
          return;
        }
        expect(typeof matches(filter, record)).toBe('boolean');
        expect(attributesOf(filter).size).toBeGreaterThan(0);
      }),
      { numRuns: 5000 },
    );
    fc.assert(
      fc.property(geo, (params) => {
        const errors: string[] = [];
        const query = Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined)) as Record<
          string,
          string
        >;
        const parsed = parseGeoQuery(query, (field) => errors.push(field));
        if (parsed) expect(errors).toEqual([]);
        else if (Object.keys(query).length > 0) expect(errors.length).toBeGreaterThan(0);
      }),
      { numRuns: 5000 },
    );
  });

  it('refuse a query geometry of more positions than the cap before testing it, naming the limit', () => {
    const circle = (n: number) => {
      const points = Array.from({ length: n }, (_, i) => {
        const angle = (2 * Math.PI * i) / n;
        return [72.8 + 0.01 * Math.cos(angle), 21.2 + 0.01 * Math.sin(angle)];
      });
      return [...points, points[0] as number[]];
    };
    const ring = circle(450);
    const errors: string[] = [];
    const parsed = parseGeoQuery(
      { georel: 'within', geometry: 'Polygon', coordinates: JSON.stringify([ring]) },
      (field, message) => errors.push(`${field}: ${message}`),
    );
    expect(parsed).toBeUndefined();
    expect(errors).toEqual([`coordinates: a query geometry has at most ${maxQueryPositions} positions`]);
    const small = parseGeoQuery(
      { georel: 'within', geometry: 'Polygon', coordinates: JSON.stringify([circle(40)]) },
      () => {},
    );
    expect(small?.rel).toBe('within');
  });
});
