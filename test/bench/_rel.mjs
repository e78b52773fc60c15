import { MdsAdapter, TripDays } from '@sangam/adapter-mds';
import { syntheticTrips } from '@sangam/feeds';
import { releaseTrips, tripLadder } from '@sangam/privacy';

const fleet = { devices: 5000, tripsPerHour: 6000, seed: 11 };
const adapter = new MdsAdapter({});
const days = new TripDays('UTC');
const start = Date.parse('2026-11-16T00:00:00Z');
for (let h = 0; h < 24; h++)
  days.setHour(
    start + h * 3600000,
    adapter.processHour(syntheticTrips(fleet, start + h * 3600000), '', { h3Resolution: 7 }, 10).valid,
  );
const [day] = days.takeEnded(start + 86400000);
console.log(day.trips.length, 'trips');
for (let i = 0; i < 3; i++) {
  const t = performance.now();
  const out = releaseTrips(day.trips, { k: 10, ladder: tripLadder(7, 15) });
  console.log(
    (performance.now() - t).toFixed(0),
    'ms',
    out.byRung,
    out.suppressed,
    out.trimmedEnds,
    out.groups.length,
  );
}
