import { syntheticEvents, syntheticTrips } from '@sangam/feeds';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CellCounter, differencing, MdsAdapter } from '../src/index.js';

const adapter = new MdsAdapter({});
const privacy = { h3Resolution: 7 };
// A weekday's busy afternoon and a quiet night hour, in Surat, over the fixed epoch of the synthetic fleet.
const hours = [Date.parse('2026-03-04T11:00:00Z'), Date.parse('2026-03-04T21:00:00Z')];

/** What the adapter releases of an hour to an MoU that allows aggregates: the OD matrix and the events. */
function releasedHour(
  fleet: { devices: number; tripsPerHour: number; seed: number },
  hour: number,
  k: number,
) {
  const iso = new Date(hour).toISOString();
  const out = adapter.processHour(syntheticTrips(fleet, hour), iso, privacy, k);
  const events = adapter.processEvents(syntheticEvents(fleet, hour), iso, privacy, k);
  return { od: out.od, events: [...out.margins, ...events.records] as never[] };
}

describe('aggregates that cannot be subtracted', () => {
  it('over random fleets and k, no released event count minus the OD cells it covers is a count from 1 to k − 1', () => {
    let pairs = 0;
    fc.assert(
      fc.property(
        fc.record({
          devices: fc.integer({ min: 20, max: 600 }),
          tripsPerHour: fc.integer({ min: 20, max: 600 }),
          seed: fc.integer({ min: 1, max: 1_000_000 }),
        }),
        fc.integer({ min: 2, max: 15 }),
        fc.constantFrom(...hours),
        (fleet, k, hour) => {
          const report = differencing(releasedHour(fleet, hour, k), k);
          pairs += report.pairs;
          expect(report.findings).toEqual([]);
        },
      ),
      { numRuns: 40 },
    );
    // The property held over pairs that exist, not over empty releases.
    expect(pairs).toBeGreaterThan(100);
  });

  it('finds the small count that trip ends counted apart from the OD matrix give away, and none from one base', () => {
    // Ten devices ride from one cell to another; three more arrive there from elsewhere, too few to release.
    const hour = Date.parse('2026-11-16T05:00:00Z');
    const iso = new Date(hour).toISOString();
    const trip = (i: number, from: { lat: number; lng: number }) => ({
      provider_id: '5f7114d1-4091-46ee-b492-e55875f7de00',
      device_id: `11111111-1111-4111-8111-${String(i).padStart(12, '0')}`,
      trip_id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      start_time: hour + i * 1000,
      end_time: hour + i * 1000 + 600_000,
      start_location: from,
      end_location: { lat: 21.2, lng: 72.86 },
      duration: 600,
      distance: 2000,
    });
    const trips = [
      ...Array.from({ length: 10 }, (_, i) => trip(i, { lat: 21.17, lng: 72.83 })),
      ...Array.from({ length: 3 }, (_, i) => trip(10 + i, { lat: 21.1, lng: 72.75 })),
    ];
    const k = 10;
    const out = adapter.processHour(trips, iso, privacy, k);
    expect(out.od.map((r) => r.trips)).toEqual([10]);
    // Counted apart, as the events feed has them: thirteen trip ends in the cell, of thirteen devices.
    const counter = new CellCounter(privacy.h3Resolution);
    for (const t of trips) counter.add(t.end_location.lat, t.end_location.lng, 'trip_end', t.device_id);
    const apart = counter.records(iso, k, { category: 'eventType', count: 'events' }).records as never[];
    const report = differencing({ od: out.od, events: apart }, k);
    expect(report.findings.map((f) => f.difference)).toEqual([3, 3]);
    // As the margin of the OD matrix, the cell's trip ends are the ten released: nothing is left to subtract.
    const released = differencing({ od: out.od, events: out.margins as never[] }, k);
    expect(released.pairs).toBe(4);
    expect(released.findings).toEqual([]);
  });
});
