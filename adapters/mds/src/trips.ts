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

/** A lower-case UUID, checked by character (a regular expression costs more, a million times a week). */
function isUuid(value: unknown): boolean {
  if (typeof value !== 'string' || value.length !== 36) return false;
  for (let i = 0; i < 36; i += 1) {
    const c = value.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== 45) return false;
    } else if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}
const minimumTime = 1_514_764_800_000;

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
  if (typeof t.start_time !== 'number' || t.start_time < minimumTime) return 'start_time is not a timestamp';
  if (typeof t.end_time !== 'number' || t.end_time < t.start_time)
    return 'end_time is not a timestamp after start_time';
  if (!gps(t.start_location) || !gps(t.end_location)) return 'a location is not a GPS point';
  if (!Number.isInteger(t.duration) || (t.duration as number) < 0)
    return 'duration is not a non-negative integer';
  if (!Number.isInteger(t.distance) || (t.distance as number) < 0)
    return 'distance is not a non-negative integer';
  return undefined;
}

/** Trips shorter than this are not trips (a rental ended at once, a test ride). */
export const minimumTripSeconds = 60;
