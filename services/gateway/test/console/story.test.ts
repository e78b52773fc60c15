import { testBackend } from '@sangam/db/testing';
import {
  type Alliance,
  day,
  position,
  positions,
  signedInPerson,
  startAlliance,
  textOf,
  type Visitor,
} from '@sangam/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The alliance's story told by people in the console: a consumer asks for a consent against the MoU's terms, the
 * provider grants it, the consumer gets a token, explores and downloads the data; the provider revokes, and the
 * consumer's next query is refused.
 */
describe(`the story by people in the console on ${testBackend()}`, () => {
  let a: Alliance;
  let steward: Visitor;
  let researcher: Visitor;

  const person = (who: string, email: string, roles: string[]) => signedInPerson(a, who, { email, roles });

  beforeAll(async () => {
    a = await startAlliance();
    steward = await person('sitilink', 'steward@sitilink.example', ['provider']);
    researcher = await person('svnitAdmin', 'researcher@svnit.example', ['consumer']);
    const ingested = await a.ingest(positions, [position(a.clock, '1', 1), position(a.clock, '2', 2)]);
    expect(ingested.status).toBe(200);
  });
  afterAll(async () => {
    await a.gw.close();
  });

  it('runs from request to revocation, every step by a person, every step decided by the release rule', async () => {
    // The request form shows the MoU's terms beside it.
    const form = await researcher.get(`/consents/new?mou=${a.mou}`);
    expect(form.status).toBe(200);
    const terms = textOf(form.html);
    expect(terms).toContain('The terms of this alliance');
    expect(terms).toContain('transit research');
    expect(terms).toContain('sitilink/surat-bus-itms');
    expect(form.html).toContain(`value="${positions}"`);

    // A purpose the MoU does not name is refused, with the form kept.
    const wrong = await researcher.post(
      '/consents',
      {
        mou: a.mou,
        items: [positions],
        purpose: 'advertising',
        accessTypes: ['latest'],
        attributes: 'speed',
        releaseLevel: 'anonymised-record',
        validTo: new Date(a.clock.now().getTime() + 30 * day).toISOString().slice(0, 10),
      },
      { page: form.html },
    );
    expect(wrong.status).toBeGreaterThanOrEqual(400);
    expect(wrong.status).toBeLessThan(500);
    expect(wrong.html).toContain('role="alert"');

    const asked = await researcher.post(
      '/consents',
      {
        mou: a.mou,
        items: [positions],
        purpose: 'transit research',
        accessTypes: ['latest', 'download'],
        attributes: 'speed, route, location',
        releaseLevel: 'anonymised-record',
        validTo: new Date(a.clock.now().getTime() + 30 * day).toISOString().slice(0, 10),
      },
      { page: form.html },
    );
    expect(asked.status).toBe(303);
    expect(asked.location).toBe('/consents');

    // The provider's steward sees it requested, and grants it.
    const inbox = await steward.get('/consents');
    expect(inbox.status).toBe(200);
    const id = /<code>([A-Za-z0-9_]+)<\/code> · requested/.exec(inbox.html)?.[1];
    expect(id).toBeDefined();
    expect(inbox.html).toContain(`action="/consents/${id}/grant"`);
    expect(inbox.html).not.toContain(`action="/consents/${id}/token"`);
    const granted = await steward.post(`/consents/${id}/grant`, {}, { page: inbox.html });
    expect(granted.status).toBe(303);

    // The researcher gets an access token, with the commands that use it; the token works from a shell.
    const mine = await researcher.get('/consents');
    expect(textOf(mine.html)).toContain(`${id} · active`);
    const tokenPage = await researcher.post(
      `/consents/${id}/token`,
      { item: positions },
      { page: mine.html },
    );
    expect(tokenPage.status).toBe(200);
    expect(tokenPage.headers.get('cache-control')).toBe('no-store');
    const token = /<code>(ey[A-Za-z0-9_.-]+)<\/code>/.exec(tokenPage.html)?.[1] ?? '';
    expect(textOf(tokenPage.html)).toContain(`curl -s -H 'authorization: Bearer ${token}'`);
    const direct = await a.gw.api.get(`/ngsi-ld/v1/entities?id=${positions}`, { token });
    expect(direct.status).toBe(200);
    expect(direct.body.results).toHaveLength(2);

    // The explorer shows the granted attributes only, and downloads CSV (the consent grants download).
    const explored = await researcher.get(`/explore?consent=${id}&item=${encodeURIComponent(positions)}`);
    expect(explored.status).toBe(200);
    const table = textOf(explored.html);
    expect(table).toContain('2 records');
    expect(table).toContain('bus-1');
    expect(table).not.toContain('GJ05');
    expect(explored.html).toMatch(/<svg class="coverage"/);
    const filtered = await researcher.get(
      `/explore?consent=${id}&item=${encodeURIComponent(positions)}&q=speed%3E21.5`,
    );
    expect(textOf(filtered.html)).toContain('1 records');
    // A malformed query is the consumer's mistake (400, with the reason), not a refusal of the release.
    const malformed = await researcher.get(
      `/explore?consent=${id}&item=${encodeURIComponent(positions)}&from=not-a-day`,
    );
    expect(malformed.status).toBe(400);
    expect(textOf(malformed.html)).toContain('The gateway refused this query');
    const csv = await researcher.get(
      `/explore?consent=${id}&item=${encodeURIComponent(positions)}&format=csv`,
    );
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.headers.get('content-disposition')).toContain('attachment');
    expect(csv.html.split('\n')[0]).toContain('speed');

    // The steward revokes; the researcher's next query, and the token already handed out, are refused.
    const again = await steward.get('/consents');
    expect((await steward.post(`/consents/${id}/revoke`, {}, { page: again.html })).status).toBe(303);
    const refused = await researcher.get(`/explore?consent=${id}&item=${encodeURIComponent(positions)}`);
    expect(refused.status).toBe(403);
    expect(textOf(refused.html)).toContain('The gateway refused this query');
    expect((await a.gw.api.get(`/ngsi-ld/v1/entities?id=${positions}`, { token })).status).toBe(403);

    // The log names the people who decided.
    const entries = await a.gw.api.get(`/audit/v1/entries?limit=1000&target=${id}`, {
      token: await a.token('sitilink'),
    });
    const actions = (entries.body.results as { action: string; actor?: { client?: string } }[]).map(
      (e) => `${e.action} ${e.actor?.client?.slice(0, 3)}`,
    );
    expect(actions).toContain('consent.request mb_');
    expect(actions).toContain('consent.grant mb_');
    expect(actions).toContain('consent.revoke mb_');
  });

  it('a person of another organisation cannot decide a consent or explore with it', async () => {
    const consent = await a.consent();
    const yulu = await person('yulu', 'someone@yulu.example', ['admin', 'provider', 'consumer']);
    const page = await yulu.get('/consents');
    expect(page.html).not.toContain(consent);
    const revoke = await yulu.post(`/consents/${consent}/revoke`, {}, { page: page.html });
    expect(revoke.status).toBeGreaterThanOrEqual(403);
    expect(revoke.status).toBeLessThan(500);
    // Another organisation's consent is no consent of this one's: 404, as the API answers.
    const explore = await yulu.get(`/explore?consent=${consent}&item=${encodeURIComponent(positions)}`);
    expect(explore.status).toBe(404);
    expect(textOf(explore.html)).toContain('No such consent for this consumer');
    const token = await yulu.post(`/consents/${consent}/token`, { item: positions }, { page: page.html });
    expect(token.status).toBe(404);
  });

  it("a suspended person's access tokens stop at once, as a revoked client's do", async () => {
    const consent = await a.consent();
    const reader = await person('svnitAdmin', 'reader@svnit.example', ['consumer']);
    const page = await reader.get('/consents');
    const issued = await reader.post(`/consents/${consent}/token`, { item: positions }, { page: page.html });
    const token = /<code>(ey[A-Za-z0-9_.-]+)<\/code>/.exec(issued.html)?.[1] ?? '';
    expect((await a.gw.api.get(`/ngsi-ld/v1/entities?id=${positions}`, { token })).status).toBe(200);
    const members = await a.gw.api.get('/consent/v1/members', { token: await a.token('svnitAdmin') });
    const id = (members.body.results as { email: string; memberId: string }[]).find(
      (m) => m.email === 'reader@svnit.example',
    )?.memberId;
    expect(
      (await a.gw.api.post(`/consent/v1/members/${id}/suspend`, { token: await a.token('svnitAdmin') }))
        .status,
    ).toBe(200);
    const refused = await a.gw.api.get(`/ngsi-ld/v1/entities?id=${positions}`, { token });
    expect(refused.status).toBe(401);
    expect(refused.body.type).toBe('urn:dx:rs:clientRevoked');
  });

  it('the provider grants less than was asked: fewer attributes, a shorter term, a lower rate; never more', async () => {
    const consent = await a.consent({}, { grant: false });
    const inbox = await steward.get('/consents');
    const asked = await a.gw.api.get(`/consent/v1/consents/${consent}`, { token: await a.token('sitilink') });
    const askedDay = (asked.body.results.validTo as string).slice(0, 10);
    const shorter = new Date(Date.parse(asked.body.results.validTo) - 10 * day).toISOString().slice(0, 10);
    // Widening is refused, whatever the form was made to say.
    const wider = await steward.post(
      `/consents/${consent}/grant`,
      {
        accessTypes: ['latest', 'subscription'],
        attributes: ['speed'],
        askedValidTo: askedDay,
        validTo: askedDay,
      },
      { page: inbox.html },
    );
    expect(wider.status).toBe(400);
    const none = await steward.post(
      `/consents/${consent}/grant`,
      { attributes: ['speed'], accessTypes: [], askedValidTo: askedDay, validTo: askedDay },
      { page: inbox.html },
    );
    // Nothing ticked is no grant: the page says why, and the consent waits as it was.
    expect(none.status).toBe(400);
    expect(textOf(none.html)).toContain('a grant gives at least one access type');
    const waiting = await a.gw.api.get(`/consent/v1/consents/${consent}`, {
      token: await a.token('sitilink'),
    });
    expect(waiting.body.results.state).toBe('requested');
    const other = await a.consent({}, { grant: false });
    const page = await steward.get('/consents');
    const narrowed = await steward.post(
      `/consents/${other}/grant`,
      {
        accessTypes: ['latest'],
        attributes: ['speed', 'route'],
        askedValidTo: askedDay,
        validTo: shorter,
        rateLimit: '30',
      },
      { page: page.html },
    );
    expect(narrowed.status).toBe(303);
    const result = (await a.gw.api.get(`/consent/v1/consents/${other}`, { token: await a.token('sitilink') }))
      .body.results;
    expect(result.state).toBe('active');
    expect(result.accessTypes).toEqual(['latest']);
    expect(result.attributes).toEqual(['speed', 'route']);
    expect(result.rateLimit).toBe(30);
    expect(result.validTo.slice(0, 10)).toBe(shorter);
  });
});
