import fc from 'fast-check';

/** Generators of q texts and geo-query parameters near the grammar, for the parsers' fuzz tests. */
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
export const qText = fc.oneof(
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
export const geo = fc.record(
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
