import { describe, expect, it } from 'vitest';
import {
  DxError,
  isRegisteredProblemType,
  isSlug,
  ManualClock,
  newId,
  problems,
  problemType,
  slugify,
} from '../src/index.js';

describe('the problem registry', () => {
  it('builds urn:dx:<service>:<name> types that it recognises', () => {
    expect(problemType('as', 'invalidClient')).toBe('urn:dx:as:invalidClient');
    expect(isRegisteredProblemType('urn:dx:rs:tokenExpired')).toBe(true);
    expect(isRegisteredProblemType('urn:dx:xx:tokenExpired')).toBe(false);
    expect(isRegisteredProblemType('urn:dx:rs:noSuchThing')).toBe(false);
    expect(isRegisteredProblemType('urn:dx:rs:constructor')).toBe(false);
    expect(isRegisteredProblemType(undefined)).toBe(false);
  });

  it('gives every problem a 4xx or 5xx status and a title', () => {
    for (const [name, spec] of Object.entries(problems)) {
      expect(spec.status, name).toBeGreaterThanOrEqual(400);
      expect(spec.status, name).toBeLessThan(600);
      expect(spec.title.length, name).toBeGreaterThan(10);
    }
  });

  it('carries status, detail and the failing fields of a validation error', () => {
    const error = DxError.validation([
      { field: '/name', message: 'must be a string' },
      { field: '/kind', message: 'must be one of the allowed values' },
    ]);
    expect(error.status).toBe(400);
    expect(error.problem).toBe('invalidPayload');
    expect(error.extensions.errors).toHaveLength(2);
    expect(error.detail).toBe('/name must be a string; /kind must be one of the allowed values');
  });
});

describe('ids and the clock', () => {
  it('makes prefixed random ids that do not repeat', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newId('cl')));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^cl_[0-9a-hjkmnp-tv-z]{24}$/);
  });

  it('derives readable slugs from names', () => {
    expect(slugify('Surat Municipal Corporation')).toBe('surat-municipal-corporation');
    expect(slugify('  Sardar Vallabhbhai National Inst. of Technology ')).toBe(
      'sardar-vallabhbhai-national-inst-of-technology',
    );
    expect(slugify('Žilina Bikes!')).toBe('zilina-bikes');
    expect(isSlug(slugify('!!!'))).toBe(true);
    expect(isSlug('Surat')).toBe(false);
    expect(isSlug('-surat')).toBe(false);
  });

  it('moves a manual clock only when told', () => {
    const clock = new ManualClock('2026-01-01T00:00:00Z');
    expect(clock.now().toISOString()).toBe('2026-01-01T00:00:00.000Z');
    clock.advance(90_000);
    expect(clock.now().toISOString()).toBe('2026-01-01T00:01:30.000Z');
  });
});
