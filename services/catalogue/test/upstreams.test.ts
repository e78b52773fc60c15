import { testBackend } from '@sangam/db/testing';
import { type Alliance, eta, startAlliance } from '@sangam/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe(`upstream URLs in the catalogue on ${testBackend()}`, () => {
  let a: Alliance;
  beforeAll(async () => {
    a = await startAlliance({ upstream: 'http://127.0.0.1:9/eta?key=provider-secret' });
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
    expect(await upstreamSeenBy('sitilink')).toBe('http://127.0.0.1:9/eta?key=provider-secret');
    expect(await upstreamSeenBy('admin')).toBe('http://127.0.0.1:9/eta?key=provider-secret');
    expect(await upstreamSeenBy()).toBe('hidden');
    expect(await upstreamSeenBy('svnit')).toBe('hidden');
    const search = await a.gw.api.get('/cat/v1/search?q=eta');
    expect(search.text).not.toContain('provider-secret');
    const listed = await a.gw.api.get('/cat/v1/items?provider=sitilink');
    expect(listed.text).not.toContain('provider-secret');
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
