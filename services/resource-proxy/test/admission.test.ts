import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { testBackend } from '@sangam/db/testing';
import { type Alliance, eta, startAlliance, waitFor } from '@sangam/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** Work is admitted before it is done: one consumer's queries in flight are capped, whatever its rate limit. */
describe(`admission of a consumer's queries on ${testBackend()}`, () => {
  let a: Alliance;
  let api: Server;
  let token: string;
  // The provider's API holds every request until the test lets it answer (or answers at once, when told to).
  const held: ServerResponse[] = [];
  let calls = 0;
  let immediate = false;
  const answer = () => {
    for (const res of held.splice(0)) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('[]');
    }
  };

  beforeAll(async () => {
    api = createServer((_req: IncomingMessage, res: ServerResponse) => {
      calls += 1;
      held.push(res);
      if (immediate) answer();
    });
    await new Promise<void>((r) => api.listen(0, '127.0.0.1', r));
    a = await startAlliance({
      env: { SANGAM_QUERY_CONCURRENCY: '3', SANGAM_UPSTREAM_TIMEOUT_MS: '20000' },
      upstream: `http://127.0.0.1:${(api.address() as AddressInfo).port}/eta`,
    });
    const consent = await a.consent({ items: [eta], attributes: ['route', 'speed'] });
    token = await a.accessToken(consent, eta);
  });
  afterAll(async () => {
    answer();
    await a.gw.close();
    await new Promise((r) => api.close(r));
  });

  it('refuses a query beyond the cap before doing any of its work, audits the refusal, and admits again once one ends', async () => {
    const ask = () => a.gw.api.get(`/ngsi-ld/v1/entities?id=${eta}`, { token });
    const running = [ask(), ask(), ask()];
    await waitFor('three queries at the provider', () => held.length === 3);
    const refused = await ask();
    expect(refused.status).toBe(429);
    expect(refused.body.type).toBe('urn:dx:rs:tooManyRequests');
    expect(refused.body.detail).toBe('At most 3 queries of one consumer run at once');
    // No fourth call reached the provider.
    expect(held.length).toBe(3);
    const entry = await a.gw.database.db
      .selectFrom('audit_entries')
      .select(['decision', 'entry'])
      .where('request_id', '=', refused.headers.get('x-request-id') ?? '')
      .executeTakeFirstOrThrow();
    expect(entry.decision).toBe('deny');
    expect(JSON.parse(entry.entry).reason).toMatch(/^tooManyRequests: At most 3 queries/);

    answer();
    for (const r of await Promise.all(running)) expect(r.status).toBe(200);
    const again = ask();
    await waitFor('the next query at the provider', () => held.length === 1);
    answer();
    expect((await again).status).toBe(200);
  });

  it('refuses a query over its rate limit before the query runs', async () => {
    immediate = true;
    const limited = await a.consent({ items: [eta], attributes: ['route', 'speed'], rateLimit: 3 });
    const access = await a.accessToken(limited, eta);
    const ask = () => a.gw.api.get(`/ngsi-ld/v1/entities?id=${eta}`, { token: access });
    const before = calls;
    for (let i = 0; i < 3; i += 1) expect((await ask()).status).toBe(200);
    expect(calls).toBe(before + 3);
    const over = await ask();
    expect(over.status).toBe(429);
    expect(over.body.type).toBe('urn:dx:rs:tooManyRequests');
    // The provider's API was not called for it.
    expect(calls).toBe(before + 3);
  });
});
