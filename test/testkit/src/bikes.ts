import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stationAvailabilityModel, vehicleAvailabilityModel } from '@sangam/adapter-gbfs';
import type { FeedServer } from '@sangam/feeds';
import type { Alliance } from '@sangam/testkit';

/**
 * Yulu's bikes for an adapter in its own process: its two GBFS resources, an MoU covering them signed by all, a
 * provider client for the adapter, and the adapter's configuration file in `dir`, publishing to the alliance's
 * gateway (or the one named) over HTTP from the feed server's synthetic city `surat`. Returns the file's path.
 */
export async function yuluAdapterConfig(
  a: Alliance,
  feeds: FeedServer,
  dir: string,
  options: { readonly gatewayUrl?: string; readonly pollSeconds?: number } = {},
): Promise<string> {
  for (const [id, model, level] of [
    ['yulu/bikes/stations', stationAvailabilityModel, 'anonymised-record'],
    ['yulu/bikes/vehicles', vehicleAvailabilityModel, 'aggregate'],
  ] as const) {
    await a.resource('yulu', id, model, { releaseLevel: level, adapter: 'gbfs' });
  }
  const mou = await a.newMou(['yulu', 'svnit'], {
    datasets: [{ group: 'yulu/bikes', maxReleaseLevel: 'anonymised-record' }],
  });
  await a.signAll(mou, ['admin', 'yulu', 'svnitAdmin']);
  const client = await a.gw.api.post('/consent/v1/clients', {
    token: await a.gw.adminToken(),
    json: { organisation: 'yulu', roles: ['provider'] },
  });
  const { clientId, clientSecret } = client.body.results;
  feeds.city('surat', { stations: 10, vehicles: 200, seed: 3, ttl: 0 });
  const file = join(dir, 'yulu.json');
  writeFileSync(
    file,
    JSON.stringify({
      name: 'yulu-gbfs',
      kind: 'gbfs',
      feed: feeds.gbfs('3.0', 'surat'),
      allowHosts: ['127.0.0.1'],
      provider: 'yulu',
      mou,
      resources: { stations: 'yulu/bikes/stations', vehicles: 'yulu/bikes/vehicles' },
      pollSeconds: options.pollSeconds ?? 0.2,
      privacy: { h3Resolution: 7, bucketMinutes: 15 },
      gateway: { url: options.gatewayUrl ?? a.gw.url, clientId, clientSecret },
      stateDir: join(dir, 'state'),
    }),
  );
  return file;
}
