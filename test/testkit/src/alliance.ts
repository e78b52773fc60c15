import type { ManualClock } from '@sangam/core';
import type { DatabaseHandle } from '@sangam/db';
import type { LooseResponse } from './api.js';
import { manualTestClock } from './epoch.js';
import { createPartner, startTestGateway, type TestGateway, Wallet } from './gateway.js';

export const day = 86_400_000;
export const positions = 'sitilink/surat-bus-itms/positions';
export const stops = 'sitilink/surat-bus-itms/stop-counts';
export const eta = 'sitilink/surat-bus-itms/eta';
export const bikes = 'yulu/bikes/availability';

/** A bus position as the ITMS adapter publishes it (anonymised: no plate is ever granted). */
export const positionModel = {
  type: 'object',
  required: ['id', 'observedAt', 'route'],
  properties: {
    id: { type: 'string' },
    observedAt: { type: 'string', format: 'date-time' },
    location: { type: 'object' },
    speed: { type: 'number', minimum: 0, maximum: 200 },
    route: { type: 'string' },
    plate: { type: 'string' },
  },
};

/** Fails the setup with the gateway's answer when a step does not get the status it needs. */
function must(response: LooseResponse, status: number): void {
  if (response.status !== status) {
    throw new Error(`alliance setup: expected ${status}, got ${response.status} ${response.text}`);
  }
}

export interface Alliance {
  readonly gw: TestGateway;
  readonly clock: ManualClock;
  readonly wallet: Wallet;
  /** Client ids by name. */
  readonly clients: Map<string, string>;
  /** The MoU between the city, Sitilink (buses), SVNIT (research) and Yulu (bikes). */
  readonly mou: string;
  token(who: string): Promise<string>;
  newMou(partners: string[], extra?: Record<string, unknown>): Promise<string>;
  signAll(mou: string, who?: string[]): Promise<void>;
  /** SVNIT asks for a consent; Sitilink grants it unless `grant` is false. */
  consent(
    terms?: Record<string, unknown>,
    options?: { grant?: boolean; mou?: string; provider?: string },
  ): Promise<string>;
  act(who: string, consent: string, action: string): Promise<void>;
  accessToken(consent: string, item?: string): Promise<string>;
  /** A provider registers a SECURE resource of one of its groups, fed by an adapter. */
  resource(
    who: string,
    id: string,
    dataModel: object,
    options: { releaseLevel: 'aggregate' | 'anonymised-record'; adapter: string },
  ): Promise<void>;
  ingest(resource: string, records: object[], who?: string): Promise<LooseResponse>;
}

/**
 * A gateway with a small alliance: the city; Sitilink, a bus operator publishing positions through its adapter
 * client; SVNIT, a university consuming them; Yulu, a bike start-up with its own resource.
 */
export async function startAlliance(
  options: { env?: Record<string, string>; upstream?: string; database?: DatabaseHandle } = {},
): Promise<Alliance> {
  const clock = manualTestClock();
  const gw = await startTestGateway({
    clock,
    env: { SANGAM_UPSTREAM_ALLOW_HOSTS: '127.0.0.1', ...options.env },
    ...(options.database ? { database: options.database } : {}),
  });
  const wallet = new Wallet(gw.api);
  const clients = new Map<string, string>();
  const keep = (name: string, client: { clientId: string; clientSecret: string }) => {
    wallet.set(name, client);
    clients.set(name, client.clientId);
  };
  keep('admin', gw.admin);
  const token = (who: string) => wallet.token(who);
  const admin = await gw.adminToken();
  const client = async (organisation: string, roles: string[]) => {
    const r = await gw.api.post('/consent/v1/clients', { token: admin, json: { organisation, roles } });
    must(r, 201);
    return r.body.results;
  };
  keep(
    'sitilink',
    (await createPartner(gw, { id: 'sitilink', kind: 'industry', roles: ['admin', 'provider'] })).client,
  );
  keep('sitilinkAdapter', await client('sitilink', ['provider']));
  keep('svnitAdmin', (await createPartner(gw, { id: 'svnit', kind: 'academia', roles: ['admin'] })).client);
  keep('svnit', await client('svnit', ['consumer']));
  keep(
    'yulu',
    (await createPartner(gw, { id: 'yulu', kind: 'startup', roles: ['admin', 'provider', 'consumer'] }))
      .client,
  );

  const post = async (who: string, json: object) => {
    const r = await gw.api.post('/cat/v1/items', { token: await token(who), json });
    must(r, 201);
  };
  await post('sitilink', { type: 'provider', id: 'sitilink', name: 'Sitilink' });
  await post('sitilink', {
    type: 'resourceGroup',
    id: 'sitilink/surat-bus-itms',
    name: 'Surat bus ITMS',
    description: 'City buses',
  });
  const resource = (id: string, extra: Record<string, unknown> = {}) => ({
    type: 'resource',
    id,
    name: id,
    description: id,
    dataModel: positionModel,
    accessPolicy: 'SECURE',
    releaseLevel: 'anonymised-record',
    source: { adapter: 'itms' },
    ...extra,
  });
  await post('sitilink', resource(positions));
  await post('sitilink', resource(stops, { releaseLevel: 'aggregate' }));
  await post(
    'sitilink',
    resource(eta, {
      source: { upstream: options.upstream ?? 'http://127.0.0.1:9/eta' },
      releaseLevel: 'aggregate',
    }),
  );
  await post('yulu', { type: 'provider', id: 'yulu', name: 'Yulu' });
  await post('yulu', { type: 'resourceGroup', id: 'yulu/bikes', name: 'Bikes', description: 'Bikes' });
  await post('yulu', resource(bikes, { source: { adapter: 'gbfs' } }));

  const newMou = async (partners: string[], extra: Record<string, unknown> = {}) => {
    const created = await gw.api.post('/consent/v1/mous', {
      token: await token('admin'),
      json: {
        title: 'Bus data for research',
        partners,
        problem: { issue: 'Bunching', beneficiaries: ['commuters'], kpis: ['headway'] },
        areas: ['data-sharing'],
        purposes: ['transit research'],
        datasets: [
          { group: 'sitilink/surat-bus-itms', maxReleaseLevel: 'anonymised-record' },
          ...(partners.includes('yulu')
            ? [{ group: 'yulu/bikes', maxReleaseLevel: 'anonymised-record' }]
            : []),
        ],
        effectiveFrom: clock.now().toISOString(),
        endsAt: new Date(clock.now().getTime() + 365 * day).toISOString(),
        documentSha256: 'c'.repeat(64),
        ...extra,
      },
    });
    must(created, 201);
    return created.body.results.id as string;
  };
  const signAll = async (id: string, who = ['admin', 'sitilink', 'svnitAdmin', 'yulu']) => {
    for (const w of who) {
      const signed = await gw.api.post(`/consent/v1/mous/${id}/sign`, { token: await token(w) });
      must(signed, 200);
    }
  };
  const mou = await newMou(['sitilink', 'svnit', 'yulu']);
  await signAll(mou);

  const act = async (who: string, consent: string, action: string) => {
    const r = await gw.api.post(`/consent/v1/consents/${consent}/${action}`, { token: await token(who) });
    must(r, 200);
  };
  return {
    gw,
    clock,
    wallet,
    clients,
    mou,
    token,
    newMou,
    signAll,
    act,
    async consent(terms = {}, opts = {}) {
      const r = await gw.api.post('/consent/v1/consents', {
        token: await token('svnit'),
        json: {
          mou: opts.mou ?? mou,
          items: [positions],
          purpose: 'transit research',
          accessTypes: ['latest', 'temporal', 'download'],
          attributes: ['speed', 'route', 'location'],
          releaseLevel: 'anonymised-record',
          validTo: new Date(clock.now().getTime() + 90 * day).toISOString(),
          rateLimit: 10_000,
          ...terms,
        },
      });
      must(r, 201);
      const id = r.body.results.id as string;
      if (opts.grant !== false && r.body.results.state === 'requested')
        await act(opts.provider ?? 'sitilink', id, 'grant');
      return id;
    },
    async accessToken(consent, item = positions) {
      const r = await gw.api.post('/auth/v1/access-tokens', {
        token: await token('svnit'),
        json: { item, consent },
      });
      must(r, 200);
      return r.body.results.accessToken as string;
    },
    async resource(who, id, dataModel, options) {
      const r = await gw.api.post('/cat/v1/items', {
        token: await token(who),
        json: {
          type: 'resource',
          id,
          name: id,
          description: id,
          dataModel,
          accessPolicy: 'SECURE',
          releaseLevel: options.releaseLevel,
          source: { adapter: options.adapter },
        },
      });
      must(r, 201);
    },
    async ingest(resource, records, who = 'sitilinkAdapter') {
      return gw.api.post(`/rs/v1/ingest/${resource}`, { token: await token(who), json: { records } });
    },
  };
}

/** A bus position `minutes` before the alliance clock's now. */
export function position(
  clock: ManualClock,
  bus: string,
  minutes: number,
  extra: Record<string, unknown> = {},
) {
  return {
    id: `bus-${bus}`,
    observedAt: new Date(clock.now().getTime() - minutes * 60_000).toISOString(),
    location: { type: 'Point', coordinates: [72.83 + Number(bus) / 1000, 21.17] },
    speed: 20 + Number(bus),
    route: `R${Number(bus) % 3}`,
    plate: `GJ05-${bus}`,
    ...extra,
  };
}
