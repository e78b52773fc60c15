import { testBackend } from '@sangam/db/testing';
import { type Alliance, eta, positions, startAlliance } from '@sangam/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe(`upstream URLs in the catalogue on ${testBackend()}`, () => {
  let a: Alliance;
  beforeAll(async () => {
    a = await startAlliance({
      upstream: 'http://127.0.0.1:9/provider-private/eta',
      env: { SANGAM_KEY_ENCRYPTION_SECRET: 'an operator secret of some length' },
    });
  });
  afterAll(async () => {
    await a.gw.close();
  });

  const upstreamSeenBy = async (who?: string) => {
    const r = await a.gw.api.get(`/cat/v1/items/${eta}`, who ? { token: await a.token(who) } : {});
    expect(r.status).toBe(200);
    return r.body.results.source.upstream as string;
  };

  it('are shown to the provider and the city admin only', async () => {
    expect(await upstreamSeenBy('sitilink')).toBe('http://127.0.0.1:9/provider-private/eta');
    expect(await upstreamSeenBy('admin')).toBe('http://127.0.0.1:9/provider-private/eta');
    expect(await upstreamSeenBy()).toBe('hidden');
    expect(await upstreamSeenBy('svnit')).toBe('hidden');
    const search = await a.gw.api.get('/cat/v1/search?q=eta');
    expect(search.text).not.toContain('provider-private');
    const listed = await a.gw.api.get('/cat/v1/items?provider=sitilink');
    expect(listed.text).not.toContain('provider-private');
  });

  const register = async (upstream: string) =>
    a.gw.api.post('/cat/v1/items', {
      token: await a.token('sitilink'),
      json: {
        type: 'resource',
        id: 'sitilink/surat-bus-itms/keyed',
        name: 'keyed',
        description: 'keyed',
        dataModel: { type: 'object' },
        accessPolicy: 'SECURE',
        releaseLevel: 'aggregate',
        source: { upstream },
      },
    });

  it('refuse credentials written in the URL, and say where they go instead', async () => {
    for (const [upstream, named] of [
      ['https://api.sitilink.example/eta?key=provider-secret', '"key" parameter'],
      ['https://api.sitilink.example/eta?route=1&API_KEY=provider-secret', '"API_KEY" parameter'],
      ['https://api.sitilink.example/eta?access_token=provider-secret', '"access_token" parameter'],
      ['https://api.sitilink.example/eta?x-api-key=provider-secret', '"x-api-key" parameter'],
      ['https://user:provider-secret@api.sitilink.example/eta', 'must not carry credentials'],
    ] as const) {
      const r = await register(upstream);
      expect(r.status, upstream).toBe(400);
      expect(r.body.errors[0].field).toBe('/source/upstream');
      expect(r.body.errors[0].message).toContain(named);
      expect(r.body.errors[0].message).toContain('PUT /cat/v1/upstream-credentials/{id}');
    }
    // A query parameter that is not a secret is part of the address, as before.
    const plain = await register('https://api.sitilink.example/eta?route=12&format=json');
    expect(plain.status, plain.text).toBe(201);
  });

  it('keep a credential as a secret its provider can set, replace and remove, but never read back', async () => {
    const path = `/cat/v1/upstream-credentials/${eta}`;
    const put = async (who: string, json: object) =>
      a.gw.api.request('PUT', path, { token: await a.token(who), json });

    // Only the provider (or the city admin) may set it; nobody anonymous learns whether one exists.
    expect((await put('svnit', { header: 'X-Api-Key', value: 'provider-secret-1' })).status).toBe(403);
    expect((await a.gw.api.get(path)).status).toBe(401);
    expect((await a.gw.api.get(path, { token: await a.token('svnit') })).status).toBe(403);
    expect((await a.gw.api.get(path, { token: await a.token('sitilink') })).status).toBe(404);

    const set = await put('sitilink', { header: 'X-Api-Key', value: 'provider-secret-1' });
    expect(set.status, set.text).toBe(200);
    expect(set.body.results).toEqual({
      item: eta,
      origin: 'http://127.0.0.1:9',
      header: 'X-Api-Key',
      sealed: true,
      updatedAt: expect.any(String),
    });
    const replaced = await put('admin', { header: 'Authorization', value: 'Bearer provider-secret-2' });
    expect(replaced.status, replaced.text).toBe(200);
    const read = await a.gw.api.get(path, { token: await a.token('sitilink') });
    expect(read.body.results).toEqual({
      item: eta,
      origin: 'http://127.0.0.1:9',
      header: 'Authorization',
      sealed: true,
      updatedAt: expect.any(String),
    });

    // Nowhere in an answer, nowhere in the audit log, and sealed in the database.
    for (const who of ['sitilink', 'admin', undefined]) {
      const item = await a.gw.api.get(`/cat/v1/items/${eta}`, who ? { token: await a.token(who) } : {});
      expect(item.text).not.toContain('provider-secret');
    }
    const entries = await a.gw.database.db.selectFrom('audit_entries').select('entry').execute();
    const actions = entries.map((e) => JSON.parse(e.entry).action as string);
    expect(actions).toContain('catalogue.item.credential.set');
    expect(entries.some((e) => e.entry.includes('provider-secret'))).toBe(false);
    const stored = await a.gw.database.db
      .selectFrom('upstream_credentials')
      .select(['header', 'value'])
      .executeTakeFirstOrThrow();
    expect(stored.header).toBe('Authorization');
    expect(stored.value).toMatch(/^enc:v1:/);
    expect(stored.value).not.toContain('provider-secret');

    const removed = await a.gw.api.delete(path, { token: await a.token('sitilink') });
    expect(removed.status).toBe(204);
    expect((await a.gw.api.get(path, { token: await a.token('sitilink') })).status).toBe(404);
    expect((await a.gw.api.delete(path, { token: await a.token('sitilink') })).status).toBe(404);
  });

  it('refuse a credential in a header the gateway sets itself, on several lines, or for a stored resource', async () => {
    const path = `/cat/v1/upstream-credentials/${eta}`;
    const token = await a.token('sitilink');
    const host = await a.gw.api.request('PUT', path, {
      token,
      json: { header: 'Host', value: 'evil.example' },
    });
    expect(host.status).toBe(400);
    expect(host.body.errors[0].field).toBe('/header');
    const smuggled = await a.gw.api.request('PUT', path, {
      token,
      json: { header: 'X-Api-Key', value: 'one\r\nX-Other: two' },
    });
    expect(smuggled.status).toBe(400);
    expect(smuggled.body.errors[0].field).toBe('/value');
    const stored = await a.gw.api.request('PUT', `/cat/v1/upstream-credentials/${positions}`, {
      token,
      json: { header: 'X-Api-Key', value: 'provider-secret' },
    });
    expect(stored.status).toBe(409);
    expect(stored.body.detail).toContain('source.upstream');
  });

  it('refuse an address inside the network, however it is spelled', async () => {
    for (const upstream of [
      'https://169.254.169.254/latest',
      'https://0x7f.0.0.2/x',
      'https://[::1]/x',
      'https://10.0.0.7/x',
    ]) {
      const r = await a.gw.api.post('/cat/v1/items', {
        token: await a.token('sitilink'),
        json: {
          type: 'resource',
          id: 'sitilink/surat-bus-itms/inside',
          name: 'inside',
          description: 'inside',
          dataModel: { type: 'object' },
          accessPolicy: 'SECURE',
          releaseLevel: 'aggregate',
          source: { upstream },
        },
      });
      expect(r.status, upstream).toBe(400);
      expect(r.body.errors[0].message).toContain('not a public address');
    }
  });
});
