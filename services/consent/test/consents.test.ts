import { createPublicKey, verify } from 'node:crypto';
import { ManualClock } from '@sangam/core';
import { testBackend } from '@sangam/db/testing';
import { decideRelease } from '@sangam/policy';
import { createPartner, startTestGateway, type TestGateway, Wallet } from '@sangam/testkit';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const day = 86_400_000;

describe(`consents and access tokens on ${testBackend()}`, () => {
  let gw: TestGateway;
  const clock = new ManualClock('2026-11-27T10:00:00Z');
  // Identity tokens live 15 minutes and these tests move the clock by days: each use mints a fresh one.
  let credentials: Wallet;
  const token = (who: string) => credentials.token(who);
  let mou: string;

  const newMou = async (partners: string[], extra: Record<string, unknown> = {}) => {
    const created = await gw.api.post('/consent/v1/mous', {
      token: await token('admin'),
      json: {
        title: 'Bus data for research',
        partners,
        problem: { issue: 'Bunching', beneficiaries: ['commuters'], kpis: ['headway'] },
        areas: ['data-sharing'],
        purposes: ['transit research'],
        datasets: [
          { group: 'sitilink/surat-bus-itms', maxReleaseLevel: 'anonymised-record' },
          { group: 'sitilink/fares', maxReleaseLevel: 'aggregate' },
        ],
        effectiveFrom: clock.now().toISOString(),
        endsAt: new Date(clock.now().getTime() + 365 * day).toISOString(),
        documentSha256: 'b'.repeat(64),
        ...extra,
      },
    });
    expect(created.status, created.text).toBe(201);
    return created.body.results.id as string;
  };
  const signAll = async (id: string, admins: string[]) => {
    for (const who of admins) {
      const signed = await gw.api.post(`/consent/v1/mous/${id}/sign`, { token: await token(who) });
      expect(signed.status, signed.text).toBe(200);
    }
  };
  const ask = async (extra: Record<string, unknown> = {}, who = 'svnitConsumer', mouId = mou) =>
    gw.api.post('/consent/v1/consents', {
      token: await token(who),
      json: {
        mou: mouId,
        items: ['sitilink/surat-bus-itms/positions'],
        purpose: 'transit research',
        accessTypes: ['latest', 'temporal'],
        attributes: ['speed', 'route'],
        releaseLevel: 'anonymised-record',
        validTo: new Date(clock.now().getTime() + 90 * day).toISOString(),
        ...extra,
      },
    });
  const act = async (who: string, id: string, action: string, json?: object) =>
    gw.api.post(`/consent/v1/consents/${id}/${action}`, {
      token: await token(who),
      ...(json ? { json } : {}),
    });
  const accessToken = async (consent: string, item = 'sitilink/surat-bus-itms/positions') =>
    gw.api.post('/auth/v1/access-tokens', { token: await token('svnitConsumer'), json: { item, consent } });

  beforeAll(async () => {
    gw = await startTestGateway({ clock });
    credentials = new Wallet(gw.api);
    credentials.set('admin', gw.admin);
    const admin = await gw.adminToken();
    const sitilink = await createPartner(gw, {
      id: 'sitilink',
      kind: 'industry',
      roles: ['admin', 'provider'],
    });
    credentials.set('sitilink', sitilink.client);
    credentials.set(
      'svnitAdmin',
      (await createPartner(gw, { id: 'svnit', kind: 'academia', roles: ['admin'] })).client,
    );
    const consumer = await gw.api.post('/consent/v1/clients', {
      token: admin,
      json: { organisation: 'svnit', roles: ['consumer'] },
    });
    credentials.set('svnitConsumer', consumer.body.results);
    credentials.set(
      'yulu',
      (await createPartner(gw, { id: 'yulu', kind: 'startup', roles: ['admin', 'provider', 'consumer'] }))
        .client,
    );
    const post = async (json: object) => {
      const r = await gw.api.post('/cat/v1/items', { token: sitilink.token, json });
      expect(r.status, r.text).toBe(201);
    };
    const model = {
      type: 'object',
      properties: { speed: { type: 'number' }, route: { type: 'string' }, plate: { type: 'string' } },
    };
    await post({ type: 'provider', id: 'sitilink', name: 'Sitilink' });
    await post({
      type: 'resourceGroup',
      id: 'sitilink/surat-bus-itms',
      name: 'Surat bus ITMS',
      description: 'Buses',
    });
    await post({
      type: 'resourceGroup',
      id: 'sitilink/fares',
      name: 'Fares',
      description: 'Fare collection',
    });
    const resource = (id: string, accessPolicy: string, releaseLevel = 'anonymised-record') => ({
      type: 'resource',
      id,
      name: id,
      description: id,
      dataModel: model,
      accessPolicy,
      releaseLevel,
      source: { adapter: 'itms' },
    });
    await post(resource('sitilink/surat-bus-itms/positions', 'SECURE'));
    await post(resource('sitilink/surat-bus-itms/open-stats', 'OPEN', 'aggregate'));
    await post(resource('sitilink/fares/by-route', 'PII', 'aggregate'));
    mou = await newMou(['sitilink', 'svnit']);
    await signAll(mou, ['admin', 'sitilink', 'svnitAdmin']);
  });
  afterAll(async () => {
    await gw.close();
  });

  it('checks a request against the MoU and the data model, saying which rule it breaks', async () => {
    const outside = await ask({ items: ['sitilink/surat-bus-itms/positions', 'sitilink/nowhere/x'] });
    expect(outside.status).toBe(400);
    const level = await ask({
      items: ['sitilink/fares/by-route'],
      releaseLevel: 'anonymised-record',
      attributes: [],
    });
    expect(level.status).toBe(403);
    expect(level.body.detail).toContain('aggregate at most');
    const pii = await ask({ items: ['sitilink/fares/by-route'], releaseLevel: 'aggregate', attributes: [] });
    expect(pii.status).toBe(403);
    expect(pii.body.detail).toContain('personal data');
    const attribute = await ask({ attributes: ['speed', 'colour'] });
    expect(attribute.status).toBe(400);
    expect(attribute.body.errors).toEqual([
      { field: '/attributes/1', message: '"colour" is not in the data model' },
    ]);
    const long = await ask({ validTo: new Date(clock.now().getTime() + 400 * day).toISOString() });
    expect(long.status).toBe(403);
    expect(long.body.detail).toContain("MoU's term");
    // A purpose the MoU does not name: the refusal names the rule, the purposes it allows and what to do.
    const purpose = await ask({ purpose: 'marketing' });
    expect(purpose.status).toBe(403);
    expect(purpose.body.type).toBe('urn:dx:as:purposeNotInMou');
    expect(purpose.body.allowedPurposes).toEqual(['transit research']);
    expect(purpose.body.detail).toContain('"marketing" is not a purpose of MoU');
    expect(purpose.body.detail).toContain('"transit research"');
    expect(purpose.body.detail).toContain('amend');
    const stranger = await ask({}, 'yulu');
    expect(stranger.status).toBe(403);
    expect(stranger.body.type).toBe('urn:dx:as:notParty');
    const provider = await ask({}, 'sitilink');
    expect(provider.status).toBe(403);
  });

  it.each([
    ['requested', 'grant', 200, 'active'],
    ['requested', 'deny', 200, 'denied'],
    ['requested', 'pause', 409, 'requested'],
    ['requested', 'resume', 409, 'requested'],
    ['requested', 'revoke', 409, 'requested'],
    ['active', 'grant', 409, 'active'],
    ['active', 'deny', 409, 'active'],
    ['active', 'pause', 200, 'paused'],
    ['active', 'resume', 409, 'active'],
    ['active', 'revoke', 200, 'revoked'],
    ['paused', 'resume', 200, 'active'],
    ['paused', 'pause', 409, 'paused'],
    ['paused', 'revoke', 200, 'revoked'],
    ['paused', 'grant', 409, 'paused'],
    ['denied', 'grant', 409, 'denied'],
    ['denied', 'revoke', 409, 'denied'],
    ['revoked', 'resume', 409, 'revoked'],
    ['revoked', 'grant', 409, 'revoked'],
  ] as const)('%s + %s → %i, %s', async (from, action, status, after) => {
    const id = (await ask()).body.results.id as string;
    const path: Record<string, string[]> = {
      requested: [],
      active: ['grant'],
      paused: ['grant', 'pause'],
      denied: ['deny'],
      revoked: ['grant', 'revoke'],
    };
    for (const step of path[from] ?? []) expect((await act('sitilink', id, step)).status).toBe(200);
    const response = await act('sitilink', id, action);
    expect(response.status, response.text).toBe(status);
    if (status === 409) {
      const done = {
        grant: 'granted',
        deny: 'denied',
        pause: 'paused',
        resume: 'resumed',
        revoke: 'revoked',
      };
      expect(response.body.detail).toBe(`A consent that is ${from} cannot be ${done[action]}`);
    }
    const read = await gw.api.get(`/consent/v1/consents/${id}`, { token: await token('svnitConsumer') });
    expect(read.body.results.state).toBe(after);
  });

  it('lets only the provider decide, the consumer revoke its own, and hides consents from others', async () => {
    const id = (await ask()).body.results.id as string;
    expect((await act('svnitConsumer', id, 'grant')).status).toBe(403);
    expect((await act('yulu', id, 'grant')).status).toBe(404);
    expect((await act('sitilink', id, 'grant')).status).toBe(200);
    expect((await act('svnitConsumer', id, 'pause')).status).toBe(403);
    expect((await act('svnitConsumer', id, 'revoke', { reason: 'project finished' })).status).toBe(200);
    expect((await gw.api.get(`/consent/v1/consents/${id}`, { token: await token('yulu') })).status).toBe(404);
    const mine = await gw.api.get('/consent/v1/consents', { token: await token('svnitConsumer') });
    expect(mine.body.results.every((c: { consumer: string }) => c.consumer === 'svnit')).toBe(true);
    expect((await gw.api.get('/consent/v1/consents', { token: await token('yulu') })).body.results).toEqual(
      [],
    );
  });

  it('grants open data at once, and lets a grant narrow but not widen', async () => {
    const open = await ask({ items: ['sitilink/surat-bus-itms/open-stats'], releaseLevel: 'aggregate' });
    expect(open.status).toBe(201);
    expect(open.body.results).toMatchObject({ state: 'active', status: 'active' });

    const id = (await ask()).body.results.id as string;
    const widen = await act('sitilink', id, 'grant', { attributes: ['speed', 'plate'] });
    expect(widen.status).toBe(400);
    const narrowed = await act('sitilink', id, 'grant', {
      attributes: ['speed'],
      accessTypes: ['latest'],
      reason: 'routes are sensitive',
    });
    expect(narrowed.status).toBe(200);
    expect(narrowed.body.results).toMatchObject({ attributes: ['speed'], accessTypes: ['latest'] });
  });

  it('issues a consent artefact that Node’s crypto verifies with the JWKS, and that fails after any change', async () => {
    const id = (await ask()).body.results.id as string;
    await act('sitilink', id, 'grant');
    const { jws } = (
      await gw.api.get(`/consent/v1/consents/${id}/artefact`, { token: await token('svnitConsumer') })
    ).body.results;
    const [h = '', p = '', s = ''] = jws.split('.');
    const { kid } = JSON.parse(Buffer.from(h, 'base64url').toString());
    const jwk = (await gw.api.get('/.well-known/jwks.json')).body.keys.find(
      (k: { kid: string }) => k.kid === kid,
    );
    const key = createPublicKey({ key: jwk, format: 'jwk' });
    expect(verify(null, Buffer.from(`${h}.${p}`), key, Buffer.from(s, 'base64url'))).toBe(true);
    expect(JSON.parse(Buffer.from(p, 'base64url').toString())).toMatchObject({
      id,
      consumer: 'svnit',
      provider: 'sitilink',
      state: 'active',
    });
    for (const at of [0, 10, p.length - 2]) {
      const bytes = Buffer.from(p, 'base64url');
      const index = Math.min(at, bytes.length - 1);
      bytes[index] = (bytes[index] ?? 0) ^ 0x20;
      expect(
        verify(null, Buffer.from(`${h}.${bytes.toString('base64url')}`), key, Buffer.from(s, 'base64url')),
      ).toBe(false);
    }
  });

  it('issues access tokens only for an active consent under an active MoU, with a distinct type per refusal', async () => {
    const id = (await ask()).body.results.id as string;
    const refused = async (type: string) => {
      const response = await accessToken(id);
      expect(response.status).toBe(403);
      expect(response.body.type).toBe(`urn:dx:as:${type}`);
    };
    await refused('consentRequested');
    await act('sitilink', id, 'grant');
    const ok = await accessToken(id);
    expect(ok.status).toBe(200);
    const claims = decodeJwt(ok.body.results.accessToken);
    expect(claims).toMatchObject({
      aud: 'sangam:resource-proxy',
      org: 'svnit',
      iid: 'ri:sitilink/surat-bus-itms/positions',
      cid: id,
      mou,
      cons: { accessTypes: ['latest', 'temporal'], attributes: ['speed', 'route'] },
    });
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(600);
    const other = await accessToken(id, 'sitilink/fares/by-route');
    expect(other.body.type).toBe('urn:dx:as:itemOutsideConsent');
    await act('sitilink', id, 'pause');
    await refused('consentPaused');
    await act('sitilink', id, 'revoke');
    await refused('consentRevoked');

    const denied = (await ask()).body.results.id as string;
    await act('sitilink', denied, 'deny');
    expect((await accessToken(denied)).body.type).toBe('urn:dx:as:consentDenied');

    const short = (await ask({ validTo: new Date(clock.now().getTime() + day).toISOString() })).body.results
      .id as string;
    await act('sitilink', short, 'grant');
    clock.advance(day);
    expect((await accessToken(short)).body.type).toBe('urn:dx:as:consentExpired');
    expect(
      (await gw.api.get(`/consent/v1/consents/${short}`, { token: await token('svnitConsumer') })).body
        .results.status,
    ).toBe('expired');
  });

  it('stops every consent when the MoU is suspended, brings back only those it stopped, and none after termination', async () => {
    const m = await newMou(['sitilink', 'svnit'], { noticeDays: 5 });
    await signAll(m, ['admin', 'sitilink', 'svnitAdmin']);
    const kept = (await ask({}, 'svnitConsumer', m)).body.results.id as string;
    const revokedAlone = (await ask({}, 'svnitConsumer', m)).body.results.id as string;
    for (const id of [kept, revokedAlone]) await act('sitilink', id, 'grant');
    await act('sitilink', revokedAlone, 'revoke');

    await gw.api.post(`/consent/v1/mous/${m}/suspend`, { token: await token('admin') });
    expect((await accessToken(kept)).body.type).toBe('urn:dx:as:mouSuspended');
    expect(
      (await gw.api.get(`/consent/v1/consents/${kept}`, { token: await token('svnitConsumer') })).body.results
        .status,
    ).toBe('stopped');

    await gw.api.post(`/consent/v1/mous/${m}/resume`, { token: await token('admin') });
    expect((await accessToken(kept)).status).toBe(200);
    expect((await accessToken(revokedAlone)).body.type).toBe('urn:dx:as:consentRevoked');

    await gw.api.post(`/consent/v1/mous/${m}/terminate`, { token: await token('sitilink') });
    expect((await accessToken(kept)).status).toBe(200);
    clock.advance(5 * day);
    expect((await accessToken(kept)).body.type).toBe('urn:dx:as:mouTerminated');
    expect((await gw.api.post(`/consent/v1/mous/${m}/resume`, { token: await token('admin') })).status).toBe(
      409,
    );
    expect((await accessToken(kept)).body.type).toBe('urn:dx:as:mouTerminated');
  });

  it('stops consents when the MoU expires, for good', async () => {
    const m = await newMou(['sitilink', 'svnit'], {
      endsAt: new Date(clock.now().getTime() + 30 * day).toISOString(),
    });
    await signAll(m, ['admin', 'sitilink', 'svnitAdmin']);
    const id = (
      await ask({ validTo: new Date(clock.now().getTime() + 30 * day).toISOString() }, 'svnitConsumer', m)
    ).body.results.id;
    await act('sitilink', id, 'grant');
    expect((await accessToken(id)).status).toBe(200);
    clock.advance(30 * day);
    expect((await accessToken(id)).body.type).toBe('urn:dx:as:mouExpired');
  });

  it('issues a token for the real request: the item at its own release level, and audits every refusal', async () => {
    // A consent for aggregates over the group: its record-level resource gets no token, the group one does.
    const id = (
      await ask({ items: ['sitilink/surat-bus-itms'], releaseLevel: 'aggregate', attributes: ['speed'] })
    ).body.results.id as string;
    await act('sitilink', id, 'grant');
    const records = await accessToken(id, 'sitilink/surat-bus-itms/positions');
    expect(records.status).toBe(403);
    expect(records.body.type).toBe('urn:dx:as:releaseLevelAboveConsent');
    expect((await accessToken(id, 'sitilink/surat-bus-itms')).status).toBe(200);
    const missing = await accessToken(id, 'sitilink/surat-bus-itms/nothing');
    expect(missing.status).toBe(404);

    // Someone else's consent: not found, and the attempt is in the log with who made it.
    const theirs = await gw.api.post('/auth/v1/access-tokens', {
      token: await token('yulu'),
      json: { item: 'sitilink/surat-bus-itms', consent: id },
    });
    expect(theirs.status).toBe(404);
    for (const response of [theirs, missing, records]) {
      const entries = await gw.database.db
        .selectFrom('audit_entries')
        .select(['decision', 'action'])
        .where('request_id', '=', response.headers.get('x-request-id') ?? '')
        .execute();
      expect(entries).toEqual([{ decision: 'deny', action: 'auth.access-token' }]);
    }
  });

  it('refuses access tokens under a draft MoU, and to a consumer who left the MoU', async () => {
    const draft = await newMou(['sitilink', 'svnit']);
    const granted = (await ask()).body.results.id as string;
    await act('sitilink', granted, 'grant');
    await gw.database.db.updateTable('consents').set({ mou_id: draft }).where('id', '=', granted).execute();
    expect((await accessToken(granted)).body.type).toBe('urn:dx:as:mouNotActive');
    await gw.database.db.updateTable('consents').set({ mou_id: mou }).where('id', '=', granted).execute();
    expect((await accessToken(granted)).status).toBe(200);
    await gw.database.db
      .deleteFrom('mou_parties')
      .where('mou_id', '=', mou)
      .where('organisation_id', '=', 'svnit')
      .execute();
    expect((await accessToken(granted)).body.type).toBe('urn:dx:as:notParty');
    await gw.database.db
      .insertInto('mou_parties')
      .values({
        mou_id: mou,
        organisation_id: 'svnit',
        role: 'partner',
        signed_at: clock.now().toISOString(),
        signed_by: 'x',
      })
      .execute();
  });

  it('holds expired consents final, refuses times that do not exist, and compares times across offsets', async () => {
    const short = (await ask({ validTo: new Date(clock.now().getTime() + day).toISOString() })).body.results
      .id as string;
    const later = new Date(clock.now().getTime() + 2 * day);
    const offset = `${later.toISOString().slice(0, 10)}T00:00:00-05:00`;
    const widened = await act('sitilink', short, 'grant', { validTo: offset });
    expect(widened.status).toBe(400);
    expect(widened.body.errors[0].field).toBe('/validTo');
    expect((await act('sitilink', short, 'grant')).status).toBe(200);
    clock.advance(day);
    for (const action of ['pause', 'revoke'] as const)
      expect((await act('sitilink', short, action)).status).toBe(409);
    const leap = await ask({ validTo: '2026-12-31T23:59:60Z' });
    expect(leap.status).toBe(400);
  });

  it('refuses access tokens while the MoU is signed but not yet in force', async () => {
    const later = new Date(clock.now().getTime() + 10 * day).toISOString();
    const m = await newMou(['sitilink', 'svnit'], { effectiveFrom: later });
    await signAll(m, ['admin', 'sitilink', 'svnitAdmin']);
    const id = (
      await ask(
        { validFrom: later, validTo: new Date(clock.now().getTime() + 40 * day).toISOString() },
        'svnitConsumer',
        m,
      )
    ).body.results.id as string;
    expect((await act('sitilink', id, 'grant')).status).toBe(200);
    expect((await accessToken(id)).body.type).toBe('urn:dx:as:mouNotInTerm');
    clock.advance(10 * day);
    expect((await accessToken(id)).status).toBe(200);
  });

  it('decides each release from the state as it is at that moment', async () => {
    const id = (await ask()).body.results.id as string;
    await act('sitilink', id, 'grant');
    const request = {
      consentId: id,
      consumer: 'svnit',
      item: 'sitilink/surat-bus-itms/positions',
      accessType: 'temporal' as const,
      attributes: ['speed'],
      releaseLevel: 'anonymised-record' as const,
    };
    expect(await decideRelease(gw.database.db, request, clock.now())).toMatchObject({ allow: true });
    expect(
      await decideRelease(gw.database.db, { ...request, attributes: ['plate'] }, clock.now()),
    ).toMatchObject({
      allow: false,
      problem: 'attributeNotGranted',
    });
    await act('sitilink', id, 'revoke');
    expect(await decideRelease(gw.database.db, request, clock.now())).toMatchObject({
      allow: false,
      problem: 'consentRevoked',
    });
    expect(await decideRelease(gw.database.db, { ...request, consumer: 'yulu' }, clock.now())).toMatchObject({
      allow: false,
    });
  });

  it('leaves a consent in one valid state when it is granted and revoked at once', async () => {
    for (let round = 0; round < 5; round += 1) {
      const id = (await ask()).body.results.id as string;
      const [grant, revoke] = await Promise.all([
        act('sitilink', id, 'grant'),
        act('svnitConsumer', id, 'revoke'),
      ]);
      const state = (await gw.api.get(`/consent/v1/consents/${id}`, { token: await token('svnitConsumer') }))
        .body.results.state;
      expect(grant.status).toBe(200);
      if (revoke.status === 200) expect(state).toBe('revoked');
      else {
        expect(revoke.status).toBe(409);
        expect(state).toBe('active');
      }
      const actions = await gw.database.db
        .selectFrom('audit_entries')
        .select('action')
        .where('target_consent', '=', id)
        .orderBy('seq')
        .execute();
      expect(actions.map((a) => a.action)).toEqual(
        revoke.status === 200
          ? ['consent.request', 'consent.grant', 'consent.revoke']
          : ['consent.request', 'consent.grant'],
      );
    }
  });
});
