// pnpm bench:mds — the MDS adapter's anonymisation and aggregation over 1,000,000 synthetic trips, streamed an hour
// at a time as a provider API serves them: time and peak memory, beside the time merely to JSON.parse the same
// pages in the same run. BENCH_MDS_TRIPS and BENCH_MDS_RESOLUTION change the run.
import { MdsAdapter, TripDays } from '@sangam/adapter-mds';
import { syntheticTrips } from '@sangam/feeds';
import { releaseTrips, tripLadder } from '@sangam/privacy';

const target = Number(process.env.BENCH_MDS_TRIPS ?? 1_000_000);
const resolution = Number(process.env.BENCH_MDS_RESOLUTION ?? 7);
const fleet = { devices: 5000, tripsPerHour: 6000, seed: 11 };
const adapter = new MdsAdapter({});
const days = new TripDays('UTC');
const ladder = tripLadder(resolution, 15);
const privacy = { h3Resolution: resolution, bucketMinutes: 15 };

global.gc?.();
const baseRss = process.memoryUsage().rss;

let trips = 0;
let parseMs = 0;
let fullMs = 0;
let odCells = 0;
let anonymised = 0;
let tripsWithheld = 0;
let releaseMs = 0;
let releasedDays = 0;
let suppressedCells = 0;
let suppressedTrips = 0;
let tooShort = 0;
let bytes = 0;
const start = Date.parse('2026-11-16T00:00:00Z');
for (let hour = 0; trips < target; hour += 1) {
  const at = start + hour * 3_600_000;
  // The page as the provider API sends it; made outside the timings.
  const page = JSON.stringify({ version: '2.0.0', trips: syntheticTrips(fleet, at) });
  bytes += page.length;
  let t = performance.now();
  JSON.parse(page);
  parseMs += performance.now() - t;
  t = performance.now();
  const out = adapter.processHour(JSON.parse(page).trips, new Date(at).toISOString(), privacy, 10);
  // Anonymised trips: the hour kept for its day, each day released k-anonymous once it is over.
  days.setHour(at, out.valid);
  const last = trips + out.read >= target;
  for (const day of days.takeEnded(last ? Number.POSITIVE_INFINITY : at + 3_600_000)) {
    const r = performance.now();
    const released = releaseTrips(day.trips, { k: 10, ladder });
    releaseMs += performance.now() - r;
    releasedDays += 1;
    anonymised += released.released;
    tripsWithheld += released.suppressed;
  }
  fullMs += performance.now() - t;
  trips += out.read;
  odCells += out.od.length;
  suppressedCells += out.suppressedCells;
  suppressedTrips += out.suppressedTrips;
  tooShort += out.tooShort;
}
// The kernel's high-water mark of the whole run (page generation included): no moment is missed between samples.
const peakRss = process.resourceUsage().maxRSS * 1024;

const mb = (n) => `${(n / 1024 / 1024).toFixed(0)} MiB`;
console.log(
  `\nMDS: ${trips.toLocaleString('en')} synthetic trips (${mb(bytes)} of JSON), an hour's page at a time, H3 resolution ${resolution}`,
);
console.log(
  `  baseline: JSON.parse of the same pages             ${(parseMs / 1000).toFixed(2).padStart(6)} s`,
);
console.log(
  `  parse, check, aggregate (OD, k = 10), anonymise    ${(fullMs / 1000).toFixed(2).padStart(6)} s  (${(fullMs / parseMs).toFixed(2)}× the parse; target ≤ 3×)`,
);
console.log(
  `    of which the day's k-anonymous trips              ${(releaseMs / 1000).toFixed(2).padStart(6)} s  (${releasedDays} days; the hourly path alone ${((fullMs - releaseMs) / parseMs).toFixed(2)}× the parse)`,
);
console.log(
  `  ${Math.round(trips / (fullMs / 1000)).toLocaleString('en')} trips/s; peak RSS ${mb(peakRss)} (${mb(peakRss - baseRss)} over the start; target < 500 MB)`,
);
console.log(
  `  out: ${odCells.toLocaleString('en')} OD cells, ${anonymised.toLocaleString('en')} k-anonymous trips (${tripsWithheld.toLocaleString('en')} withheld); withheld: ${suppressedCells.toLocaleString('en')} cells (${suppressedTrips.toLocaleString('en')} trips); ${tooShort.toLocaleString('en')} under a minute`,
);
// `pnpm bench` stops on a missed target, so a regression is seen rather than scrolled past.
const missed = [
  ...(fullMs / parseMs > 3 ? ['time (more than 3× the parse)'] : []),
  ...(peakRss >= 500 * 1024 * 1024 ? ['memory (500 MB or more)'] : []),
];
if (missed.length > 0) {
  console.log(`  target missed: ${missed.join(', ')}`);
  process.exitCode = 1;
}
