import SwaggerParser from '@apidevtools/swagger-parser';
import { testBackend } from '@sangam/db/testing';
import {
  type Alliance,
  Contract,
  eta,
  type OpenApiDocument,
  position,
  positionModel,
  positions,
  startAlliance,
} from '@sangam/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The gateway's document as a contract for the catalogue, the resource proxy and the adapters (the consent
 * service's operations have their own): every operation called, every answer checked against what it documents.
 */
describe(`the gateway's OpenAPI document on ${testBackend()}`, () => {
  let a: Alliance;
  let contract: Contract;
  let others: string[];

  beforeAll(async () => {
    a = await startAlliance({ env: { SANGAM_METRICS_TOKEN: 'm'.repeat(40) } });
    const document: OpenApiDocument = (await a.gw.api.get('/openapi.json')).body;
    await SwaggerParser.validate(structuredClone(document) as never);
    contract = new Contract(a.gw.api, document);
    const consent: OpenApiDocument = (await a.gw.api.get('/consent/v1/openapi.json')).body;
    const consentIds = new Set(
      Object.values(consent.paths).flatMap((m) => Object.values(m).map((o) => o.operationId)),
    );
    others = contract.operationIds.filter((id) => !consentIds.has(id));
  });
  afterAll(async () => {
    await a.gw.close();
  });

  it('documents the catalogue, the resource proxy, the adapters and the documents themselves', () => {
    expect(others).toEqual(
      expect.arrayContaining([
        'searchItems',
        'createItem',
        'ingestRecords',
        'latestRecords',
        'adapterStatus',
        'metrics',
      ]),
    );
  });

  it('answers every operation as documented, on the happy path and on refusals', async () => {
    const provider = await a.token('sitilink');
    const admin = await a.token('admin');
    const call = (id: string, options: Parameters<Contract['call']>[1] = {}) => contract.call(id, options);

    // The documents.
    expect((await call('gatewayOpenApi')).status).toBe(200);
    expect((await call('catalogueOpenApi')).status).toBe(200);
    expect((await call('proxyOpenApi')).status).toBe(200);

    // The catalogue: search, items and their lifecycle.
    expect((await call('searchItems', { query: '?q=bus&limit=5' })).status).toBe(200);
    expect((await call('searchItems', { query: '?limit=0' })).status).toBe(400);
    expect((await call('listItems', { query: '?provider=sitilink', token: provider })).status).toBe(200);
    expect((await call('itemSchema', { params: { type: 'resource' } })).status).toBe(200);
    expect((await call('itemSchema', { params: { type: 'widget' } })).status).toBe(404);
    const id = 'sitilink/surat-bus-itms/depots';
    // A resource built from the item schema, with its id, data model and source given.
    const given = {
      type: 'resource',
      id,
      name: 'Depots',
      dataModel: positionModel,
      source: { adapter: 'itms' },
    };
    const created = await call('createItem', { token: provider, example: given });
    expect(created.status).toBe(201);
    expect((await call('createItem', { token: provider, json: { ...given, type: 'widget' } })).status).toBe(
      400,
    );
    const read = await call('getItem', { params: { id } });
    expect(read.status).toBe(200);
    const etag = read.headers.get('etag') ?? '';
    expect(
      (await call('updateItem', { token: provider, params: { id }, example: { ...given, name: 'Depots 2' } }))
        .status,
    ).toBe(428);
    expect(
      (
        await call('updateItem', {
          token: provider,
          params: { id },
          example: { ...given, name: 'Depots 2' },
          headers: { 'if-match': etag },
        })
      ).status,
    ).toBe(200);
    expect((await call('relatedItems', { params: { id }, query: '?rel=group' })).status).toBe(200);
    expect((await call('retireItem', { token: await a.token('svnit'), params: { id } })).status).toBe(403);
    expect((await call('retireItem', { token: provider, params: { id } })).status).toBe(200);
    const credential = { params: { id: eta }, token: provider };
    expect((await call('upstreamCredential', credential)).status).toBe(404);
    expect(
      (await call('setUpstreamCredential', { ...credential, example: { header: 'X-Api-Key' } })).status,
    ).toBe(200);
    expect((await call('upstreamCredential', credential)).status).toBe(200);
    expect((await call('removeUpstreamCredential', credential)).status).toBe(204);

    // The resource proxy: ingestion, queries, usage and the ledger.
    const adapter = await a.token('sitilinkAdapter');
    const [provider_, group, name] = positions.split('/') as [string, string, string];
    const ingested = await call('ingestRecords', {
      token: adapter,
      params: { provider: provider_, group, name },
      json: { records: [position(a.clock, 'bus-1', 2), position(a.clock, 'bus-2', 3)] },
    });
    expect(ingested.status).toBe(200);
    expect(
      (
        await call('ingestRecords', {
          token: await a.token('svnit'),
          params: { provider: provider_, group, name },
          json: { records: [{}] },
        })
      ).status,
    ).toBe(403);
    const access = await a.accessToken(await a.consent());
    expect((await call('latestRecords', { token: access, query: `?id=${positions}` })).status).toBe(200);
    expect((await call('latestRecords', { query: `?id=${positions}` })).status).toBe(401);
    expect((await call('latestRecords', { token: access, query: `?id=${positions}&limit=x` })).status).toBe(
      400,
    );
    // Subscriptions: made from the schema's example (the demo's bus positions, notified to an event stream).
    const subscription = await call('createSubscription', { token: access, example: {} });
    expect(subscription.status).toBe(201);
    const sub = { token: access, params: { id: subscription.body.results.id as string } };
    const plate = { entities: [{ id: positions }], notification: { attributes: ['plate'] } };
    expect((await call('createSubscription', { token: access, example: plate })).status).toBe(403);
    expect((await call('listSubscriptions', { token: access })).status).toBe(200);
    expect((await call('getSubscription', sub)).status).toBe(200);
    expect((await call('updateSubscription', { ...sub, example: { throttling: 1 } })).status).toBe(200);
    expect((await call('deleteSubscription', sub)).status).toBe(204);
    // The open stream's answer never ends: it is read in the subscription suite; an ended one is refused here.
    expect((await call('subscriptionEvents', sub)).status).toBe(410);
    const since = new Date(a.clock.now().getTime() - 3_600_000).toISOString();
    expect(
      (
        await call('temporalRecords', {
          token: access,
          query: `?id=${positions}&timerel=after&timeAt=${since}`,
        })
      ).status,
    ).toBe(200);
    expect((await call('usage', { token: await a.token('svnit') })).status).toBe(200);
    expect((await call('usage', { token: await a.token('svnit'), query: '?from=yesterday' })).status).toBe(
      400,
    );
    const day = a.clock.now().toISOString().slice(0, 10);
    const spending = { adapter: 'itms', spends: [{ resource: positions, day, epsilonMicro: 1000 }] };
    expect((await call('enterLedgerSpending', { token: adapter, example: spending })).status).toBe(201);
    expect(
      (await call('ledgerSpending', { token: adapter, query: `?resource=${positions}&day=${day}` })).status,
    ).toBe(200);
    expect((await call('privacyLedger', { token: admin })).status).toBe(200);

    // The probes.
    expect((await call('health')).status).toBe(200);
    expect((await call('ready')).status).toBe(200);

    // The adapters' status, and the operators' metrics.
    expect((await call('adapterStatus', { token: admin })).status).toBe(200);
    expect((await call('adapterStatus', { token: await a.token('svnit') })).status).toBe(403);
    expect((await call('metrics', { token: 'm'.repeat(40) })).status).toBe(200);
    expect((await call('metrics', { token: 'x'.repeat(40) })).status).toBe(401);

    // What an adapter in its own process asks of the gateway: its terms, its health report, its lease.
    const terms = await call('adapterTerms', {
      token: adapter,
      query: `?datasets=sitilink/surat-bus-itms&mou=${a.mou}`,
    });
    expect(terms.status).toBe(200);
    expect(terms.body.results.publish).toBe(true);
    expect((await call('adapterTerms', { token: adapter, query: '?datasets=yulu/bikes' })).status).toBe(403);
    const health = {
      name: 'sitilink-itms',
      kind: 'itms',
      provider: 'sitilink',
      state: 'healthy',
      recordsIn: 3,
      recordsOut: 3,
      duplicates: 0,
      rejected: 0,
      cellsSuppressed: 0,
      recordsLeftOut: 0,
      deadLettered: 0,
      consecutiveFailures: 0,
      circuit: 'closed',
    };
    const named = { name: 'sitilink-itms' };
    expect((await call('reportAdapterStatus', { token: adapter, params: named, json: health })).status).toBe(
      200,
    );
    expect(
      (
        await call('reportAdapterStatus', {
          token: adapter,
          params: named,
          json: { ...health, state: 'fine' },
        })
      ).status,
    ).toBe(400);
    const lease = (instance: string) =>
      call('adapterLease', { token: adapter, params: named, json: { instance } });
    expect((await lease('first')).body.results.held).toBe(true);
    expect((await lease('second')).body.results.held).toBe(false);
    const givenUp = await call('releaseAdapterLease', {
      token: adapter,
      params: named,
      query: '?instance=first',
    });
    expect(givenUp.status).toBe(204);
    expect((await lease('second')).body.results.held).toBe(true);
    expect((await call('releaseAdapterLease', { token: adapter, params: named })).status).toBe(400);

    expect(contract.uncalled(others)).toEqual([]);
  });
});
