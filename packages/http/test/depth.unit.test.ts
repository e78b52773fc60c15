import { describe, expect, it } from 'vitest';
import { maxJsonDepth, nestingBeyond } from '../src/validation.js';

describe('the JSON depth limit', () => {
  it('finds where a body nests too deep, in one pass, however deep it goes', () => {
    expect(nestingBeyond(`${'['.repeat(100_000)}${']'.repeat(100_000)}`, maxJsonDepth)).toBe(
      maxJsonDepth + 1,
    );
    expect(nestingBeyond(`${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}`, maxJsonDepth)).toBe(
      5 * maxJsonDepth + 1,
    );
  });

  it('lets bodies up to the limit through, and ignores brackets inside strings', () => {
    expect(nestingBeyond(`${'['.repeat(maxJsonDepth)}${']'.repeat(maxJsonDepth)}`, maxJsonDepth)).toBe(0);
    expect(nestingBeyond(JSON.stringify({ text: '['.repeat(1000), quoted: '\\"[[[' }), maxJsonDepth)).toBe(0);
    const body = '{"records":[{"a":[1,2]},{"b":{"c":[]}}]}';
    expect(nestingBeyond(body, 5)).toBe(0);
    expect(nestingBeyond(body, 4)).toBe(body.indexOf('[]') + 1);
    expect(nestingBeyond(body, 3)).toBe(body.indexOf('[1') + 1);
    expect(nestingBeyond(body, 2)).toBe(body.indexOf('{"a"') + 1);
  });
});
