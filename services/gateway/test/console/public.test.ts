import { testBackend } from '@sangam/db/testing';
import {
  type Alliance,
  bikes,
  day,
  positionModel,
  positions,
  startAlliance,
  textOf,
  Visitor,
} from '@sangam/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** The console's public pages, as anyone sees them without signing in. */
describe(`the public console on ${testBackend()}`, () => {
  let a: Alliance;
  let anyone: Visitor;

  beforeAll(async () => {
    a = await startAlliance();
    anyone = new Visitor(a.gw.url);
  });
  afterAll(async () => {
    await a.gw.close();
  });

  it('the bulletin shows the alliances in force: parties, problem, purposes, datasets and term', async () => {
    const page = await anyone.get('/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const text = textOf(page.html);
    expect(text).toContain('Data alliances in force');
    expect(text).toContain('Bus data for research');
    for (const party of [
      'Surat Municipal Corporation (city)',
      'sitilink (partner)',
      'svnit (partner)',
      'yulu (partner)',
    ])
      expect(text).toContain(party);
    expect(text).toContain('Bunching');
    expect(text).toContain('transit research');
    expect(page.html).toContain('href="/catalogue/items/sitilink/surat-bus-itms"');
    expect(page.html).toContain('href="/catalogue/items/yulu/bikes"');
    // Nothing the parties keep between them: the document's hash, signers' clients.
    expect(text).not.toContain('c'.repeat(64));
    expect(text).not.toContain(a.clients.get('sitilink') ?? 'no client');
  });

  it('an alliance that ends moves from the bulletin to the archive', async () => {
    const short = await a.newMou(['sitilink'], {
      title: 'A short pilot',
      endsAt: new Date(a.clock.now().getTime() + 2 * day).toISOString(),
    });
    await a.signAll(short, ['admin', 'sitilink']);
    expect(textOf((await anyone.get('/')).html)).toContain('A short pilot');
    expect(textOf((await anyone.get('/archive')).html)).not.toContain('A short pilot');
    a.clock.advance(3 * day);
    expect(textOf((await anyone.get('/')).html)).not.toContain('A short pilot');
    const archive = textOf((await anyone.get('/archive')).html);
    expect(archive).toContain('A short pilot');
    expect(archive).toContain('expired');
    expect(archive).toContain('The city has not recorded an outcome yet.');

    // The city records what came of it; the archive shows it to everyone.
    const invited = await a.gw.api.post('/consent/v1/members/invitations', {
      token: await a.token('admin'),
      json: { email: 'officer@surat.example', name: 'Officer', roles: ['admin'] },
    });
    const officer = new Visitor(a.gw.url);
    await officer.post(`/join/${invited.body.results.token}`, { password: 'a long enough password' });
    await officer.post('/sign-in', { email: 'officer@surat.example', password: 'a long enough password' });
    const page = await officer.get('/archive');
    expect(page.html).toContain(`action="/archive/${short}/outcome"`);
    const recorded = await officer.post(
      `/archive/${short}/outcome`,
      { outcome: 'Headways evened out on two routes' },
      { page: page.html },
    );
    expect(recorded.status).toBe(303);
    expect(textOf((await anyone.get('/archive')).html)).toContain('Headways evened out on two routes');
    // Only for an MoU that ended, and only by the city.
    const active = await officer.post(
      `/archive/${a.mou}/outcome`,
      { outcome: 'too soon' },
      { page: page.html },
    );
    expect(active.status).toBe(409);
    const partnerInvite = await a.gw.api.post('/consent/v1/members/invitations', {
      token: await a.token('sitilink'),
      json: { email: 'boss@sitilink.example', name: 'Boss', roles: ['admin'] },
    });
    const partner = new Visitor(a.gw.url);
    await partner.post(`/join/${partnerInvite.body.results.token}`, { password: 'a long enough password' });
    await partner.post('/sign-in', { email: 'boss@sitilink.example', password: 'a long enough password' });
    const partnerPage = await partner.get('/archive');
    expect(partnerPage.html).not.toContain('/outcome"');
    const refused = await partner.post(
      `/archive/${short}/outcome`,
      { outcome: 'mine' },
      { page: partnerPage.html },
    );
    expect(refused.status).toBe(403);
  });

  it('a draft MoU is not on any public page', async () => {
    await a.newMou(['sitilink', 'svnit'], { title: 'Unsigned idea' });
    expect(textOf((await anyone.get('/')).html)).not.toContain('Unsigned idea');
    expect(textOf((await anyone.get('/archive')).html)).not.toContain('Unsigned idea');
  });

  it('the catalogue searches by words and facets and draws where the items lie', async () => {
    const all = await anyone.get('/catalogue');
    expect(all.status).toBe(200);
    expect(textOf(all.html)).toMatch(/\d+ items/);
    const found = await anyone.get('/catalogue?q=bikes&type=resourceGroup');
    const text = textOf(found.html);
    expect(found.html).toContain('href="/catalogue/items/yulu/bikes"');
    expect(text).not.toContain('Surat bus ITMS');
    expect(found.html).toContain('<option value="resourceGroup" selected');
    // Each facet's values show how many live items they hold, as the catalogue API counts them.
    const groups = await a.gw.api.get('/cat/v1/search?type=resourceGroup');
    const secureItems = await a.gw.api.get('/cat/v1/search?accessPolicy=SECURE');
    const yulu = await a.gw.api.get('/cat/v1/search?provider=yulu');
    const counted = textOf(all.html);
    expect(counted).toContain(`Dataset (${groups.body.totalHits})`);
    expect(counted).toContain(`Secure (${secureItems.body.totalHits})`);
    expect(counted).toMatch(new RegExp(`yulu \\(${yulu.body.totalHits}\\)`));
    const resources = await anyone.get('/catalogue?type=resource&provider=yulu');
    expect(resources.html).toContain(`href="/catalogue/items/${bikes}"`);
    expect(resources.html).not.toContain(`href="/catalogue/items/${positions}"`);
    // Items with a location are drawn from their GeoJSON, as SVG, with no tiles from anywhere.
    const zone = {
      type: 'Polygon',
      coordinates: [
        [
          [72.78, 21.12],
          [72.9, 21.12],
          [72.9, 21.24],
          [72.78, 21.24],
          [72.78, 21.12],
        ],
      ],
    };
    const registered = await a.gw.api.post('/cat/v1/items', {
      token: await a.token('yulu'),
      json: {
        type: 'resourceGroup',
        id: 'yulu/zones',
        name: 'Parking zones',
        description: 'Zones',
        location: zone,
      },
    });
    expect(registered.status).toBe(201);
    const drawn = await anyone.get('/catalogue?provider=yulu');
    expect(drawn.html).toMatch(/<svg class="coverage"[^>]*role="img"/);
    expect(drawn.html).toMatch(/<path class="area" d="M[\d.]+,[\d.]+L/);
    const item = await anyone.get('/catalogue/items/yulu/zones');
    expect(item.html).toMatch(/<svg class="coverage"/);
    const secure = await anyone.get('/catalogue?accessPolicy=OPEN');
    expect(textOf(secure.html)).toContain('Nothing matches this search.');
    // Unknown facet values are ignored, never an error; a NUL is refused at the gateway's door, as everywhere.
    expect((await anyone.get('/catalogue?type=%3Cx%3E&accessPolicy=nope&provider=nobody')).status).toBe(200);
    const nul = await anyone.get('/catalogue?q=%00');
    expect(nul.status).toBe(400);
    expect(nul.headers.get('content-type')).toContain('application/problem+json');
  });

  it("an item's page shows its data model as a table, its access policy and how to get access", async () => {
    const page = await anyone.get(`/catalogue/items/${positions}`);
    expect(page.status).toBe(200);
    const text = textOf(page.html);
    for (const field of Object.keys(positionModel.properties)) expect(text).toContain(field);
    expect(text).toContain('Secure');
    expect(text).toContain('How to get access');
    expect((await anyone.get('/catalogue/items/nobody/nothing')).status).toBe(404);
    // A malformed escape in the path names no item either: a page, never a 5xx.
    for (const path of ['/catalogue/items/%E0%A4%A', '/catalogue/items/%', '/catalogue/items/a%2F..%2F..']) {
      const answer = await anyone.get(path);
      expect(answer.status).toBe(404);
      expect(answer.html).toMatch(/^<!doctype html><html lang="en"/);
    }
  });

  it("hides a proxy-mode item's upstream address from anonymous readers", async () => {
    const page = await anyone.get('/catalogue/items/sitilink/surat-bus-itms/eta');
    expect(page.status).toBe(200);
    expect(page.html).not.toContain('127.0.0.1:9');
  });

  it('every page is in English and in Hindi, with its lang attribute and dates in the locale', async () => {
    const english = await anyone.get('/');
    expect(english.html).toMatch(/<html lang="en"/);
    const hindi = await anyone.get('/?lang=hi');
    expect(hindi.html).toMatch(/<html lang="hi"/);
    expect(hindi.headers.get('content-language')).toBe('hi');
    expect(textOf(hindi.html)).toContain('लागू डेटा गठबंधन');
    const mou = await a.gw.api.get(`/consent/v1/mous/${a.mou}`, { token: await a.token('admin') });
    const from = Date.parse(mou.body.results.effectiveFrom);
    const inHindi = new Intl.DateTimeFormat('hi-IN', {
      dateStyle: 'medium',
      timeZone: 'Asia/Kolkata',
    }).format(from);
    const inEnglish = new Intl.DateTimeFormat('en-IN', {
      dateStyle: 'medium',
      timeZone: 'Asia/Kolkata',
    }).format(from);
    expect(textOf(hindi.html)).toContain(inHindi);
    expect(textOf(english.html)).toContain(inEnglish);
    expect(inHindi).not.toBe(inEnglish);
    const chooser = new Visitor(a.gw.url);
    const switched = await chooser.get('/language/hi?back=%2Fcatalogue');
    expect(switched.status).toBe(303);
    expect(switched.location).toBe('/catalogue');
    expect(textOf((await chooser.get('/catalogue')).html)).toContain('सूची');
    // The browser's own choice counts when nothing else was chosen.
    const browser = await anyone.get('/archive', { 'accept-language': 'hi-IN,hi;q=0.9,en;q=0.8' });
    expect(browser.html).toMatch(/<html lang="hi"/);
    // The switch goes back only to a path of this site.
    expect((await chooser.get('/language/en?back=https%3A%2F%2Fevil.example')).location).toBe('/');
    expect((await chooser.get('/language/en?back=%2F%2Fevil.example')).location).toBe('/');
  });

  it('pages carry a strict CSP, no inline script, and script only where passkeys are offered', async () => {
    for (const path of [
      '/',
      '/archive',
      '/catalogue',
      `/catalogue/items/${positions}`,
      '/sign-in',
      '/problems',
      '/propose',
    ]) {
      const page = await anyone.get(path);
      expect(page.status).toBe(200);
      const csp = page.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("style-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain('unsafe-eval');
      expect(page.html).not.toMatch(/\son[a-z]+=/i);
      // Every script is a file of the gateway's, with nothing inline; only the sign-in page has any.
      const scripts = [...page.html.matchAll(/<script([^>]*)>([^<]*)<\/script>/gi)];
      for (const [, attributes, body] of scripts) {
        expect(attributes).toMatch(/src="\/console\/(webauthn|passkey)\.js"/);
        expect(body).toBe('');
      }
      expect(scripts.length).toBe(path === '/sign-in' ? 2 : 0);
    }
    // The scripts together stay far under 100 KB compressed.
    let bytes = 0;
    for (const file of ['/console/webauthn.js', '/console/passkey.js']) {
      const script = await fetch(`${a.gw.url}${file}`, { headers: { 'accept-encoding': 'identity' } });
      expect(script.status).toBe(200);
      expect(script.headers.get('content-type')).toContain('text/javascript');
      bytes += (await script.arrayBuffer()).byteLength;
    }
    expect(bytes).toBeLessThan(100_000);
    const css = await anyone.get('/console.css');
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toContain('text/css');
  });

  it('a member page without a session sends the visitor to sign in, and back after', async () => {
    const page = await anyone.get('/members');
    expect(page.status).toBe(303);
    expect(page.location).toBe('/sign-in?next=%2Fmembers');
  });
});
