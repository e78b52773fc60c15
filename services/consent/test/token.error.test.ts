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

  it('refuses an oversized body with 413', async () => {
    const response = await gw.api.post('/auth/v1/token', {
      form: { grant_type: 'client_credentials', client_id: 'a', client_secret: 'b'.repeat(2 * 1024 * 1024) },
    });
    expect(response.status).toBe(413);
    expect(response.body.type).toBe('urn:dx:as:payloadTooLarge');
  });
});
