import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  discreteLaplace,
  discreteLaplaceVariance,
  dropFields,
  gridCell,
  H3Binner,
  HmacSha256,
  h3Cell,
  h3Centre,
  noisyValue,
  Pseudonymiser,
  releaseCounts,
  timeBucket,
  utcOffset,
} from '../src/index.js';

const secret = 'a-secret-of-at-least-thirty-two-bytes!';

describe('k-suppression', () => {
  it('never publishes a cell counting fewer than k, and counts what it withheld', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ key: fc.string(), count: fc.nat(40), individuals: fc.nat(40) }), {
          maxLength: 200,
        }),
        fc.integer({ min: 1, max: 30 }),
        (cells, k) => {
          const { published, suppressed, overBudget } = releaseCounts(cells, k);
          expect(published.every((c) => c.individuals >= k)).toBe(true);
          expect(published.length + suppressed).toBe(cells.length);
          expect(overBudget).toBe(0);
          expect(published.map((c) => c.cell)).toEqual(cells.filter((c) => c.individuals >= k));
          expect(published.every((c) => c.count === c.cell.count && c.epsilon === undefined)).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('dropping identifiers', () => {
  it('leaves no dropped field at any depth, and keeps everything else', () => {
    const identifier = fc.string({ minLength: 6, maxLength: 20 }).map((s) => `ID-${s}`);
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            vehicle_id: identifier,
            bike_id: identifier,
            lat: fc.double(),
            rental_uris: fc.record({ android: identifier }),
          }),
          { maxLength: 30 },
        ),
        (vehicles) => {
          const out = dropFields({ data: { vehicles } }, ['vehicle_id', 'bike_id', 'rental_uris']);
          const text = JSON.stringify(out);
          for (const v of vehicles) {
            expect(text).not.toContain(JSON.stringify(v.vehicle_id));
            expect(text).not.toContain(JSON.stringify(v.rental_uris.android));
          }
          expect(out.data.vehicles).toHaveLength(vehicles.length);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('pseudonyms', () => {
  const p = new Pseudonymiser(secret, 3_600_000);
  it('are stable within a period, differ across periods and between identifiers, and hide the identifier', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }),
        fc.string({ minLength: 1 }),
        fc.integer({ min: 0, max: 2 ** 40 }),
        (a, b, ms) => {
          const at = new Date(ms);
          const sameHour = new Date(Math.floor(ms / 3_600_000) * 3_600_000 + 3_599_999);
          const nextHour = new Date(ms + 3_600_000);
          expect(p.pseudonym(a, at)).toBe(p.pseudonym(a, sameHour));
          expect(p.pseudonym(a, at)).not.toBe(p.pseudonym(a, nextHour));
          if (a !== b) expect(p.pseudonym(a, at)).not.toBe(p.pseudonym(b, at));
          expect(p.pseudonym(a, at)).not.toContain(a.length > 3 ? a : '\u0000');
        },
      ),
      { numRuns: 2000 },
    );
    expect(new Pseudonymiser(`${secret}2`, 3_600_000).pseudonym('bike-1', new Date(0))).not.toBe(
      p.pseudonym('bike-1', new Date(0)),
    );
    expect(() => new Pseudonymiser('short')).toThrow(RangeError);
  });
});

describe('spatial and temporal generalisation', () => {
  it('puts nearby points in one H3 cell, far ones in others, and refuses points off Earth', () => {
    const a = h3Cell(21.17, 72.83);
    expect(h3Cell(21.1701, 72.8301)).toBe(a);
    expect(h3Cell(21.25, 72.9)).not.toBe(a);
    const [lon, lat] = h3Centre(a).coordinates;
    expect(Math.abs(lat - 21.17)).toBeLessThan(0.01);
    expect(Math.abs(lon - 72.83)).toBeLessThan(0.01);
    expect(() => h3Cell(91, 0)).toThrow(RangeError);
    expect(() => h3Cell(Number.NaN, 0)).toThrow(RangeError);
    expect(gridCell(21.17, 72.83, 500)).toBe(gridCell(21.1701, 72.8301, 500));
  });

  it('buckets every instant into the bucket that starts at or before it, within one bucket', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 42 }), fc.constantFrom(1, 5, 15, 60), (ms, minutes) => {
        const bucket = timeBucket(new Date(ms), minutes).getTime();
        expect(bucket).toBeLessThanOrEqual(ms);
        expect(ms - bucket).toBeLessThan(minutes * 60_000);
        expect(bucket % (minutes * 60_000)).toBe(0);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('discrete Laplace noise', () => {
  it.each([0.5, 1, 2])('has mean 0 and variance 2q/(1-q)² at ε = %s, over 40,000 crypto draws', (epsilon) => {
    const n = 40_000;
    let sum = 0;
    let squares = 0;
    for (let i = 0; i < n; i += 1) {
      const x = discreteLaplace(epsilon);
      expect(Number.isInteger(x)).toBe(true);
      sum += x;
      squares += x * x;
    }
    const mean = sum / n;
    const variance = squares / n - mean * mean;
    const expected = discreteLaplaceVariance(epsilon);
    // Five standard errors of the mean; 10% of the variance (its standard error here is under 3%).
    expect(Math.abs(mean)).toBeLessThan(5 * Math.sqrt(expected / n));
    expect(Math.abs(variance - expected) / expected).toBeLessThan(0.1);
  });

  it('is symmetric, and a noisy count is never negative and names its ε', () => {
    let positive = 0;
    let negative = 0;
    for (let i = 0; i < 20_000; i += 1) {
      const x = discreteLaplace(1);
      if (x > 0) positive += 1;
      if (x < 0) negative += 1;
    }
    expect(Math.abs(positive - negative) / (positive + negative)).toBeLessThan(0.05);
    fc.assert(
      fc.property(fc.nat(50), fc.constantFrom(0.1, 1, 5), (count, epsilon) => {
        const noise = { epsilon, take: () => true };
        expect(noisyValue(noise, 'c', count)).toBeGreaterThanOrEqual(0);
        const { published, suppressed } = releaseCounts([{ key: 'c', count, individuals: count }], 1, noise);
        expect(published.length + suppressed).toBe(1);
        for (const noisy of published) {
          expect(noisy.count).toBeGreaterThanOrEqual(1);
          expect(noisy.individuals).toBe(noisy.count);
          expect(noisy.epsilon).toBe(epsilon);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('pseudonyms are HMAC-SHA-256', () => {
  it('equal the HMAC of the identifier under the period key, as node:crypto computes it', async () => {
    const { createHmac } = await import('node:crypto');
    const p = new Pseudonymiser(secret, 86_400_000);
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 0, max: 2 ** 40 }), (id, ms) => {
        const period = Math.floor(ms / 86_400_000);
        const key = createHmac('sha256', secret).update(`sangam-pseudonym-period:${period}`).digest();
        const expected = createHmac('sha256', key)
          .update(id, 'utf8')
          .digest()
          .subarray(0, 16)
          .toString('base64url');
        expect(p.pseudonym(id, new Date(ms))).toBe(expected);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('HMAC-SHA-256 over precomputed key blocks', () => {
  it('equals node:crypto for any key up to a block and any text, across block boundaries', async () => {
    const { createHmac } = await import('node:crypto');
    fc.assert(
      fc.property(
        // size 'max': without it fast-check keeps lists to about ten items, short of every block boundary.
        fc.uint8Array({ maxLength: 64, size: 'max' }),
        fc.oneof(
          fc.string({ maxLength: 300, size: 'max' }),
          fc.string({ unit: 'binary', maxLength: 150, size: 'max' }),
          fc.integer({ min: 50, max: 130 }).map((n) => 'x'.repeat(n)),
        ),
        (key, message) => {
          const hmac = new HmacSha256(key);
          const expected = createHmac('sha256', key).update(message, 'utf8').digest();
          expect(Buffer.from(hmac.digest(message)).equals(expected)).toBe(true);
          expect(hmac.digest128Base64url(message)).toBe(expected.subarray(0, 16).toString('base64url'));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('refuses a key longer than a block rather than hashing it differently', () => {
    expect(() => new HmacSha256(new Uint8Array(65))).toThrow(RangeError);
  });
});

describe('H3 binning by boxes', () => {
  it('gives every point the cell h3Cell gives it, in a city, near pentagons and anywhere on Earth', () => {
    const city = fc.record({
      lat: fc.double({ min: 21.1, max: 21.25, noNaN: true }),
      lng: fc.double({ min: 72.75, max: 72.9, noNaN: true }),
    });
    const anywhere = fc.record({
      lat: fc.double({ min: -90, max: 90, noNaN: true }),
      lng: fc.double({ min: -180, max: 180, maxExcluded: true, noNaN: true }),
    });
    // A pentagon of every resolution sits at the centre of base cell 4 (near 64.7°N, 10.5°E).
    const nearPentagon = fc.record({
      lat: fc.double({ min: 63.7, max: 65.7, noNaN: true }),
      lng: fc.double({ min: 9.5, max: 11.5, noNaN: true }),
    });
    // Points packed close, so that boxes are met again and answered from memory.
    const crowd = fc.record({
      lat: fc.double({ min: 21.17, max: 21.175, noNaN: true }),
      lng: fc.double({ min: 72.83, max: 72.835, noNaN: true }),
    });
    // Points packed across an edge of the icosahedron (cells there are two half-hexagons, not convex).
    const faceEdge = fc.record({
      lat: fc.double({ min: 65.14, max: 65.17, noNaN: true }),
      lng: fc.double({ min: 87.22, max: 87.26, noNaN: true }),
    });
    const binners = Array.from({ length: 12 }, (_, resolution) => new H3Binner(resolution));
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 11 }),
        fc.array(fc.oneof(city, anywhere, nearPentagon, crowd, faceEdge), {
          minLength: 1,
          maxLength: 50,
          size: 'max',
        }),
        (resolution, points) => {
          const binner = binners[resolution] as H3Binner;
          for (const { lat, lng } of points) {
            expect(binner.cell(lat, lng)).toBe(h3Cell(lat, lng, resolution));
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('refuses points off Earth and resolutions H3 does not have, as h3Cell does', () => {
    const binner = new H3Binner(8);
    expect(() => binner.cell(91, 0)).toThrow(RangeError);
    expect(() => binner.cell(Number.NaN, 0)).toThrow(RangeError);
    expect(() => new H3Binner(16)).toThrow(RangeError);
  });
});

describe("pseudonym days in a city's own time", () => {
  it('change at local midnight, through daylight-saving days of 23 and 25 hours', () => {
    const surat = new Pseudonymiser(secret, 86_400_000, 'Asia/Kolkata');
    const at = (iso: string) => surat.pseudonym('bus-17', new Date(iso));
    // Surat's midnight is 18:30 UTC.
    expect(at('2026-11-26T18:29:59Z')).not.toBe(at('2026-11-26T18:30:00Z'));
    expect(at('2026-11-26T18:30:00Z')).toBe(at('2026-11-27T18:29:59Z'));
    // UTC keeps the old boundary, so pseudonyms already published do not change.
    const utc = new Pseudonymiser(secret);
    expect(utc.pseudonym('bus-17', new Date('2026-11-27T00:00:00Z'))).toBe(
      utc.pseudonym('bus-17', new Date('2026-11-27T23:59:59Z')),
    );
    // Berlin springs forward on 29 March 2026 (midnights at 23:00 and 22:00 UTC) and falls back on 25 October.
    const berlin = new Pseudonymiser(secret, 86_400_000, 'Europe/Berlin');
    const day = (iso: string) => berlin.periodOf(new Date(iso));
    expect(day('2026-03-28T23:00:00Z')).toBe(day('2026-03-28T22:59:59Z') + 1);
    expect(day('2026-03-29T21:59:59Z')).toBe(day('2026-03-28T23:00:00Z'));
    expect(day('2026-03-29T22:00:00Z')).toBe(day('2026-03-28T23:00:00Z') + 1);
    expect(day('2026-10-25T22:59:59Z')).toBe(day('2026-10-24T22:00:00Z'));
    expect(day('2026-10-25T23:00:00Z')).toBe(day('2026-10-24T22:00:00Z') + 1);
    expect(utcOffset('Europe/Berlin')(Date.parse('2026-07-01T12:00:00Z'))).toBe(2 * 3_600_000);
    expect(() => new Pseudonymiser(secret, 86_400_000, 'Mars/Olympus_Mons')).toThrow(RangeError);
  });
});
