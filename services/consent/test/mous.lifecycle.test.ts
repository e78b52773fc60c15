import { createPublicKey, verify } from 'node:crypto';
import { ManualClock } from '@sangam/core';
import { testBackend } from '@sangam/db/testing';
import { createPartner, startTestGateway, type TestGateway, Wallet } from '@sangam/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MouStatus, mouStatus, nextState } from '../src/index.js';

const day = 86_400_000;

describe('the MoU lifecycle, as pure rules', () => {
  const facts = (
    state: 'draft' | 'awaiting-signatures' | 'active' | 'suspended',
    terminatesAt: string | null = null,
  ) => ({
    state,
    effectiveFrom: '2026-01-01T00:00:00.000Z',
    endsAt: '2027-01-01T00:00:00.000Z',
    terminatesAt,
  });

  it.each([
    ['draft', 'sign', true, 'active'],
    ['draft', 'sign', false, 'awaiting-signatures'],
    ['awaiting-signatures', 'sign', false, 'awaiting-signatures'],
    ['awaiting-signatures', 'sign', true, 'active'],
    ['active', 'sign', true, undefined],
    ['draft', 'suspend', false, undefined],
    ['awaiting-signatures', 'suspend', false, undefined],
    ['active', 'suspend', false, 'suspended'],
    ['suspended', 'suspend', false, undefined],
    ['suspended', 'resume', false, 'active'],
    ['active', 'resume', false, undefined],
    ['active', 'terminate', false, 'active'],
    ['suspended', 'terminate', false, 'suspended'],
    ['draft', 'terminate', false, undefined],
    ['terminated', 'resume', false, undefined],
    ['terminated', 'suspend', false, undefined],
    ['terminated', 'terminate', false, undefined],
    ['expired', 'resume', false, undefined],
    ['expired', 'suspend', false, undefined],
    ['expired', 'sign', false, undefined],
  ] as const)('%s + %s (all signed: %s) → %s', (status, action, allSignedAfter, expected) => {
    expect(nextState(status as MouStatus, action, { allSignedAfter, terminating: false })).toBe(expected);
  });

  it('allows termination notice only once', () => {
    expect(nextState('active', 'terminate', { allSignedAfter: false, terminating: true })).toBeUndefined();
  });

  it('applies time: expiry at the end date, termination when the notice runs out, without any job', () => {
    const at = (iso: string) => new Date(iso);
    expect(mouStatus(facts('active'), at('2026-12-31T23:59:59.999Z'))).toBe('active');
    expect(mouStatus(facts('active'), at('2027-01-01T00:00:00.000Z'))).toBe('expired');
    expect(mouStatus(facts('suspended'), at('2027-02-01T00:00:00.000Z'))).toBe('expired');
    const notice = facts('active', '2026-06-01T00:00:00.000Z');
    expect(mouStatus(notice, at('2026-05-31T23:59:59.999Z'))).toBe('active');
    expect(mouStatus(notice, at('2026-06-01T00:00:00.000Z'))).toBe('terminated');
    expect(mouStatus(facts('suspended', '2026-06-01T00:00:00.000Z'), at('2026-05-01T00:00:00.000Z'))).toBe(
      'suspended',
    );
    expect(mouStatus(facts('draft'), at('2030-01-01T00:00:00.000Z'))).toBe('draft');
  });
});

describe(`MoUs over HTTP on ${testBackend()}`, () => {
  let gw: TestGateway;
  const clock = new ManualClock('2026-11-27T10:00:00Z');
  // Identity tokens live 15 minutes and these tests move the clock by days: each use mints a fresh one.
  let credentials: Wallet;
  const token = (who: string) => credentials.token(who);

  const draft = (extra: Record<string, unknown> = {}) => ({
    title: 'Surat bus data for transit research',
    partners: ['sitilink', 'svnit'],
    problem: {
      issue: 'Bus bunching on the BRTS corridor',
      beneficiaries: ['commuters', 'Sitilink planners'],
      kpis: ['headway variance down 20%'],
    },
    areas: ['data-sharing', 'dashboards-and-analysis'],
    purposes: ['transit research'],
    datasets: [{ group: 'sitilink/surat-bus-itms', maxReleaseLevel: 'anonymised-record' }],
    confidentiality: 'Results are shared with the city before publication.',
    effectiveFrom: new Date(clock.now().getTime() + day).toISOString(),
    endsAt: new Date(clock.now().getTime() + 365 * day).toISOString(),
    documentSha256: 'a'.repeat(64),
    ...extra,
  });

  beforeAll(async () => {
    gw = await startTestGateway({ clock });
    credentials = new Wallet(gw.api);
    credentials.set('admin', gw.admin);
    const _admin = await gw.adminToken();
    const sitilink = await createPartner(gw, {
      id: 'sitilink',
      kind: 'industry',
      roles: ['admin', 'provider'],
    });
    credentials.set('sitilinkAdmin', sitilink.client);
    credentials.set(
      'svnitAdmin',
      (await createPartner(gw, { id: 'svnit', kind: 'academia', roles: ['admin'] })).client,
    );
    const consumer = await gw.api.post('/consent/v1/clients', {
      token: await token('admin'),
      json: { organisation: 'svnit', roles: ['consumer'] },
    });
    credentials.set('svnitConsumer', consumer.body.results);
    credentials.set(
      'stranger',
      (await createPartner(gw, { id: 'elsewhere', kind: 'startup', roles: ['admin'] })).client,
    );
    const audit = await gw.api.post('/consent/v1/clients', {
      token: await token('admin'),
      json: { organisation: 'surat', roles: ['auditor'] },
    });
    credentials.set('auditor', audit.body.results);
    const _sitilinkAdmin = sitilink.token;
    await gw.api.post('/cat/v1/items', {
      token: await token('sitilinkAdmin'),
      json: { type: 'provider', id: 'sitilink', name: 'Sitilink', city: 'Surat' },
    });
    await gw.api.post('/cat/v1/items', {
      token: await token('sitilinkAdmin'),
      json: {
        type: 'resourceGroup',
        id: 'sitilink/surat-bus-itms',
        name: 'Surat bus ITMS',
        description: 'Buses',
        city: 'Surat',
      },
    });
  });
  afterAll(async () => {
    await gw.close();
  });

  const act = async (who: string, id: string, action: string, status: number) => {
    const response = await gw.api.post(`/consent/v1/mous/${id}/${action}`, { token: await token(who) });
    expect(response.status, `${action}: ${response.text}`).toBe(status);
    return response.body.results;
  };

  it('goes draft → awaiting-signatures → active, issues an artefact that Node’s crypto verifies, and audits each step', async () => {
    const created = await gw.api.post('/consent/v1/mous', { token: await token('admin'), json: draft() });
    expect(created.status).toBe(201);
    const id = created.body.results.id;
    expect(created.body.results).toMatchObject({ status: 'draft', noticeDays: 30, inTerm: false });
    expect(created.body.results.parties.map((p: { organisation: string }) => p.organisation)).toEqual([
      'surat',
      'sitilink',
      'svnit',
    ]);

    await act('admin', id, 'suspend', 409);
    const refused = await gw.api.post(`/consent/v1/mous/${id}/suspend`, { token: await token('admin') });
    expect(refused.body.detail).toBe('An MoU that is draft cannot be suspended');
    await act('admin', id, 'terminate', 409);
    expect((await act('admin', id, 'sign', 200)).status).toBe('awaiting-signatures');
    await act('admin', id, 'sign', 409);
    await act('svnitConsumer', id, 'sign', 403);
    await act('stranger', id, 'sign', 404);
    expect(
      (await gw.api.get(`/consent/v1/mous/${id}/artefact`, { token: await token('admin') })).status,
    ).toBe(404);
    expect((await act('sitilinkAdmin', id, 'sign', 200)).status).toBe('awaiting-signatures');
    const active = await act('svnitAdmin', id, 'sign', 200);
    expect(active).toMatchObject({ status: 'active', inTerm: false });
    clock.advance(2 * day);
    expect(
      (await gw.api.get(`/consent/v1/mous/${id}`, { token: await token('svnitConsumer') })).body.results
        .inTerm,
    ).toBe(true);

    const { jws } = (
      await gw.api.get(`/consent/v1/mous/${id}/artefact`, { token: await token('svnitConsumer') })
    ).body.results;
    const jwks = (await gw.api.get('/.well-known/jwks.json')).body.keys;
    const [h = '', p = '', s = ''] = jws.split('.');
    const header = JSON.parse(Buffer.from(h, 'base64url').toString());
    const key = createPublicKey({
      key: jwks.find((k: { kid: string }) => k.kid === header.kid),
      format: 'jwk',
    });
    expect(verify(null, Buffer.from(`${h}.${p}`), key, Buffer.from(s, 'base64url'))).toBe(true);
    const terms = JSON.parse(Buffer.from(p, 'base64url').toString());
    expect(terms).toMatchObject({
      id,
      title: 'Surat bus data for transit research',
      documentSha256: 'a'.repeat(64),
    });
    expect(terms.parties.every((party: { signedAt?: string }) => party.signedAt)).toBe(true);
    const changed = Buffer.from(p, 'base64url');
    changed[20] = (changed[20] ?? 0) ^ 1;
    expect(
      verify(null, Buffer.from(`${h}.${changed.toString('base64url')}`), key, Buffer.from(s, 'base64url')),
    ).toBe(false);

    const actions = await gw.database.db
      .selectFrom('audit_entries')
      .select(['action', 'target_mou'])
      .where('target_mou', '=', id)
      .orderBy('seq')
      .execute();
    expect(actions.map((a) => a.action)).toEqual(['mou.create', 'mou.sign', 'mou.sign', 'mou.sign']);
  });

  it('suspends and resumes at the city’s word only, and runs termination notice out', async () => {
    const id = (
      await gw.api.post('/consent/v1/mous', { token: await token('admin'), json: draft({ noticeDays: 10 }) })
    ).body.results.id;
    for (const who of ['admin', 'sitilinkAdmin', 'svnitAdmin']) await act(who, id, 'sign', 200);
    await act('sitilinkAdmin', id, 'suspend', 403);
    expect((await act('admin', id, 'suspend', 200)).status).toBe('suspended');
    await act('admin', id, 'suspend', 409);
    await act('admin', id, 'sign', 409);
    expect((await act('admin', id, 'resume', 200)).status).toBe('active');
    await act('admin', id, 'resume', 409);

    const noticed = await act('svnitAdmin', id, 'terminate', 200);
    expect(noticed.status).toBe('active');
    expect(noticed.terminatesAt).toBe(new Date(clock.now().getTime() + 10 * day).toISOString());
    await act('admin', id, 'terminate', 409);
    clock.advance(10 * day - 1);
    expect(
      (await gw.api.get(`/consent/v1/mous/${id}`, { token: await token('admin') })).body.results.status,
    ).toBe('active');
    clock.advance(1);
    expect(
      (await gw.api.get(`/consent/v1/mous/${id}`, { token: await token('admin') })).body.results.status,
    ).toBe('terminated');
    await act('admin', id, 'resume', 409);
    await act('admin', id, 'suspend', 409);
  });

  it('expires at its end date without any job', async () => {
    const id = (
      await gw.api.post('/consent/v1/mous', {
        token: await token('admin'),
        json: draft({
          effectiveFrom: clock.now().toISOString(),
          endsAt: new Date(clock.now().getTime() + 5 * day).toISOString(),
        }),
      })
    ).body.results.id;
    for (const who of ['admin', 'sitilinkAdmin', 'svnitAdmin']) await act(who, id, 'sign', 200);
    clock.advance(5 * day);
    expect(
      (await gw.api.get(`/consent/v1/mous/${id}`, { token: await token('admin') })).body.results,
    ).toMatchObject({
      status: 'expired',
      inTerm: false,
    });
    await act('admin', id, 'suspend', 409);
    await act('admin', id, 'terminate', 409);
  });

  it('shows each MoU only to its parties, the city admin and auditors', async () => {
    const all = (await gw.api.get('/consent/v1/mous', { token: await token('auditor') })).body.results;
    expect(all.length).toBe(3);
    expect(
      (await gw.api.get('/consent/v1/mous', { token: await token('svnitConsumer') })).body.results.length,
    ).toBe(3);
    expect((await gw.api.get('/consent/v1/mous', { token: await token('stranger') })).body.results).toEqual(
      [],
    );
    expect(
      (await gw.api.get(`/consent/v1/mous/${all[0].id}`, { token: await token('stranger') })).status,
    ).toBe(404);
    expect(
      (await gw.api.post('/consent/v1/mous', { token: await token('sitilinkAdmin'), json: draft() })).status,
    ).toBe(403);
  });

  it('amends an MoU in force through a new signature round, keeping the old terms until the last signature', async () => {
    const id = (await gw.api.post('/consent/v1/mous', { token: await token('admin'), json: draft() })).body
      .results.id;
    for (const who of ['admin', 'sitilinkAdmin', 'svnitAdmin']) await act(who, id, 'sign', 200);
    const amendment = {
      ...draft({ title: 'Surat bus and metro data for transit research', documentSha256: 'c'.repeat(64) }),
      partners: undefined,
      effectiveFrom: undefined,
    };
    const body = JSON.parse(JSON.stringify(amendment));
    const byPartner = await gw.api.post(`/consent/v1/mous/${id}/amend`, {
      token: await token('sitilinkAdmin'),
      json: body,
    });
    expect(byPartner.status).toBe(403);
    const proposed = await gw.api.post(`/consent/v1/mous/${id}/amend`, {
      token: await token('admin'),
      json: body,
    });
    expect(proposed.status, proposed.text).toBe(200);
    expect(proposed.body.results).toMatchObject({
      status: 'active',
      version: 1,
      title: 'Surat bus data for transit research',
      pendingAmendment: { version: 2, signedBy: [] },
    });
    expect(
      (await gw.api.post(`/consent/v1/mous/${id}/amend`, { token: await token('admin'), json: body })).status,
    ).toBe(409);
    await act('admin', id, 'sign', 200);
    await act('admin', id, 'sign', 409);
    expect((await act('sitilinkAdmin', id, 'sign', 200)).title).toBe('Surat bus data for transit research');
    const applied = await act('svnitAdmin', id, 'sign', 200);
    expect(applied).toMatchObject({
      version: 2,
      title: 'Surat bus and metro data for transit research',
      status: 'active',
    });
    expect(applied.pendingAmendment).toBeUndefined();
    const { jws } = (await gw.api.get(`/consent/v1/mous/${id}/artefact`, { token: await token('admin') }))
      .body.results;
    const payload = JSON.parse(Buffer.from(jws.split('.')[1], 'base64url').toString());
    expect(payload).toMatchObject({ version: 2, documentSha256: 'c'.repeat(64) });
  });

  it('will not cover a dataset whose provider is not a party, nor revive an ended MoU by amending it', async () => {
    const outsider = await gw.api.post('/consent/v1/mous', {
      token: await token('admin'),
      json: draft({ partners: ['svnit'] }),
    });
    expect(outsider.status).toBe(400);
    expect(outsider.body.errors[0].message).toContain('sitilink, which provides it, is not a party');

    const id = (
      await gw.api.post('/consent/v1/mous', {
        token: await token('admin'),
        json: draft({
          effectiveFrom: clock.now().toISOString(),
          endsAt: new Date(clock.now().getTime() + 5 * day).toISOString(),
        }),
      })
    ).body.results.id;
    for (const who of ['admin', 'sitilinkAdmin', 'svnitAdmin']) await act(who, id, 'sign', 200);
    const body = JSON.parse(
      JSON.stringify({
        ...draft({ endsAt: new Date(clock.now().getTime() + 500 * day).toISOString() }),
        partners: undefined,
        effectiveFrom: undefined,
      }),
    );
    expect(
      (await gw.api.post(`/consent/v1/mous/${id}/amend`, { token: await token('admin'), json: body })).status,
    ).toBe(200);
    await act('admin', id, 'sign', 200);
    await act('sitilinkAdmin', id, 'sign', 200);
    clock.advance(5 * day);
    await act('svnitAdmin', id, 'sign', 409);
    expect(
      (await gw.api.get(`/consent/v1/mous/${id}`, { token: await token('admin') })).body.results.status,
    ).toBe('expired');
  });

  it('renders the terms as escaped HTML for the people who sign', async () => {
    const id = (
      await gw.api.post('/consent/v1/mous', {
        token: await token('admin'),
        json: draft({ title: 'Buses <script>alert(1)</script> & trams' }),
      })
    ).body.results.id;
    const page = await gw.api.get(`/consent/v1/mous/${id}/summary`, { token: await token('svnitAdmin') });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.text).toContain('Buses &lt;script&gt;alert(1)&lt;/script&gt; &amp; trams');
    expect(page.text).not.toContain('<script>');
    expect(page.text).toContain('Bus bunching on the BRTS corridor');
    expect(page.text).toContain('30 days&#39; notice'.replace('&#39;', "'"));
  });

  it('refuses an MoU that does not hold together, listing why', async () => {
    const bad = await gw.api.post('/consent/v1/mous', {
      token: await token('admin'),
      json: draft({
        partners: ['sitilink', 'nobody'],
        endsAt: clock.now().toISOString(),
        datasets: [{ group: 'sitilink/no-such-group', maxReleaseLevel: 'aggregate' }],
      }),
    });
    expect(bad.status).toBe(400);
    expect((bad.body.errors as { field: string }[]).map((e) => e.field).sort()).toEqual([
      '/datasets/0/group',
      '/endsAt',
      '/partners',
    ]);
    const shape = await gw.api.post('/consent/v1/mous', {
      token: await token('admin'),
      json: draft({ areas: ['espionage'], documentSha256: 'xyz', noticeDays: -1 }),
    });
    expect(shape.status).toBe(400);
    expect(new Set((shape.body.errors as { field: string }[]).map((e) => e.field))).toEqual(
      new Set(['/areas/0', '/documentSha256', '/noticeDays']),
    );
    expect(
      (await gw.api.post('/consent/v1/mous/mou_nope/sign', { token: await token('admin') })).status,
    ).toBe(404);
    expect((await gw.api.post('/consent/v1/mous/x/launch', { token: await token('admin') })).status).toBe(
      404,
    );
  });
});
