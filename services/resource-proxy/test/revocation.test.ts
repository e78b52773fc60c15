import { testBackend } from '@sangam/db/testing';
import { type Alliance, position, positions, startAlliance, waitFor } from '@sangam/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe(`revocation under load on ${testBackend()}`, () => {
  let a: Alliance;

  beforeAll(async () => {
    a = await startAlliance();
    await a.ingest(positions, [position(a.clock, '1', 1), position(a.clock, '2', 1)]);
  });
  afterAll(async () => {
    await a.gw.close();
  });

  it('returns no 200 to any request that started after the revoke call returned', async () => {
    const consent = await a.consent({ rateLimit: 100_000 });
    const token = await a.accessToken(consent);
    const url = `${a.gw.url}/ngsi-ld/v1/entities?id=${positions}`;
    const seen: { started: number; status: number; type?: string }[] = [];
    let revokedAt = Number.POSITIVE_INFINITY;
    let stopAt = Number.POSITIVE_INFINITY;
    const worker = async () => {
      while (performance.now() < stopAt) {
        const started = performance.now();
        const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
        const body = (await response.json()) as { type?: string };
        seen.push({ started, status: response.status, type: body.type });
      }
    };
    const workers = Array.from({ length: 6 }, worker);
    // The workers are releasing data before the revoke.
    await waitFor('releases before the revoke', () => seen.filter((s) => s.status === 200).length > 5);
    const revoke = await a.gw.api.post(`/consent/v1/consents/${consent}/revoke`, {
      token: await a.token('sitilink'),
    });
    revokedAt = performance.now();
    expect(revoke.status, revoke.text).toBe(200);
    stopAt = revokedAt + 400;
    await Promise.all(workers);

    const before = seen.filter((s) => s.started < revokedAt);
    const after = seen.filter((s) => s.started > revokedAt);
    expect(before.filter((s) => s.status === 200).length).toBeGreaterThan(5);
    expect(after.length).toBeGreaterThan(5);
    expect(after.filter((s) => s.status === 200)).toEqual([]);
    expect(new Set(after.map((s) => s.type))).toEqual(new Set(['urn:dx:rs:consentRevoked']));
  });
});
