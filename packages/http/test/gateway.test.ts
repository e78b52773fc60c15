import { DxError } from '@sangam/core';
import { Api, CapturedLog } from '@sangam/testkit';
import { Type } from '@sinclair/typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createGateway,
  createLogger,
  createServiceApp,
  mountRoutes,
  type RunningServer,
  route,
  startServer,
  success,
} from '../src/index.js';

const leakedToken = 'eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJjbF9hYmMifQ.c2lnbmF0dXJlLWJ5dGVz';

const place = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    lat: Type.Number({ minimum: -90, maximum: 90 }),
    lon: Type.Number({ minimum: -180, maximum: 180 }),
  },
  { additionalProperties: false },
);

describe('the gateway app factory', () => {
  let server: RunningServer;
  let api: Api;
  let ready = true;
  const log = new CapturedLog();

  beforeAll(async () => {
    const cat = createServiceApp();
    mountRoutes(
      cat,
      [
        route({
          method: 'post',
          path: '/cat/v1/places',
          operationId: 'addPlace',
          summary: 'A place',
          tag: 'Test',
          security: 'none',
          body: place,
          responses: { 201: { description: 'The place', schema: place } },
          refusals: [400, 413, 415],
          handle: (c, { body }) => c.json(success('cat', body), 201),
        }),
        route({
          method: 'get',
          path: '/cat/v1/places',
          operationId: 'places',
          summary: 'Places',
          tag: 'Test',
          security: 'none',
          query: Type.Object({
            limit: Type.Optional(Type.String()),
            kind: Type.Optional(
              Type.Union([Type.Literal('stop'), Type.Literal('depot'), Type.Literal('station')]),
            ),
            page: Type.Optional(Type.Integer({ minimum: 1 })),
            day: Type.Optional(
              Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', title: 'a day, YYYY-MM-DD' }),
            ),
          }),
          responses: { 200: { description: 'The query as read' } },
          refusals: [400],
          handle: (c, { query }) => c.json(success('cat', query)),
        }),
      ],
      { guards: {} },
    );
    cat.get('/cat/v1/boom', () => {
      throw new Error(`connection lost; token ${leakedToken}`);
    });
    cat.get('/cat/v1/conflict', () => {
      throw new DxError('conflict', 'It changed', { headers: { 'retry-after': '3' } });
    });
    app = createGateway({
      logger: createLogger({ destination: log }),
      services: [{ code: 'cat', prefixes: ['/cat/'], app: cat }],
      ready: async () => ready,
      bodyLimitBytes: 2048,
    });
    server = await startServer(app, { port: 0 });
    api = new Api(server.url);
  });
  let app: ReturnType<typeof createGateway>;
  afterAll(async () => {
    await server.close();
  });

  it('answers health and readiness', async () => {
    expect((await api.get('/health')).body).toEqual({ status: 'ok' });
    expect((await api.get('/ready')).status).toBe(200);
    ready = false;
    const down = await api.get('/ready');
    ready = true;
    expect(down.status).toBe(503);
    expect(down.body.type).toBe('urn:dx:gw:notReady');
  });

  it('names every request with an id of its own, whatever id the client sends, and uses it as the problem instance', async () => {
    const own = await api.get('/cat/v1/nothing-here', { headers: { 'x-request-id': 'trace-42' } });
    expect(own.status).toBe(404);
    const id = own.headers.get('x-request-id') ?? '';
    expect(id).toMatch(/^req_[0-9a-z]+$/);
    expect(own.body.instance).toBe(id);
    expect(own.body.type).toBe('urn:dx:cat:notFound');
    const again = await api.get('/cat/v1/nothing-here', { headers: { 'x-request-id': id } });
    expect(again.headers.get('x-request-id')).not.toBe(id);

    const hostile = await api.get('/health', { headers: { 'x-request-id': 'a b <script>'.repeat(20) } });
    expect(hostile.headers.get('x-request-id')).toMatch(/^req_[0-9a-z]+$/);
  });

  it('accepts a valid body and answers in the service envelope', async () => {
    const created = await api.post('/cat/v1/places', {
      json: { name: 'Surat station', lat: 21.2, lon: 72.8 },
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      type: 'urn:dx:cat:success',
      title: 'Success',
      results: { name: 'Surat station', lat: 21.2, lon: 72.8 },
    });
  });

  it('lists every failing field of an invalid body', async () => {
    const bad = await api.post('/cat/v1/places', { json: { lat: 91, lon: 'east', extra: true } });
    expect(bad.status).toBe(400);
    expect(bad.body.type).toBe('urn:dx:cat:invalidPayload');
    const fields = (bad.body.errors as { field: string }[]).map((e) => e.field).sort();
    expect(fields).toEqual(['/extra', '/lat', '/lon', '/name']);
  });

  it('refuses a body nested deeper than the limit with a 400 that names it', async () => {
    const deep = await api.post('/cat/v1/places', {
      raw: { body: `${'['.repeat(500)}${']'.repeat(500)}`, contentType: 'application/json' },
    });
    expect(deep.status).toBe(400);
    expect(deep.body.type).toBe('urn:dx:cat:malformedJson');
    expect(deep.body.detail).toContain('deeper than 64 levels');
  });

  it('refuses malformed JSON, other media types and unknown or repeated query parameters with a 4xx problem', async () => {
    const malformed = await api.post('/cat/v1/places', {
      raw: { body: '{"name": ', contentType: 'application/json' },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.type).toBe('urn:dx:cat:malformedJson');

    const form = await api.post('/cat/v1/places', { form: { name: 'x' } });
    expect(form.status).toBe(415);
    expect(form.body.type).toBe('urn:dx:cat:unsupportedMediaType');

    const unknown = await api.get('/cat/v1/places?limit=3&colour=red');
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([{ field: 'colour', message: 'is not a known parameter' }]);

    // Which of two limits would count is anybody's guess: neither is taken.
    const repeated = await api.get('/cat/v1/places?limit=3&limit=1000&colour=red');
    expect(repeated.status).toBe(400);
    expect(repeated.headers.get('content-type')).toContain('application/problem+json');
    expect(repeated.body.type).toBe('urn:dx:cat:invalidParameter');
    expect(repeated.body.errors).toEqual([
      { field: 'limit', message: 'is given more than once' },
      { field: 'colour', message: 'is not a known parameter' },
    ]);
  });

  it('names what a parameter takes: the choices, digits for a number, the title of a pattern', async () => {
    const bad = await api.get('/cat/v1/places?kind=lake&page=0x10&day=today');
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([
      { field: 'page', message: 'must be an integer' },
      { field: 'kind', message: 'must be stop, depot or station' },
      { field: 'day', message: 'must be a day, YYYY-MM-DD' },
    ]);
    const good = await api.get('/cat/v1/places?kind=depot&page=2&day=2026-11-28');
    expect(good.status).toBe(200);
    expect(good.body.results).toEqual({ kind: 'depot', page: 2, day: '2026-11-28' });
  });

  it('refuses a body over the limit with 413, declared or streamed', async () => {
    const big = JSON.stringify({ name: 'x'.repeat(5000), lat: 0, lon: 0 });
    const declared = await api.post('/cat/v1/places', {
      raw: { body: big, contentType: 'application/json' },
    });
    expect(declared.status).toBe(413);
    expect(declared.body.type).toBe('urn:dx:cat:payloadTooLarge');

    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(big));
        controller.close();
      },
    });
    const response = await fetch(`${server.url}/cat/v1/places`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
  });

  it('hides the detail of an unexpected error behind a 500 problem, and logs it', async () => {
    const boom = await api.get('/cat/v1/boom');
    expect(boom.status).toBe(500);
    expect(boom.body.type).toBe('urn:dx:cat:internalError');
    expect(boom.text).not.toContain('connection lost');
    expect(log.lines.some((l) => l.msg === 'request failed' && l.reqId === boom.body.instance)).toBe(true);
    // The error is logged for operators, with anything token-like in it masked.
    expect(log.text).toContain('connection lost');
    expect(log.text).not.toContain(leakedToken);
    const path = await api.get(`/cat/v1/places/${leakedToken}`);
    expect(path.status).toBe(404);
    expect(log.text).not.toContain(leakedToken);
  });

  it('passes the headers of a problem through', async () => {
    const conflict = await api.get('/cat/v1/conflict');
    expect(conflict.status).toBe(409);
    expect(conflict.headers.get('retry-after')).toBe('3');
  });

  it('sets security headers and logs one line per request without query strings', async () => {
    const response = await api.get('/cat/v1/places?limit=secret-looking-value');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(response.headers.get('strict-transport-security')).toContain('max-age=');
    const line = log.lines.find((l) => l.reqId === response.headers.get('x-request-id'));
    expect(line).toMatchObject({ method: 'GET', path: '/cat/v1/places', status: 200 });
    expect(log.text).not.toContain('secret-looking-value');
  });

  it('sets the same headers on a request that does not come through its server', async () => {
    // An in-process request (no node response to stamp first) gets them from the gateway's middleware.
    const direct = await app.request('/cat/v1/places', { headers: { 'x-request-id': 'trace-7' } });
    expect(direct.headers.get('x-content-type-options')).toBe('nosniff');
    expect(direct.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(direct.headers.get('x-request-id')).toMatch(/^req_[0-9a-z]+$/);
    const served = await api.get('/cat/v1/places');
    for (const name of ['cross-origin-resource-policy', 'referrer-policy', 'strict-transport-security']) {
      expect(direct.headers.get(name)).toBe(served.headers.get(name));
    }
  });

  it('sends CORS headers only for configured origins', async () => {
    const app = createGateway({
      logger: createLogger({ level: 'silent' }),
      services: [],
      ready: async () => true,
      bodyLimitBytes: 1024,
      corsOrigins: ['https://dashboard.surat.example'],
    });
    const allowed = await app.request('/health', { headers: { origin: 'https://dashboard.surat.example' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://dashboard.surat.example');
    const other = await app.request('/health', { headers: { origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});
