import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import GtfsRealtimeBindings from 'gtfs-realtime-bindings';

const fixtures = resolve(import.meta.dirname, '../../../../shared/fixtures');
const { FeedMessage } = GtfsRealtimeBindings.transit_realtime;

const gtfsFixtures: Record<string, string> = {
  bullrunner: 'bullrunner-vehicle-positions.pb',
  bindings: 'gtfs-realtime-bindings_vehicle_position.pb',
};

/**
 * The ITMS fixtures as live feeds: `/itms/gtfs-rt/<bullrunner|bindings>.pb` (the real captures, their header time
 * made current) and `/itms/iudx.json` (the two Surat ITMS records, observed now, each bus moved a little per minute).
 */
export function itmsDocument(path: string, at: Date): Uint8Array | object | undefined {
  const gtfs = /^\/itms\/gtfs-rt\/([a-z]+)\.pb$/.exec(path);
  if (gtfs) {
    const file = gtfsFixtures[gtfs[1] ?? ''];
    if (!file) return undefined;
    const message = FeedMessage.decode(readFileSync(join(fixtures, 'gtfsrt', file)));
    message.header.timestamp = Math.floor(at.getTime() / 1000);
    return FeedMessage.encode(message).finish();
  }
  if (path === '/itms/iudx.json') {
    const minute = Math.floor(at.getTime() / 60_000) % 60;
    const records = ['surat-itms_dataSample.json', 'udx-compliance-spec_transit-management-example.json'].map(
      (f) => {
        const record = JSON.parse(readFileSync(join(fixtures, 'itms', f), 'utf8')) as {
          location: { coordinates: [number, number] };
        };
        const [lon, lat] = record.location.coordinates;
        return {
          ...record,
          observationDateTime: at.toISOString(),
          location: { type: 'Point', coordinates: [lon + minute * 0.0005, lat] },
        };
      },
    );
    return records;
  }
  return undefined;
}
