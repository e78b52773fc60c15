import { testBackend } from '@sangam/db/testing';
import { CapturedLog, clientToken, createPartner, startTestGateway, type TestGateway } from '@sangam/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe(`logs on ${testBackend()}`, () => {
  let gw: TestGateway;
  const log = new CapturedLog();
  beforeAll(async () => {
    gw = await startTestGateway({ logDestination: log });
  });
  afterAll(async () => {
    await gw.close();
  });

  it('never contain a secret or a token, though the run handled many', async () => {
    const secrets: string[] = [gw.admin.clientSecret];
    const tokens: string[] = [];

    const admin = await gw.adminToken();
    tokens.push(admin);
    const partner = await createPartner(gw, { id: 'svnit', kind: 'academia', roles: ['consumer'] });
    secrets.push(partner.client.clientSecret);
    tokens.push(partner.token);

    const rotated = await gw.api.post(`/consent/v1/clients/${partner.client.clientId}/rotate`, {
      token: admin,
    });
    secrets.push(rotated.body.results.clientSecret);
    tokens.push(await clientToken(gw.api, partner.client.clientId, rotated.body.results.clientSecret));

    const basic = Buffer.from(`${gw.admin.clientId}:${gw.admin.clientSecret}`).toString('base64');
    const viaBasic = await gw.api.post('/auth/v1/token', {
      form: { grant_type: 'client_credentials' },
      headers: { authorization: `Basic ${basic}` },
    });
    tokens.push(viaBasic.body.access_token);

    // Failures and odd requests that carry credentials in other places.
    const wrongSecret = 'sgm_this-is-a-wrong-secret-that-must-not-be-logged';
    secrets.push(wrongSecret);
    await gw.api.post('/auth/v1/token', {
      form: { grant_type: 'client_credentials', client_id: gw.admin.clientId, client_secret: wrongSecret },
    });
    await gw.api.get(`/consent/v1/organisations?access_token=${admin}`);
    await gw.api.get('/consent/v1/organisations', { token: `${admin}x` });
    await gw.api.post('/consent/v1/clients', {
      token: admin,
      json: { organisation: 'svnit', roles: ['nope'], secret: wrongSecret },
    });

    const text = log.text;
    expect(log.lines.length).toBeGreaterThanOrEqual(10);
    for (const line of log.lines) expect(line).toHaveProperty('reqId');
    for (const secret of secrets) expect(text).not.toContain(secret);
    for (const token of tokens) {
      expect(text).not.toContain(token);
      // Not even the signature part on its own.
      expect(text).not.toContain(token.split('.')[2]);
    }
    expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/);
    expect(text).not.toContain(basic);
  });
});
