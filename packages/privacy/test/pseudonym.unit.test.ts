import { describe, expect, it } from 'vitest';
import { Pseudonymiser, pseudonymKey } from '../src/index.js';

const secret = 'the-alliance-pseudonym-secret-32-chars!';

describe('pseudonym keys per adapter and kind', () => {
  it('gives each adapter and each kind of identifier a key of its own', () => {
    const keys = [
      pseudonymKey(secret, 'sitilink-itms', 'vehicle'),
      pseudonymKey(secret, 'other-itms', 'vehicle'),
      pseudonymKey(secret, 'sitilink-itms', 'trip'),
      pseudonymKey(`${secret}x`, 'sitilink-itms', 'vehicle'),
    ];
    expect(new Set(keys.map((k) => k.toString('hex'))).size).toBe(4);
    expect(keys.every((k) => k.length === 32)).toBe(true);
    // The same inputs give the same key: a restarted adapter keeps its day's pseudonyms.
    expect(pseudonymKey(secret, 'sitilink-itms', 'vehicle').equals(keys[0] as Buffer)).toBe(true);
    const at = Date.parse('2026-11-16T10:00:00Z');
    const names = keys.map((k) => new Pseudonymiser(k).pseudonym('1536', at));
    expect(new Set(names).size).toBe(4);
    expect(names.some((n) => n === new Pseudonymiser(secret).pseudonym('1536', at))).toBe(false);
  });

  it('refuses a secret shorter than 32 bytes', () => {
    expect(() => pseudonymKey('short', 'a', 'vehicle')).toThrow(/32 bytes/);
  });
});
