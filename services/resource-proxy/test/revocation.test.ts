import { testBackend } from '@sangam/db/testing';
import { type Alliance, position, positions, startAlliance, waitFor } from '@sangam/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { meteredRelease } from '../src/release/meter.js';

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
    const workers = Array.from({ length: 8 }, worker);
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

    // In the log, no allow for the consent follows the entry that revoked it: decisions read before the revoke
    // committed were decided again in their own commit.
    const entries = await a.gw.database.db
      .selectFrom('audit_entries')
      .select(['seq', 'action', 'decision'])
      .where('target_consent', '=', consent)
      .orderBy('seq')
      .execute();
    const revokedSeq = Number(entries.find((e) => e.action === 'consent.revoke')?.seq);
    expect(revokedSeq).toBeGreaterThan(0);
    const allowsAfter = entries.filter((e) => Number(e.seq) > revokedSeq && e.decision === 'allow');
    expect(allowsAfter).toEqual([]);
    expect(
      entries.filter((e) => Number(e.seq) < revokedSeq && e.decision === 'allow').length,
    ).toBeGreaterThan(5);
  });

  it('commits no allow for a consent stopped between its decision and its commit', async () => {
    // A decision that read the consent while it was active reaches the commit after the revoke: the commit
    // decides again under the audit lock and records a deny with the rule that refused it.
    const consent = await a.consent({ rateLimit: 1000 });
    await a.act('sitilink', consent, 'revoke');
    const at = a.clock.now();
    const base = { action: 'rs.query.latest', target: { consent, item: positions }, requestId: 'req_race_0' };
    const entry = await a.gw.gateway.consent.audit.appendInGroup(meteredRelease, {
      metered: { consentId: consent, item: positions, consumer: 'svnit', provider: 'sitilink' },
      at,
      limit: 1000,
      records: 1,
      allow: { ...base, decision: 'allow', reason: 'released 1 of 1 records' },
      deny: { ...base, decision: 'deny', reason: 'tooManyRequests: over 1000 requests a minute' },
      recheck: {
        consentId: consent,
        consumer: 'svnit',
        item: positions,
        accessType: 'latest',
        attributes: ['speed'],
        releaseLevel: 'anonymised-record',
        dataFrom: at.toISOString(),
        dataTo: at.toISOString(),
        minimumCellCount: 10,
      },
    });
    expect(entry.decision).toBe('deny');
    expect(entry.reason).toMatch(/^consentRevoked: /);
  });
});
