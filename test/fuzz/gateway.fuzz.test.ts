import { problems } from '@sangam/core';
import { testBackend } from '@sangam/db/testing';
import { type Alliance, clientToken, position, positions, startAlliance } from '@sangam/testkit';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Every endpoint of every OpenAPI document the gateway serves, and every route of the API map that none describes
 * yet, under generated requests: valid, near-valid and hostile paths, parameters, bodies and credentials. Nothing
 * may answer 5xx or hang, every refusal must be a registered problem, and the audit log must verify afterwards.
 * `SANGAM_FUZZ_REQUESTS` sets how many (CI runs 100,000 in a step of its own).
 */
const total = Number(process.env.SANGAM_FUZZ_REQUESTS ?? 4000);
const concurrency = 16;
const seed = Number(process.env.SANGAM_FUZZ_SEED ?? 20261127);

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
interface Endpoint {
  readonly method: Method;
  /** With `{name}` placeholders. */
  readonly path: string;
  readonly query: readonly string[];
  /** A console page: it answers people, so a refusal may be a page (HTML) rather than a problem. */
  readonly page?: boolean;
}

/** The console's pages and forms (not in the OpenAPI document, which is the API's). */
const consolePages: Endpoint[] = [
  { method: 'GET', path: '/', query: ['lang'] },
  { method: 'GET', path: '/archive', query: ['lang'] },
  { method: 'GET', path: '/catalogue', query: ['q', 'type', 'accessPolicy', 'provider', 'lang'] },
  { method: 'GET', path: '/catalogue/items/{id}', query: [] },
  { method: 'GET', path: '/language/{id}', query: ['back'] },
  { method: 'GET', path: '/sign-in', query: ['next'] },
  { method: 'POST', path: '/sign-in', query: [] },
  { method: 'POST', path: '/sign-out', query: [] },
  { method: 'GET', path: '/join/{id}', query: [] },
  { method: 'POST', path: '/join/{id}', query: [] },
  { method: 'GET', path: '/members', query: [] },
  { method: 'POST', path: '/members/invitations', query: [] },
  { method: 'POST', path: '/members/{id}/suspend', query: [] },
  { method: 'GET', path: '/consents', query: [] },
  { method: 'GET', path: '/consents/new', query: ['mou'] },
  { method: 'POST', path: '/consents', query: [] },
  { method: 'POST', path: '/consents/{id}/{id}', query: [] },
  { method: 'POST', path: '/archive/{id}/outcome', query: [] },
  { method: 'POST', path: '/sign-in/passkey/options', query: [] },
  { method: 'POST', path: '/sign-in/passkey', query: [] },
  { method: 'GET', path: '/account', query: [] },
  { method: 'POST', path: '/account/passkeys/options', query: [] },
  { method: 'POST', path: '/account/passkeys', query: [] },
  { method: 'GET', path: '/items', query: [] },
  { method: 'POST', path: '/items', query: [] },
  { method: 'GET', path: '/items/edit', query: ['id'] },
  { method: 'POST', path: '/items/edit', query: [] },
  { method: 'POST', path: '/items/retire', query: [] },
  { method: 'GET', path: '/usage', query: ['view', 'from', 'to'] },
  { method: 'GET', path: '/city', query: ['from', 'to', 'lang'] },
  { method: 'GET', path: '/mous', query: [] },
  { method: 'GET', path: '/mous/new', query: [] },
  { method: 'POST', path: '/mous', query: [] },
  { method: 'GET', path: '/mous/{id}', query: ['from', 'to'] },
  { method: 'POST', path: '/mous/{id}/{id}', query: [] },
  { method: 'GET', path: '/mous/{id}/report', query: ['from', 'to'] },
  { method: 'GET', path: '/mous/{id}/report.csv', query: ['from', 'to'] },
  {
    method: 'GET',
    path: '/audit',
    query: ['organisation', 'client', 'action', 'decision', 'from', 'to', 'after'],
  },
  { method: 'POST', path: '/audit/checkpoints', query: [] },
  {
    method: 'GET',
    path: '/audit/export',
    query: ['format', 'organisation', 'action', 'decision', 'from', 'to'],
  },
  { method: 'GET', path: '/audit/entries/{seq}', query: [] },
  { method: 'GET', path: '/audit/consistency', query: ['from', 'to'] },
  { method: 'GET', path: '/audit/data/entries/{seq}', query: [] },
  { method: 'GET', path: '/audit/data/entries/{seq}/proof', query: ['treeSize'] },
  { method: 'GET', path: '/audit/data/consistency', query: ['from', 'to'] },
  { method: 'GET', path: '/audit/data/checkpoints/{treeSize}', query: [] },
  { method: 'GET', path: '/audit/data/witnesses', query: [] },
  { method: 'GET', path: '/problems', query: ['lang'] },
  { method: 'POST', path: '/problems', query: [] },
  { method: 'POST', path: '/problems/{id}/status', query: [] },
  { method: 'GET', path: '/propose', query: [] },
  { method: 'POST', path: '/propose', query: [] },
  { method: 'GET', path: '/inbox', query: [] },
  { method: 'GET', path: '/explore', query: ['consent', 'item', 'attrs', 'q', 'from', 'to', 'format'] },
].map((e) => ({ ...e, method: e.method as Method, page: true }));

const hostile = [
  '',
  ' ',
  '%00',
  '..%2F..%2Fetc%2Fpasswd',
  'a'.repeat(3000),
  '\u202e\u0000\ud800',
  "' OR 1=1 --",
  '{"$ne":null}',
  '<script>alert(1)</script>',
  '-1',
  '1e308',
  '9007199254740993',
  'NaN',
  '../',
  '%',
  '%E0%A4%A',
  'null',
];

/** Every byte of the text's UTF-8 percent-encoded: any text, lone surrogates included, becomes a path segment. */
const percentEncoded = (text: string) =>
  [...Buffer.from(text, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');

describe(`the gateway under an OpenAPI-driven fuzzer on ${testBackend()}`, () => {
  let a: Alliance;
  let endpoints: Endpoint[];
  const ids: Record<string, string[]> = {};
  const tokens: string[] = [];
  let auditor: string;

  beforeAll(async () => {
    // Refusals for too many sign-in failures go at once here: held a second each, the fuzzer's batches would
    // wait on them rather than send requests (the hold has its own test).
    a = await startAlliance({ env: { SANGAM_SIGNIN_LOCKOUT_HOLD_MS: '0' } });
    await a.ingest(positions, [position(a.clock, '1', 2), position(a.clock, '2', 3)]);
    const consent = await a.consent({ rateLimit: 100_000 });
    const access = await a.accessToken(consent);
    const admin = await a.token('admin');
    const made = await a.gw.api.post('/consent/v1/clients', {
      token: admin,
      json: { organisation: 'surat', roles: ['auditor'], name: 'Fuzz auditor' },
    });
    auditor = await clientToken(a.gw.api, made.body.results.clientId, made.body.results.clientSecret);
    tokens.push(admin, await a.token('sitilink'), await a.token('svnit'), access, auditor);
    ids.id = [
      positions,
      consent,
      a.mou,
      'sitilink',
      'surat',
      made.body.results.clientId,
      'sitilink/surat-bus-itms',
    ];
    ids.resourceId = [positions, 'sitilink/surat-bus-itms/stops'];
    ids.seq = ['1', '2', '5'];
    ids.treeSize = ['1', '3'];
    ids.type = ['resource', 'provider', 'resourceGroup'];
    await a.gw.api.post('/audit/v1/checkpoints', { token: auditor });

    endpoints = [...consolePages];
    for (const document of ['/openapi.json']) {
      const spec = (await (await fetch(`${a.gw.url}${document}`)).json()) as {
        paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>>;
      };
      for (const [path, operations] of Object.entries(spec.paths)) {
        for (const [method, operation] of Object.entries(operations)) {
          if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
          const query = (operation.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
          endpoints.push({ method: method.toUpperCase() as Method, path, query });
        }
      }
    }
  });
  afterAll(async () => {
    await a.gw.close();
  });

  it('never answers 5xx or hangs, refuses only with registered problems, and leaves a log that verifies', async () => {
    const value = fc.oneof(
      fc.constantFrom(...hostile),
      fc.string({ maxLength: 40 }),
      fc.integer().map(String),
      fc.constantFrom('2026-01-01T00:00:00Z', 'R1', 'speed>=1', '[[72.8,21.2],[72.9,21.3]]', 'json', 'note'),
    );
    const body = fc.oneof(
      fc.jsonValue({ maxDepth: 4 }).map((v) => ({ type: 'application/json', text: JSON.stringify(v) })),
      fc.object({ maxDepth: 3 }).map((v) => ({ type: 'application/json', text: JSON.stringify(v) })),
      fc.string({ maxLength: 200 }).map((text) => ({ type: 'application/json', text })),
      fc.constant({ type: 'application/json', text: `${'['.repeat(5000)}${']'.repeat(5000)}` }),
      fc.constant({
        type: 'application/json',
        text: JSON.stringify({ records: [{ id: 'x'.repeat(5000) }] }),
      }),
      fc.string({ maxLength: 100 }).map((text) => ({ type: 'text/plain', text })),
      fc.string({ maxLength: 100 }).map((text) => ({ type: 'application/x-www-form-urlencoded', text })),
      fc.constant(undefined),
    );
    const request = fc.record({
      endpoint: fc.nat({ max: 10_000 }),
      params: fc.array(fc.oneof(fc.nat({ max: 50 }), value), { minLength: 3, maxLength: 3 }),
      query: fc.array(fc.tuple(fc.oneof(fc.nat({ max: 20 }), fc.string({ maxLength: 8 })), value), {
        maxLength: 4,
      }),
      credential: fc.oneof(fc.nat({ max: tokens.length }), fc.constant(-1)),
      body,
    });
    const cases = fc.sample(request, { numRuns: total, seed });
    const failures: string[] = [];
    const statuses = new Map<number, number>();

    const send = async (c: (typeof cases)[number]) => {
      const endpoint = endpoints[c.endpoint % endpoints.length] as Endpoint;
      let index = 0;
      const path = endpoint.path.replace(/\{(\w+)\}/g, (_, name: string) => {
        const choice = c.params[index++ % 3];
        const known = ids[name] ?? [];
        return typeof choice === 'number' && known.length > 0
          ? (known[choice % known.length] as string)
          : percentEncoded(String(choice));
      });
      const search = new URLSearchParams();
      for (const [name, v] of c.query) {
        search.append(
          typeof name === 'number'
            ? (endpoint.query[name % Math.max(1, endpoint.query.length)] ?? 'x')
            : name,
          v,
        );
      }
      if (
        endpoint.path.startsWith('/ngsi-ld') &&
        c.params[0] !== undefined &&
        typeof c.params[0] === 'number'
      ) {
        search.set('id', positions);
      }
      const headers: Record<string, string> = {};
      if (c.credential === -1) headers.authorization = 'Bearer eyJhbGciOiJub25lIn0.e30.';
      else if (c.credential < tokens.length) headers.authorization = `Bearer ${tokens[c.credential]}`;
      const withBody = endpoint.method !== 'GET' && endpoint.method !== 'DELETE' && c.body;
      if (withBody) headers['content-type'] = c.body?.type ?? 'application/json';
      const url = `${a.gw.url}${path}${search.size > 0 ? `?${search}` : ''}`;
      let response: Response;
      try {
        response = await fetch(url, {
          method: endpoint.method,
          headers,
          ...(withBody ? { body: c.body?.text } : {}),
          signal: AbortSignal.timeout(15_000),
        });
      } catch (error) {
        failures.push(`${endpoint.method} ${url}: no answer (${(error as Error).name})`);
        return;
      }
      const text = await response.text();
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      if (response.status >= 500) {
        failures.push(`${endpoint.method} ${url} -> ${response.status} ${text.slice(0, 300)}`);
        return;
      }
      if (
        response.status >= 400 &&
        endpoint.page &&
        (response.headers.get('content-type') ?? '').includes('text/html')
      ) {
        // A page that tells a person what went wrong: a whole document, in a language of the console.
        if (!/^<!doctype html><html lang="(en|hi)"/.test(text))
          failures.push(
            `${endpoint.method} ${url} -> ${response.status} not a console page: ${text.slice(0, 200)}`,
          );
        return;
      }
      if (response.status >= 400) {
        let type = '';
        try {
          type = (JSON.parse(text) as { type?: string }).type ?? '';
        } catch {
          type = '';
        }
        const name = /^urn:dx:(?:cat|as|rs|adp|gw):(\w+)$/.exec(type)?.[1];
        const registered = name !== undefined && Object.hasOwn(problems, name);
        if (
          !registered ||
          !(response.headers.get('content-type') ?? '').includes('application/problem+json')
        ) {
          failures.push(
            `${endpoint.method} ${url} -> ${response.status} not a registered problem: ${text.slice(0, 200)}`,
          );
        }
      }
    };
    for (let i = 0; i < cases.length; i += concurrency) {
      await Promise.all(cases.slice(i, i + concurrency).map(send));
    }
    expect(failures.slice(0, 20)).toEqual([]);
    // Both sides were reached: some requests answered, many refused.
    expect([...statuses].filter(([s]) => s < 300).reduce((n, [, k]) => n + k, 0)).toBeGreaterThan(total / 50);
    expect([...statuses].filter(([s]) => s >= 400).reduce((n, [, k]) => n + k, 0)).toBeGreaterThan(total / 2);

    // A fresh auditor: the fuzzer may well have rotated or removed the first one's client.
    const fresh = await a.gw.api.post('/consent/v1/clients', {
      token: await a.gw.adminToken(),
      json: { organisation: 'surat', roles: ['auditor'], name: 'Auditor after the fuzz' },
    });
    const checker = await clientToken(a.gw.api, fresh.body.results.clientId, fresh.body.results.clientSecret);
    const verify = await a.gw.api.get('/audit/v1/verify', { token: checker });
    expect(verify.status).toBe(200);
    expect(verify.body.results).toMatchObject({ ok: true });
  }, 600_000);
});
