import {
  fromBase64,
  verifyCheckpoint,
  verifyConsistency,
  verifyExport,
  verifyInclusion,
} from '@sangam/audit';
import { testBackend } from '@sangam/db/testing';
import { clientToken, createPartner, startTestGateway, type TestGateway } from '@sangam/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface Entry {
  seq: number;
  action: string;
  decision: string;
  actor?: { client?: string; organisation?: string };
  target?: Record<string, string>;
  requestId?: string;
  reason?: string;
}

describe(`the auditor's API on ${testBackend()}`, () => {
  let gw: TestGateway;
  let auditor: string;
  let consumer: { token: string; clientId: string };
  let provider: { token: string };
  let rotateRequestId: string;

  beforeAll(async () => {
    gw = await startTestGateway();
    const admin = await gw.adminToken();
    const audit = await gw.api.post('/consent/v1/clients', {
      token: admin,
      json: { organisation: 'surat', roles: ['auditor'], name: 'City auditor' },
    });
    auditor = await clientToken(gw.api, audit.body.results.clientId, audit.body.results.clientSecret);
    const svnit = await createPartner(gw, { id: 'svnit', kind: 'academia', roles: ['consumer'] });
    consumer = { token: svnit.token, clientId: svnit.client.clientId };
    provider = await createPartner(gw, { id: 'sitilink', kind: 'industry', roles: ['provider'] });
    const rotated = await gw.api.post(`/consent/v1/clients/${svnit.client.clientId}/rotate`, {
      token: admin,
    });
    rotateRequestId = rotated.headers.get('x-request-id') ?? '';
    consumer.token = await clientToken(gw.api, svnit.client.clientId, rotated.body.results.clientSecret);
    await gw.api.post('/auth/v1/token', {
      form: {
        grant_type: 'client_credentials',
        client_id: svnit.client.clientId,
        client_secret: 'sgm_wrong',
      },
    });
    // Refused credentials are counted, and the minute's counts written as one entry.
    await gw.gateway.consent.audit.uncredentialed.flush();
    // An entry about one of the provider's items, as the catalogue will write them.
    await gw.gateway.consent.audit.append({
      action: 'catalogue.item.create',
      decision: 'allow',
      actor: { client: 'cl_x', organisation: 'sitilink' },
      target: { item: 'sitilink/surat-bus-itms' },
    });
  });
  afterAll(async () => {
    await gw.close();
  });

  const entries = async (token: string, query = ''): Promise<Entry[]> => {
    const response = await gw.api.get(`/audit/v1/entries${query}`, { token });
    expect(response.status).toBe(200);
    return response.body.results as Entry[];
  };

  it('records identity events with actor, target and request id', async () => {
    const all = await entries(auditor, '?limit=1000');
    const actions = all.map((e) => e.action);
    expect(actions[0]).toBe('identity.init');
    expect(actions).toContain('identity.organisation.create');
    expect(actions).toContain('identity.client.create');
    const rotate = all.find((e) => e.action === 'identity.client.rotate');
    expect(rotate).toMatchObject({
      decision: 'allow',
      actor: { client: gw.admin.clientId, organisation: 'surat' },
      target: { client: consumer.clientId, organisation: 'svnit' },
      requestId: rotateRequestId,
    });
    const counted = all.find((e) => e.action === 'gw.uncredentialed');
    expect(counted).toMatchObject({ decision: 'deny' });
    expect(counted?.reason).toMatch(
      /^1 requests without a valid token in the minute from .*: auth\.token invalidClient 1$/,
    );
    expect(all.some((e) => e.action === 'auth.token' && e.decision === 'deny')).toBe(false);
    expect(JSON.stringify(all)).not.toContain('sgm_');
    expect(all.map((e) => e.seq)).toEqual(all.map((_, i) => i + 1));
  });

  it('filters by action, decision, client, organisation, target and time, and pages by cursor', async () => {
    expect((await entries(auditor, '?action=identity.client.rotate')).map((e) => e.action)).toEqual([
      'identity.client.rotate',
    ]);
    const denials = await entries(auditor, '?decision=deny');
    expect(denials.length).toBeGreaterThan(0);
    expect(denials.every((e) => e.decision === 'deny')).toBe(true);
    const byClient = await entries(auditor, `?client=${gw.admin.clientId}`);
    expect(byClient.every((e) => e.actor?.client === gw.admin.clientId)).toBe(true);
    expect((await entries(auditor, '?target=sitilink/surat-bus-itms')).map((e) => e.action)).toEqual([
      'catalogue.item.create',
    ]);
    expect((await entries(auditor, '?organisation=sitilink')).length).toBeGreaterThanOrEqual(2);
    expect(await entries(auditor, '?from=2999-01-01')).toEqual([]);
    expect((await entries(auditor, '?to=2999-01-01T00:00:00Z')).length).toBeGreaterThan(5);

    const first = await gw.api.get('/audit/v1/entries?limit=2', { token: auditor });
    expect(first.body.results).toHaveLength(2);
    expect(first.body.nextCursor).toBe(2);
    const second = await gw.api.get(`/audit/v1/entries?limit=2&after=${first.body.nextCursor}`, {
      token: auditor,
    });
    expect(second.body.results.map((e: Entry) => e.seq)).toEqual([3, 4]);
  });

  it('shows a consumer only its own entries and a provider only those about its items', async () => {
    const own = await entries(consumer.token, '?limit=1000');
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((e) => e.actor?.organisation === 'svnit' || e.target?.consumer === 'svnit')).toBe(true);
    const mine = await entries(provider.token, '?limit=1000');
    expect(mine.map((e) => e.action)).toContain('catalogue.item.create');
    expect(mine.some((e) => e.actor?.organisation === 'svnit')).toBe(false);

    const theirs = (await entries(auditor, '?target=sitilink/surat-bus-itms'))[0] as Entry;
    const peek = await gw.api.get(`/audit/v1/entries/${theirs.seq}`, { token: consumer.token });
    expect(peek.status).toBe(404);
    const asked = await entries(consumer.token, '?organisation=sitilink');
    expect(asked.every((e) => e.actor?.organisation === 'svnit')).toBe(true);
    const exported = await gw.api.get('/audit/v1/export', { token: consumer.token });
    expect(exported.text).not.toContain('sitilink/surat-bus-itms');

    const total = (await entries(auditor, '?limit=1000')).length;
    expect(total).toBe(await gw.gateway.consent.audit.size());
    expect(own.length).toBeLessThan(total);
  });

  it('proves an entry’s inclusion and the log’s consistency against the roots it serves', async () => {
    const size = await gw.gateway.consent.audit.size();
    const proof = await gw.api.get(`/audit/v1/entries/3/proof?treeSize=${size}`, { token: auditor });
    expect(proof.status).toBe(200);
    const p = proof.body.results;
    expect(
      verifyInclusion(
        p.leafIndex,
        p.treeSize,
        fromBase64(p.leafHash),
        p.proof.map(fromBase64),
        fromBase64(p.rootHash),
      ),
    ).toBe(true);

    const consistency = await gw.api.get(`/audit/v1/consistency?from=3&to=${size}`, { token: auditor });
    const q = consistency.body.results;
    expect(
      verifyConsistency(3, size, fromBase64(q.fromRoot), fromBase64(q.toRoot), q.proof.map(fromBase64)),
    ).toBe(true);
    expect(q.toRoot).toBe(p.rootHash);
  });

  it('makes signed checkpoints on demand that verify with the published JWKS, and exports that verify offline', async () => {
    const made = await gw.api.post('/audit/v1/checkpoints', { token: auditor });
    expect(made.status).toBe(201);
    const checkpoint = made.body.results;
    const jwks = (await gw.api.get('/.well-known/jwks.json')).body;
    await expect(verifyCheckpoint(checkpoint, jwks)).resolves.toMatchObject({
      treeSize: checkpoint.treeSize,
    });
    expect(
      (await gw.api.get('/audit/v1/checkpoints/latest', { token: consumer.token })).body.results,
    ).toEqual(checkpoint);
    expect(
      (await gw.api.get(`/audit/v1/checkpoints/${checkpoint.treeSize}`, { token: auditor })).body.results,
    ).toEqual(checkpoint);

    const exported = await gw.api.get('/audit/v1/export?format=jsonl', { token: auditor });
    expect(exported.headers.get('content-type')).toContain('application/x-ndjson');
    async function* lines() {
      yield* exported.text.split('\n');
    }
    const report = await verifyExport(lines(), checkpoint, jwks);
    expect(report).toMatchObject({ ok: true, checkpointSize: checkpoint.treeSize });

    const csv = await gw.api.get('/audit/v1/export?format=csv&action=identity.client.create', {
      token: auditor,
    });
    const rows = csv.text.trim().split('\n');
    expect(rows[0]).toMatch(/^seq,time,action,decision,/);
    expect(rows.slice(1).every((r) => r.includes(',identity.client.create,allow,'))).toBe(true);
    expect(rows.length).toBeGreaterThanOrEqual(4);

    const verified = await gw.api.get('/audit/v1/verify', { token: auditor });
    expect(verified.body.results).toMatchObject({ ok: true });
  });

  it('reports the first bad entry server-side after the stored log is changed', async () => {
    await gw.api.post('/audit/v1/checkpoints', { token: auditor });
    const row = await gw.database.db
      .selectFrom('audit_entries')
      .select('entry')
      .where('seq', '=', 5)
      .executeTakeFirstOrThrow();
    await gw.database.db
      .updateTable('audit_entries')
      .set({ entry: row.entry.replace('"allow"', '"deny"') })
      .where('seq', '=', 5)
      .execute();
    const verified = await gw.api.get('/audit/v1/verify', { token: auditor });
    expect(verified.body.results).toMatchObject({ ok: false, firstBadSeq: 5 });
    await gw.database.db
      .updateTable('audit_entries')
      .set({ entry: row.entry })
      .where('seq', '=', 5)
      .execute();
  });

  it('keeps checkpoints and verification for auditors, and refuses bad parameters with 400', async () => {
    expect((await gw.api.post('/audit/v1/checkpoints', { token: consumer.token })).status).toBe(403);
    expect((await gw.api.get('/audit/v1/verify', { token: provider.token })).status).toBe(403);
    expect((await gw.api.get('/audit/v1/entries')).status).toBe(401);
    for (const query of [
      '?from=yesterday',
      '?decision=maybe',
      '?colour=red',
      '?limit=5000',
      '?after=-1',
      "?client=' or 1=1",
    ]) {
      const response = await gw.api.get(`/audit/v1/entries${query}`, { token: auditor });
      expect(response.status, query).toBe(400);
    }
    expect((await gw.api.get('/audit/v1/entries/0', { token: auditor })).status).toBe(404);
    expect((await gw.api.get('/audit/v1/entries/99999999', { token: auditor })).status).toBe(404);
    expect((await gw.api.get('/audit/v1/entries/1/proof?treeSize=99999999', { token: auditor })).status).toBe(
      400,
    );
    expect((await gw.api.get('/audit/v1/consistency?from=5&to=2', { token: auditor })).status).toBe(400);
    expect((await gw.api.get('/audit/v1/consistency', { token: auditor })).status).toBe(400);
    expect((await gw.api.get('/audit/v1/export?format=xml', { token: auditor })).status).toBe(400);
    expect((await gw.api.get('/audit/v1/checkpoints/abc', { token: auditor })).status).toBe(404);
    expect((await gw.api.get('/audit/v1/entries?client=%00', { token: auditor })).status).toBe(400);
  });
});
