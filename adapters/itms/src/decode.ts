import GtfsRealtimeBindings from 'gtfs-realtime-bindings';

/** One bus observation, from either feed, before anything is published. */
export interface BusObservation {
  /** The operator's vehicle label (pseudonymised before publishing; never published as is). */
  readonly label: string;
  readonly observedAt: string;
  readonly lat: number;
  readonly lon: number;
  readonly routeId?: string;
  readonly tripId?: string;
  readonly tripDirection?: string;
  readonly tripDelay?: number;
  readonly lastStopId?: string;
  readonly lastStopArrivalTime?: string;
  /** km/h. */
  readonly speed?: number;
  readonly bearing?: number;
  readonly occupancy?: string;
}

const { FeedMessage } = GtfsRealtimeBindings.transit_realtime;

/**
 * GTFS-realtime VehiclePosition entities (protobuf). Speed arrives in m/s and leaves in km/h; a vehicle without its
 * own timestamp takes the feed's. The licence plate the descriptor may carry is never read.
 */
export function fromGtfsRealtime(
  bytes: Uint8Array,
  fallbackTime: Date,
): { observations: BusObservation[]; feedTime: string } {
  const message = FeedMessage.toObject(FeedMessage.decode(bytes), { longs: Number, enums: String }) as {
    header?: { timestamp?: number };
    entity?: {
      vehicle?: {
        trip?: { routeId?: string; tripId?: string; directionId?: number };
        position?: { latitude?: number; longitude?: number; bearing?: number; speed?: number };
        vehicle?: { id?: string; label?: string };
        timestamp?: number;
        occupancyStatus?: string;
      };
    }[];
  };
  const feedTime = message.header?.timestamp ? new Date(message.header.timestamp * 1000) : fallbackTime;
  const observations: BusObservation[] = [];
  for (const entity of message.entity ?? []) {
    const v = entity.vehicle;
    const label = v?.vehicle?.label || v?.vehicle?.id;
    const lat = v?.position?.latitude;
    const lon = v?.position?.longitude;
    if (!v || !label || typeof lat !== 'number' || typeof lon !== 'number') continue;
    observations.push({
      label,
      observedAt: (v.timestamp ? new Date(v.timestamp * 1000) : feedTime).toISOString(),
      lat,
      lon,
      ...(v.trip?.routeId ? { routeId: v.trip.routeId } : {}),
      ...(v.trip?.tripId ? { tripId: v.trip.tripId } : {}),
      ...(v.trip?.directionId !== undefined ? { tripDirection: String(v.trip.directionId) } : {}),
      ...(typeof v.position?.speed === 'number'
        ? { speed: Math.round(v.position.speed * 3.6 * 10) / 10 }
        : {}),
      ...(typeof v.position?.bearing === 'number' ? { bearing: v.position.bearing } : {}),
      ...(v.occupancyStatus ? { occupancy: v.occupancyStatus } : {}),
    });
  }
  return { observations, feedTime: feedTime.toISOString() };
}

/** IUDX-style ITMS JSON (one record, a list, or `{results: [...]}`); its speed is already km/h. */
export function fromIudxItms(document: unknown): BusObservation[] {
  const list = Array.isArray(document)
    ? document
    : Array.isArray((document as { results?: unknown })?.results)
      ? (document as { results: unknown[] }).results
      : [document];
  const observations: BusObservation[] = [];
  for (const raw of list as Record<string, unknown>[]) {
    const location = raw?.location as { coordinates?: unknown } | undefined;
    const [lon, lat] = Array.isArray(location?.coordinates) ? (location.coordinates as unknown[]) : [];
    const at =
      typeof raw?.observationDateTime === 'string' ? Date.parse(raw.observationDateTime) : Number.NaN;
    if (
      typeof raw?.vehicle_label !== 'string' ||
      typeof lat !== 'number' ||
      typeof lon !== 'number' ||
      Number.isNaN(at)
    ) {
      continue;
    }
    const text = (key: string) => (typeof raw[key] === 'string' ? { [key]: raw[key] as string } : {});
    observations.push({
      label: raw.vehicle_label,
      observedAt: new Date(at).toISOString(),
      lat,
      lon,
      ...(typeof raw.route_id === 'string' ? { routeId: raw.route_id } : {}),
      ...(typeof raw.trip_id === 'string' ? { tripId: raw.trip_id } : {}),
      ...(typeof raw.trip_direction === 'string' ? { tripDirection: raw.trip_direction } : {}),
      ...(typeof raw.trip_delay === 'number' ? { tripDelay: raw.trip_delay } : {}),
      ...(typeof raw.last_stop_id === 'string' ? { lastStopId: raw.last_stop_id } : {}),
      ...(typeof raw.last_stop_arrival_time === 'string'
        ? { lastStopArrivalTime: raw.last_stop_arrival_time }
        : {}),
      ...(typeof raw.speed === 'number' ? { speed: raw.speed } : {}),
      ...text('occupancy'),
    });
  }
  return observations;
}
