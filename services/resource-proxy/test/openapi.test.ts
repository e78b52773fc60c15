import SwaggerParser from '@apidevtools/swagger-parser';
import { startTestGateway, type TestGateway } from '@sangam/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe("the resource proxy's OpenAPI description", () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(async () => {
    await gw.close();
  });

  it('is valid OpenAPI 3.1, served alone and as part of the gateway document', async () => {
    const own = await gw.api.get('/rs/v1/openapi.json');
    expect(own.status).toBe(200);
    await SwaggerParser.validate(structuredClone(own.body) as never);
    const gateway = await gw.api.get('/cat/v1/openapi.json');
    await SwaggerParser.validate(structuredClone(gateway.body) as never);
    for (const path of [
      '/ngsi-ld/v1/entities',
      '/ngsi-ld/v1/temporal/entities',
      '/rs/v1/ingest/{provider}/{group}/{name}',
      '/rs/v1/usage',
    ]) {
      expect(Object.keys(own.body.paths)).toContain(path);
      expect(Object.keys(gateway.body.paths)).toContain(path);
    }
  });

  it('names every problem the queries can answer with', async () => {
    const own = await gw.api.get('/rs/v1/openapi.json');
    const responses = Object.keys(own.body.paths['/ngsi-ld/v1/entities'].get.responses);
    expect(responses).toEqual(
      expect.arrayContaining(['200', '400', '401', '403', '404', '406', '429', '502', '504']),
    );
  });
});
