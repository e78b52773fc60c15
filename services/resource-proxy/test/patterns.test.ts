import { testBackend } from '@sangam/db/testing';
import { type Alliance, positionModel, startAlliance } from '@sangam/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** Data models are written by partners: their patterns must never cost more than one pass over a value. */
describe(`partners' data-model patterns on ${testBackend()}`, () => {
  let a: Alliance;
  const register = async (id: string, dataModel: object) =>
    a.gw.api.post('/cat/v1/items', {
      token: await a.token('sitilink'),
      json: {
        type: 'resource',
        id,
        name: id,
        description: id,
        dataModel,
        accessPolicy: 'SECURE',
        releaseLevel: 'anonymised-record',
        source: { adapter: 'itms' },
      },
    });
  const withPattern = (pattern: string) => ({
    ...positionModel,
    properties: { ...positionModel.properties, route: { type: 'string', pattern } },
  });

  beforeAll(async () => {
    a = await startAlliance();
  });
  afterAll(async () => {
    await a.gw.close();
  });

  it('run in linear time: a catastrophic pattern checks a hostile value at once, and the gateway keeps answering', async () => {
    const id = 'sitilink/surat-bus-itms/nested';
    expect((await register(id, withPattern('^(a+)+$'))).status).toBe(201);
    // With backtracking this value takes longer than the age of the universe; the test would time out.
    const hostile = { id: 'bus-1', observedAt: a.clock.now().toISOString(), route: `${'a'.repeat(100)}!` };
    const [ingested, health] = await Promise.all([
      a.ingest(id, [hostile, { ...hostile, id: 'bus-2', route: 'aaaa' }]),
      a.gw.api.get('/health'),
    ]);
    expect(health.status).toBe(200);
    expect(ingested.status).toBe(200);
    expect(ingested.body.results.accepted).toBe(1);
    expect(ingested.body.results.rejected).toBe(1);
  });

  it('refuse at registration a pattern that needs backtracking, and a model past the size limits, naming the keyword', async () => {
    const lookahead = await register('sitilink/surat-bus-itms/lookahead', withPattern('^(?=a)a+$'));
    expect(lookahead.status).toBe(400);
    expect(lookahead.body.errors).toEqual([
      expect.objectContaining({ field: '/dataModel/properties/route/pattern' }),
    ]);
    const backreference = await register('sitilink/surat-bus-itms/backref', {
      type: 'object',
      patternProperties: { '^(a)\\1$': { type: 'string' } },
    });
    expect(backreference.status).toBe(400);
    expect(backreference.body.errors[0].field).toBe('/dataModel/patternProperties/^(a)\\1$');

    let deep: object = { type: 'string' };
    for (let i = 0; i < 20; i += 1) deep = { type: 'object', properties: { x: deep } };
    const nested = await register('sitilink/surat-bus-itms/deep', deep);
    expect(nested.status).toBe(400);
    expect(nested.body.errors[0].message).toContain('nests deeper than 32 levels');
  });
});
