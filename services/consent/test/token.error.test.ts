import { request } from 'node:http';
import { testBackend } from '@sangam/db/testing';
import { createPartner, startTestGateway, type TestGateway } from '@sangam/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe(`POST /auth/v1/token refusals on ${testBackend()}`, () => {
  let gw: TestGateway;
  const grant = (form: Record<string, string>, headers?: Record<string, string>) =>
    gw.api.post('/auth/v1/token', {
      form: { grant_type: 'client_credentials', ...form },
      ...(headers ? { headers } : {}),
    });

  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(async () => {
    await gw.close();
  });

  const expectOAuth = (
    response: { status: number; body: Record<string, unknown> },
    status: number,
    error: string,
  ) => {
    expect(response.status).toBe(status);
    expect(response.body.error).toBe(error);
    expect(response.body.type).toBe(
      `urn:dx:as:${error.replace(/_(\w)/g, (_, c: string) => c.toUpperCase())}`,
    );
  };

  it('refuses a wrong secret and an unknown client with 401 invalid_client', async () => {
    expectOAuth(
      await grant({ client_id: gw.admin.clientId, client_secret: 'sgm_wrong' }),
      401,
      'invalid_client',
    );
    expectOAuth(
      await grant({ client_id: 'cl_nobody', client_secret: gw.admin.clientSecret }),
      401,
      'invalid_client',
    );
    expectOAuth(await grant({ client_id: 'x'.repeat(5000), client_secret: 'y' }), 401, 'invalid_client');
    const basic = Buffer.from(`${gw.admin.clientId}:nope`).toString('base64');
    const response = await grant({}, { authorization: `Basic ${basic}` });
    expectOAuth(response, 401, 'invalid_client');
    expect(response.headers.get('www-authenticate')).toContain('Basic');
  });

  it('refuses a revoked client with 401 invalid_client', async () => {
    const partner = await createPartner(gw, { id: 'revoked-co', kind: 'industry', roles: ['consumer'] });
    const admin = await gw.adminToken();
    const revoked = await gw.api.delete(`/consent/v1/clients/${partner.client.clientId}`, { token: admin });
    expect(revoked.status).toBe(200);
    expect(revoked.body.results.status).toBe('revoked');
    const response = await grant({
      client_id: partner.client.clientId,
      client_secret: partner.client.clientSecret,
    });
    expectOAuth(response, 401, 'invalid_client');
  });

  it('refuses the old secret after a rotation with 401 invalid_client', async () => {
    const partner = await createPartner(gw, { id: 'rotated-co', kind: 'industry', roles: ['consumer'] });
    const admin = await gw.adminToken();
    await gw.api.post(`/consent/v1/clients/${partner.client.clientId}/rotate`, { token: admin });
    const response = await grant({
      client_id: partner.client.clientId,
      client_secret: partner.client.clientSecret,
    });
    expectOAuth(response, 401, 'invalid_client');
  });

  it('refuses a request with no client authentication with 401', async () => {
    expectOAuth(await grant({}), 401, 'invalid_client');
  });

  it('refuses a malformed or empty body with 400', async () => {
    const empty = await gw.api.post('/auth/v1/token', {
      raw: { body: '', contentType: 'application/x-www-form-urlencoded' },
    });
    expectOAuth(empty, 400, 'invalid_request');
    const none = await gw.api.post('/auth/v1/token');
    expectOAuth(none, 400, 'invalid_request');
    const broken = await gw.api.post('/auth/v1/token', {
      raw: { body: '{"grant_type":', contentType: 'application/json' },
    });
    expectOAuth(broken, 400, 'invalid_request');
    const array = await gw.api.post('/auth/v1/token', { json: ['client_credentials'] });
    expectOAuth(array, 400, 'invalid_request');
    const nested = await gw.api.post('/auth/v1/token', { json: { grant_type: { $ne: null } } });
    expectOAuth(nested, 400, 'invalid_request');
    const xml = await gw.api.post('/auth/v1/token', {
      raw: { body: '<grant/>', contentType: 'application/xml' },
    });
    expectOAuth(xml, 400, 'invalid_request');
    const repeated = await gw.api.post('/auth/v1/token', {
      raw: {
        body: 'grant_type=client_credentials&grant_type=password',
        contentType: 'application/x-www-form-urlencoded',
      },
    });
    expectOAuth(repeated, 400, 'invalid_request');
  });

  it('refuses two authentication methods at once, another grant type and a scope beyond the roles', async () => {
    const basic = Buffer.from(`${gw.admin.clientId}:${gw.admin.clientSecret}`).toString('base64');
    const both = await grant(
      { client_id: gw.admin.clientId, client_secret: gw.admin.clientSecret },
      { authorization: `Basic ${basic}` },
    );
    expectOAuth(both, 400, 'invalid_request');
    const password = await gw.api.post('/auth/v1/token', {
      form: { grant_type: 'password', client_id: gw.admin.clientId, client_secret: gw.admin.clientSecret },
    });
    expectOAuth(password, 400, 'unsupported_grant_type');
    const scope = await grant({
      client_id: gw.admin.clientId,
      client_secret: gw.admin.clientSecret,
      scope: 'auditor',
    });
    expectOAuth(scope, 400, 'invalid_scope');
  });

  it('slows down guessing: after ten failures a client id is refused with 429 for a while', async () => {
    const partner = await createPartner(gw, { id: 'guessed-co', kind: 'industry', roles: ['consumer'] });
    const id = partner.client.clientId;
    for (let i = 0; i < 10; i += 1) {
      expectOAuth(await grant({ client_id: id, client_secret: `sgm_guess_${i}` }), 401, 'invalid_client');
    }
    const limited = await grant({ client_id: id, client_secret: partner.client.clientSecret });
    expect(limited.status).toBe(429);
    expect(limited.body.type).toBe('urn:dx:as:tooManyRequests');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // Other clients are not affected.
    expect((await grant({ client_id: gw.admin.clientId, client_secret: gw.admin.clientSecret })).status).toBe(
      200,
    );
  });

  /** A token request sent from another address of this machine (127.0.0.0/8 is all loopback). */
  const grantFrom = (localAddress: string, form: Record<string, string>) =>
    new Promise<number>((resolve, reject) => {
      const body = new URLSearchParams({ grant_type: 'client_credentials', ...form }).toString();
      const req = request(
        `${gw.url}/auth/v1/token`,
        { method: 'POST', localAddress, headers: { 'content-type': 'application/x-www-form-urlencoded' } },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end(body);
    });

  it('never lets a stranger lock a client out: failures count per client and address', async () => {
    const victim = await createPartner(gw, { id: 'locked-co', kind: 'industry', roles: ['consumer'] });
    const id = victim.client.clientId;
    for (let i = 0; i < 12; i += 1) {
      expect([401, 429]).toContain(
        await grantFrom('127.0.0.2', { client_id: id, client_secret: `sgm_x${i}` }),
      );
    }
    // The stranger's address is refused for this client; the client itself, elsewhere, is not.
    expect(await grantFrom('127.0.0.2', { client_id: id, client_secret: victim.client.clientSecret })).toBe(
      429,
    );
    expect(await grantFrom('127.0.0.3', { client_id: id, client_secret: victim.client.clientSecret })).toBe(
      200,
    );
  });

  it('stops one address guessing across many client ids, known or not, and holds its refusals', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 101; i += 1) {
      codes.push(await grantFrom('127.0.0.4', { client_id: `cl_guess${i}`, client_secret: 'sgm_guess' }));
    }
    expect(codes.slice(0, 100).every((code) => code === 401)).toBe(true);
    expect(codes[100]).toBe(429);
    // A locked-out address waits a second for each refusal (so a flood of guesses asks about once a second per
    // connection); everyone else signs in meanwhile, without waiting for it.
    const finished: string[] = [];
    const started = performance.now();
    const held = grantFrom('127.0.0.4', { client_id: 'cl_guess_more', client_secret: 'sgm_guess' }).then(
      (code) => {
        finished.push('held');
        return code;
      },
    );
    const other = grant({ client_id: gw.admin.clientId, client_secret: gw.admin.clientSecret }).then((r) => {
      finished.push('other');
      return r.status;
    });
    expect(await Promise.all([held, other])).toEqual([429, 200]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(990);
    expect(finished).toEqual(['other', 'held']);
  });

  it('refuses an oversized body with 413', async () => {
    const response = await gw.api.post('/auth/v1/token', {
      form: { grant_type: 'client_credentials', client_id: 'a', client_secret: 'b'.repeat(2 * 1024 * 1024) },
    });
    expect(response.status).toBe(413);
    expect(response.body.type).toBe('urn:dx:as:payloadTooLarge');
  });
});
