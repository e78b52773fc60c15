import { testBackend } from '@sangam/db/testing';
import { startTestGateway, type TestGateway } from '@sangam/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupItem, providerItem, providers, resourceItem } from './fixtures.js';

describe(`catalogue items on ${testBackend()}`, () => {
  let gw: TestGateway;
  let tokens: Awaited<ReturnType<typeof providers>>;
  beforeAll(async () => {
    gw = await startTestGateway();
    tokens = await providers(gw);
  });
  afterAll(async () => {
    await gw.close();
  });

  it('lets a provider register itself, a dataset and a resource, each readable by anyone with its ETag', async () => {
    const token = tokens.sitilink;
    expect(
      (await gw.api.post('/cat/v1/items', { token, json: providerItem('sitilink', 'Sitilink') })).status,
    ).toBe(201);
    const group = await gw.api.post('/cat/v1/items', { token, json: groupItem('sitilink/surat-bus-itms') });
    expect(group.status).toBe(201);
    expect(group.headers.get('location')).toBe('/cat/v1/items/sitilink/surat-bus-itms');
    const resource = await gw.api.post('/cat/v1/items', {
      token,
      json: resourceItem('sitilink/surat-bus-itms/positions'),
    });
    expect(resource.status).toBe(201);
    expect(resource.headers.get('etag')).toBe('"r1"');

    const read = await gw.api.get('/cat/v1/items/sitilink/surat-bus-itms/positions');
    expect(read.status).toBe(200);
    expect(read.headers.get('etag')).toBe('"r1"');
    expect(read.body.results).toMatchObject({
      id: 'sitilink/surat-bus-itms/positions',
      type: 'resource',
      provider: 'sitilink',
      resourceGroup: 'sitilink/surat-bus-itms',
      status: 'live',
      releaseLevel: 'anonymised-record',
      source: { adapter: 'itms' },
    });
  });

  it('updates with the current ETag and hands out the next one', async () => {
    const id = 'sitilink/surat-bus-itms/positions';
    const updated = await gw.api.request('PUT', `/cat/v1/items/${id}`, {
      token: tokens.sitilink,
      json: resourceItem(id, { description: 'Positions of every bus, anonymised, every 30 seconds' }),
      headers: { 'if-match': '"r1"' },
    });
    expect(updated.status).toBe(200);
    expect(updated.headers.get('etag')).toBe('"r2"');
    expect(updated.body.results.description).toContain('every 30 seconds');
    expect((await gw.api.get(`/cat/v1/items/${id}`)).body.results.revision).toBe(2);
  });

  it('answers related items', async () => {
    await gw.api.post('/cat/v1/items', {
      token: tokens.sitilink,
      json: resourceItem('sitilink/surat-bus-itms/occupancy', {
        name: 'Occupancy per route',
        releaseLevel: 'aggregate',
      }),
    });
    const resources = await gw.api.get('/cat/v1/items/sitilink/surat-bus-itms/related?rel=resource');
    expect(resources.body.results.map((i: { id: string }) => i.id)).toEqual([
      'sitilink/surat-bus-itms/occupancy',
      'sitilink/surat-bus-itms/positions',
    ]);
    const group = await gw.api.get('/cat/v1/items/sitilink/surat-bus-itms/positions/related?rel=group');
    expect(group.body.results.map((i: { id: string }) => i.id)).toEqual(['sitilink/surat-bus-itms']);
    const siblings = await gw.api.get('/cat/v1/items/sitilink/surat-bus-itms/positions/related?rel=resource');
    expect(siblings.body.results.map((i: { id: string }) => i.id)).toEqual([
      'sitilink/surat-bus-itms/occupancy',
    ]);
    const provider = await gw.api.get('/cat/v1/items/sitilink/surat-bus-itms/related?rel=provider');
    expect(provider.body.results[0].id).toBe('sitilink');
  });

  it('retires an item that stays resolvable, marked retired, and out of search', async () => {
    const id = 'sitilink/surat-bus-itms/occupancy';
    const retired = await gw.api.delete(`/cat/v1/items/${id}`, { token: tokens.sitilink });
    expect(retired.status).toBe(200);
    const read = await gw.api.get(`/cat/v1/items/${id}`);
    expect(read.body.results).toMatchObject({ status: 'retired', retiredAt: expect.any(String) });
    const search = await gw.api.get('/cat/v1/search?q=occupancy&type=resource');
    expect(search.body.totalHits).toBe(0);
    const withRetired = await gw.api.get('/cat/v1/search?q=occupancy&type=resource&includeRetired=true');
    expect(withRetired.body.totalHits).toBe(1);
  });

  it('publishes the JSON Schema of every item type', async () => {
    for (const type of ['provider', 'resourceGroup', 'resource']) {
      const schema = await gw.api.get(`/cat/v1/schemas/${type}`);
      expect(schema.status).toBe(200);
      expect(schema.headers.get('content-type')).toBe('application/schema+json');
      expect(JSON.parse(schema.text).properties.type.const).toBe(type);
    }
  });

  it('writes every change to the audit log', async () => {
    const entries = await gw.database.db
      .selectFrom('audit_entries')
      .select(['action', 'target_item', 'provider_org'])
      .where('action', 'like', 'catalogue.%')
      .orderBy('seq')
      .execute();
    expect(entries.map((e) => `${e.action} ${e.target_item}`)).toEqual([
      'catalogue.item.create sitilink',
      'catalogue.item.create sitilink/surat-bus-itms',
      'catalogue.item.create sitilink/surat-bus-itms/positions',
      'catalogue.item.update sitilink/surat-bus-itms/positions',
      'catalogue.item.create sitilink/surat-bus-itms/occupancy',
      'catalogue.item.retire sitilink/surat-bus-itms/occupancy',
    ]);
    expect(entries.every((e) => e.provider_org === 'sitilink')).toBe(true);
  });
});
