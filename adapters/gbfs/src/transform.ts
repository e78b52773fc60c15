import { individualsMember } from '@sangam/core';
import { type CellNoise, defaultK, h3Binner, h3Centre, releaseCounts, timeBucket } from '@sangam/privacy';
import { gbfsTime } from './feeds.js';
import type { GbfsVersion } from './schemas.js';

/** One station's availability as published. */
export interface StationRecord {
  readonly id: string;
  readonly observedAt: string;
  readonly name?: string;
  readonly location?: { type: 'Point'; coordinates: [number, number] };
  readonly vehiclesAvailable: number;
  readonly docksAvailable?: number;
  readonly isInstalled: boolean;
  readonly isRenting: boolean;
  readonly isReturning: boolean;
  readonly lastReported?: string;
  readonly vehicleTypesAvailable?: readonly { vehicleType: string; count: number }[];
}

interface StationInfo {
  readonly name?: string;
  readonly lat: number;
  readonly lon: number;
}

/** Station id → name and place, from station_information (3.0 names are lists of translations). */
export function stationPlaces(information: unknown): Map<string, StationInfo> {
  const stations = ((information as { data?: { stations?: unknown } })?.data?.stations ?? []) as Record<
    string,
    unknown
  >[];
  const places = new Map<string, StationInfo>();
  for (const s of stations) {
    if (typeof s.station_id !== 'string' || typeof s.lat !== 'number' || typeof s.lon !== 'number') continue;
    const name = Array.isArray(s.name)
      ? (s.name as { text?: unknown }[]).find((n) => typeof n.text === 'string')?.text
      : s.name;
    places.set(s.station_id, { lat: s.lat, lon: s.lon, ...(typeof name === 'string' ? { name } : {}) });
  }
  return places;
}

/** Station availability: public infrastructure, published per station at the feed's time. */
export function stationRecords(
  status: unknown,
  places: ReadonlyMap<string, StationInfo>,
  version: GbfsVersion,
  observedAt: string,
): StationRecord[] {
  const stations = ((status as { data?: { stations?: unknown } })?.data?.stations ?? []) as Record<
    string,
    unknown
  >[];
  return stations.map((s) => {
    const id = String(s.station_id);
    const place = places.get(id);
    const available = (version === '3.0' ? s.num_vehicles_available : s.num_bikes_available) as number;
    const types = s.vehicle_types_available as { vehicle_type_id: string; count: number }[] | undefined;
    const lastReported = gbfsTime(s.last_reported);
    return {
      id,
      observedAt,
      ...(place?.name ? { name: place.name } : {}),
      ...(place
        ? { location: { type: 'Point' as const, coordinates: [place.lon, place.lat] as [number, number] } }
        : {}),
      vehiclesAvailable: available,
      ...(typeof s.num_docks_available === 'number' ? { docksAvailable: s.num_docks_available } : {}),
      isInstalled: s.is_installed === true,
      isRenting: s.is_renting === true,
      isReturning: s.is_returning === true,
      ...(lastReported ? { lastReported } : {}),
      ...(types
        ? { vehicleTypesAvailable: types.map((t) => ({ vehicleType: t.vehicle_type_id, count: t.count })) }
        : {}),
    };
  });
}

export interface VehicleCellRecord {
  readonly id: string;
  readonly observedAt: string;
  readonly cell: string;
  readonly resolution: number;
  readonly vehicleType: string;
  readonly available: number;
  readonly location: { type: 'Point'; coordinates: [number, number] };
  readonly bucketMinutes: number;
  readonly k: number;
  readonly epsilon?: number;
  /** The vehicles counted (noisy with the count), kept by the gateway for the release-time k, never released. */
  readonly [individualsMember]: number;
}

export interface VehicleAggregation {
  readonly records: VehicleCellRecord[];
  readonly vehicles: number;
  readonly suppressed: number;
  /** Cells withheld because their ε budget for the day was spent. */
  readonly overBudget: number;
}

/** The vehicles a vehicle_status (3.0) or free_bike_status (2.x) document lists. */
export function vehicleList(feed: unknown, version: GbfsVersion): Record<string, unknown>[] {
  return ((feed as { data?: Record<string, unknown> })?.data?.[version === '3.0' ? 'vehicles' : 'bikes'] ??
    []) as Record<string, unknown>[];
}

/**
 * Vehicle availability without vehicles: each available vehicle (not reserved, not disabled) is counted in the H3
 * cell of its position (or of its station's) by vehicle type, the cells counting fewer than k are withheld, and the
 * rest are published for the time bucket of the feed's time. Nothing of a vehicle but its cell and type is read
 * past this function: ids, rental URIs, ranges and plans never leave it.
 */
export function vehicleCells(
  feed: unknown,
  version: GbfsVersion,
  places: ReadonlyMap<string, StationInfo>,
  options: { resolution: number; bucketMinutes: number; k?: number; noise?: CellNoise; feedTime: string },
): VehicleAggregation {
  const list = vehicleList(feed, version);
  // k counts individuals: a vehicle the feed lists twice is one vehicle. Listings without an id (against the
  // specification) are available vehicles, but count as one individual together: nothing says they are more.
  const counts = new Map<
    string,
    { cell: string; vehicleType: string; ids: Set<string>; count: number; anonymous: boolean }
  >();
  const binner = h3Binner(options.resolution);
  for (const v of list) {
    if (v.is_reserved === true || v.is_disabled === true) continue;
    const station = typeof v.station_id === 'string' ? places.get(v.station_id) : undefined;
    const lat = typeof v.lat === 'number' ? v.lat : station?.lat;
    const lon = typeof v.lon === 'number' ? v.lon : station?.lon;
    if (lat === undefined || lon === undefined) continue;
    let cell: string;
    try {
      cell = binner.cell(lat, lon);
    } catch {
      continue;
    }
    const vehicleType = typeof v.vehicle_type_id === 'string' ? v.vehicle_type_id : 'unspecified';
    const key = `${cell}:${vehicleType}`;
    const entry = counts.get(key) ?? {
      cell,
      vehicleType,
      ids: new Set<string>(),
      count: 0,
      anonymous: false,
    };
    const id = version === '3.0' ? v.vehicle_id : v.bike_id;
    if (typeof id !== 'string' || id === '') {
      entry.count += 1;
      entry.anonymous = true;
    } else if (!entry.ids.has(id)) {
      entry.ids.add(id);
      entry.count += 1;
    }
    counts.set(key, entry);
  }
  const k = options.k ?? defaultK;
  // The decision weighs individuals; `available` is what the cell offers (the noisy count of vehicles with noise).
  const released = releaseCounts(
    [...counts.values()].map((c) => ({
      ...c,
      key: `${c.cell}:${c.vehicleType}`,
      count: c.count,
      individuals: c.ids.size + (c.anonymous ? 1 : 0),
    })),
    k,
    options.noise,
  );
  const observedAt = timeBucket(new Date(options.feedTime), options.bucketMinutes).toISOString();
  const records = released.published
    .sort((a, b) => (a.cell.key < b.cell.key ? -1 : 1))
    .map(({ cell: c, count, individuals, epsilon }) => ({
      id: c.key,
      observedAt,
      cell: c.cell,
      resolution: options.resolution,
      vehicleType: c.vehicleType,
      available: count,
      location: h3Centre(c.cell),
      bucketMinutes: options.bucketMinutes,
      k,
      ...(epsilon !== undefined ? { epsilon } : {}),
      [individualsMember]: individuals,
    }));
  const suppressed = released.suppressed;
  return { records, vehicles: list.length, suppressed, overBudget: released.overBudget };
}
