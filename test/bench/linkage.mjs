// pnpm bench:linkage — what an analyst who holds everything a consumer receives learns about single devices.
// A week of the realistic synthetic fleet (the demo's: 1,500 devices) goes through the MDS adapter's own code: the
// hourly OD matrix, events and fleet states (an aggregate-only MoU sees these), and the day's k-anonymous trips (an
// MoU that allows anonymised records sees these too). Beside them, the trips as main released them before: one
// record per trip, the device under a daily pseudonym, ends at the adapter's resolution, times to 15 minutes.
// It prints, against ground truth the bench keeps aside:
//   - device-days singled out by 2, 3 and 4 known points (a cell and a 15-minute bucket the analyst knows);
//   - devices linked across midnight (the evening's last arrival and the morning's first departure from a place),
//     precision and recall, beside the same attack on shuffled labels (chance);
//   - the smallest positive count obtained by subtracting one released aggregate from another.
// BENCH_LINKAGE_DAYS (default 7) changes the run.
import { CellCounter, MdsAdapter, differencing as subtract, TripDays } from '@sangam/adapter-mds';
import { seeded, syntheticEvents, syntheticTrips, syntheticVehicleStatus } from '@sangam/feeds';
import {
  EpsilonLedger,
  h3Cell,
  h3Parent,
  localDay,
  memoryLedgerStore,
  Pseudonymiser,
  releaseTrips,
  timeBucket,
  tripLadder,
} from '@sangam/privacy';

const days = Number(process.env.BENCH_LINKAGE_DAYS ?? 7);
const fleet = { devices: 1500, tripsPerHour: 900, seed: 2026 };
const resolution = 7;
const bucketMinutes = 15;
const k = 10;
const hourMs = 3_600_000;
const dayMs = 86_400_000;
const start = Date.parse('2026-11-16T00:00:00Z');
const privacy = { h3Resolution: resolution, bucketMinutes };
const adapter = new MdsAdapter({});
// Days as the demo's adapter keeps them: Surat's, ending at 18:30 UTC.
const collected = new TripDays('Asia/Kolkata');

// The aggregates, as released now: trip starts and ends are the OD matrix's margins; fleet states carry noise of
// ε 0.25 a snapshot within a budget of ε 1 a cell and day. Main released events counted apart from the OD matrix
// and exact fleet states. The exact counts behind every state cell are kept aside (k = 1) to score averaging.
const statesEpsilon = 0.25;
const statesBudget = 1;
const dayOf = localDay('Asia/Kolkata');
const ledgerStore = memoryLedgerStore();
const od = [];
const events = [];
const mainEvents = [];
const states = [];
const mainStates = [];
const exactStates = new Map();
for (let hour = start; hour < start + days * dayMs; hour += hourMs) {
  const iso = new Date(hour).toISOString();
  const out = adapter.processHour(syntheticTrips(fleet, hour), iso, privacy, k);
  od.push(...out.od);
  collected.setHour(hour, out.valid);
  const hourEvents = syntheticEvents(fleet, hour);
  events.push(...out.margins, ...adapter.processEvents(hourEvents, iso, privacy, k).records);
  const apart = new CellCounter(resolution);
  for (const e of hourEvents)
    for (const type of e.event_types) apart.add(e.location.lat, e.location.lng, type, e.device_id);
  mainEvents.push(...apart.records(iso, k, { category: 'eventType', count: 'events' }).records);
  for (let q = 0; q < 4; q += 1) {
    const at = hour + q * 15 * 60_000;
    const bucket = timeBucket(new Date(at), bucketMinutes).toISOString();
    const snapshot = syntheticVehicleStatus(fleet, at);
    const ledger = new EpsilonLedger(ledgerStore, statesBudget);
    await ledger.open('fleet-states', dayOf(at));
    const noise = ledger.noise('fleet-states', dayOf(at), statesEpsilon);
    states.push(...adapter.processVehicles(snapshot, bucket, privacy, k, noise).records);
    await ledger.commit();
    mainStates.push(...adapter.processVehicles(snapshot, bucket, privacy, k).records);
    for (const r of adapter.processVehicles(snapshot, bucket, privacy, 1).records)
      exactStates.set(`${r.id}|${r.observedAt}`, r.vehicles);
  }
}
// The first and last days are read only in part: only whole days are released.
const tripDays = collected
  .takeEnded(Number.POSITIVE_INFINITY)
  .filter((d) => d.day >= start && collected.dayEnd(d.day) <= start + days * dayMs);
const tripCount = tripDays.reduce((n, d) => n + d.trips.length, 0);

// What the consumer receives of the trips, and which trips stand behind each released tuple (kept aside).
const released = tripDays.map((d) => ({
  ...d,
  release: releaseTrips(d.trips, { k, ladder: tripLadder(resolution, bucketMinutes), withMembers: true }),
}));
const bucketOf = (ms, minutes = bucketMinutes) => Math.floor(ms / (minutes * 60_000)) * minutes * 60_000;
const cellOf = (p) => h3Cell(p.lat, p.lng, resolution);

// Main's release: a record per trip under the device's pseudonym of the day.
const pseudonyms = new Pseudonymiser('a-benchmark-pseudonym-secret-of-32-characters', dayMs, 'Asia/Kolkata');
const mainRecords = tripDays.map((d) =>
  d.trips.map((t) => ({
    device: pseudonyms.pseudonym(t.device, t.start),
    origin: cellOf(t.origin),
    start: bucketOf(t.start),
    destination: cellOf(t.destination),
    end: bucketOf(t.end),
  })),
);

// ---- Singling out: the analyst knows n points of one device's day.
const random = seeded(42);
const pointsOfDay = (trips) => {
  const points = new Map();
  for (const t of trips) {
    points.set(`${cellOf(t.origin)}|${bucketOf(t.start)}`, { where: t.origin, at: t.start, end: false });
    points.set(`${cellOf(t.destination)}|${bucketOf(t.end)}`, { where: t.destination, at: t.end, end: true });
  }
  return points;
};

function singlingOut(n) {
  let mainOut = 0;
  let nowOut = 0;
  let sampled = 0;
  let smallestSet = Number.POSITIVE_INFINITY;
  released.forEach(({ trips, release }, d) => {
    // Main: the pseudonymous device-days holding every known point.
    const byPoint = new Map();
    for (const r of mainRecords[d]) {
      for (const key of [`${r.origin}|${r.start}`, `${r.destination}|${r.end}`]) {
        if (!byPoint.has(key)) byPoint.set(key, new Set());
        byPoint.get(key).add(r.device);
      }
    }
    // Now: the released tuples a known point fits, by the place and bucket of an end on each rung.
    const byEnd = new Map();
    release.groups.forEach((g, i) => {
      const t = g.tuple;
      for (const [cell, res, at, end] of [
        [t.origin, t.originResolution, t.observedAt, false],
        [t.destination, t.destinationResolution, t.endBucket, true],
      ]) {
        const key = `${end}|${res}|${cell}|${t.bucketMinutes}|${Date.parse(at)}`;
        if (!byEnd.has(key)) byEnd.set(key, []);
        byEnd.get(key).push(i);
      }
    });
    const rungs = [...new Set(release.groups.map((g) => `${g.tuple.bucketMinutes}`))].map(Number);
    const resolutions = [
      ...new Set(release.groups.flatMap((g) => [g.tuple.originResolution, g.tuple.destinationResolution])),
    ];
    const byDevice = new Map();
    trips.forEach((t, i) => {
      if (!byDevice.has(t.device)) byDevice.set(t.device, []);
      byDevice.get(t.device).push(i);
    });
    for (const [device, indices] of byDevice) {
      const own = indices.map((i) => trips[i]);
      const points = [...pointsOfDay(own).entries()];
      if (points.length < n) continue;
      sampled += 1;
      const known = [];
      while (known.length < n) {
        const p = points[Math.floor(random() * points.length)];
        if (!known.includes(p)) known.push(p);
      }
      let candidates;
      for (const [key] of known) {
        const here = byPoint.get(key) ?? new Set();
        candidates = candidates ? new Set([...candidates].filter((c) => here.has(c))) : here;
      }
      if (candidates.size === 1) mainOut += 1;
      // A released record names no device, and no record can be joined to another: each known point stands alone,
      // and the device is singled out if the records one point fits come from it alone.
      let alone = false;
      for (const [, p] of known) {
        const cell = h3Cell(p.where.lat, p.where.lng, resolution);
        const devices = new Set();
        for (const res of resolutions) {
          const parent = res === resolution ? cell : h3Parent(cell, res);
          for (const minutes of rungs) {
            for (const i of byEnd.get(`${p.end}|${res}|${parent}|${minutes}|${bucketOf(p.at, minutes)}`) ??
              []) {
              for (const m of release.groups[i].members) devices.add(trips[m].device);
            }
          }
        }
        if (devices.size > 0) smallestSet = Math.min(smallestSet, devices.size);
        if (devices.size === 1 && devices.has(device)) alone = true;
      }
      if (alone) nowOut += 1;
    }
  });
  return { mainOut, nowOut, sampled, smallestSet };
}

// ---- Across midnight: the evening's last arrival at a place linked to the morning's first departure from it.
function shuffled(list) {
  const copy = [...list];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

function mainLinkage(shuffle) {
  let links = 0;
  let correct = 0;
  let both = 0;
  for (let d = 0; d + 1 < released.length; d += 1) {
    const last = new Map();
    const first = new Map();
    const truth = new Map();
    tripDays[d].trips.forEach((t, i) => {
      const r = mainRecords[d][i];
      const known = last.get(r.device);
      if (!known || known.end < r.end) last.set(r.device, r);
      truth.set(r.device, t.device);
    });
    const nextTruth = new Map();
    tripDays[d + 1].trips.forEach((t, i) => {
      const r = mainRecords[d + 1][i];
      const known = first.get(r.device);
      if (!known || known.start > r.start) first.set(r.device, r);
      nextTruth.set(r.device, t.device);
    });
    if (shuffle) {
      const keys = [...nextTruth.keys()];
      const values = shuffled([...nextTruth.values()]);
      keys.forEach((key, i) => {
        nextTruth.set(key, values[i]);
      });
    }
    const devicesToday = new Set(truth.values());
    for (const device of new Set(nextTruth.values())) if (devicesToday.has(device)) both += 1;
    const byOrigin = new Map();
    for (const [p, r] of first) {
      if (!byOrigin.has(r.origin)) byOrigin.set(r.origin, []);
      byOrigin.get(r.origin).push(p);
    }
    for (const [p, r] of last) {
      const matches = byOrigin.get(r.destination) ?? [];
      if (matches.length !== 1) continue;
      links += 1;
      if (truth.get(p) === nextTruth.get(matches[0])) correct += 1;
    }
  }
  return { precision: links ? correct / links : 0, recall: both ? correct / both : 0 };
}

function nowLinkage(shuffle) {
  let links = 0;
  let expectedCorrect = 0;
  let both = 0;
  for (let d = 0; d + 1 < released.length; d += 1) {
    const today = released[d];
    const tomorrow = released[d + 1];
    // Ground truth, kept aside: each device's last trip today and first trip tomorrow.
    const lastTrip = new Map();
    today.trips.forEach((t, i) => {
      const known = lastTrip.get(t.device);
      if (known === undefined || today.trips[known].end < t.end) lastTrip.set(t.device, i);
    });
    let deviceOf = tomorrow.trips.map((t) => t.device);
    if (shuffle) deviceOf = shuffled(deviceOf);
    const firstTrip = new Map();
    tomorrow.trips.forEach((t, i) => {
      const device = deviceOf[i];
      const known = firstTrip.get(device);
      if (known === undefined || tomorrow.trips[known].start > t.start) firstTrip.set(device, i);
    });
    for (const device of firstTrip.keys()) if (lastTrip.has(device)) both += 1;
    const lastOf = new Map([...lastTrip].map(([device, i]) => [i, device]));
    const firstOf = new Map([...firstTrip].map(([device, i]) => [i, device]));
    // What the analyst sees: for each place (cell at its resolution), the records arriving latest today and those
    // leaving earliest tomorrow. He links one to the other; the records of one tuple cannot be told apart.
    const latest = new Map();
    for (const g of today.release.groups) {
      const key = `${g.tuple.destinationResolution}|${g.tuple.destination}`;
      const at = Date.parse(g.tuple.endBucket);
      const known = latest.get(key);
      if (!known || known.at < at) latest.set(key, { at, groups: [g] });
      else if (known.at === at) known.groups.push(g);
    }
    const earliest = new Map();
    for (const g of tomorrow.release.groups) {
      const key = `${g.tuple.originResolution}|${g.tuple.origin}`;
      const at = Date.parse(g.tuple.observedAt);
      const known = earliest.get(key);
      if (!known || known.at > at) earliest.set(key, { at, groups: [g] });
      else if (known.at === at) known.groups.push(g);
    }
    for (const [place, arriving] of latest) {
      const leaving = earliest.get(place);
      if (!leaving) continue;
      const ins = arriving.groups.flatMap((g) => g.members);
      const outs = leaving.groups.flatMap((g) => g.members);
      // The chance that a record picked among the arrivals and one among the departures are one device's.
      const outDevices = new Map();
      for (const m of outs) {
        const device = firstOf.get(m);
        if (device !== undefined) outDevices.set(device, (outDevices.get(device) ?? 0) + 1);
      }
      let pairs = 0;
      for (const m of ins) {
        const device = lastOf.get(m);
        if (device !== undefined) pairs += outDevices.get(device) ?? 0;
      }
      links += 1;
      expectedCorrect += pairs / (ins.length * outs.length);
    }
  }
  return { precision: links ? expectedCorrect / links : 0, recall: both ? expectedCorrect / both : 0 };
}

// ---- Differencing: one released aggregate minus another that it covers.
function consecutive(snapshots) {
  const byCell = new Map();
  for (const s of snapshots) {
    const key = `${s.cell}|${s.state}`;
    if (!byCell.has(key)) byCell.set(key, new Map());
    byCell.get(key).set(Date.parse(s.observedAt), s.vehicles);
  }
  let pairs = 0;
  let under = 0;
  for (const series of byCell.values()) {
    for (const [at, vehicles] of series) {
      const next = series.get(at + bucketMinutes * 60_000);
      if (next === undefined) continue;
      pairs += 1;
      const d = Math.abs(next - vehicles);
      if (d >= 1 && d < k) under += 1;
    }
  }
  return { pairs, under };
}

function differencing() {
  return {
    main: { events: subtract({ od, events: mainEvents }, k), states: consecutive(mainStates) },
    now: { events: subtract({ od, events }, k), states: consecutive(states) },
  };
}

// ---- Averaging: a day of a cell's fleet-state snapshots, averaged, against the exact counts behind them.
function averaging(released) {
  const days = new Map();
  for (const r of released) {
    const key = `${r.id}|${dayOf(Date.parse(r.observedAt))}`;
    const day = days.get(key) ?? { noisy: 0, exact: 0, n: 0 };
    day.noisy += r.vehicles;
    day.exact += exactStates.get(`${r.id}|${r.observedAt}`);
    day.n += 1;
    days.set(key, day);
  }
  let square = 0;
  let recovered = 0;
  for (const d of days.values()) {
    const error = (d.noisy - d.exact) / d.n;
    square += error * error;
    if (Math.abs(error) < 0.5) recovered += 1;
  }
  return {
    cells: days.size,
    rmse: Math.sqrt(square / Math.max(1, days.size)),
    recovered: recovered / Math.max(1, days.size),
  };
}

// ---- Routes: a record chained to the next one a device made, by place and time (records name no device).
function chaining(shuffle) {
  let links = 0;
  let expectedCorrect = 0;
  let consecutive = 0;
  for (const { trips, release } of released) {
    // Ground truth, kept aside: each trip's next trip by the same device.
    let deviceOf = trips.map((t) => t.device);
    if (shuffle) deviceOf = shuffled(deviceOf);
    const order = trips.map((_, i) => i).sort((a, b) => trips[a].start - trips[b].start);
    const next = new Map();
    const lastOf = new Map();
    for (const i of order) {
      const before = lastOf.get(deviceOf[i]);
      if (before !== undefined) next.set(before, i);
      lastOf.set(deviceOf[i], i);
    }
    consecutive += next.size;
    // Records leaving each place, by the bucket they left in.
    const leaving = new Map();
    for (const g of release.groups) {
      const key = `${g.tuple.originResolution}|${g.tuple.origin}`;
      if (!leaving.has(key)) leaving.set(key, []);
      leaving.get(key).push(g);
    }
    for (const g of release.groups) {
      // The analyst's rule: the one group of records that leaves the place this one reached, soonest after it.
      const arrived = Date.parse(g.tuple.endBucket);
      const candidates = (leaving.get(`${g.tuple.destinationResolution}|${g.tuple.destination}`) ?? [])
        .map((s) => ({ s, at: Date.parse(s.tuple.observedAt) }))
        .filter((c) => c.at >= arrived && c.s !== g);
      if (candidates.length === 0) continue;
      const soonest = Math.min(...candidates.map((c) => c.at));
      const chosen = candidates.filter((c) => c.at === soonest);
      if (chosen.length !== 1) continue;
      const successor = chosen[0].s;
      const outs = new Set(successor.members);
      let pairs = 0;
      for (const m of g.members) if (outs.has(next.get(m))) pairs += 1;
      links += 1;
      expectedCorrect += pairs / (g.members.length * successor.members.length);
    }
  }
  return {
    precision: links ? expectedCorrect / links : 0,
    recall: consecutive ? expectedCorrect / consecutive : 0,
  };
}

const pct = (part, whole) => (whole ? `${((100 * part) / whole).toFixed(2)}%` : '—');
console.log(
  `\nlinkage: ${days} days of the realistic fleet (${fleet.devices.toLocaleString('en')} devices, ${tripCount.toLocaleString('en')} trips), H3 ${resolution}, ${bucketMinutes}-minute buckets, k = ${k}`,
);
console.log(
  '  (b) an MoU that allows anonymised records      main (pseudonymous trips)   now (k-anonymous trips)',
);
const missed = [];
for (const n of [2, 3, 4]) {
  const s = singlingOut(n);
  console.log(
    `      device-days singled out by ${n} points         ${pct(s.mainOut, s.sampled).padStart(8)}                  ${pct(s.nowOut, s.sampled).padStart(8)}   (target 0; ${s.sampled.toLocaleString('en')} device-days; fewest devices behind the records a point fits: ${s.smallestSet}, at least k by construction; records cannot be joined but by the chaining below)`,
  );
  if (s.nowOut > 0) missed.push(`singled out by ${n} points`);
}
// Main's records carry the device's pseudonym for the day: every trip of a device-day is chained to the next.
const chained = chaining(false);
const chainedChance = chaining(true);
console.log(
  `      trips chained into routes: precision       ${pct(1, 1).padStart(8)}                   ${pct(chained.precision, 1).padStart(8)} (chance ${pct(chainedChance.precision, 1)})`,
);
console.log(
  `                                 recall          ${pct(1, 1).padStart(8)}                   ${pct(chained.recall, 1).padStart(8)} (chance ${pct(chainedChance.recall, 1)})   (target: no better than chance)`,
);
if (chained.recall > 2 * chainedChance.recall + 0.01) missed.push('trips chained into routes');
const main = mainLinkage(false);
const mainChance = mainLinkage(true);
const now = nowLinkage(false);
const nowChance = nowLinkage(true);
console.log(
  `      linked across midnight: precision          ${pct(main.precision, 1).padStart(8)} (chance ${pct(mainChance.precision, 1)})   ${pct(now.precision, 1).padStart(8)} (chance ${pct(nowChance.precision, 1)})`,
);
console.log(
  `                              recall             ${pct(main.recall, 1).padStart(8)} (chance ${pct(mainChance.recall, 1)})   ${pct(now.recall, 1).padStart(8)} (chance ${pct(nowChance.recall, 1)})   (target: no better than chance)`,
);
// Better than chance by more than the noise of one shuffle: twice chance and a point of recall.
if (now.recall > 2 * nowChance.recall + 0.01) missed.push('linkage across midnight');
const diff = differencing();
console.log('  (a) an aggregate-only MoU                         main                        now');
console.log(
  `      event counts minus the OD cells they cover, in 1..${k - 1}   ${`${diff.main.events.findings.length} of ${diff.main.events.pairs}`.padStart(12)}                ${`${diff.now.events.findings.length} of ${diff.now.events.pairs}`.padStart(12)}   (target: none)`,
);
console.log(
  `      consecutive fleet-state snapshots, in 1..${k - 1}     ${`${diff.main.states.under} of ${diff.main.states.pairs}`.padStart(12)} exact          ${`${diff.now.states.under} of ${diff.now.states.pairs}`.padStart(12)} noisy (ε ${statesEpsilon} each: a difference is itself noisy)`,
);
const averaged = averaging(states);
console.log(
  `      a day of a cell's snapshots averaged: error   ${'0 (exact)'.padStart(12)}                ${averaged.rmse.toFixed(2).padStart(12)} vehicles (rms over ${averaged.cells.toLocaleString('en')} cell-days; ${pct(averaged.recovered, 1)} within half a vehicle; budget ε ${statesBudget} a cell and day)`,
);
if (diff.now.events.findings.length > 0) missed.push(`differencing (counts 1..${k - 1})`);
if (averaged.recovered > 0.5) missed.push('averaging within the budget');
if (missed.length > 0) {
  console.log(`  target missed: ${missed.join(', ')}`);
  process.exitCode = 1;
}
