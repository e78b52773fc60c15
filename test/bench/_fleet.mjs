import { syntheticTrips } from '@sangam/feeds';

const fleet = { devices: 400, tripsPerHour: 200, seed: 9 };
const monday = Date.parse('2026-11-16T00:00:00Z');
const t = performance.now();
const byHour = Array.from({ length: 48 }, (_, h) => syntheticTrips(fleet, monday + h * 3600000));
console.log('ms', (performance.now() - t).toFixed(0), 'per hour', byHour.map((x) => x.length).join(' '));
const all = byHour.flat();
const byDev = new Map();
for (const tr of all) (byDev.get(tr.device_id) ?? byDev.set(tr.device_id, []).get(tr.device_id)).push(tr);
let chained = 0,
  broken = 0,
  overlaps = 0,
  linked = 0,
  devs = 0;
for (const [, trips] of byDev) {
  trips.sort((a, b) => a.start_time - b.start_time);
  for (let i = 1; i < trips.length; i++) {
    const a = trips[i - 1],
      b = trips[i];
    if (b.start_time < a.end_time) overlaps++;
    const same = a.end_location.lat === b.start_location.lat && a.end_location.lng === b.start_location.lng;
    const cross = Math.floor(a.end_time / 86400000) !== Math.floor(b.start_time / 86400000);
    if (cross) {
      devs++;
      if (same) linked++;
    } else if (same) chained++;
    else broken++;
  }
}
console.log({
  trips: all.length,
  devices: byDev.size,
  chained,
  broken,
  overlaps,
  crossMidnight: devs,
  sameSpotAcrossMidnight: linked,
});
