import { individualsMember } from '@sangam/core';
import { describe, expect, it } from 'vitest';
import { vehicleCells } from '../src/index.js';

const options = { resolution: 8, bucketMinutes: 15, k: 10, feedTime: '2026-11-16T10:00:00Z' };
const listing = (id: string | undefined, version: '2.3' | '3.0') => ({
  ...(id === undefined ? {} : version === '3.0' ? { vehicle_id: id } : { bike_id: id }),
  lat: 21.17,
  lon: 72.83,
  is_reserved: false,
  is_disabled: false,
});
const feed = (version: '2.3' | '3.0', ids: (string | undefined)[]) => ({
  data: { [version === '3.0' ? 'vehicles' : 'bikes']: ids.map((id) => listing(id, version)) },
});

describe('k counts vehicles, not listings', () => {
  for (const version of ['2.3', '3.0'] as const) {
    it(`withholds a cell where one vehicle is listed ten times, and publishes ten vehicles (GBFS ${version})`, () => {
      const once = vehicleCells(feed(version, Array(10).fill('bike-1')), version, new Map(), options);
      expect(once.records).toEqual([]);
      expect(once.suppressed).toBe(1);

      const ten = vehicleCells(
        feed(version, [...Array.from({ length: 10 }, (_, i) => `bike-${i}`), 'bike-3', 'bike-3']),
        version,
        new Map(),
        options,
      );
      expect(ten.records).toHaveLength(1);
      expect(ten.records[0]?.available).toBe(10);
      expect(ten.records[0]?.[individualsMember]).toBe(10);
    });
  }

  it('counts listings without an id as available vehicles, but as one individual for k', () => {
    const anonymous = vehicleCells(feed('3.0', Array(10).fill(undefined)), '3.0', new Map(), options);
    expect(anonymous.records).toEqual([]);
    expect(anonymous.suppressed).toBe(1);
    const mixed = vehicleCells(
      feed('3.0', [...Array.from({ length: 9 }, (_, i) => `bike-${i}`), undefined, undefined]),
      '3.0',
      new Map(),
      options,
    );
    expect(mixed.records[0]?.available).toBe(11);
    expect(mixed.records[0]?.[individualsMember]).toBe(10);
  });
});
