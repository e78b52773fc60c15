import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { createAjv, exampleOf } from '../src/index.js';

const ajv = createAjv({ strict: false });
const fits = (schema: object, value: unknown) => ajv.validate(schema, value);

describe('an example built from a schema', () => {
  it('fits its schema: constants, choices, bounds and formats', () => {
    const schema = Type.Object({
      kind: Type.Union([Type.Literal('bus'), Type.Literal('cycle')]),
      name: Type.String({ minLength: 12, maxLength: 40 }),
      seats: Type.Integer({ minimum: 20, maximum: 80 }),
      share: Type.Number({ exclusiveMinimum: 0, maximum: 0.5 }),
      at: Type.String({ format: 'date-time' }),
      modes: Type.Array(Type.Unsafe({ enum: ['latest', 'temporal', 'spatial'] }), {
        minItems: 2,
        uniqueItems: true,
      }),
      slug: Type.String({ pattern: '^[a-z0-9-]{1,64}$' }),
      note: Type.Optional(Type.String()),
    });
    const example = exampleOf(schema);
    expect(fits(schema, example), ajv.errorsText()).toBe(true);
    expect(example).toMatchObject({ kind: 'bus', seats: 20, modes: ['latest', 'temporal'] });
    // An optional member is left out of a minimal request.
    expect(example).not.toHaveProperty('note');
  });

  it("prefers the schema's own examples, and says when a pattern leaves it none", () => {
    const documented = Type.String({ pattern: '^[a-z]+/[a-z]+$', examples: ['sitilink/buses'] });
    expect(exampleOf(documented)).toBe('sitilink/buses');
    expect(exampleOf(Type.String({ pattern: '^[a-z]+/[a-z]+$' }))).toBeUndefined();
    expect(exampleOf(Type.Object({ group: Type.String({ pattern: '^[a-z]+/[a-z]+$' }) }))).toBeUndefined();
    // A list that may be empty is shown empty when its items have no example.
    expect(exampleOf(Type.Array(Type.String({ pattern: '^[0-9a-f]{32}$' })))).toEqual([]);
  });

  it('takes what the caller gives, and the branch of a choice that agrees with it', () => {
    const schema = Type.Union([
      Type.Object({ type: Type.Literal('provider'), name: Type.String() }),
      Type.Object({ type: Type.Literal('resource'), name: Type.String(), group: Type.String() }),
    ]);
    expect(exampleOf(schema)).toEqual({ type: 'provider', name: 'example' });
    const resource = exampleOf(schema, { type: 'resource', group: 'sitilink/buses' });
    expect(resource).toEqual({ type: 'resource', name: 'example', group: 'sitilink/buses' });
    expect(fits(schema, resource)).toBe(true);
    // Nested members are given the same way; the rest is still built.
    const nested = Type.Object({ terms: Type.Object({ title: Type.String(), days: Type.Integer() }) });
    expect(exampleOf(nested, { terms: { days: 30 } })).toEqual({ terms: { title: 'example', days: 30 } });
  });
});
