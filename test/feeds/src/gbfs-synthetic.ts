import { seeded } from './random.js';

/**
 * Seeded synthetic GBFS feeds of any size, valid against the official 2.3 and 3.0 schemas: a city of `stations`
 * stations and `vehicles` free-floating vehicles around a centre, the same for the same seed.
 */
export interface SyntheticCity {
  readonly stations: number;
  readonly vehicles: number;
  readonly seed?: number;
  readonly centre?: readonly [number, number];
  /** The feeds' `ttl`, in seconds (0 by default). */
  readonly ttl?: number;
}

const types = ['scooter', 'ebike', 'bike'];

export function syntheticGbfs(version: '2.3' | '3.0', file: string, city: SyntheticCity, at: Date): unknown {
  const random = seeded(city.seed ?? 7);
  const [lon0, lat0] = city.centre ?? [72.83, 21.17];
  const time =
    version === '3.0' ? at.toISOString().replace(/\.\d{3}Z$/, 'Z') : Math.floor(at.getTime() / 1000);
  const head = { last_updated: time, ttl: city.ttl ?? 0, version };
  const point = () => ({ lat: lat0 + (random() - 0.5) * 0.12, lon: lon0 + (random() - 0.5) * 0.12 });
  if (file === 'station_information') {
    const stations = Array.from({ length: city.stations }, (_, i) => {
      const { lat, lon } = point();
      const name = `Station ${i + 1}`;
      return {
        station_id: `st-${i + 1}`,
        name: version === '3.0' ? [{ text: name, language: 'en' }] : name,
        lat,
        lon,
      };
    });
    return { ...head, data: { stations } };
  }
  if (file === 'station_status') {
    const stations = Array.from({ length: city.stations }, (_, i) => {
      const available = Math.floor(random() * 12);
      return {
        station_id: `st-${i + 1}`,
        [version === '3.0' ? 'num_vehicles_available' : 'num_bikes_available']: available,
        num_docks_available: 12 - available,
        is_installed: true,
        is_renting: true,
        is_returning: true,
        last_reported: time,
      };
    });
    return { ...head, data: { stations } };
  }
  if (file === 'free_bike_status' || file === 'vehicle_status') {
    const vehicles = Array.from({ length: city.vehicles }, (_, i) => {
      const { lat, lon } = point();
      const id = `veh-${(city.seed ?? 7).toString(36)}-${i.toString(36).padStart(6, '0')}`;
      return {
        [version === '3.0' ? 'vehicle_id' : 'bike_id']: id,
        lat,
        lon,
        is_reserved: random() < 0.05,
        is_disabled: random() < 0.03,
        vehicle_type_id: types[Math.floor(random() * types.length)],
        rental_uris: { android: `https://rent.example/${id}`, ios: `https://rent.example/${id}` },
        current_range_meters: Math.floor(random() * 30_000),
      };
    });
    return { ...head, data: { [version === '3.0' ? 'vehicles' : 'bikes']: vehicles } };
  }
  return undefined;
}
