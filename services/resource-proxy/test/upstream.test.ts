import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { testBackend } from '@sangam/db/testing';
import { type Alliance, positionModel, startAlliance } from '@sangam/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const group = 'sitilink/surat-bus-itms';

/** A provider's own API misbehaving in every way the proxy must survive. */
function providerApi(now: () => Date): Server {
  const record = (bus: string, minutes: number, extra: object = {}) => ({
    id: `bus-${bus}`,
    observedAt: new Date(now().getTime() - minutes * 60_000).toISOString(),
    route: `R${bus}`,
    speed: 30,
    plate: 'GJ05-SECRET',
    ...extra,
  });
  return createServer((req, res) => {
    const send = (status: number, body: string) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(body);
    };
    switch (req.url) {
      case '/keyed':
        // A provider API that wants its key in a header, as the catalogue keeps it.
        return req.headers['x-api-key'] === 'key-2'
          ? send(200, JSON.stringify([record('7', 1)]))
          : send(401, '{"error":"no key"}');
      case '/ok':
        return send(
          200,
          JSON.stringify([record('1', 9), record('1', 3), record('2', 4), record('3', 60 * 24 * 200)]),
        );
      case '/envelope':
        return send(200, JSON.stringify({ results: [record('4', 1)] }));
      case '/slow':
        setTimeout(() => send(200, '[]'), 30_000).unref();
        return;
      case '/error':
        return send(500, '{"error":"boom"}');
      case '/malformed':
        return send(200, '[{"id": "bus-1", ');
      case '/breaking':
        return send(200, JSON.stringify([record('1', 1), record('2', 1, { speed: 'fast' })]));
      case '/redirect':
        res.writeHead(302, { location: 'http://127.0.0.1:9/elsewhere' });
        return res.end();
      case '/endless': {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('[');
        // Writes of 64 KiB, each past the proxy's cap alone: the answer is too large at its first chunk, however
        // busy the machine, long before the proxy's deadline.
        const chunk = `${JSON.stringify(record('1', 1))},`.repeat(800);
        const pump = () => {
          while (res.write(chunk)) {}
        };
        res.on('drain', pump);
        res.on('close', () => res.off('drain', pump));
        pump();
        return;
      }
      case '/trickle': {
        res.writeHead(200, { 'content-type': 'application/json' });
        const timer = setInterval(() => res.write(' '), 50);
        res.on('close', () => clearInterval(timer));
        return;
      }
      default:
        return send(404, '{}');
    }
  });
}

describe(`proxy mode against a misbehaving provider API on ${testBackend()}`, () => {
  let a: Alliance;
  let api: Server;
  let origin: string;
  let down: string;
  let token: string;
  let provider: string;

  beforeAll(async () => {
    let now = () => new Date();
    api = providerApi(() => now());
    await new Promise<void>((r) => api.listen(0, '127.0.0.1', r));
    origin = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
    // A port that was just free: nothing listens there.
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    down = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/ok`;
    await new Promise((r) => closed.close(r));

    a = await startAlliance({
      env: {
        SANGAM_UPSTREAM_TIMEOUT_MS: '400',
        SANGAM_UPSTREAM_MAX_BYTES: '65536',
        SANGAM_QUERY_CONCURRENCY: '32',
      },
      upstream: `${origin}/ok`,
    });
    now = () => a.clock.now();
    provider = await a.token('sitilink');
    for (const [name, url] of [
      ['envelope', `${origin}/envelope`],
      ['slow', `${origin}/slow`],
      ['error', `${origin}/error`],
      ['malformed', `${origin}/malformed`],
      ['breaking', `${origin}/breaking`],
      ['redirect', `${origin}/redirect`],
      ['endless', `${origin}/endless`],
      ['trickle', `${origin}/trickle`],
      ['down', down],
      ['keyed', `${origin}/keyed`],
    ]) {
      const r = await a.gw.api.post('/cat/v1/items', {
        token: provider,
        json: {
          type: 'resource',
          id: `${group}/eta-${name}`,
          name,
          description: name,
          dataModel: positionModel,
          accessPolicy: 'SECURE',
          releaseLevel: 'aggregate',
          source: { upstream: url },
        },
      });
      expect(r.status, r.text).toBe(201);
    }
    const consent = await a.consent({ items: [group], attributes: ['route', 'speed'] });
    token = await a.accessToken(consent, group);
  });
  afterAll(async () => {
    await a.gw.close();
    await new Promise((r) => api.close(r));
  });

  const ask = (name: string, query = '') =>
    a.gw.api.get(`/ngsi-ld/v1/entities?id=${group}/${name}${query}`, { token });

  it('fetches, validates, projects and selects upstream records like stored ones', async () => {
    const r = await ask('eta');
    expect(r.status, r.text).toBe(200);
    // Newest per entity, inside the retention; the plate is never released.
    expect(r.body.results).toEqual([
      {
        id: 'bus-1',
        observedAt: new Date(a.clock.now().getTime() - 3 * 60_000).toISOString(),
        route: 'R1',
        speed: 30,
      },
      {
        id: 'bus-2',
        observedAt: new Date(a.clock.now().getTime() - 4 * 60_000).toISOString(),
        route: 'R2',
        speed: 30,
      },
    ]);
    const filtered = await ask('eta', '&q=route=="R2"');
    expect(filtered.body.totalHits).toBe(1);
    const envelope = await ask('eta-envelope');
    expect(envelope.body.results.map((x: { id: string }) => x.id)).toEqual(['bus-4']);
  });

  it.each([
    ['slow', 504, 'upstreamTimeout'],
    ['trickle', 504, 'upstreamTimeout'],
    ['down', 502, 'upstreamUnavailable'],
    ['error', 502, 'upstreamUnavailable'],
    ['redirect', 502, 'upstreamUnavailable'],
    ['malformed', 502, 'upstreamInvalid'],
    ['breaking', 502, 'upstreamInvalid'],
    ['endless', 502, 'upstreamInvalid'],
  ])('answers an upstream that is %s with %i %s, audited as a deny', async (name, status, problem) => {
    const r = await ask(`eta-${name}`);
    expect(r.status, r.text).toBe(status);
    expect(r.body.type).toBe(`urn:dx:rs:${problem}`);
    const entry = await a.gw.database.db
      .selectFrom('audit_entries')
      .select(['decision', 'entry'])
      .where('request_id', '=', r.headers.get('x-request-id') ?? '')
      .executeTakeFirstOrThrow();
    expect(entry.decision).toBe('deny');
    expect(JSON.parse(entry.entry).reason).toMatch(new RegExp(`^${problem}:`));
  });

  it("sends the provider's credential, kept apart from the URL, and a replaced one at once", async () => {
    const set = (value: string) =>
      a.gw.api.request('PUT', `/cat/v1/upstream-credentials/${group}/eta-keyed`, {
        token: provider,
        json: { header: 'X-Api-Key', value },
      });
    expect((await ask('eta-keyed')).status).toBe(502);
    expect((await set('key-1')).status).toBe(200);
    const wrong = await ask('eta-keyed');
    expect(wrong.status).toBe(502);
    expect(wrong.text).not.toContain('key-1');
    expect((await set('key-2')).status).toBe(200);
    const r = await ask('eta-keyed');
    expect(r.status, r.text).toBe(200);
    expect(r.body.results.map((x: { id: string }) => x.id)).toEqual(['bus-7']);
  });

  it('never sends the credential to an upstream its provider moved elsewhere since', async () => {
    const seen: (string | undefined)[] = [];
    const elsewhere = createServer((req, res) => {
      seen.push(req.headers['x-api-key'] as string | undefined);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('[]');
    });
    await new Promise<void>((r) => elsewhere.listen(0, '127.0.0.1', r));
    try {
      const id = `${group}/eta-keyed`;
      expect(
        (
          await a.gw.api.request('PUT', `/cat/v1/upstream-credentials/${id}`, {
            token: provider,
            json: { header: 'X-Api-Key', value: 'key-2' },
          })
        ).status,
      ).toBe(200);
      const item = await a.gw.api.get(`/cat/v1/items/${id}`, { token: provider });
      const {
        provider: _p,
        resourceGroup: _g,
        status: _s,
        revision: _r,
        createdAt: _c,
        updatedAt: _u,
        ...input
      } = item.body.results;
      const port = (elsewhere.address() as AddressInfo).port;
      const moved = await a.gw.api.request('PUT', `/cat/v1/items/${id}`, {
        token: provider,
        headers: { 'if-match': item.headers.get('etag') ?? '' },
        json: { ...input, source: { upstream: `http://127.0.0.1:${port}/keyed` } },
      });
      expect(moved.status, moved.text).toBe(200);
      const r = await ask('eta-keyed');
      expect(r.status).toBe(502);
      expect(r.body.detail).toContain('sets it again');
      expect(r.text).not.toContain(String(port));
      expect(seen).toEqual([]);
    } finally {
      await new Promise((r) => elsewhere.close(r));
    }
  });

  it('stays healthy after many failing upstream calls at once', async () => {
    const failing = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        ask(['eta-endless', 'eta-slow', 'eta-down', 'eta-trickle'][i % 4] ?? ''),
      ),
    );
    expect(failing.every((r) => r.status === 502 || r.status === 504)).toBe(true);
    const healthy = await ask('eta');
    expect(healthy.status).toBe(200);
    expect((await a.gw.api.get('/health')).status).toBe(200);
  });
});
