import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AdapterRuntime, healthStore, inProcessPublisher, parseAdapterConfig } from '@sangam/adapter-kit';
import { minimumCellCount } from '@sangam/consent';
import type { Alliance } from '@sangam/testkit';
import { expect } from 'vitest';
import { GbfsAdapter, stationAvailabilityModel, vehicleAvailabilityModel } from '../src/index.js';

export const stations = 'yulu/bikes/stations';
export const vehicles = 'yulu/bikes/vehicles';

/** Yulu registers its two GBFS resources, and an MoU covering them with k as given is signed by all. */
export async function gbfsAlliance(a: Alliance, k?: number): Promise<string> {
  const token = await a.token('yulu');
  for (const [id, model, level] of [
    [stations, stationAvailabilityModel, 'anonymised-record'],
    [vehicles, vehicleAvailabilityModel, 'aggregate'],
  ] as const) {
    const r = await a.gw.api.post('/cat/v1/items', {
      token,
      json: {
        type: 'resource',
        id,
        name: id,
        description: `GBFS ${id}`,
        dataModel: model,
        accessPolicy: 'SECURE',
        releaseLevel: level,
        source: { adapter: 'gbfs' },
      },
    });
    expect(r.status, r.text).toBe(201);
  }
  const mou = await a.newMou(['yulu', 'svnit'], {
    datasets: [
      { group: 'yulu/bikes', maxReleaseLevel: 'anonymised-record', ...(k ? { minimumCellCount: k } : {}) },
    ],
  });
  await a.signAll(mou, ['admin', 'yulu', 'svnitAdmin']);
  return mou;
}

/** A GBFS adapter publishing in-process into the alliance's gateway, its health stored where the API reads it. */
export function gbfsRuntime(a: Alliance, feed: string, mou: string, extra: Record<string, unknown> = {}) {
  const config = parseAdapterConfig({
    name: 'yulu-gbfs',
    kind: 'gbfs',
    feed,
    provider: 'yulu',
    mou,
    resources: { stations, vehicles },
    pollSeconds: 3600,
    timeoutMs: 500,
    maxBytes: 5_000_000,
    stateDir: mkdtempSync(join(tmpdir(), 'sangam-adapter-')),
    ...extra,
  });
  return new AdapterRuntime({
    config,
    logic: new GbfsAdapter(config.options),
    publisher: inProcessPublisher(
      (caller, resource, records) => a.gw.gateway.proxy.ingest(caller, resource, records),
      config,
    ),
    k: async () => (await minimumCellCount(a.gw.database.db, mou, 'yulu/bikes')) ?? 10,
    onHealth: healthStore(a.gw.database.db),
    retry: { baseMs: 1, capMs: 5, threshold: 3, cooldownMs: 50 },
  });
}
