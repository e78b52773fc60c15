import { testBackend } from '@sangam/db/testing';
import { parseGeoQuery } from '@sangam/geo';
import { type Alliance, position, positions, startAlliance } from '@sangam/testkit';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attributesOf, matches, parseQ } from '../src/index.js';

const attribute = fc.constantFrom(
  'speed',
  'route',
  'location',
  'id',
  'observedAt',
  'plate',
  'a_b',
  'x.y.z',
  '9x',
  '',
);
const operator = fc.constantFrom('==', '!=', '<', '<=', '>', '>=', '~=', '=', '!', '');
const value = fc.oneof(
  fc.integer().map(String),
  fc.double({ noNaN: false }).map(String),
  fc.string({ maxLength: 12 }).map((s) => JSON.stringify(s)),
  fc.constantFrom(
    'true',
    'false',
    '2026-11-27T10:00:00Z',
    '1..5',
    '1,2,3',
    '"unterminated',
    '"a\\"b"',
    '..',
    ',,',
  ),
  fc.string({ maxLength: 8 }),
);
const comparison = fc.tuple(attribute, operator, value).map(([a, o, v]) => `${a}${o}${v}`);
/** q texts near the grammar, so the fuzzer reaches deep into the parser, and noise around them. */
const qText = fc.oneof(
  fc.array(comparison, { minLength: 1, maxLength: 6 }).chain((terms) =>
    fc
      .array(fc.constantFrom(';', '|', ')|(', ';(', ')'), {
        minLength: terms.length,
        maxLength: terms.length,
      })
      .map((joins) => terms.map((t, i) => (i === 0 ? t : `${joins[i]}${t}`)).join('')),
  ),
  fc.string({ maxLength: 60 }),
  fc.constantFrom('('.repeat(30), `${'(speed>1;'.repeat(20)}`, 'speed>1'.padEnd(3000, ';speed>1')),
);
const number = fc.oneof(
  fc.double(),
  fc.integer({ min: -200, max: 200 }),
  fc.constantFrom(1e308, -0, 72.83, 21.17),
);
const coordinates = fc.oneof(
  fc.array(number, { maxLength: 4 }).map((p) => JSON.stringify(p)),
  fc.array(fc.array(number, { maxLength: 3 }), { maxLength: 6 }).map((p) => JSON.stringify(p)),
  fc
    .array(fc.array(fc.array(number, { maxLength: 3 }), { maxLength: 6 }), { maxLength: 2 })
    .map((p) => JSON.stringify(p)),
  fc.string({ maxLength: 30 }),
);
const geo = fc.record(
  {
    georel: fc.oneof(
      fc.constantFrom(
        'near',
        'within',
        'intersects',
        'near;maxDistance==100',
        'near;maxDistance==-1',
        'near;maxDistance==1e9',
        'disjoint',
      ),
      fc.string({ maxLength: 20 }),
    ),
    geometry: fc.oneof(
      fc.constantFrom('Point', 'Polygon', 'LineString', 'bbox', 'MultiPolygon'),
      fc.string({ maxLength: 10 }),
    ),
    coordinates,
  },
  { requiredKeys: [] },
);

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
});

describe(`q and geo parameters from a fuzzer over HTTP on ${testBackend()}`, () => {
  let a: Alliance;
  let token: string;

  beforeAll(async () => {
    a = await startAlliance();
    await a.ingest(
      positions,
      ['1', '2', '3'].map((b) => position(a.clock, b, 2)),
    );
    token = await a.accessToken(await a.consent({ rateLimit: 100_000 }));
  });
  afterAll(async () => {
    await a.gw.close();
  });

  it('never answers 5xx, and every refusal is a registered problem', async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.option(qText, { nil: undefined }),
        fc.option(geo, { nil: undefined }),
        async (q, g) => {
          const params = new URLSearchParams({ id: positions });
          if (q !== undefined) params.set('q', q);
          for (const [k, v] of Object.entries(g ?? {})) if (v !== undefined) params.set(k, v);
          // The test client fails on any answer that is not 2xx or a registered problem+json.
          const response = await a.gw.api.get(`/ngsi-ld/v1/entities?${params}`, { token });
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          expect(response.status).toBeLessThan(500);
        },
      ),
      { numRuns: 1500 },
    );
    // Both sides were reached: accepted queries and refused ones.
    expect(statuses.get(200) ?? 0).toBeGreaterThan(10);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(10);
  });
});
