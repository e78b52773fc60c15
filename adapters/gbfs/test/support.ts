import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAdapterConfig } from '@sangam/adapter-kit';
import { hostAdapter } from '@sangam/gateway';
import { createLogger } from '@sangam/http';
import type { Alliance } from '@sangam/testkit';
import { stationAvailabilityModel, vehicleAvailabilityModel } from '../src/index.js';

export const stations = 'yulu/bikes/stations';
export const vehicles = 'yulu/bikes/vehicles';

/** Yulu registers its two GBFS resources, and an MoU covering them with k as given is signed by all. */
export async function gbfsAlliance(a: Alliance, k?: number): Promise<string> {
  for (const [id, model, level] of [
    [stations, stationAvailabilityModel, 'anonymised-record'],
    [vehicles, vehicleAvailabilityModel, 'aggregate'],
  ] as const) {
    await a.resource('yulu', id, model, { releaseLevel: level, adapter: 'gbfs' });
  }
  const mou = await a.newMou(['yulu', 'svnit'], {
    datasets: [
      { group: 'yulu/bikes', maxReleaseLevel: 'anonymised-record', ...(k ? { minimumCellCount: k } : {}) },
    ],
  });
  await a.signAll(mou, ['admin', 'yulu', 'svnitAdmin']);
  return mou;
}

/**
 * A GBFS adapter as the gateway hosts it (in-process, or over HTTP when the configuration names a gateway), its
 * health stored where the status API reads it; retries fast, for tests.
 */
export function gbfsRuntime(
  a: Alliance,
  feed: string,
  mou: string | undefined,
  extra: Record<string, unknown> = {},
) {
  const config = parseAdapterConfig({
    name: 'yulu-gbfs',
    kind: 'gbfs',
    feed,
    allowHosts: ['127.0.0.1'],
    provider: 'yulu',
    ...(mou ? { mou } : {}),
    resources: { stations, vehicles },
    pollSeconds: 3600,
    timeoutMs: 500,
    maxBytes: 5_000_000,
    stateDir: mkdtempSync(join(tmpdir(), 'sangam-adapter-')),
    ...extra,
  });
  const hosted = hostAdapter(config, {
    db: a.gw.database.db,
    gateway: a.gw.gateway,
    logger: createLogger({ level: 'silent' }),
    retry: { baseMs: 1, capMs: 5, threshold: 3, cooldownMs: 50 },
  });
  // Stopping the runtime closes whatever client it publishes with.
  return hosted.runtime;
}
