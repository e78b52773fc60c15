import { testBackend } from '@sangam/db/testing';
import {
  type Alliance,
  personPassword,
  signedInPerson,
  startAlliance,
  textOf,
  Visitor,
} from '@sangam/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** People of the alliance in the console: invitations, sign-in, sessions, CSRF, and the audit of what they do. */
describe(`people in the console on ${testBackend()}`, () => {
  let a: Alliance;

  beforeAll(async () => {
    // The tests stand behind a trusted proxy, so a header can say which address each visitor comes from.
    a = await startAlliance({
      env: { SANGAM_SIGNIN_LOCKOUT_HOLD_MS: '0', SANGAM_TRUSTED_PROXIES: '127.0.0.1,::1,::ffff:127.0.0.1' },
    });
  });
  afterAll(async () => {
    await a.gw.close();
  });

  /** An invitation through the API by an organisation's admin client; its one-time token. */
  async function invite(who: string, email: string, roles: string[], name = 'A Person'): Promise<string> {
    const r = await a.gw.api.post('/consent/v1/members/invitations', {
      token: await a.token(who),
      json: { email, name, roles },
    });
    expect(r.status).toBe(201);
    expect(r.headers.get('cache-control')).toBe('no-store');
    return r.body.results.token as string;
  }

  /** A member who joined through a link and signed in. */
  const member = (who: string, email: string, roles: string[], name = 'A Person') =>
    signedInPerson(a, who, { email, roles, name });

  it('a person joins by a one-time link, signs in, and the cookie is HttpOnly, SameSite=Strict', async () => {
    const token = await invite('sitilink', 'Steward@Sitilink.example', ['provider'], 'Asha Patel');
    const twice = await invite('sitilink', 'steward@sitilink.example', ['provider'], 'Asha Patel');
    const visitor = new Visitor(a.gw.url);
    const join = await visitor.get(`/join/${token}`);
    expect(join.status).toBe(200);
    expect(textOf(join.html)).toContain('Join sitilink');
    expect(join.html).toContain('steward@sitilink.example');

    const short = await visitor.post(`/join/${token}`, { password: 'short' });
    expect(short.status).toBe(400);
    expect(textOf(short.html)).toContain('The password must be 12 to 256 characters.');

    const joined = await visitor.post(`/join/${token}`, { password: 'correct horse battery' });
    expect(joined.status).toBe(200);
    // A second invitation to the same address cannot make a second member: the page says to sign in.
    const again = await visitor.post(`/join/${twice}`, { password: 'another long password' });
    expect(again.status).toBe(409);
    expect(again.html).toContain('href="/sign-in"');
    // The link works once.
    expect((await visitor.get(`/join/${token}`)).status).toBe(404);
    expect((await visitor.post(`/join/${token}`, { password: 'another long password' })).status).toBe(404);

    const wrong = await visitor.post('/sign-in', {
      email: 'steward@sitilink.example',
      password: 'not the password',
    });
    expect(wrong.status).toBe(401);
    expect(textOf(wrong.html)).toContain('The e-mail address or the password is not right.');
    expect(visitor.cookie('sangam_session')).toBeUndefined();

    const response = await fetch(`${a.gw.url}/sign-in`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: a.gw.url },
      body: new URLSearchParams({
        email: 'steward@sitilink.example',
        password: 'correct horse battery',
        next: '/catalogue',
      }).toString(),
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/catalogue');
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith('sangam_session='));
    expect(cookie).toBeDefined();
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Strict/);
    expect(cookie).toMatch(/; Path=\//);
    // Over plain http (the embedded default) the cookie cannot be Secure, or the browser would drop it.
    expect(cookie).not.toMatch(/; Secure/);
  });

  it('the audit log names the person as the actor of what they do', async () => {
    const visitor = await member('svnitAdmin', 'head@svnit.example', ['admin'], 'Head of Lab');
    const page = await visitor.get('/members');
    expect(page.status).toBe(200);
    const invited = await visitor.post(
      '/members/invitations',
      { name: 'Researcher', email: 'researcher@svnit.example', roles: ['consumer'] },
      { page: page.html },
    );
    expect(invited.status).toBe(200);
    expect(textOf(invited.html)).toMatch(/\/join\/[A-Za-z0-9_-]{43}/);
    const entries = await a.gw.api.get('/audit/v1/entries?limit=1000', {
      token: await a.token('svnitAdmin'),
    });
    const members = await a.gw.api.get('/consent/v1/members', { token: await a.token('svnitAdmin') });
    const head = (members.body.results as { email: string; memberId: string }[]).find(
      (m) => m.email === 'head@svnit.example',
    );
    expect(head?.memberId).toMatch(/^mb_/);
    const byHead = (entries.body.results as { action: string; actor?: { client?: string } }[])
      .filter((e) => e.actor?.client === head?.memberId)
      .map((e) => e.action);
    expect(byHead).toEqual(['identity.member.join', 'identity.member.signin', 'identity.member.invite']);
  });

  it('refuses a change without the session CSRF token, with a wrong one, or from another site (403)', async () => {
    const visitor = await member('yulu', 'admin@yulu.example', ['admin'], 'Yulu Admin');
    const page = await visitor.get('/members');
    const fields = { name: 'X', email: 'x@yulu.example', roles: ['consumer'] };
    const missing = await visitor.post('/members/invitations', fields);
    expect(missing.status).toBe(403);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
    expect(JSON.parse(missing.html).type).toBe('urn:dx:gw:csrfRejected');
    const wrong = await visitor.post('/members/invitations', { ...fields, _csrf: 'A'.repeat(43) });
    expect(wrong.status).toBe(403);
    const foreign = await visitor.post('/members/invitations', fields, {
      page: page.html,
      headers: { origin: 'https://evil.example' },
    });
    expect(foreign.status).toBe(403);
    const crossSite = await visitor.post('/members/invitations', fields, {
      page: page.html,
      headers: { 'sec-fetch-site': 'cross-site' },
    });
    expect(crossSite.status).toBe(403);
    // None of them made an invitation.
    const open = await visitor.get('/members');
    expect(textOf(open.html)).not.toContain('x@yulu.example');
    // With the token, from this site, it works.
    const made = await visitor.post('/members/invitations', fields, { page: page.html });
    expect(made.status).toBe(200);
    expect(textOf(made.html)).toContain('x@yulu.example');
  });

  it("an organisation's session cannot see or act on another organisation's members", async () => {
    const sitilinkAdmin = await member('sitilink', 'boss@sitilink.example', ['admin', 'provider'], 'Boss');
    const yuluAdmin = await member('yulu', 'second@yulu.example', ['admin'], 'Second');
    const members = await a.gw.api.get('/consent/v1/members', { token: await a.token('sitilink') });
    const boss = (members.body.results as { email: string; memberId: string }[]).find(
      (m) => m.email === 'boss@sitilink.example',
    );
    const page = await yuluAdmin.get('/members');
    expect(textOf(page.html)).not.toContain('boss@sitilink.example');
    const suspend = await yuluAdmin.post(`/members/${boss?.memberId}/suspend`, {}, { page: page.html });
    expect(suspend.status).toBe(404);
    expect((await sitilinkAdmin.get('/members')).status).toBe(200);
    // A provider who is no admin has no members page at all.
    const provider = await member('sitilink', 'clerk@sitilink.example', ['provider'], 'Clerk');
    expect((await provider.get('/members')).status).toBe(403);
  });

  it('suspending a member ends their session at once', async () => {
    const admin = await member('yulu', 'third@yulu.example', ['admin'], 'Third');
    const clerk = await member('yulu', 'clerk@yulu.example', ['consumer'], 'Clerk');
    expect((await clerk.get('/sign-in')).status).toBe(303);
    const page = await admin.get('/members');
    const members = await a.gw.api.get('/consent/v1/members', { token: await a.token('yulu') });
    const id = (members.body.results as { email: string; memberId: string }[]).find(
      (m) => m.email === 'clerk@yulu.example',
    )?.memberId;
    const suspended = await admin.post(`/members/${id}/suspend`, {}, { page: page.html });
    expect(suspended.status).toBe(303);
    // Signed out: the sign-in page shows its form again, and the password no longer works.
    expect((await clerk.get('/sign-in')).status).toBe(200);
    const again = await clerk.post('/sign-in', {
      email: 'clerk@yulu.example',
      password: personPassword,
    });
    expect(again.status).toBe(401);
  });

  it('a session ends after its idle time and after its absolute time', async () => {
    const visitor = await member('svnitAdmin', 'idle@svnit.example', ['admin'], 'Idle');
    expect((await visitor.get('/members')).status).toBe(200);
    a.clock.advance(29 * 60_000);
    expect((await visitor.get('/members')).status).toBe(200);
    a.clock.advance(31 * 60_000);
    const idle = await visitor.get('/members');
    expect(idle.status).toBe(303);
    expect(idle.location).toBe('/sign-in?next=%2Fmembers');

    const busy = await member('svnitAdmin', 'busy@svnit.example', ['admin'], 'Busy');
    for (let hour = 0; hour < 11; hour++) {
      a.clock.advance(20 * 60_000);
      expect((await busy.get('/members')).status).toBe(200);
      a.clock.advance(20 * 60_000);
      expect((await busy.get('/members')).status).toBe(200);
      a.clock.advance(20 * 60_000);
      expect((await busy.get('/members')).status).toBe(200);
    }
    a.clock.advance(61 * 60_000);
    expect((await busy.get('/members')).status).toBe(303);
  });

  it('signing out ends the session: the old cookie signs no one in', async () => {
    const visitor = await member('svnitAdmin', 'leaver@svnit.example', ['admin'], 'Leaver');
    const page = await visitor.get('/members');
    const old = visitor.cookie('sangam_session');
    expect(old).toBeDefined();
    const out = await visitor.post('/sign-out', {}, { page: page.html });
    expect(out.status).toBe(303);
    expect(visitor.cookie('sangam_session')).toBeUndefined();
    const replay = new Visitor(a.gw.url);
    replay.setCookie('sangam_session', old ?? '');
    expect((await replay.get('/members')).status).toBe(303);
  });

  it('ten wrong passwords from one address lock that address out for that person, not the person elsewhere', async () => {
    await member('yulu', 'target@yulu.example', ['consumer'], 'Target');
    const attacker = new Visitor(a.gw.url);
    const from = (address: string) => ({ headers: { 'x-forwarded-for': address } });
    for (let i = 0; i < 10; i++) {
      const r = await attacker.post(
        '/sign-in',
        { email: 'target@yulu.example', password: `guess number ${i}` },
        from('203.0.113.9'),
      );
      expect(r.status).toBe(401);
    }
    const locked = await attacker.post(
      '/sign-in',
      { email: 'target@yulu.example', password: personPassword },
      from('203.0.113.9'),
    );
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(attacker.cookie('sangam_session')).toBeUndefined();
    // The person, from their own address, still signs in: a stranger cannot lock them out.
    const person = await new Visitor(a.gw.url).post(
      '/sign-in',
      { email: 'target@yulu.example', password: personPassword },
      from('198.51.100.7'),
    );
    expect(person.status).toBe(303);
  });

  it('renders what organisations write as text, never as markup', async () => {
    const payload = '<script>alert(1)</script><img src=x onerror=alert(2)>';
    const admin = await member('svnitAdmin', 'xss@svnit.example', ['admin'], payload);
    const page = await admin.get('/members');
    expect(page.html).not.toContain('<script>alert(1)</script>');
    expect(page.html).not.toContain('<img src=x');
    expect(textOf(page.html)).toContain(payload);
    expect(page.html).not.toMatch(/<script/i);

    // What providers and the city write shows on public pages: an item's name, description and data model, an
    // MoU's title, problem and purposes, an organisation's name.
    const quoted = `"'><svg onload=alert(3)>${payload}`;
    const item = await a.gw.api.post('/cat/v1/items', {
      token: await a.token('yulu'),
      json: {
        type: 'resource',
        id: 'yulu/bikes/xss',
        name: quoted,
        description: quoted,
        dataModel: { type: 'object', properties: { field: { type: 'string', description: quoted } } },
        accessPolicy: 'SECURE',
        releaseLevel: 'aggregate',
        source: { adapter: 'gbfs' },
      },
    });
    expect(item.status).toBe(201);
    const mou = await a.newMou(['yulu'], {
      title: quoted,
      problem: { issue: quoted, beneficiaries: [quoted], kpis: ['k'] },
      purposes: [quoted],
      datasets: [{ group: 'yulu/bikes', maxReleaseLevel: 'aggregate' }],
    });
    await a.signAll(mou, ['admin', 'yulu']);
    const anyone = new Visitor(a.gw.url);
    for (const path of ['/', '/catalogue?provider=yulu', '/catalogue/items/yulu/bikes/xss']) {
      const shown = await anyone.get(path);
      expect(shown.status).toBe(200);
      expect(textOf(shown.html)).toContain(payload);
      expect(shown.html).not.toMatch(/<script|<svg onload|<img src=x/i);
    }
  });

  it('answers a form that is not a form with a problem, and refuses unknown or oversized input without a 5xx', async () => {
    const json = await fetch(`${a.gw.url}/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: a.gw.url },
      body: '{"email":"a"}',
    });
    expect(json.status).toBe(415);
    const huge = await new Visitor(a.gw.url).post('/sign-in', {
      email: 'a'.repeat(10_000),
      password: 'b'.repeat(10_000),
    });
    expect(huge.status).toBe(401);
    const badToken = await new Visitor(a.gw.url).get('/join/%3Cscript%3E');
    expect(badToken.status).toBe(404);
    const badInvite = await a.gw.api.post('/consent/v1/members/invitations', {
      token: await a.token('yulu'),
      json: { email: 'not an address', name: 'N', roles: ['consumer'] },
    });
    expect(badInvite.status).toBe(400);
    // The city admin invites into any organisation; a partner's admin only into its own.
    const byCity = await a.gw.api.post('/consent/v1/members/invitations', {
      token: await a.token('admin'),
      json: { organisation: 'svnit', email: 'new@svnit.example', name: 'N', roles: ['consumer'] },
    });
    expect(byCity.status).toBe(201);
    expect(byCity.body.results.organisation).toBe('svnit');
    const intoOther = await a.gw.api.post('/consent/v1/members/invitations', {
      token: await a.token('yulu'),
      json: { organisation: 'svnit', email: 'x@svnit.example', name: 'N', roles: ['consumer'] },
    });
    expect(intoOther.status).toBe(403);
    const nowhere = await a.gw.api.post('/consent/v1/members/invitations', {
      token: await a.token('admin'),
      json: { organisation: 'nowhere', email: 'x@nowhere.example', name: 'N', roles: ['consumer'] },
    });
    expect(nowhere.status).toBe(400);
    const notAdmin = await a.gw.api.post('/consent/v1/members/invitations', {
      token: await a.token('svnit'),
      json: { email: 'n@svnit.example', name: 'N', roles: ['consumer'] },
    });
    expect(notAdmin.status).toBe(403);
  });

  it('refuses passkey ceremonies that are malformed, expired, foreign or without the session token', async () => {
    const json = (body: unknown, headers: Record<string, string> = {}) => ({
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: a.gw.url, ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const options = await fetch(`${a.gw.url}/sign-in/passkey/options`, json({}));
    expect(options.status).toBe(200);
    const { challengeId, options: asked } = (await options.json()) as {
      challengeId: string;
      options: { rpId: string };
    };
    expect(asked.rpId).toBe('127.0.0.1');
    const forged = await fetch(
      `${a.gw.url}/sign-in/passkey`,
      json({ challengeId, response: { id: 'nobody', rawId: 'nobody', type: 'public-key', response: {} } }),
    );
    expect(forged.status).toBe(401);
    expect(((await forged.json()) as { type: string }).type).toBe('urn:dx:gw:invalidCredentials');
    // The challenge was used: the same again is refused as expired.
    const replay = await fetch(
      `${a.gw.url}/sign-in/passkey`,
      json({ challengeId, response: { id: 'nobody' } }),
    );
    expect(replay.status).toBe(401);
    expect((await fetch(`${a.gw.url}/sign-in/passkey`, json('{"challengeId":'))).status).toBe(400);
    expect(
      (await fetch(`${a.gw.url}/sign-in/passkey`, json(`${'['.repeat(5000)}${']'.repeat(5000)}`))).status,
    ).toBe(400);
    expect(
      (await fetch(`${a.gw.url}/sign-in/passkey`, json({}, { 'sec-fetch-site': 'cross-site' }))).status,
    ).toBe(403);

    const visitor = await member('yulu', 'keys@yulu.example', ['consumer'], 'Keys');
    const cookie = `sangam_session=${visitor.cookie('sangam_session')}`;
    const page = await visitor.get('/account');
    expect(page.status).toBe(200);
    const csrf = /data-csrf="([^"]+)"/.exec(page.html)?.[1] ?? '';
    const without = await fetch(`${a.gw.url}/account/passkeys/options`, json({}, { cookie }));
    expect(without.status).toBe(403);
    const withToken = await fetch(
      `${a.gw.url}/account/passkeys/options`,
      json({}, { cookie, 'x-csrf-token': csrf }),
    );
    expect(withToken.status).toBe(200);
    const registration = (await withToken.json()) as {
      challengeId: string;
      options: { user: { name: string } };
    };
    expect(registration.options.user.name).toBe('keys@yulu.example');
    const bogus = await fetch(
      `${a.gw.url}/account/passkeys`,
      json(
        { challengeId: registration.challengeId, response: { id: 'x', response: {} } },
        { cookie, 'x-csrf-token': csrf },
      ),
    );
    expect(bogus.status).toBe(400);
    expect((await fetch(`${a.gw.url}/account/passkeys/options`, json({}))).status).toBe(401);
  });

  it('makes the session cookie Secure when the gateway is reached over https', async () => {
    const behindTls = await startAlliance({ env: { SANGAM_ISSUER: 'https://data.surat.example' } });
    try {
      const invited = await behindTls.gw.api.post('/consent/v1/members/invitations', {
        token: await behindTls.token('yulu'),
        json: { email: 'tls@yulu.example', name: 'TLS', roles: ['consumer'] },
      });
      const visitor = new Visitor(behindTls.gw.url);
      await visitor.post(`/join/${invited.body.results.token}`, { password: 'correct horse battery' });
      const response = await fetch(`${behindTls.gw.url}/sign-in`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: behindTls.gw.url },
        body: 'email=tls%40yulu.example&password=correct+horse+battery',
      });
      expect(response.status).toBe(303);
      const cookie = response.headers.getSetCookie().find((c) => c.startsWith('sangam_session='));
      expect(cookie).toMatch(/; Secure/);
      expect(cookie).toMatch(/; HttpOnly/);
      expect(cookie).toMatch(/; SameSite=Strict/);
    } finally {
      await behindTls.gw.close();
    }
  });
});
