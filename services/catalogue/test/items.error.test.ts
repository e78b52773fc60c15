import { testBackend } from '@sangam/db/testing';
import { startTestGateway, type TestGateway } from '@sangam/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupItem, providerItem, providers, resourceItem } from './fixtures.js';

describe(`catalogue refusals on ${testBackend()}`, () => {
  let gw: TestGateway;
  let tokens: Awaited<ReturnType<typeof providers>>;
  const id = 'sitilink/surat-bus-itms/positions';
  beforeAll(async () => {
    gw = await startTestGateway();
    tokens = await providers(gw);
    const token = tokens.sitilink;
    await gw.api.post('/cat/v1/items', { token, json: providerItem('sitilink', 'Sitilink') });
    await gw.api.post('/cat/v1/items', { token, json: groupItem('sitilink/surat-bus-itms') });
    await gw.api.post('/cat/v1/items', { token, json: resourceItem(id) });
  });
  afterAll(async () => {
    await gw.close();
  });

  it('keeps each provider to its own items (403), while the city admin may act for any', async () => {
    const yulu = tokens.yulu;
    const create = await gw.api.post('/cat/v1/items', {
      token: yulu,
      json: resourceItem('sitilink/surat-bus-itms/fake'),
    });
    expect(create.status).toBe(403);
    expect(create.body.type).toBe('urn:dx:cat:forbidden');
    const update = await gw.api.request('PUT', `/cat/v1/items/${id}`, {
      token: yulu,
      json: resourceItem(id),
      headers: { 'if-match': '"r1"' },
    });
    expect(update.status).toBe(403);
    expect((await gw.api.delete(`/cat/v1/items/${id}`, { token: yulu })).status).toBe(403);
    const consumer = await gw.api.post('/cat/v1/items', {
      token: tokens.svnit,
      json: providerItem('svnit', 'SVNIT'),
    });
    expect(consumer.status).toBe(403);
    expect((await gw.api.post('/cat/v1/items', { json: providerItem('yulu', 'Yulu') })).status).toBe(401);

    const admin = await gw.adminToken();
    const forYulu = await gw.api.post('/cat/v1/items', { token: admin, json: providerItem('yulu', 'Yulu') });
    expect(forYulu.status).toBe(201);
  });

  it('needs If-Match to update (428) and refuses a stale one (412)', async () => {
    const token = tokens.sitilink;
    const none = await gw.api.request('PUT', `/cat/v1/items/${id}`, { token, json: resourceItem(id) });
    expect(none.status).toBe(428);
    expect(none.body.type).toBe('urn:dx:cat:preconditionRequired');
    const first = await gw.api.request('PUT', `/cat/v1/items/${id}`, {
      token,
      json: resourceItem(id, { version: '1.1.0' }),
      headers: { 'if-match': '"r1"' },
    });
    expect(first.status).toBe(200);
    const stale = await gw.api.request('PUT', `/cat/v1/items/${id}`, {
      token,
      json: resourceItem(id, { version: '1.2.0' }),
      headers: { 'if-match': '"r1"' },
    });
    expect(stale.status).toBe(412);
    expect(stale.body.type).toBe('urn:dx:cat:preconditionFailed');
    expect((await gw.api.get(`/cat/v1/items/${id}`)).body.results.version).toBe('1.1.0');
  });

  it('lists every failing field of an invalid item', async () => {
    const bad = await gw.api.post('/cat/v1/items', {
      token: tokens.sitilink,
      json: {
        type: 'resource',
        id: 'sitilink/Surat Bus/positions',
        name: '',
        description: 5,
        accessPolicy: 'PUBLIC',
        releaseLevel: 'raw',
        source: { ftp: 'x' },
        colour: 'blue',
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.type).toBe('urn:dx:cat:invalidPayload');
    const fields = new Set((bad.body.errors as { field: string }[]).map((e) => e.field));
    for (const field of [
      '/id',
      '/name',
      '/description',
      '/accessPolicy',
      '/releaseLevel',
      '/dataModel',
      '/colour',
    ]) {
      expect(fields, field).toContain(field);
    }
    const noType = await gw.api.post('/cat/v1/items', { token: tokens.sitilink, json: { id: 'x' } });
    expect(noType.body.errors).toEqual([
      { field: '/type', message: 'must be provider, resourceGroup or resource' },
    ]);
  });

  it('refuses a dataModel that is not a JSON Schema that compiles, saying why', async () => {
    for (const dataModel of [
      { type: 'lorry' },
      { properties: { a: { minimum: 'ten' } } },
      { $ref: 'https://evil.example/s.json' },
    ]) {
      const response = await gw.api.post('/cat/v1/items', {
        token: tokens.sitilink,
        json: resourceItem('sitilink/surat-bus-itms/broken', { dataModel }),
      });
      expect(response.status, JSON.stringify(dataModel)).toBe(400);
      expect(response.body.errors[0].field).toMatch(/^\/dataModel/);
    }
  });

  it('still accepts good data models after a hostile one named a meta-schema', async () => {
    const ok = await gw.api.post('/cat/v1/items', {
      token: tokens.sitilink,
      json: resourceItem('sitilink/surat-bus-itms/after', {
        dataModel: { $schema: 'http://json-schema.org/draft-07/schema#', $id: 'urn:x:after', type: 'object' },
      }),
    });
    expect(ok.status).toBe(201);
    const plain = await gw.api.post('/cat/v1/items', {
      token: tokens.sitilink,
      json: resourceItem('sitilink/surat-bus-itms/plain'),
    });
    expect(plain.status).toBe(201);
  });

  it('refuses bad geometry, an unlisted http upstream and a missing parent', async () => {
    const token = tokens.sitilink;
    const geometry = await gw.api.post('/cat/v1/items', {
      token,
      json: resourceItem('sitilink/surat-bus-itms/odd', {
        location: { type: 'Point', coordinates: [72.8, 91] },
      }),
    });
    expect(geometry.status).toBe(400);
    expect(geometry.body.errors[0]).toEqual({
      field: '/location/coordinates',
      message: 'latitude 91 is outside -90..90',
    });
    const upstream = await gw.api.post('/cat/v1/items', {
      token,
      json: resourceItem('sitilink/surat-bus-itms/proxied', { source: { upstream: 'http://10.0.0.5/api' } }),
    });
    expect(upstream.status).toBe(400);
    expect(upstream.body.errors[0].field).toBe('/source/upstream');
    const orphan = await gw.api.post('/cat/v1/items', {
      token,
      json: resourceItem('sitilink/no-such-group/positions'),
    });
    expect(orphan.status).toBe(400);
    expect(orphan.body.errors[0].message).toContain('no live resource group');
    const again = await gw.api.post('/cat/v1/items', { token, json: resourceItem(id) });
    expect(again.status).toBe(409);
    expect(again.body.type).toBe('urn:dx:cat:alreadyExists');
  });

  it('will not retire a group that still has live resources, and retires twice harmlessly', async () => {
    const token = tokens.sitilink;
    const group = await gw.api.delete('/cat/v1/items/sitilink/surat-bus-itms', { token });
    expect(group.status).toBe(409);
    expect((await gw.api.delete(`/cat/v1/items/${id}`, { token })).status).toBe(200);
    expect((await gw.api.delete(`/cat/v1/items/${id}`, { token })).body.results.status).toBe('retired');
    const edit = await gw.api.request('PUT', `/cat/v1/items/${id}`, {
      token,
      json: resourceItem(id),
      headers: { 'if-match': '*' },
    });
    expect(edit.status).toBe(409);
    for (const other of ['after', 'plain']) {
      expect((await gw.api.delete(`/cat/v1/items/sitilink/surat-bus-itms/${other}`, { token })).status).toBe(
        200,
      );
    }
    expect((await gw.api.delete('/cat/v1/items/sitilink/surat-bus-itms', { token })).status).toBe(200);
  });

  it('answers unknown items and odd ids with 404, never a 5xx', async () => {
    for (const path of ['nobody', 'a/b/c/d', 'UPPER/case', "x'--", '%00', 'a/b/c/related', '..%2F..%2Fetc']) {
      const response = await gw.api.get(`/cat/v1/items/${path}`);
      expect([400, 404], path).toContain(response.status);
    }
  });
});
