import { testBackend } from '@sangam/db/testing';
import { clientToken, createPartner, startTestGateway, type TestGateway } from '@sangam/testkit';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe(`POST /auth/v1/token on ${testBackend()}`, () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(async () => {
    await gw.close();
  });

  it('grants a token to a client authenticated with HTTP Basic', async () => {
    const basic = Buffer.from(`${gw.admin.clientId}:${gw.admin.clientSecret}`).toString('base64');
    const response = await gw.api.post('/auth/v1/token', {
      form: { grant_type: 'client_credentials' },
      headers: { authorization: `Basic ${basic}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.body).toMatchObject({ token_type: 'Bearer', expires_in: 900, scope: 'admin' });
    const claims = decodeJwt(response.body.access_token);
    expect(claims).toMatchObject({
      sub: gw.admin.clientId,
      org: 'surat',
      roles: ['admin'],
      aud: 'sangam:management',
    });
    expect(decodeProtectedHeader(response.body.access_token).alg).toBe('EdDSA');
  });

  it('grants a token to a client authenticated in a form or JSON body', async () => {
    const form = await gw.api.post('/auth/v1/token', {
      form: {
        grant_type: 'client_credentials',
        client_id: gw.admin.clientId,
        client_secret: gw.admin.clientSecret,
      },
    });
    expect(form.status).toBe(200);
    const json = await gw.api.post('/auth/v1/token', {
      json: {
        grant_type: 'client_credentials',
        client_id: gw.admin.clientId,
        client_secret: gw.admin.clientSecret,
      },
    });
    expect(json.status).toBe(200);
    expect(typeof json.body.access_token).toBe('string');
  });

  it('narrows the roles of a token to the scope asked for', async () => {
    const partner = await createPartner(gw, {
      id: 'svnit',
      kind: 'academia',
      roles: ['consumer', 'auditor'],
    });
    const token = await clientToken(gw.api, partner.client.clientId, partner.client.clientSecret, 'consumer');
    expect(decodeJwt(token).roles).toEqual(['consumer']);
    expect(decodeJwt(partner.token).roles).toEqual(['auditor', 'consumer']);
  });

  it('publishes the JWKS that verifies its tokens', async () => {
    const jwks = await gw.api.get('/.well-known/jwks.json');
    expect(jwks.status).toBe(200);
    const token = await gw.adminToken();
    expect(jwks.body.keys.map((k: { kid: string }) => k.kid)).toContain(decodeProtectedHeader(token).kid);
  });

  it('lets the city admin manage organisations and clients, secrets shown once', async () => {
    const admin = await gw.adminToken();
    const org = await gw.api.post('/consent/v1/organisations', {
      token: admin,
      json: { name: 'Sitilink Bus Services', kind: 'industry', city: 'Surat' },
    });
    expect(org.status).toBe(201);
    expect(org.body.results).toMatchObject({ id: 'sitilink-bus-services', kind: 'industry' });
    expect(org.headers.get('location')).toBe('/consent/v1/organisations/sitilink-bus-services');

    const created = await gw.api.post('/consent/v1/clients', {
      token: admin,
      json: { organisation: 'sitilink-bus-services', roles: ['provider'] },
    });
    expect(created.status).toBe(201);
    expect(created.body.results.clientSecret).toMatch(/^sgm_[A-Za-z0-9_-]{43}$/);
    const id = created.body.results.clientId;

    const read = await gw.api.get(`/consent/v1/clients/${id}`, { token: admin });
    expect(read.body.results).toMatchObject({
      clientId: id,
      organisation: 'sitilink-bus-services',
      status: 'active',
    });
    expect(read.text).not.toContain(created.body.results.clientSecret);
    expect(read.text).not.toContain('scrypt');

    const list = await gw.api.get('/consent/v1/clients?organisation=sitilink-bus-services', { token: admin });
    expect(list.body.totalHits).toBe(1);
    expect(list.body.results[0]).not.toHaveProperty('clientSecret');

    const orgs = await gw.api.get('/consent/v1/organisations?limit=2', { token: admin });
    expect(orgs.body.totalHits).toBeGreaterThanOrEqual(2);
    expect(orgs.body.results).toHaveLength(2);

    const own = await clientToken(gw.api, id, created.body.results.clientSecret);
    const mine = await gw.api.get('/consent/v1/organisations/sitilink-bus-services', { token: own });
    expect(mine.status).toBe(200);
    expect(mine.body.results.name).toBe('Sitilink Bus Services');
  });

  it('rotates a secret: the new one works at once', async () => {
    const admin = await gw.adminToken();
    const partner = await createPartner(gw, { id: 'yulu', kind: 'startup', roles: ['provider'] });
    const rotated = await gw.api.post(`/consent/v1/clients/${partner.client.clientId}/rotate`, {
      token: admin,
    });
    expect(rotated.status).toBe(200);
    expect(rotated.body.results.clientSecret).not.toBe(partner.client.clientSecret);
    expect(rotated.body.results.secretRotatedAt).toEqual(expect.any(String));
    const token = await clientToken(gw.api, partner.client.clientId, rotated.body.results.clientSecret);
    expect(decodeJwt(token).sub).toBe(partner.client.clientId);
  });
});
