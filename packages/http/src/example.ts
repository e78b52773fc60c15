/**
 * A valid example of a JSON Schema, built from the schema alone: what a reader of the API reference copies, and what
 * the contract tests send. Values come from the schema's own `examples`, `default`, `const` or `enum` first; free
 * strings, numbers, arrays and objects are made to fit their bounds; an object gets its required members only.
 *
 * `given` fixes parts of the answer (the ids a caller has at hand): at each level its members win, a given list's
 * members are completed the same way, and a choice (`oneOf`, `anyOf`) takes the first branch whose constants the
 * given value agrees with.
 *
 * A string with a `pattern` that none of a few plain candidates fits has no example unless its schema carries one:
 * the answer is then `undefined`, and the caller knows the declaration should say `examples`.
 */
export function exampleOf(schema: unknown, given?: unknown): unknown {
  // A given list keeps its length; each of its members is completed from the item schema.
  if (Array.isArray(given) && isRecord(schema) && isRecord(schema.items)) {
    const items = schema.items;
    return given.map((member) => exampleOf(items, member));
  }
  if (given !== undefined && !isRecord(given)) return given;
  if (!isRecord(schema)) return given;
  if (Array.isArray(schema.examples) && schema.examples.length > 0 && given === undefined) {
    return schema.examples[0];
  }
  if ('const' in schema) return schema.const;
  if (schema.default !== undefined && given === undefined) return schema.default;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  const choice = schema.oneOf ?? schema.anyOf;
  if (Array.isArray(choice)) {
    const branch = choice.find((b) => agrees(b, given)) ?? choice[0];
    return exampleOf({ ...withoutChoice(schema), ...(isRecord(branch) ? branch : {}) }, given);
  }
  if (Array.isArray(schema.allOf)) {
    return exampleOf(Object.assign({}, withoutChoice(schema), ...schema.allOf.filter(isRecord)), given);
  }
  switch (typeOf(schema)) {
    case 'object':
      return objectExample(schema, isRecord(given) ? given : {});
    case 'array':
      return arrayExample(schema);
    case 'string':
      return stringExample(schema);
    case 'integer':
    case 'number':
      return numberExample(schema);
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return given;
  }
}

type Schema = Record<string, unknown>;

function isRecord(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function withoutChoice(schema: Schema): Schema {
  const { oneOf: _oneOf, anyOf: _anyOf, allOf: _allOf, discriminator: _discriminator, ...rest } = schema;
  return rest;
}

function typeOf(schema: Schema): string | undefined {
  if (typeof schema.type === 'string') return schema.type;
  if (Array.isArray(schema.type)) return schema.type.find((t) => t !== 'null') ?? 'null';
  if (isRecord(schema.properties)) return 'object';
  if (schema.items !== undefined) return 'array';
  return undefined;
}

/** Whether a branch of a choice can hold the given value: every constant member it names agrees. */
function agrees(branch: unknown, given: unknown): boolean {
  if (!isRecord(branch) || !isRecord(given) || !isRecord(branch.properties)) return given === undefined;
  return Object.entries(branch.properties).every(
    ([name, property]) =>
      !(isRecord(property) && 'const' in property && name in given) || property.const === given[name],
  );
}

function objectExample(schema: Schema, given: Schema): Record<string, unknown> | undefined {
  const properties = isRecord(schema.properties) ? schema.properties : {};
  const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
  const out: Record<string, unknown> = {};
  for (const name of new Set([...required, ...Object.keys(given)])) {
    const value = exampleOf(properties[name] ?? {}, given[name]);
    if (value === undefined) {
      if (required.includes(name)) return undefined;
      continue;
    }
    out[name] = value;
  }
  return out;
}

function arrayExample(schema: Schema): unknown[] | undefined {
  const least = typeof schema.minItems === 'number' ? schema.minItems : 0;
  const count = Math.max(least, 1);
  if (typeof schema.maxItems === 'number' && schema.maxItems < count) return [];
  const items = Array.isArray(schema.items) ? schema.items : [schema.items];
  const out: unknown[] = [];
  for (let i = 0; i < count; i++) {
    const item = items[Math.min(i, items.length - 1)];
    const choices = isRecord(item) && Array.isArray(item.enum) ? item.enum : undefined;
    // Distinct items where they must be: the next constant of an enumeration.
    const value = choices && schema.uniqueItems ? choices[i] : exampleOf(item);
    // An array that may be empty is shown empty rather than not at all.
    if (value === undefined) return least === 0 ? [] : undefined;
    out.push(value);
  }
  return out;
}

const formats: Record<string, string> = {
  'date-time': '2030-01-01T00:00:00Z',
  date: '2030-01-01',
  email: 'officer@example.org',
  uri: 'https://example.org/',
  uuid: '00000000-0000-4000-8000-000000000000',
};

/** Plain strings tried, in order, against a pattern and length bounds. */
const candidates = ['example', 'example-1', 'a', 'A', '1', 'example text'];

function stringExample(schema: Schema): string | undefined {
  const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : Number.POSITIVE_INFINITY;
  const format = typeof schema.format === 'string' ? formats[schema.format] : undefined;
  if (format) return format;
  const pattern = typeof schema.pattern === 'string' ? new RegExp(schema.pattern, 'u') : undefined;
  const fits = (s: string) => s.length >= min && s.length <= max && (!pattern || pattern.test(s));
  const padded = 'example'.padEnd(min, 'x');
  return [...candidates, padded].find(fits);
}

function numberExample(schema: Schema): number {
  const low =
    typeof schema.minimum === 'number'
      ? schema.minimum
      : typeof schema.exclusiveMinimum === 'number'
        ? schema.exclusiveMinimum + 1
        : 1;
  const high = typeof schema.maximum === 'number' ? schema.maximum : Number.POSITIVE_INFINITY;
  return Math.min(Math.max(low, 1), high);
}
