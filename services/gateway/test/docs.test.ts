import { problems } from '@sangam/core';
import { testBackend } from '@sangam/db/testing';
import { startTestGateway, type TestGateway } from '@sangam/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe(`the API reference and the problem pages on ${testBackend()}`, () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(async () => {
    await gw.close();
  });

  it('serves the reference of the whole gateway from its own copy of Redoc, fetching nothing elsewhere', async () => {
    const page = await gw.api.get('/docs');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.text).toContain('spec-url="/openapi.json"');
    // Every script and document it loads is the gateway's own; the policy lets the browser load nothing else.
    const sources = [...page.text.matchAll(/(?:src|href|spec-url)="([^"]+)"/g)].map((m) => m[1]);
    expect(sources.every((s) => s?.startsWith('/'))).toBe(true);
    const policy = page.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("script-src 'self'");
    expect(policy).not.toMatch(/https?:/);
    const script = await gw.api.get('/docs/redoc.standalone.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toContain('javascript');
    expect(script.text.length).toBeGreaterThan(100_000);
    expect(script.text).toContain('Redoc');
    const document = await gw.api.get('/openapi.json');
    expect(document.body.paths['/consent/v1/consents']).toBeDefined();
    expect(document.body.paths['/cat/v1/search']).toBeDefined();
    expect(document.body.paths['/ngsi-ld/v1/entities']).toBeDefined();
  });

  it('explains every registered problem type on a page of its own, linked from each problem', async () => {
    const index = await gw.api.get('/docs/problems');
    expect(index.status).toBe(200);
    for (const name of Object.keys(problems)) {
      expect(index.text).toContain(`/docs/problems/${name}`);
      const page = await gw.api.get(`/docs/problems/${name}`);
      expect(page.status, name).toBe(200);
      expect(page.text).toContain('What to do');
    }
    const purpose = await gw.api.get('/docs/problems/purposeNotInMou');
    expect(purpose.text).toContain('allowedPurposes');
    const unknown = await gw.api.get('/docs/problems/noSuchProblem');
    expect(unknown.status).toBe(404);
    // A refusal points at its page.
    const refused = await gw.api.get('/consent/v1/consents');
    expect(refused.status).toBe(401);
    expect(refused.headers.get('link')).toBe('</docs/problems/missingToken>; rel="help"');
  });
});
