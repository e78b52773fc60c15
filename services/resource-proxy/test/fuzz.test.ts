import { testBackend } from '@sangam/db/testing';
import { type Alliance, position, positions, startAlliance } from '@sangam/testkit';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { geo, qText } from './arbitraries.js';

describe(`q and geo parameters from a fuzzer over HTTP on ${testBackend()}`, () => {
  let a: Alliance;
  let token: string;

  beforeAll(async () => {
    a = await startAlliance();
    await a.ingest(
      positions,
      ['1', '2', '3'].map((b) => position(a.clock, b, 2)),
    );
    token = await a.accessToken(await a.consent({ rateLimit: 100_000 }));
  });
  afterAll(async () => {
    await a.gw.close();
  });

  it('never answers 5xx, and every refusal is a registered problem', async () => {
    // The cases are drawn up front and sent eight at a time, as concurrent consumers would: each request commits
    // an audit entry, and concurrent commits share one durable write, so the run costs a fraction of one-by-one.
    const cases = fc.sample(
      fc.tuple(fc.option(qText, { nil: undefined }), fc.option(geo, { nil: undefined })),
      1500,
    );
    const statuses = new Map<number, number>();
    const failures: string[] = [];
    const send = async ([q, g]: (typeof cases)[number]) => {
      const params = new URLSearchParams({ id: positions });
      if (q !== undefined) params.set('q', q);
      for (const [k, v] of Object.entries(g ?? {})) if (v !== undefined) params.set(k, v);
      // The test client fails on any answer that is not 2xx or a registered problem+json.
      const response = await a.gw.api.get(`/ngsi-ld/v1/entities?${params}`, { token });
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      if (response.status >= 500) failures.push(`${params} -> ${response.status} ${response.text}`);
    };
    for (let i = 0; i < cases.length; i += 8) await Promise.all(cases.slice(i, i + 8).map(send));
    expect(failures).toEqual([]);
    // Both sides were reached: accepted queries and refused ones.
    expect(statuses.get(200) ?? 0).toBeGreaterThan(10);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(10);
  });
});
