import SwaggerParser from '@apidevtools/swagger-parser';
import { startTestGateway, type TestGateway } from '@sangam/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCatalogueService } from '../src/index.js';

describe('the catalogue OpenAPI document', () => {
  let gw: TestGateway;
  let document: Record<string, unknown> & { paths: Record<string, Record<string, unknown>> };
  beforeAll(async () => {
    gw = await startTestGateway();
    const response = await gw.api.get('/cat/v1/openapi.json');
    expect(response.status).toBe(200);
    document = response.body;
  });
  afterAll(async () => {
    await gw.close();
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    expect(document.openapi).toBe('3.1.0');
    const validated = await SwaggerParser.validate(structuredClone(document) as never);
    expect(validated.info.title).toBe('Sangam');
    // The validator is a real one: a broken copy is refused.
    const broken = { ...structuredClone(document), paths: { '/x': { get: { responses: 'none' } } } };
    await expect(SwaggerParser.validate(broken as never)).rejects.toThrow();
  });

  it('describes every catalogue route', () => {
    const { app } = createCatalogueService({
      db: gw.database.db,
      audit: gw.gateway.consent.audit,
      tokens: gw.gateway.consent.tokens,
      clock: { now: () => new Date() },
      upstreamAllowHosts: [],
    });
    const routes = app.routes
      .filter((r) => r.method !== 'ALL')
      .map((r) => ({ method: r.method.toLowerCase(), path: r.path.replace(/:(\w+)(\{[^}]*\})?/g, '{$1}') }));
    expect(routes.length).toBeGreaterThanOrEqual(9);
    for (const route of routes) {
      expect(document.paths[route.path]?.[route.method], `${route.method} ${route.path}`).toBeDefined();
    }
  });

  it('uses the same schemas the validator uses', async () => {
    const schema = await gw.api.get('/cat/v1/schemas/resource');
    const { $id: _id, ...published } = JSON.parse(schema.text);
    // The body of a registration is any item, told apart by its type: the resource's branch is the published schema.
    const create = document.paths['/cat/v1/items']?.post as {
      requestBody: { content: Record<string, { schema: { oneOf: unknown[]; discriminator: object } }> };
    };
    const body = create.requestBody.content['application/json']?.schema;
    expect(body?.discriminator).toEqual({ propertyName: 'type' });
    expect(body?.oneOf[2]).toEqual(published);
  });
});
