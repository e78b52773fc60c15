import { DxError } from '@sangam/core';

/**
 * The `q` filter language of NGSI-LD queries, a small subset: comparisons `==`, `!=`, `<`, `<=`, `>`, `>=` on an
 * attribute (or a dotted path into one), `;` for and, `|` for or (and binds tighter), parentheses, a bare
 * attribute for "is present", value lists `a==1,2,3` and ranges `a==1..5`. Values are numbers, quoted strings,
 * `true`/`false`, or unquoted words (read as text, so `observedAt>=2026-01-01T00:00:00Z` works). The text is parsed
 * into this tree and evaluated on records in memory: it never becomes SQL.
 */
export type Value = string | number | boolean;
export type Comparator = '==' | '!=' | '<' | '<=' | '>' | '>=';

export type Filter =
  | { readonly kind: 'and' | 'or'; readonly terms: readonly Filter[] }
  | {
      readonly kind: 'compare';
      readonly path: readonly string[];
      readonly op: Comparator;
      readonly value: Value;
    }
  | {
      readonly kind: 'oneOf';
      readonly path: readonly string[];
      readonly negate: boolean;
      readonly values: readonly Value[];
    }
  | {
      readonly kind: 'range';
      readonly path: readonly string[];
      readonly negate: boolean;
      readonly from: Value;
      readonly to: Value;
    }
  | { readonly kind: 'exists'; readonly path: readonly string[] };

export const maxQueryLength = 2000;
const maxDepth = 8;
const maxTerms = 64;

class Parser {
  #at = 0;
  #terms = 0;
  readonly #text: string;

  constructor(text: string) {
    this.#text = text;
  }

  parse(): Filter {
    const filter = this.#or(0);
    if (this.#at < this.#text.length) this.#fail(`unexpected "${this.#text[this.#at]}"`);
    return filter;
  }

  #fail(message: string): never {
    throw new DxError('invalidParameter', `q: ${message} at position ${this.#at + 1}`, {
      extensions: { errors: [{ field: 'q', message: `${message} at position ${this.#at + 1}` }] },
    });
  }

  #peek(): string | undefined {
    return this.#text[this.#at];
  }

  #or(depth: number): Filter {
    const terms = [this.#and(depth)];
    while (this.#peek() === '|') {
      this.#at++;
      terms.push(this.#and(depth));
    }
    return terms.length === 1 ? (terms[0] as Filter) : { kind: 'or', terms };
  }

  #and(depth: number): Filter {
    const terms = [this.#term(depth)];
    while (this.#peek() === ';') {
      this.#at++;
      terms.push(this.#term(depth));
    }
    return terms.length === 1 ? (terms[0] as Filter) : { kind: 'and', terms };
  }

  #term(depth: number): Filter {
    if (++this.#terms > maxTerms) this.#fail(`more than ${maxTerms} terms`);
    if (this.#peek() === '(') {
      if (depth >= maxDepth) this.#fail(`parentheses nested deeper than ${maxDepth}`);
      this.#at++;
      const inner = this.#or(depth + 1);
      if (this.#peek() !== ')') this.#fail('missing ")"');
      this.#at++;
      return inner;
    }
    const path = this.#path();
    const op = this.#operator();
    if (!op) return { kind: 'exists', path };
    const first = this.#value();
    if (this.#text.startsWith('..', this.#at)) {
      this.#at += 2;
      const to = this.#value();
      if (op !== '==' && op !== '!=') this.#fail('a range needs == or !=');
      return { kind: 'range', path, negate: op === '!=', from: first, to };
    }
    if (this.#peek() === ',') {
      const values = [first];
      while (this.#peek() === ',') {
        this.#at++;
        values.push(this.#value());
      }
      if (op !== '==' && op !== '!=') this.#fail('a list of values needs == or !=');
      if (values.length > maxTerms) this.#fail(`more than ${maxTerms} values`);
      return { kind: 'oneOf', path, negate: op === '!=', values };
    }
    return { kind: 'compare', path, op, value: first };
  }

  #path(): string[] {
    const match = /^[A-Za-z_][A-Za-z0-9_]{0,63}(\.[A-Za-z_][A-Za-z0-9_]{0,63}){0,4}/.exec(
      this.#text.slice(this.#at),
    );
    if (!match) this.#fail('expected an attribute name');
    this.#at += match[0].length;
    return match[0].split('.');
  }

  #operator(): Comparator | undefined {
    for (const op of ['==', '!=', '<=', '>=', '<', '>'] as const) {
      if (this.#text.startsWith(op, this.#at)) {
        this.#at += op.length;
        return op;
      }
    }
    if (this.#text.startsWith('~=', this.#at)) this.#fail('pattern matching (~=) is not supported');
    return undefined;
  }

  #value(): Value {
    const rest = this.#text.slice(this.#at);
    if (rest.startsWith('"')) {
      const match = /^"((?:[^"\\]|\\["\\])*)"/.exec(rest);
      if (!match) this.#fail('unterminated string');
      this.#at += match[0].length;
      return (match[1] ?? '').replace(/\\(["\\])/g, '$1');
    }
    // A bare word: letters, digits and the punctuation of numbers, dates and identifiers, up to a `..` range.
    let end = this.#at;
    while (end < this.#text.length && /[A-Za-z0-9_:+.-]/.test(this.#text[end] as string)) {
      if (this.#text.startsWith('..', end)) break;
      end++;
    }
    if (end === this.#at) this.#fail('expected a value');
    const word = this.#text.slice(this.#at, end);
    this.#at = end;
    if (word.length > 256) this.#fail('a value is longer than 256 characters');
    if (/^-?\d{1,15}(\.\d{1,15})?([eE][-+]?\d{1,3})?$/.test(word)) return Number(word);
    if (word === 'true') return true;
    if (word === 'false') return false;
    return word;
  }
}

/** Parses `q` into a filter, or throws an `invalidParameter` problem naming the position. */
export function parseQ(text: string): Filter {
  if (text.length === 0) throw new DxError('invalidParameter', 'q: must not be empty');
  if (text.length > maxQueryLength) {
    throw new DxError('invalidParameter', `q: must be at most ${maxQueryLength} characters`);
  }
  return new Parser(text).parse();
}

/** The top-level attributes a filter reads: what the consent must grant. */
export function attributesOf(filter: Filter): Set<string> {
  const found = new Set<string>();
  const visit = (f: Filter): void => {
    if ('terms' in f) f.terms.forEach(visit);
    else found.add(f.path[0] ?? '');
  };
  visit(filter);
  return found;
}

function read(record: Record<string, unknown>, path: readonly string[]): unknown {
  let value: unknown = record;
  for (const key of path) {
    if (value === null || typeof value !== 'object' || Array.isArray(value) || !Object.hasOwn(value, key))
      return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** Orders two values of the same kind; undefined when they cannot be compared (other kinds never match). */
function order(a: unknown, b: Value): number | undefined {
  if (typeof a === 'number' && typeof b === 'number') return a === b ? 0 : a < b ? -1 : 1;
  if (typeof a === 'string' && typeof b === 'string') return a === b ? 0 : a < b ? -1 : 1;
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : undefined;
  // A number compared with a bare word that is a number in text, e.g. `route=="12"` on a numeric attribute.
  if (typeof a === 'number' && typeof b === 'string' && b.trim() !== '' && Number.isFinite(Number(b)))
    return order(a, Number(b));
  if (typeof a === 'string' && typeof b === 'number') return order(a, String(b));
  return undefined;
}

/** True when the record matches the filter. */
export function matches(filter: Filter, record: Record<string, unknown>): boolean {
  switch (filter.kind) {
    case 'and':
      return filter.terms.every((t) => matches(t, record));
    case 'or':
      return filter.terms.some((t) => matches(t, record));
    case 'exists':
      return read(record, filter.path) !== undefined;
    case 'compare': {
      const value = read(record, filter.path);
      if (value === undefined) return false;
      const c = order(value, filter.value);
      if (filter.op === '!=') return c !== 0;
      if (c === undefined) return false;
      switch (filter.op) {
        case '==':
          return c === 0;
        case '<':
          return c < 0;
        case '<=':
          return c <= 0;
        case '>':
          return c > 0;
        case '>=':
          return c >= 0;
      }
      return false;
    }
    case 'oneOf': {
      const value = read(record, filter.path);
      if (value === undefined) return false;
      const found = filter.values.some((v) => order(value, v) === 0);
      return filter.negate ? !found : found;
    }
    case 'range': {
      const value = read(record, filter.path);
      if (value === undefined) return false;
      const low = order(value, filter.from);
      const high = order(value, filter.to);
      const inside = low !== undefined && high !== undefined && low >= 0 && high <= 0;
      return filter.negate ? !inside : inside;
    }
  }
}
