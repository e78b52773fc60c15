import { resourceProxyAudience } from '@sangam/auth';
import { type ProblemName, problems } from '@sangam/core';
import { testBackend } from '@sangam/db/testing';
import type { LooseResponse } from '@sangam/testkit';
import { type Alliance, bikes, day, position, positions, startAlliance, stops } from '@sangam/testkit';
import { decodeJwt, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe(`the release rule's attack matrix on ${testBackend()}`, () => {
  let a: Alliance;
  let consent: string;
  /** What a `latest` attack asks for: the query itself, or a subscription standing for the same query. */
  let asked: 'query' | 'subscription' = 'query';
  const latest = (token: string | undefined, query = `id=${positions}`) =>
    asked === 'query'
      ? a.gw.api.get(`/ngsi-ld/v1/entities?${query}`, token ? { token } : {})
      : subscribe(token, new URLSearchParams(query));
  /** A subscription to the query's resource with its attributes, filter and area, notified to an event stream. */
  const subscribe = (token: string | undefined, query: URLSearchParams) => {
    const georel = query.get('georel');
    return a.gw.api.post('/ngsi-ld/v1/subscriptions', {
      ...(token ? { token } : {}),
      json: {
        type: 'Subscription',
        entities: [{ id: query.get('id') }],
        ...(query.get('q') ? { q: query.get('q') } : {}),
        ...(georel
          ? { geoQ: { georel, geometry: query.get('geometry'), coordinates: query.get('coordinates') } }
          : {}),
        notification: {
          ...(query.get('attrs') ? { attributes: query.get('attrs')?.split(',') } : {}),
          endpoint: { uri: 'urn:sangam:sse' },
        },
      },
    });
  };
  const temporal = (token: string, query: string) =>
    a.gw.api.get(`/ngsi-ld/v1/temporal/entities?id=${positions}&${query}`, { token });
  /** An access token signed by the gateway's own key, with claims a test chooses (as a stale or stolen one). */
  const mint = (claims: Record<string, unknown>, options: { ttlSeconds?: number; notBefore?: Date } = {}) =>
    a.gw.gateway.consent.tokens
      .issue(
        {
          org: 'svnit',
          roles: ['consumer'],
          token_use: 'access',
          iid: `ri:${positions}`,
          cons: {},
          cid: consent,
          mou: a.mou,
          ...claims,
        },
        {
          subject: a.clients.get('svnit') ?? '',
          audience: resourceProxyAudience,
          ttlSeconds: options.ttlSeconds ?? 600,
          ...(options.notBefore ? { notBefore: options.notBefore } : {}),
        },
      )
      .then((t) => t.token);
  const since = (minutes: number) =>
    encodeURIComponent(new Date(a.clock.now().getTime() - minutes * 60_000).toISOString());

  beforeAll(async () => {
    a = await startAlliance();
    const stored = await a.ingest(positions, [position(a.clock, '1', 5), position(a.clock, '2', 5)]);
    expect(stored.body.results.accepted).toBe(2);
    consent = await a.consent();
  });
  afterAll(async () => {
    await a.gw.close();
  });

  const cases: [string, ProblemName, () => Promise<LooseResponse>][] = [
    ['no token at all', 'missingToken', () => latest(undefined)],
    [
      'a forged token (payload changed, signature kept)',
      'invalidToken',
      async () => {
        const [header, , signature] = (await a.accessToken(consent)).split('.');
        const claims = decodeJwt(await a.accessToken(consent));
        return latest(`${header}.${b64({ ...claims, iid: `ri:${bikes}` })}.${signature}`);
      },
    ],
    [
      'an alg: none token',
      'unsupportedAlgorithm',
      async () => {
        const claims = decodeJwt(await a.accessToken(consent));
        return latest(`${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`);
      },
    ],
    [
      'a token signed by a key that is not in the JWKS',
      'unknownKey',
      async () => {
        const { privateKey } = await generateKeyPair('EdDSA');
        const claims = decodeJwt(await a.accessToken(consent));
        return latest(
          await new SignJWT(claims).setProtectedHeader({ alg: 'EdDSA', kid: 'k-stranger' }).sign(privateKey),
        );
      },
    ],
    [
      'an expired token',
      'tokenExpired',
      async () => {
        const token = await mint({}, { ttlSeconds: 60 });
        a.clock.advance(200_000);
        return latest(token);
      },
    ],
    [
      'a token that is not valid yet',
      'tokenNotYetValid',
      async () => latest(await mint({}, { notBefore: new Date(a.clock.now().getTime() + 3_600_000) })),
    ],
    // An identity token where an access token is needed: a refusal that says which token to get, and where.
    ['an identity token', 'notAccessToken', async () => latest(await a.token('svnit'))],
    [
      'a token from another issuer',
      'invalidIssuer',
      async () => {
        const { TokenService } = await import('@sangam/auth');
        const other = new TokenService(a.gw.gateway.consent.keys, {
          issuer: 'https://elsewhere.example',
          clock: a.clock,
        });
        const issued = await other.issue(
          {
            org: 'svnit',
            roles: ['consumer'],
            token_use: 'access',
            iid: `ri:${positions}`,
            cid: consent,
            mou: a.mou,
          },
          { subject: a.clients.get('svnit') ?? '', audience: resourceProxyAudience, ttlSeconds: 600 },
        );
        return latest(issued.token);
      },
    ],
    [
      'a resource-proxy token without a consent',
      'notAccessToken',
      async () => latest(await mint({ cid: undefined, token_use: undefined })),
    ],
    [
      'a token for item A used on item B',
      'itemOutsideToken',
      async () => latest(await a.accessToken(consent), `id=${stops}`),
    ],
    [
      'a token for item A used on its group',
      'itemOutsideToken',
      async () => latest(await a.accessToken(consent), 'id=sitilink/surat-bus-itms'),
    ],
    [
      'a group token used on a resource the consent does not cover',
      'itemOutsideConsent',
      async () => latest(await mint({ iid: 'rg:sitilink/surat-bus-itms' }), `id=${stops}`),
    ],
    [
      "a token naming another consumer's consent",
      'itemOutsideConsent',
      async () => {
        const theirs = await a.gw.api.post('/consent/v1/consents', {
          token: await a.token('yulu'),
          json: {
            mou: a.mou,
            items: [positions],
            purpose: 'transit research',
            accessTypes: ['latest'],
            attributes: ['speed'],
            releaseLevel: 'anonymised-record',
            validTo: new Date(a.clock.now().getTime() + 30 * day).toISOString(),
          },
        });
        expect(theirs.status, theirs.text).toBe(201);
        return latest(await mint({ cid: theirs.body.results.id }));
      },
    ],
    [
      'a client revoked after its token was issued',
      'clientRevoked',
      async () => {
        const admin = await a.gw.adminToken();
        const spare = await a.gw.api.post('/consent/v1/clients', {
          token: admin,
          json: { organisation: 'svnit', roles: ['consumer'] },
        });
        const token = await mint({}, {});
        const [header, payload] = [token.split('.')[0], decodeJwt(token)];
        expect(header).toBeTruthy();
        const own = await a.gw.gateway.consent.tokens.issue(
          {
            ...payload,
            sub: undefined,
            iat: undefined,
            exp: undefined,
            nbf: undefined,
            jti: undefined,
            iss: undefined,
            aud: undefined,
          },
          { subject: spare.body.results.clientId, audience: resourceProxyAudience, ttlSeconds: 600 },
        );
        expect(
          (await a.gw.api.delete(`/consent/v1/clients/${spare.body.results.clientId}`, { token: admin }))
            .status,
        ).toBe(200);
        return latest(own.token);
      },
    ],
    [
      'a consumer that withdrew from the MoU',
      'notParty',
      async () => {
        const mou = await a.newMou(['sitilink', 'svnit', 'yulu']);
        await a.signAll(mou);
        const id = await a.consent({}, { mou });
        const token = await a.accessToken(id);
        const left = await a.gw.api.post(`/consent/v1/mous/${mou}/withdraw`, {
          token: await a.token('svnitAdmin'),
        });
        expect(left.status, left.text).toBe(200);
        expect(
          left.body.results.parties.find((p: { organisation: string }) => p.organisation === 'svnit').leftAt,
        ).toBeTruthy();
        return latest(token);
      },
    ],
    [
      'a consent only requested',
      'consentRequested',
      async () => latest(await mint({ cid: await a.consent({}, { grant: false }) })),
    ],
    [
      'a denied consent',
      'consentDenied',
      async () => {
        const id = await a.consent({}, { grant: false });
        await a.act('sitilink', id, 'deny');
        return latest(await mint({ cid: id }));
      },
    ],
    [
      'a paused consent',
      'consentPaused',
      async () => {
        const id = await a.consent();
        const token = await a.accessToken(id);
        await a.act('sitilink', id, 'pause');
        return latest(token);
      },
    ],
    [
      'a revoked consent',
      'consentRevoked',
      async () => {
        const id = await a.consent();
        const token = await a.accessToken(id);
        await a.act('sitilink', id, 'revoke');
        return latest(token);
      },
    ],
    [
      'an expired consent',
      'consentExpired',
      async () => {
        const id = await a.consent({ validTo: new Date(a.clock.now().getTime() + 3_600_000).toISOString() });
        a.clock.advance(2 * 3_600_000);
        return latest(await mint({ cid: id }));
      },
    ],
    [
      'a consent not valid yet',
      'consentNotYetValid',
      async () =>
        latest(
          await mint({
            cid: await a.consent({ validFrom: new Date(a.clock.now().getTime() + day).toISOString() }),
          }),
        ),
    ],
    [
      'an MoU back in draft',
      'mouNotActive',
      async () => {
        const mou = await a.newMou(['sitilink', 'svnit']);
        await a.signAll(mou, ['admin', 'sitilink', 'svnitAdmin']);
        const id = await a.consent({}, { mou });
        const token = await a.accessToken(id);
        // No API takes an MoU back to draft; the state is set directly to prove the proxy refuses it anyway.
        await a.gw.database.db.updateTable('mous').set({ state: 'draft' }).where('id', '=', mou).execute();
        return latest(token);
      },
    ],
    [
      'a suspended MoU',
      'mouSuspended',
      async () => {
        const mou = await a.newMou(['sitilink', 'svnit']);
        await a.signAll(mou, ['admin', 'sitilink', 'svnitAdmin']);
        const token = await a.accessToken(await a.consent({}, { mou }));
        const r = await a.gw.api.post(`/consent/v1/mous/${mou}/suspend`, { token: await a.token('admin') });
        expect(r.status, r.text).toBe(200);
        return latest(token);
      },
    ],
    [
      'a terminated MoU',
      'mouTerminated',
      async () => {
        const mou = await a.newMou(['sitilink', 'svnit'], { noticeDays: 0 });
        await a.signAll(mou, ['admin', 'sitilink', 'svnitAdmin']);
        const token = await a.accessToken(await a.consent({}, { mou }));
        const r = await a.gw.api.post(`/consent/v1/mous/${mou}/terminate`, {
          token: await a.token('sitilink'),
        });
        expect(r.status, r.text).toBe(200);
        return latest(token);
      },
    ],
    [
      'an expired MoU',
      'mouExpired',
      async () => {
        const mou = await a.newMou(['sitilink', 'svnit'], {
          endsAt: new Date(a.clock.now().getTime() + 2 * 3_600_000).toISOString(),
        });
        await a.signAll(mou, ['admin', 'sitilink', 'svnitAdmin']);
        const id = await a.consent(
          { validTo: new Date(a.clock.now().getTime() + 2 * 3_600_000).toISOString() },
          { mou },
        );
        a.clock.advance(3 * 3_600_000);
        return latest(await mint({ cid: id, mou }));
      },
    ],
    [
      'an MoU not in force yet',
      'mouNotInTerm',
      async () => {
        const from = new Date(a.clock.now().getTime() + day).toISOString();
        const mou = await a.newMou(['sitilink', 'svnit'], { effectiveFrom: from });
        await a.signAll(mou, ['admin', 'sitilink', 'svnitAdmin']);
        const id = await a.consent({ validFrom: from }, { mou });
        return latest(await mint({ cid: id, mou }));
      },
    ],
    [
      'an attribute outside the consent, asked explicitly',
      'attributeNotGranted',
      async () => latest(await a.accessToken(consent), `id=${positions}&attrs=speed,plate`),
    ],
    [
      'an attribute outside the consent, asked via q',
      'attributeNotGranted',
      async () =>
        latest(await a.accessToken(consent), `id=${positions}&q=${encodeURIComponent('plate=="GJ05-1"')}`),
    ],
    [
      'a geo-query when location is not granted',
      'attributeNotGranted',
      async () => {
        const id = await a.consent({ attributes: ['speed'] });
        return latest(
          await a.accessToken(id),
          `id=${positions}&georel=within&geometry=bbox&coordinates=${encodeURIComponent('[[72,21],[73,22]]')}`,
        );
      },
    ],
    [
      'a data time range outside the consent',
      'timeRangeOutsideConsent',
      async () => {
        const id = await a.consent({ dataFrom: new Date(a.clock.now().getTime() - 3_600_000).toISOString() });
        return temporal(await a.accessToken(id), `timerel=before&timeAt=${since(10)}`);
      },
    ],
    [
      'a release level above the consent',
      'releaseLevelAboveConsent',
      // A token for the group reaches its aggregates; a record-level resource of it is refused at the query.
      async () =>
        latest(
          await a.accessToken(
            await a.consent({ items: ['sitilink/surat-bus-itms'], releaseLevel: 'aggregate' }),
            'sitilink/surat-bus-itms',
          ),
        ),
    ],
    [
      'an access type not granted',
      'accessTypeNotGranted',
      async () =>
        temporal(
          await a.accessToken(await a.consent({ accessTypes: ['latest'] })),
          `timerel=after&timeAt=${since(60)}`,
        ),
    ],
    [
      'a CSV download without download access',
      'accessTypeNotGranted',
      async () => {
        const id = await a.consent({ accessTypes: ['latest'] });
        return a.gw.api.get(`/ngsi-ld/v1/entities?id=${positions}`, {
          token: await a.accessToken(id),
          headers: { accept: 'text/csv' },
        });
      },
    ],
    [
      'the rate limit exceeded',
      'tooManyRequests',
      async () => {
        const token = await a.accessToken(await a.consent({ rateLimit: 2 }));
        expect((await latest(token)).status).toBe(200);
        expect((await latest(token)).status).toBe(200);
        const third = await latest(token);
        expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
        return third;
      },
    ],
    [
      "ingestion by a provider into another's resource",
      'notResourceProvider',
      async () => a.ingest(positions, [position(a.clock, '9', 1)], 'yulu'),
    ],
  ];

  it('holds at least 30 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  // Refusals of a request that carries no valid access token: no decision about a consent, so counted per minute.
  const uncredentialed: readonly ProblemName[] = [
    'missingToken',
    'invalidToken',
    'unsupportedAlgorithm',
    'unknownKey',
    'tokenExpired',
    'notAccessToken',
    'tokenNotYetValid',
    'invalidAudience',
    'invalidIssuer',
  ];

  it('tells a caller who sent the other kind of token which one to get, and where', async () => {
    const identity = await latest(await a.token('svnit'));
    expect(identity.body.detail).toContain('identity token');
    expect(identity.body.detail).toContain('POST /auth/v1/access-tokens');
    const access = await a.gw.api.get('/consent/v1/consents', { token: await a.accessToken(consent) });
    expect(access.status).toBe(401);
    expect(access.body.type).toBe('urn:dx:as:invalidAudience');
    expect(access.body.detail).toContain('access token');
    expect(access.body.detail).toContain('POST /auth/v1/token');
  });

  // Every refusal of a release refuses a subscription standing for the same query: all but the attacks on what a
  // subscription does not ask for (a time range, another access type, a download) or does not do when made (it
  // publishes nothing; its notifications, not its making, are rate-limited).
  const notSubscriptions = new Set([
    'a data time range outside the consent',
    'an access type not granted',
    'a CSV download without download access',
    'the rate limit exceeded',
    "ingestion by a provider into another's resource",
  ]);
  const subscriptionCases = cases.filter(([name]) => !notSubscriptions.has(name));

  it('holds every release attack that a subscription can be asked for', () => {
    expect(subscriptionCases.length).toBe(cases.length - notSubscriptions.size);
  });

  it.each(subscriptionCases)(
    'refuses a subscription for %s (%s) and audits the deny',
    async (_name, problem, attack) => {
      asked = 'subscription';
      try {
        await refusesAndAudits(problem, attack);
      } finally {
        asked = 'query';
      }
    },
  );

  it.each(cases)('refuses %s (%s) and audits the deny', async (_name, problem, attack) =>
    refusesAndAudits(problem, attack),
  );

  async function refusesAndAudits(problem: ProblemName, attack: () => Promise<LooseResponse>): Promise<void> {
    const log = a.gw.gateway.consent.audit;
    await log.uncredentialed.flush();
    const response = await attack();
    expect(response.status, response.text).toBe(problems[problem].status);
    expect(response.body.type).toBe(`urn:dx:rs:${problem}`);
    const requestId = response.headers.get('x-request-id') ?? '';
    const entries = await a.gw.database.db
      .selectFrom('audit_entries')
      .select(['decision', 'entry'])
      .where('request_id', '=', requestId)
      .execute();
    if (uncredentialed.includes(problem)) {
      expect(entries).toHaveLength(0);
      const before = await log.size();
      await log.uncredentialed.flush();
      const counted = await a.gw.database.db
        .selectFrom('audit_entries')
        .select(['action', 'entry'])
        .where('seq', '>', before)
        .execute();
      expect(counted.map((e) => e.action)).toEqual(['gw.uncredentialed']);
      expect(JSON.parse(counted[0]?.entry ?? '{}').reason).toMatch(
        new RegExp(`: rs\\.(query|subscription)\\.\\w+ ${problem} 1$`),
      );
      return;
    }
    expect(entries).toHaveLength(1);
    expect(entries[0]?.decision).toBe('deny');
    expect(JSON.parse(entries[0]?.entry ?? '{}').reason).toMatch(new RegExp(`^${problem}: `));
  }

  it('releases nothing it refused: no record reached a refused caller', async () => {
    const allowed = await a.gw.database.db
      .selectFrom('audit_entries')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('action', 'like', 'rs.query.%')
      .where('decision', '=', 'allow')
      .executeTakeFirstOrThrow();
    // Only the two requests inside the rate limit were allowed.
    expect(Number(allowed.n)).toBe(2);
  });
});
