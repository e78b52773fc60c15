import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  atMost,
  covers,
  groupOf,
  inScope,
  isGroupId,
  providerOf,
  scopeFor,
  scopeItem,
} from '../src/index.js';

const segment = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,8}$/);
const group = fc.tuple(segment, segment).map(([p, g]) => `${p}/${g}`);
const resource = fc.tuple(group, segment).map(([g, r]) => `${g}/${r}`);

describe('item ids', () => {
  it('name their provider and their dataset', () => {
    expect(providerOf('yulu/bikes/od')).toBe('yulu');
    expect(groupOf('yulu/bikes/od')).toBe('yulu/bikes');
    expect(groupOf('yulu/bikes')).toBe('yulu/bikes');
    expect(isGroupId('yulu/bikes')).toBe(true);
    expect(isGroupId('yulu/bikes/od')).toBe(false);
  });
});

describe('access-token scopes', () => {
  it('give a group the rg: scope and a resource the ri: scope, and read back the item', () => {
    expect(scopeFor('yulu/bikes')).toBe('rg:yulu/bikes');
    expect(scopeFor('yulu/bikes/od')).toBe('ri:yulu/bikes/od');
    expect(scopeItem('rg:yulu/bikes')).toBe('yulu/bikes');
    expect(scopeItem('yulu/bikes')).toBeUndefined();
  });

  it('let a group scope reach its resources only, and a resource scope its resource only', () => {
    fc.assert(
      fc.property(group, resource, resource, (g, r, other) => {
        const mine = `${g}/x`;
        expect(inScope(scopeFor(g), mine)).toBe(true);
        expect(inScope(scopeFor(r), r)).toBe(true);
        expect(inScope(scopeFor(r), other)).toBe(r === other);
        // A group scope never reaches a group whose id merely starts the same way.
        expect(inScope(scopeFor(g), `${g}x/y`)).toBe(false);
        expect(inScope(`xx:${r}`, r)).toBe(false);
      }),
    );
  });

  it('agree with consent coverage: what a token scope reaches, the consent naming that item covers', () => {
    fc.assert(
      fc.property(fc.oneof(group, resource), resource, (item, asked) => {
        if (inScope(scopeFor(item), asked)) expect(covers([item], asked)).toBe(true);
      }),
    );
  });
});

describe('release levels', () => {
  it('rank an aggregate below an anonymised record', () => {
    expect(atMost('aggregate', 'anonymised-record')).toBe(true);
    expect(atMost('anonymised-record', 'aggregate')).toBe(false);
    expect(atMost('aggregate', 'aggregate')).toBe(true);
  });
});
