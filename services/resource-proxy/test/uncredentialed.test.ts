import { testBackend } from '@sangam/db/testing';
import { type Alliance, position, positions, startAlliance } from '@sangam/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe(`requests without a valid token on ${testBackend()}`, () => {
  let a: Alliance;
  let consent: string;

  beforeAll(async () => {
    a = await startAlliance();
    await a.ingest(positions, [position(a.clock, '1', 5)]);
    consent = await a.consent();
  });
  afterAll(async () => {
    await a.gw.close();
  });

  const entriesAfter = (seq: number) =>
    a.gw.database.db
      .selectFrom('audit_entries')
      .select(['action', 'decision', 'entry'])
      .where('seq', '>', seq)
      .orderBy('seq')
      .execute();

  it('cost the log one entry a minute, however many come', async () => {
    const log = a.gw.gateway.consent.audit;
    await log.uncredentialed.flush();
    const before = await log.size();
    const sent = 10_000;
    let refused = 0;
    // 50 at a time, as a flood would come; a third with a token that does not verify.
    for (let i = 0; i < sent; i += 50) {
      const answers = await Promise.all(
        Array.from({ length: 50 }, (_, j) =>
          fetch(`${a.gw.url}/ngsi-ld/v1/entities?id=${positions}`, {
            headers: (i + j) % 3 === 0 ? { authorization: 'Bearer not.a.token' } : {},
          }).then(async (r) => {
            await r.arrayBuffer();
            return r.status;
          }),
        ),
      );
      refused += answers.filter((s) => s === 401).length;
    }
    expect(refused).toBe(sent);
    expect(await log.size()).toBe(before);

    // The next minute's first request writes the last minute's counts: one entry.
    a.clock.advance(60_000);
    await fetch(`${a.gw.url}/ngsi-ld/v1/entities?id=${positions}`).then((r) => r.arrayBuffer());
    await log.uncredentialed.flush();
    const added = await entriesAfter(before);
    expect(added.length).toBeLessThanOrEqual(3);
    expect(added.every((e) => e.action === 'gw.uncredentialed' && e.decision === 'deny')).toBe(true);
    const reasons = added.map((e) => JSON.parse(e.entry).reason as string);
    const counted = (pattern: RegExp) =>
      reasons.reduce((sum, r) => sum + Number(pattern.exec(r)?.[1] ?? 0), 0);
    expect(counted(/rs\.query\.latest missingToken (\d+)/)).toBe(Math.floor((sent * 2) / 3) + 1);
    expect(counted(/rs\.query\.latest invalidToken (\d+)/)).toBe(Math.ceil(sent / 3));
  }, 120_000);

  it('still audits every refusal of a valid token, one entry each', async () => {
    const log = a.gw.gateway.consent.audit;
    const access = await a.accessToken(consent, positions);
    await a.act('sitilink', consent, 'revoke');
    const before = await log.size();
    for (let i = 0; i < 5; i += 1) {
      const r = await a.gw.api.get(`/ngsi-ld/v1/entities?id=${positions}`, { token: access });
      expect(r.status).toBeGreaterThanOrEqual(400);
    }
    const added = await entriesAfter(before);
    expect(added.filter((e) => e.action === 'rs.query.latest' && e.decision === 'deny')).toHaveLength(5);
  });
});
