import { createPartner, type TestGateway } from '@sangam/testkit';

/** A square around central Surat: lon 72.80–72.90, lat 21.10–21.20. */
export const suratSquare = {
  type: 'Polygon',
  coordinates: [
    [
      [72.8, 21.1],
      [72.9, 21.1],
      [72.9, 21.2],
      [72.8, 21.2],
      [72.8, 21.1],
    ],
  ],
};

export const busPositionModel = {
  type: 'object',
  required: ['vehicleLabel', 'observedAt', 'location'],
  properties: {
    vehicleLabel: { type: 'string' },
    routeId: { type: 'string' },
    speed: { type: 'number', minimum: 0, description: 'km/h' },
    observedAt: { type: 'string', format: 'date-time' },
    location: { type: 'object' },
  },
};

export async function providers(gw: TestGateway) {
  const sitilink = await createPartner(gw, { id: 'sitilink', kind: 'industry', roles: ['provider'] });
  const yulu = await createPartner(gw, { id: 'yulu', kind: 'startup', roles: ['provider'] });
  const svnit = await createPartner(gw, { id: 'svnit', kind: 'academia', roles: ['consumer'] });
  return { sitilink: sitilink.token, yulu: yulu.token, svnit: svnit.token };
}

export const providerItem = (id: string, name: string) => ({
  type: 'provider',
  id,
  name,
  description: `${name}, a partner of the Surat data alliance`,
  city: 'Surat',
});

export const groupItem = (id: string, extra: Record<string, unknown> = {}) => ({
  type: 'resourceGroup',
  id,
  name: 'Surat bus ITMS',
  description: 'Live positions and occupancy of Surat city buses',
  tags: ['transit', 'bus', 'itms'],
  city: 'Surat',
  location: suratSquare,
  accessPolicy: 'SECURE',
  ...extra,
});

export const resourceItem = (id: string, extra: Record<string, unknown> = {}) => ({
  type: 'resource',
  id,
  name: 'Bus positions, live',
  description: 'Anonymised live positions of every bus in service',
  tags: ['transit', 'bus', 'realtime'],
  city: 'Surat',
  location: suratSquare,
  dataModel: busPositionModel,
  accessPolicy: 'SECURE',
  releaseLevel: 'anonymised-record',
  source: { adapter: 'itms' },
  updateInterval: 'PT30S',
  licence: 'ODbL-1.0',
  version: '1.0.0',
  ...extra,
});
