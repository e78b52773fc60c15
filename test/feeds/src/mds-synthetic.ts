import { seeded } from './random.js';

/**
 * A seeded synthetic MDS 2.0 provider: a fleet in a city with trips every hour, more at the morning and evening
 * peaks, each trip valid against the MDS trip model (micromobility). The same seed and hour give the same trips.
 */
export interface SyntheticFleet {
  readonly devices: number;
  /** Trips in an average hour; peaks have about three times as many, nights a fifth. */
  readonly tripsPerHour: number;
  readonly seed?: number;
  readonly centre?: readonly [number, number];
}

export interface MdsTrip {
  readonly provider_id: string;
  readonly device_id: string;
  readonly trip_id: string;
  readonly trip_type: ['rider'];
  readonly start_time: number;
  readonly end_time: number;
  readonly start_location: { lat: number; lng: number };
  readonly end_location: { lat: number; lng: number };
  readonly duration: number;
  readonly distance: number;
}

export const syntheticProviderId = '5f7114d1-4091-46ee-b492-e55875f7de00';

/** A version-4-shaped UUID from a seeded generator. */
function uuid(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${'89ab'[Math.floor(random() * 4)]}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** How busy an hour of the day is: peaks at 8-9 and 18-19 (UTC+5:30 local: 2:30 and 12:30 UTC), quiet at night. */
function weight(hourUtc: number): number {
  const local = (hourUtc + 5.5) % 24;
  const peak = (h: number) => Math.exp(-((local - h) ** 2) / 2);
  return 0.2 + 2.5 * (peak(8.5) + peak(18.5)) + (local >= 7 && local <= 21 ? 0.6 : 0);
}

const metresPerDegree = 111_320;

/** The trips that ended in the UTC hour starting at `hourStart` (ms). */
export function syntheticTrips(fleet: SyntheticFleet, hourStart: number): MdsTrip[] {
  const hour = Math.floor(hourStart / 3_600_000);
  const random = seeded(((fleet.seed ?? 1) * 1_000_003) ^ hour);
  const devices = seeded(fleet.seed ?? 1);
  const deviceIds = Array.from({ length: fleet.devices }, () => uuid(devices));
  const [lng0, lat0] = fleet.centre ?? [72.83, 21.17];
  const count = Math.round(fleet.tripsPerHour * weight(new Date(hourStart).getUTCHours()));
  // A few hotspots (stations, campuses, markets) where trips start and end more often.
  const spots = Array.from(
    { length: 8 },
    () => [lat0 + (random() - 0.5) * 0.1, lng0 + (random() - 0.5) * 0.1] as const,
  );
  const place = (): [number, number] => {
    const near = random() < 0.8 ? spots[Math.floor(random() * spots.length)] : undefined;
    const [lat, lng] = near ?? [lat0 + (random() - 0.5) * 0.14, lng0 + (random() - 0.5) * 0.14];
    return [lat + (random() - 0.5) * 0.004, lng + (random() - 0.5) * 0.004];
  };
  const trips: MdsTrip[] = [];
  for (let i = 0; i < count; i += 1) {
    const [lat, lng] = place();
    // Some trips are abandoned at once (under a minute); the adapter must not count them.
    const short = random() < 0.03;
    const distance = short ? Math.floor(random() * 30) : Math.floor(300 + random() * 4500);
    const speed = 3 + random() * 3;
    const duration = short
      ? Math.floor(5 + random() * 50)
      : Math.floor(distance / speed + 30 + random() * 120);
    // Most trips go from one hotspot to another (commutes); the rest wander off in any direction.
    const commute = !short && random() < 0.6;
    const bearing = random() * 2 * Math.PI;
    const [endLat, endLng] = commute
      ? place()
      : [
          lat + (Math.cos(bearing) * distance) / metresPerDegree,
          lng + (Math.sin(bearing) * distance) / (metresPerDegree * Math.cos((lat * Math.PI) / 180)),
        ];
    const end = { lat: endLat, lng: endLng };
    const endTime = hourStart + Math.floor(random() * 3_600_000);
    trips.push({
      provider_id: syntheticProviderId,
      device_id: deviceIds[Math.floor(random() * deviceIds.length)] as string,
      trip_id: uuid(random),
      trip_type: ['rider'],
      start_time: endTime - duration * 1000,
      end_time: endTime,
      start_location: { lat, lng },
      end_location: end,
      duration,
      distance,
    });
  }
  return trips;
}

export interface MdsEvent {
  readonly provider_id: string;
  readonly device_id: string;
  readonly event_id: string;
  readonly vehicle_state: string;
  readonly event_types: string[];
  readonly timestamp: number;
  readonly location: { lat: number; lng: number };
  readonly trip_ids: string[];
}

/** Eventually id-like text made from other ids, so events are the same on every call for the same hour. */
function derivedUuid(seed: string, salt: string): string {
  let h1 = 2166136261;
  let h2 = 5381;
  const text = `${seed}/${salt}`;
  for (let i = 0; i < text.length; i += 1) {
    h1 = Math.imul(h1 ^ text.charCodeAt(i), 16777619) >>> 0;
    h2 = (Math.imul(h2, 33) + text.charCodeAt(i)) >>> 0;
  }
  return uuid(seeded(h1 ^ h2));
}

/** The events of an hour: each trip's start and end that fall in it (MDS `/events/historical`). */
export function syntheticEvents(fleet: SyntheticFleet, hourStart: number): MdsEvent[] {
  const within = (t: number) => t >= hourStart && t < hourStart + 3_600_000;
  const events: MdsEvent[] = [];
  for (const offset of [0, 1]) {
    for (const trip of syntheticTrips(fleet, hourStart + offset * 3_600_000)) {
      if (within(trip.start_time)) {
        events.push({
          provider_id: trip.provider_id,
          device_id: trip.device_id,
          event_id: derivedUuid(trip.trip_id, 'start'),
          vehicle_state: 'on_trip',
          event_types: ['trip_start'],
          timestamp: trip.start_time,
          location: trip.start_location,
          trip_ids: [trip.trip_id],
        });
      }
      if (within(trip.end_time)) {
        events.push({
          provider_id: trip.provider_id,
          device_id: trip.device_id,
          event_id: derivedUuid(trip.trip_id, 'end'),
          vehicle_state: 'available',
          event_types: ['trip_end'],
          timestamp: trip.end_time,
          location: trip.end_location,
          trip_ids: [trip.trip_id],
        });
      }
    }
  }
  return events.sort((a, b) => a.timestamp - b.timestamp);
}

/** Every device's current state, last event and last telemetry (MDS `/vehicles/status`), as of `at`. */
export function syntheticVehicleStatus(fleet: SyntheticFleet, at: number): object[] {
  const devices = seeded(fleet.seed ?? 1);
  const deviceIds = Array.from({ length: fleet.devices }, () => uuid(devices));
  const minute = Math.floor(at / 60_000);
  const random = seeded(((fleet.seed ?? 1) * 7_368_787) ^ minute);
  const [lng0, lat0] = fleet.centre ?? [72.83, 21.17];
  const hotspots = seeded((fleet.seed ?? 1) * 7919);
  const spots = Array.from(
    { length: 6 },
    () => [lat0 + (hotspots() - 0.5) * 0.1, lng0 + (hotspots() - 0.5) * 0.1] as const,
  );
  return deviceIds.map((device_id) => {
    const r = random();
    const state = r < 0.7 ? 'available' : r < 0.85 ? 'on_trip' : r < 0.95 ? 'non_operational' : 'reserved';
    const [lat, lng] = spots[Math.floor(random() * spots.length)] ?? [lat0, lng0];
    const location = { lat: lat + (random() - 0.5) * 0.01, lng: lng + (random() - 0.5) * 0.01 };
    const timestamp = at - Math.floor(random() * 600_000);
    return {
      device_id,
      provider_id: syntheticProviderId,
      last_event: {
        device_id,
        provider_id: syntheticProviderId,
        event_id: derivedUuid(device_id, `event-${minute}`),
        vehicle_state: state,
        event_types: [
          state === 'on_trip' ? 'trip_start' : state === 'available' ? 'trip_end' : 'maintenance',
        ],
        timestamp,
        location,
        trip_ids: [],
      },
      last_telemetry: {
        device_id,
        provider_id: syntheticProviderId,
        telemetry_id: derivedUuid(device_id, `telemetry-${minute}`),
        timestamp,
        trip_ids: [],
        journey_id: derivedUuid(device_id, 'journey'),
        location,
      },
    };
  });
}
