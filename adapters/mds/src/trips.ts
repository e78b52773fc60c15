/** An MDS trip as the adapter reads it (the fields it needs of the MDS 2.0 trip model). */
export interface Trip {
  readonly device_id: string;
  readonly trip_id: string;
  readonly start_time: number;
  readonly end_time: number;
  readonly start_location: { readonly lat: number; readonly lng: number };
  readonly end_location: { readonly lat: number; readonly lng: number };
  readonly duration: number;
  readonly distance: number;
}

/** Which character codes are hexadecimal digits (either case). */
const hexDigit = new Uint8Array(128);
for (const c of '0123456789abcdefABCDEF') hexDigit[c.charCodeAt(0)] = 1;

/** A UUID (either case), checked by character (a regular expression costs more, a million times a week). */
function isUuid(value: unknown): boolean {
  if (typeof value !== 'string' || value.length !== 36) return false;
  for (let i = 0; i < 36; i += 1) {
    const c = value.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== 45) return false;
    } else if (c > 127 || hexDigit[c] === 0) return false;
  }
  return true;
}
const minimumTime = 1_514_764_800_000;
/** 2100-01-01: a later time is a unit error (microseconds, say), and would not even make a date. */
const maximumTime = 4_102_444_800_000;
const isTime = (value: unknown): value is number =>
  typeof value === 'number' && value >= minimumTime && value < maximumTime;

const gps = (p: unknown): boolean => {
  const g = p as { lat?: unknown; lng?: unknown } | null;
  return (
    typeof g?.lat === 'number' &&
    typeof g.lng === 'number' &&
    g.lat >= -90 &&
    g.lat <= 90 &&
    g.lng >= -180 &&
    g.lng <= 180
  );
};

/**
 * Why a trip does not fit the MDS 2.0 trip model's required fields (UUIDs, millisecond times, GPS points,
 * non-negative integer duration and distance), or undefined. A hand-written check: it runs once per trip, a million
 * times a week, and the model's other members are neither read nor published.
 */
export function tripProblem(value: unknown): string | undefined {
  const t = value as Partial<Trip> | null;
  if (t === null || typeof t !== 'object') return 'not an object';
  if (!isUuid(t.device_id)) return 'device_id is not a UUID';
  if (!isUuid(t.trip_id)) return 'trip_id is not a UUID';
  if (!isTime(t.start_time)) return 'start_time is not a timestamp in milliseconds';
  if (!isTime(t.end_time) || t.end_time < t.start_time)
    return 'end_time is not a timestamp in milliseconds after start_time';
  if (!gps(t.start_location) || !gps(t.end_location)) return 'a location is not a GPS point';
  if (!Number.isInteger(t.duration) || (t.duration as number) < 0)
    return 'duration is not a non-negative integer';
  if (!Number.isInteger(t.distance) || (t.distance as number) < 0)
    return 'distance is not a non-negative integer';
  return undefined;
}

/** Trips shorter than this are not trips (a rental ended at once, a test ride). */
export const minimumTripSeconds = 60;

/** Why an event does not fit the MDS 2.0 event model's required fields, or undefined. */
export function eventProblem(value: unknown): string | undefined {
  const e = value as Record<string, unknown> | null;
  if (e === null || typeof e !== 'object') return 'not an object';
  if (!isUuid(e.device_id) || !isUuid(e.event_id)) return 'device_id or event_id is not a UUID';
  if (typeof e.vehicle_state !== 'string') return 'vehicle_state is not text';
  if (
    !Array.isArray(e.event_types) ||
    e.event_types.length === 0 ||
    !e.event_types.every((t) => typeof t === 'string')
  )
    return 'event_types is not a list of event types';
  if (!isTime(e.timestamp)) return 'timestamp is not a timestamp in milliseconds';
  if (e.location !== undefined && !gps(e.location)) return 'location is not a GPS point';
  return undefined;
}

/** Why a vehicle status does not fit the MDS 2.0 model (a device with its last event and telemetry), or undefined. */
export function vehicleStatusProblem(value: unknown): string | undefined {
  const v = value as {
    device_id?: unknown;
    last_event?: unknown;
    last_telemetry?: { location?: unknown };
  } | null;
  if (v === null || typeof v !== 'object') return 'not an object';
  if (!isUuid(v.device_id)) return 'device_id is not a UUID';
  const event = eventProblem(v.last_event);
  if (event) return `last_event: ${event}`;
  if (!gps(v.last_telemetry?.location)) return 'last_telemetry has no GPS location';
  return undefined;
}
