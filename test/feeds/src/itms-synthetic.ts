import GtfsRealtimeBindings from 'gtfs-realtime-bindings';
import { seeded } from './random.js';

/**
 * A seeded synthetic bus fleet: `routes` routes of stops zig-zagging out from around a centre (Surat by default),
 * `buses` buses driving up and down them, each trip one way along its route. Where a bus is, how fast it goes, how
 * full it is and how late it runs are functions of the seed and the instant only: the same seed and instant give
 * the same feed, and a minute later every bus has moved on.
 */
export interface SyntheticBusFleet {
  readonly buses: number;
  readonly routes: number;
  readonly seed?: number;
  /** [lon, lat]; Surat by default. */
  readonly centre?: readonly [number, number];
}

/** One record of the IUDX ITMS JSON (TransitManagement), as the Surat ITMS publishes it. */
export interface IudxItmsRecord {
  readonly last_stop_arrival_time: string;
  readonly trip_delay: number;
  readonly last_stop_id: string;
  readonly trip_direction: 'UP' | 'DN';
  readonly route_id: string;
  readonly vehicle_label: string;
  readonly trip_id: string;
  /** km/h. */
  readonly speed: number;
  readonly license_plate: string;
  readonly observationDateTime: string;
  readonly location: { readonly coordinates: [number, number]; readonly type: 'Point' };
  readonly actual_trip_start_time: string;
  /** The GTFS-realtime occupancy status, which the ITMS adapter reads as `occupancy`. */
  readonly occupancy: string;
}

interface Stop {
  readonly id: string;
  readonly lon: number;
  readonly lat: number;
  /** Metres from the route's first stop. */
  readonly at: number;
}

interface Route {
  readonly id: string;
  readonly stops: readonly Stop[];
  readonly length: number;
}

interface Bus {
  readonly index: number;
  readonly id: string;
  readonly label: string;
  readonly plate: string;
  readonly route: Route;
  /** Metres per second, when moving. */
  readonly speed: number;
  /** Where on its up-and-down cycle the bus was at time 0, in metres. */
  readonly phase: number;
  /** The bus reports every 10 seconds, this many seconds into each. */
  readonly reportOffset: number;
}

/** Where a bus was at its last report. */
interface BusState {
  readonly bus: Bus;
  /** The report's time, in POSIX seconds. */
  readonly time: number;
  readonly direction: 'UP' | 'DN';
  readonly tripId: string;
  readonly tripStart: number;
  readonly lon: number;
  readonly lat: number;
  /** Degrees clockwise from north. */
  readonly bearing: number;
  /** km/h, as the bus reports it. */
  readonly speed: number;
  readonly lastStop: Stop;
  readonly lastStopTime: number;
  readonly nextStop: Stop;
  /** The next stop's place in the trip, from 1. */
  readonly nextStopSequence: number;
  readonly delay: number;
  readonly occupancy: string;
}

const metresPerDegree = 111_320;
const plateLetters = 'ABCDEFGHJKLMNPRSTUVWXYZ';
const occupancies: readonly [string, number][] = [
  ['EMPTY', 0.1],
  ['MANY_SEATS_AVAILABLE', 0.35],
  ['FEW_SEATS_AVAILABLE', 0.25],
  ['STANDING_ROOM_ONLY', 0.2],
  ['CRUSHED_STANDING_ROOM_ONLY', 0.07],
  ['FULL', 0.03],
];

/** A well-mixed 32-bit seed from several integers, for generators that must not follow each other. */
function mix(...values: number[]): number {
  let h = 0x9e3779b9;
  for (const v of values) {
    h = Math.imul(h ^ (v >>> 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

/** The fleet's routes and buses: the same for the same seed, whatever the time. */
function build(fleet: SyntheticBusFleet): Bus[] {
  const seed = fleet.seed ?? 5;
  const random = seeded(mix(seed, 1));
  const [lon0, lat0] = fleet.centre ?? [72.83, 21.17];
  const routes: Route[] = Array.from({ length: Math.max(1, fleet.routes) }, (_, r) => {
    // A route starts somewhere in the city and zig-zags away from it, a stop every 400-700 m.
    let lon = lon0 + (random() - 0.5) * 0.08;
    let lat = lat0 + (random() - 0.5) * 0.08;
    const heading = random() * 2 * Math.PI;
    const count = 10 + Math.floor(random() * 9);
    let at = 0;
    const stops: Stop[] = [];
    for (let s = 0; s < count; s += 1) {
      if (s > 0) {
        const step = 400 + random() * 300;
        const turn = heading + (s % 2 === 0 ? 1 : -1) * (0.2 + random() * 0.4);
        lat += (Math.cos(turn) * step) / metresPerDegree;
        lon += (Math.sin(turn) * step) / (metresPerDegree * Math.cos((lat * Math.PI) / 180));
        at += step;
      }
      stops.push({ id: String(1000 + r * 100 + s), lon, lat, at });
    }
    return { id: String(101 + r), stops, length: at };
  });
  return Array.from({ length: fleet.buses }, (_, b) => {
    const route = routes[b % routes.length] as Route;
    const letter = (i: number) => plateLetters[i % plateLetters.length];
    return {
      index: b,
      id: `V${String(b + 1).padStart(4, '0')}`,
      label: `${String.fromCharCode(65 + (b % 26))}${String(Math.floor(b / 26) + 1).padStart(2, '0')}`,
      plate: `GJ05${letter(Math.floor(random() * 23))}${letter(Math.floor(random() * 23))}${1000 + ((b * 7 + Math.floor(random() * 9000)) % 9000)}`,
      route,
      speed: (15 + random() * 17) / 3.6,
      phase: random() * 2 * route.length,
      reportOffset: Math.floor(random() * 10),
    };
  });
}

function bearingOf(from: Stop, to: Stop): number {
  const dx = (to.lon - from.lon) * Math.cos((from.lat * Math.PI) / 180);
  const dy = to.lat - from.lat;
  return Math.round((((Math.atan2(dx, dy) * 180) / Math.PI + 360) % 360) * 10) / 10;
}

function state(bus: Bus, now: number, buses: number, seed: number): BusState {
  const { route } = bus;
  const time = now - ((((now + bus.reportOffset) % 10) + 10) % 10);
  // Up the route, then down it, then up again: each way is a trip.
  const travelled = bus.phase + bus.speed * time;
  const leg = Math.floor(travelled / route.length);
  const into = travelled - leg * route.length;
  const direction = leg % 2 === 0 ? 'UP' : 'DN';
  const along = direction === 'UP' ? into : route.length - into;
  const stops = route.stops;
  let i = 0;
  while (i < stops.length - 2 && (stops[i + 1] as Stop).at <= along) i += 1;
  const a = stops[i] as Stop;
  const b = stops[i + 1] as Stop;
  const f = (along - a.at) / (b.at - a.at);
  const [lastStop, nextStop] = direction === 'UP' ? [a, b] : [b, a];
  const trip = seeded(mix(seed, bus.index, leg, 2));
  const late = Math.round(-60 + trip() * 420 + (into / route.length) * trip() * 300);
  const minute = seeded(mix(seed, bus.index, Math.floor(time / 60), 3));
  const speed = Math.round(bus.speed * 3.6 * (0.7 + minute() * 0.6));
  const crowd = seeded(mix(seed, bus.index, Math.floor(time / 300), 4))();
  let occupancy = 'FULL';
  let sum = 0;
  for (const [status, share] of occupancies) {
    sum += share;
    if (crowd < sum) {
      occupancy = status;
      break;
    }
  }
  return {
    bus,
    time,
    direction,
    tripId: String(leg * buses + bus.index),
    tripStart: Math.floor(time - into / bus.speed),
    lon: Math.round((a.lon + (b.lon - a.lon) * f) * 1e6) / 1e6,
    lat: Math.round((a.lat + (b.lat - a.lat) * f) * 1e6) / 1e6,
    bearing: bearingOf(lastStop, nextStop),
    speed,
    lastStop,
    lastStopTime: Math.floor(time - Math.abs(along - lastStop.at) / bus.speed),
    nextStop,
    nextStopSequence: direction === 'UP' ? i + 2 : stops.length - i,
    delay: late,
    occupancy,
  };
}

function fleetAt(fleet: SyntheticBusFleet, at: Date): BusState[] {
  const now = Math.floor(at.getTime() / 1000);
  return build(fleet).map((bus) => state(bus, now, fleet.buses, fleet.seed ?? 5));
}

/** India Standard Time, as the IUDX samples write it: `2020-09-16T13:30:00+05:30`. */
function ist(seconds: number): string {
  return `${new Date((seconds + 19_800) * 1000).toISOString().slice(0, 19)}+05:30`;
}

const { FeedMessage } = GtfsRealtimeBindings.transit_realtime;

/** The fleet as a GTFS-realtime FeedMessage of VehiclePosition entities (speed in m/s), at `at`. */
export function syntheticGtfsRealtime(fleet: SyntheticBusFleet, at: Date): Uint8Array {
  const entity = fleetAt(fleet, at).map((s) => ({
    id: s.bus.id,
    vehicle: {
      trip: { tripId: s.tripId, routeId: s.bus.route.id, directionId: s.direction === 'UP' ? 0 : 1 },
      vehicle: { id: s.bus.id, label: s.bus.label, licensePlate: s.bus.plate },
      position: { latitude: s.lat, longitude: s.lon, bearing: s.bearing, speed: s.speed / 3.6 },
      currentStopSequence: s.nextStopSequence,
      stopId: s.nextStop.id,
      currentStatus: 'IN_TRANSIT_TO',
      timestamp: s.time,
      occupancyStatus: s.occupancy,
    },
  }));
  const message = FeedMessage.fromObject({
    header: {
      gtfsRealtimeVersion: '2.0',
      incrementality: 'FULL_DATASET',
      timestamp: Math.floor(at.getTime() / 1000),
    },
    entity,
  });
  return FeedMessage.encode(message).finish();
}

/** The fleet as IUDX ITMS JSON records (speed in km/h, times in India Standard Time), at `at`. */
export function syntheticIudxItms(fleet: SyntheticBusFleet, at: Date): IudxItmsRecord[] {
  return fleetAt(fleet, at).map((s) => ({
    last_stop_arrival_time: ist(s.lastStopTime).slice(11, 19),
    trip_delay: s.delay,
    last_stop_id: s.lastStop.id,
    trip_direction: s.direction,
    route_id: s.bus.route.id,
    vehicle_label: s.bus.label,
    trip_id: s.tripId,
    speed: s.speed,
    license_plate: s.bus.plate,
    observationDateTime: ist(s.time),
    location: { coordinates: [s.lon, s.lat], type: 'Point' },
    actual_trip_start_time: ist(s.tripStart),
    occupancy: s.occupancy,
  }));
}
