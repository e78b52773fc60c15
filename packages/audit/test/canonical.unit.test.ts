import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AuditEntry,
  canonicalJson,
  entryJson,
  leafHash,
  leafHashOfText,
  toBase64,
} from '../src/index.js';

const text = fc.string({ unit: 'binary', maxLength: 20 });

const entry = fc.record(
  {
    action: text,
    decision: fc.constantFrom('allow' as const, 'deny' as const),
    reason: text,
    actor: fc.record({ client: text, organisation: text }, { requiredKeys: [] }),
    target: fc.record(
      {
        item: text,
        consent: text,
        mou: text,
        client: text,
        organisation: text,
        provider: text,
        consumer: text,
      },
      { requiredKeys: [] },
    ),
    requestId: text,
    resultSize: fc.oneof(fc.nat(), fc.double({ noNaN: true, noDefaultInfinity: true })),
    seq: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
    time: text,
  },
  { requiredKeys: ['action', 'decision', 'seq', 'time'] },
);

describe('canonical JSON (RFC 8785)', () => {
  it('sorts members by UTF-16 code units and writes numbers in their shortest form', () => {
    expect(
      canonicalJson({
        b: 1,
        a: [true, null, 'x'],
        '\u20ac': 1e21,
        '\u00e9': 0.1 + 0.2,
        c: { z: -0, y: 1.5 },
      }),
    ).toBe('{"a":[true,null,"x"],"b":1,"c":{"y":1.5,"z":0},"é":0.30000000000000004,"€":1e+21}');
    expect(() => canonicalJson({ a: Number.NaN })).toThrow();
  });

  it('writes audit entries exactly as the general canonicaliser does', () => {
    fc.assert(
      fc.property(entry, (e) => {
        expect(entryJson(e as AuditEntry)).toBe(canonicalJson(e));
      }),
      { numRuns: 2000 },
    );
  });

  it('falls back to the general canonicaliser for entries of another shape', () => {
    const odd = {
      action: 'x',
      decision: 'allow',
      seq: 1,
      time: 't',
      target: { item: 'a', extra: { z: 1, a: 2 } },
    };
    expect(entryJson(odd as unknown as AuditEntry)).toBe(canonicalJson(odd));
  });

  it('hashes an entry held as text exactly as its UTF-8 bytes', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        expect(toBase64(leafHashOfText(text))).toBe(toBase64(leafHash(Buffer.from(text, 'utf8'))));
      }),
      { numRuns: 1000 },
    );
  });
});
