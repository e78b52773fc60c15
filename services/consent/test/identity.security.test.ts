import { createPublicKey } from 'node:crypto';
import { testBackend } from '@sangam/db/testing';
import { createPartner, manualTestClock, startTestGateway, type TestGateway } from '@sangam/testkit';
import { decodeProtectedHeader, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe(`identity API security on ${testBackend()}`, () => {
  let gw: TestGateway;
  const clock = manualTestClock();
  const orgs = (token?: string) => gw.api.get('/consent/v1/organisations', token ? { token } : {});

  beforeAll(async () => {
    gw = await startTestGateway({ clock });
  });
  afterAll(async () => {
    await gw.close();
  });

  it('asks for a bearer token where none is sent', async () => {
    const response = await orgs();
    expect(response.status).toBe(401);
    expect(response.body.type).toBe('urn:dx:as:missingToken');
    expect(response.headers.get('www-authenticate')).toContain('Bearer');
    const basic = await gw.api.get('/consent/v1/organisations', { headers: { authorization: 'Basic YTpi' } });
    expect(basic.body.type).toBe('urn:dx:as:missingToken');
  });

  it('refuses a token with a flipped signature byte', async () => {
    const token = await gw.adminToken();
    const [h, p, s = ''] = token.split('.');
    const signature = Buffer.from(s, 'base64url');
    signature[0] = (signature[0] ?? 0) ^ 0x80;
    const response = await orgs(`${h}.${p}.${signature.toString('base64url')}`);
    expect(response.status).toBe(401);
    expect(response.body.type).toBe('urn:dx:as:invalidToken');
  });

  it('refuses alg none', async () => {
    const token = await gw.adminToken();
    const [h = '', p] = token.split('.');
    const header = JSON.parse(Buffer.from(h, 'base64url').toString());
    const response = await orgs(`${b64({ ...header, alg: 'none' })}.${p}.`);
    expect(response.status).toBe(401);
    expect(response.body.type).toBe('urn:dx:as:unsupportedAlgorithm');
  });

  it('refuses HS256 signed with the public key', async () => {
    const token = await gw.adminToken();
    const { kid } = decodeProtectedHeader(token);
    const jwks = await gw.api.get('/.well-known/jwks.json');
    const jwk = jwks.body.keys.find((k: { kid: string }) => k.kid === kid);
    const pem = createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString());
    const forged = await new SignJWT(payload)
      .setProtectedHeader({ alg: 'HS256', kid: String(kid) })
      .sign(Buffer.from(String(pem)));
    const response = await orgs(forged);
    expect(response.status).toBe(401);
    expect(response.body.type).toBe('urn:dx:as:unsupportedAlgorithm');
  });

  it('refuses an expired token', async () => {
    const token = await gw.adminToken();
    clock.advance(3600_000);
    const response = await orgs(token);
    expect(response.status).toBe(401);
    expect(response.body.type).toBe('urn:dx:as:tokenExpired');
  });

  it('refuses a token for another audience', async () => {
    const { token } = await gw.gateway.consent.tokens.issue(
      { org: 'surat', roles: ['admin'] },
      { subject: gw.admin.clientId, audience: 'sangam:resource-proxy', ttlSeconds: 300 },
    );
    const response = await orgs(token);
    expect(response.status).toBe(401);
    expect(response.body.type).toBe('urn:dx:as:invalidAudience');
  });

  it('refuses a token signed by an unknown key', async () => {
    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const now = Math.floor(clock.now().getTime() / 1000);
    const forged = await new SignJWT({ org: 'surat', roles: ['admin'] })
      .setProtectedHeader({ alg: 'EdDSA', kid: 'key_unknown' })
      .setIssuer(gw.gateway.consent.tokens.issuer)
      .setAudience('sangam:management')
      .setSubject(gw.admin.clientId)
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + 300)
      .setJti('tok_forged')
      .sign(privateKey);
    const response = await orgs(forged);
    expect(response.status).toBe(401);
    expect(response.body.type).toBe('urn:dx:as:unknownKey');
  });

  it('keeps partners out of the city admin’s work', async () => {
    const consumer = await createPartner(gw, { id: 'svnit', kind: 'academia', roles: ['consumer'] });
    const partnerAdmin = await createPartner(gw, {
      id: 'sitilink',
      kind: 'industry',
      roles: ['admin', 'provider'],
    });
    const newOrg = { name: 'Rogue', kind: 'community', city: 'Surat' };
    for (const token of [consumer.token, partnerAdmin.token]) {
      const create = await gw.api.post('/consent/v1/organisations', { token, json: newOrg });
      expect(create.status).toBe(403);
      expect(create.body.type).toBe('urn:dx:as:forbidden');
      const client = await gw.api.post('/consent/v1/clients', {
        token,
        json: { organisation: 'svnit', roles: ['auditor'] },
      });
      expect(client.status).toBe(403);
      expect((await gw.api.get('/consent/v1/clients', { token })).status).toBe(403);
      expect((await gw.api.get('/consent/v1/organisations', { token })).status).toBe(403);
    }
    const peek = await gw.api.get('/consent/v1/organisations/sitilink', { token: consumer.token });
    expect(peek.status).toBe(403);
    const rotate = await gw.api.post(`/consent/v1/clients/${partnerAdmin.client.clientId}/rotate`, {
      token: consumer.token,
    });
    expect(rotate.status).toBe(403);
    const revoke = await gw.api.delete(`/consent/v1/clients/${partnerAdmin.client.clientId}`, {
      token: partnerAdmin.token,
    });
    expect(revoke.status).toBe(403);
  });

  it('stops a revoked client’s unexpired tokens at once', async () => {
    const partner = await createPartner(gw, { id: 'leaving-co', kind: 'startup', roles: ['consumer'] });
    const own = await gw.api.get('/consent/v1/organisations/leaving-co', { token: partner.token });
    expect(own.status).toBe(200);
    await gw.api.delete(`/consent/v1/clients/${partner.client.clientId}`, { token: await gw.adminToken() });
    const after = await gw.api.get('/consent/v1/organisations/leaving-co', { token: partner.token });
    expect(after.status).toBe(401);
    expect(after.body.type).toBe('urn:dx:as:clientRevoked');
  });

  it('stops tokens issued before a secret rotation', async () => {
    const partner = await createPartner(gw, { id: 'rotating-co', kind: 'startup', roles: ['consumer'] });
    clock.advance(2000);
    await gw.api.post(`/consent/v1/clients/${partner.client.clientId}/rotate`, {
      token: await gw.adminToken(),
    });
    const after = await gw.api.get('/consent/v1/organisations/rotating-co', { token: partner.token });
    expect(after.status).toBe(401);
    expect(after.body.type).toBe('urn:dx:as:clientRevoked');
  });

  it('stops a token issued in the same second as the rotation, before it', async () => {
    // The clock stands at the start of a second: the token and the rotation fall 300 ms apart within it.
    clock.set(Math.ceil(clock.now().getTime() / 1000) * 1000 + 1000);
    const partner = await createPartner(gw, { id: 'same-second-co', kind: 'startup', roles: ['consumer'] });
    clock.advance(300);
    const rotated = await gw.api.post(`/consent/v1/clients/${partner.client.clientId}/rotate`, {
      token: await gw.adminToken(),
    });
    expect(rotated.status, rotated.text).toBe(200);
    const after = await gw.api.get('/consent/v1/organisations/same-second-co', { token: partner.token });
    expect(after.status).toBe(401);
    expect(after.body.type).toBe('urn:dx:as:clientRevoked');
    // A token from the new secret, a moment later, works.
    clock.advance(1);
    const fresh = await gw.api.post('/auth/v1/token', {
      form: {
        grant_type: 'client_credentials',
        client_id: partner.client.clientId,
        client_secret: rotated.body.results.clientSecret,
      },
    });
    const token = fresh.body.access_token as string;
    expect((await gw.api.get('/consent/v1/organisations/same-second-co', { token })).status).toBe(200);
  });

  it('will not revoke the last city admin, nor rotate a revoked client', async () => {
    const admin = await gw.adminToken();
    const last = await gw.api.delete(`/consent/v1/clients/${gw.admin.clientId}`, { token: admin });
    expect(last.status).toBe(409);
    const partner = await createPartner(gw, { id: 'gone-co', kind: 'startup', roles: ['consumer'] });
    await gw.api.delete(`/consent/v1/clients/${partner.client.clientId}`, { token: admin });
    const rotate = await gw.api.post(`/consent/v1/clients/${partner.client.clientId}/rotate`, {
      token: admin,
    });
    expect(rotate.status).toBe(409);
  });

  it('validates identity bodies, listing every failing field', async () => {
    const admin = await gw.adminToken();
    const bad = await gw.api.post('/consent/v1/organisations', {
      token: admin,
      json: { id: 'Not A Slug', kind: 'church', city: '', colour: 'red' },
    });
    expect(bad.status).toBe(400);
    expect((bad.body.errors as { field: string }[]).map((e) => e.field).sort()).toEqual([
      '/city',
      '/colour',
      '/id',
      '/kind',
      '/name',
    ]);
    const duplicate = await gw.api.post('/consent/v1/organisations', {
      token: admin,
      json: { id: 'surat', name: 'Again', kind: 'government', city: 'Surat' },
    });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.type).toBe('urn:dx:as:alreadyExists');
    const noOrg = await gw.api.post('/consent/v1/clients', {
      token: admin,
      json: { organisation: 'nowhere', roles: ['consumer'] },
    });
    expect(noOrg.status).toBe(400);
    expect(noOrg.body.errors).toEqual([{ field: '/organisation', message: 'no organisation "nowhere"' }]);
    const badRoles = await gw.api.post('/consent/v1/clients', {
      token: admin,
      json: { organisation: 'surat', roles: ['root', 'root'] },
    });
    expect(badRoles.status).toBe(400);
    const missing = await gw.api.get('/consent/v1/clients/cl_nobody', { token: admin });
    expect(missing.status).toBe(404);
    const weird = await gw.api.get(`/consent/v1/clients/${encodeURIComponent("' or 1=1 --")}`, {
      token: admin,
    });
    expect(weird.status).toBe(404);
    const page = await gw.api.get('/consent/v1/organisations?limit=0', { token: admin });
    expect(page.status).toBe(400);
    expect(page.body.errors[0].field).toBe('limit');
  });
});
