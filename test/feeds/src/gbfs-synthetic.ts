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
  /** The system's IANA time zone (Asia/Kolkata by default). */
  readonly timezone?: string;
}

const types = ['scooter', 'ebike', 'bike'];

export function syntheticGbfs(version: '2.3' | '3.0', file: string, city: SyntheticCity, at: Date): unknown {
  const random = seeded(city.seed ?? 7);
  const [lon0, lat0] = city.centre ?? [72.83, 21.17];
  const time =
    version === '3.0' ? at.toISOString().replace(/\.\d{3}Z$/, 'Z') : Math.floor(at.getTime() / 1000);
  const head = { last_updated: time, ttl: city.ttl ?? 0, version };
  const point = () => ({ lat: lat0 + (random() - 0.5) * 0.12, lon: lon0 + (random() - 0.5) * 0.12 });
  if (file === 'system_information') {
    const name = `Synthetic city ${city.seed ?? 7}`;
    const system_id = `synthetic-${city.seed ?? 7}`;
    const timezone = city.timezone ?? 'Asia/Kolkata';
    return {
      ...head,
      data:
        version === '3.0'
          ? {
              system_id,
              languages: ['en'],
              name: [{ text: name, language: 'en' }],
              opening_hours: '24/7',
              feed_contact_email: 'feeds@synthetic.example',
              timezone,
            }
          : { system_id, language: 'en', name, timezone },
    };
  }
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

/** The files a synthetic city publishes, by GBFS version, as its discovery file lists them. */
export const syntheticGbfsFeeds: Readonly<Record<'2.3' | '3.0', readonly string[]>> = {
  '2.3': ['system_information', 'station_information', 'station_status', 'free_bike_status'],
  '3.0': ['system_information', 'station_information', 'station_status', 'vehicle_status'],
};

/**
 * A synthetic city's discovery file (gbfs.json), its feeds at `prefix` + `<name>.json`: 2.3 lists them in English
 * (`data.en.feeds`), 3.0 once (`data.feeds`).
 */
export function syntheticGbfsDiscovery(
  version: '2.3' | '3.0',
  city: SyntheticCity,
  at: Date,
  prefix: string,
): unknown {
  const time =
    version === '3.0' ? at.toISOString().replace(/\.\d{3}Z$/, 'Z') : Math.floor(at.getTime() / 1000);
  const feeds = syntheticGbfsFeeds[version].map((name) => ({ name, url: `${prefix}${name}.json` }));
  return {
    last_updated: time,
    ttl: city.ttl ?? 0,
    version,
    data: version === '3.0' ? { feeds } : { en: { feeds } },
  };
}
