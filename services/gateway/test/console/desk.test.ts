import { testBackend } from '@sangam/db/testing';
import { type Alliance, positions, signedInPerson, startAlliance, textOf, Visitor } from '@sangam/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** The city's desk in the console: problem statements and proposals from potential partners. */
describe(`the city's desk on ${testBackend()}`, () => {
  let a: Alliance;
  let officer: Visitor;

  const person = (who: string, email: string, roles: string[]) => signedInPerson(a, who, { email, roles });

  beforeAll(async () => {
    // Behind a trusted proxy, so each test can say which address a proposal comes from.
    a = await startAlliance({ env: { SANGAM_TRUSTED_PROXIES: '127.0.0.1,::1,::ffff:127.0.0.1' } });
    officer = await person('admin', 'officer@surat.example', ['admin']);
  });
  afterAll(async () => {
    await a.gw.close();
  });

  it('the city admin publishes a problem statement that anyone reads, and moves it along', async () => {
    const page = await officer.get('/problems');
    expect(textOf(page.html)).toContain('Publish a problem statement');
    const published = await officer.post(
      '/problems',
      {
        title: 'Buses bunch on route R1',
        problem: 'Buses arrive in pairs at peak hours.',
        affected: 'Commuters on the eastern corridor',
        datasets: `${positions}, sitilink/surat-bus-itms`,
      },
      { page: page.html },
    );
    expect(published.status).toBe(303);
    const anyone = new Visitor(a.gw.url);
    const shown = await anyone.get('/problems');
    const text = textOf(shown.html);
    expect(text).toContain('Buses bunch on route R1');
    expect(text).toContain('Commuters on the eastern corridor');
    expect(text).toContain('open');
    expect(shown.html).toContain(`href="/catalogue/items/${positions}"`);
    expect(text).not.toContain('Publish a problem statement');
    expect(textOf((await anyone.get('/problems?lang=hi')).html)).toContain('खुली');

    // A dataset the catalogue does not hold is refused, with the form kept.
    const unknown = await officer.post(
      '/problems',
      { title: 'T', problem: 'P', affected: 'A', datasets: 'nobody/nothing' },
      { page: page.html },
    );
    expect(unknown.status).toBe(400);
    expect(textOf(unknown.html)).toContain('not in the catalogue: nobody/nothing');

    const id = /id="p-([A-Za-z0-9_]+)"/.exec(shown.html)?.[1];
    const moved = await officer.post(
      `/problems/${id}/status`,
      { status: 'in-progress' },
      { page: page.html },
    );
    expect(moved.status).toBe(303);
    expect(textOf((await anyone.get('/problems')).html)).toContain('in progress');
  });

  it('only the city admin writes problem statements', async () => {
    const partner = await person('sitilink', 'admin@sitilink.example', ['admin']);
    const page = await partner.get('/problems');
    expect(textOf(page.html)).not.toContain('Publish a problem statement');
    const refused = await partner.post(
      '/problems',
      { title: 'Mine', problem: 'P', affected: 'A', datasets: '' },
      { page: page.html },
    );
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.html).type).toBe('urn:dx:gw:forbidden');
    const anonymous = await new Visitor(a.gw.url).post('/problems', {
      title: 'x',
      problem: 'y',
      affected: 'z',
    });
    expect(anonymous.status).toBe(401);
  });

  it("a potential partner's proposal lands in the city's inbox, a few a day from one address", async () => {
    const from = (address: string) => ({ headers: { 'x-forwarded-for': address } });
    const partner = new Visitor(a.gw.url);
    const form = await partner.get('/propose');
    expect(form.status).toBe(200);
    const proposal = {
      organisation: 'Clean Air NGO',
      contactName: 'Meera',
      contactEmail: 'meera@cleanair.example',
      offer: 'Low-cost air sensors along bus routes <b>bold</b>',
    };
    const sent = await partner.post('/propose', proposal, from('203.0.113.50'));
    expect(sent.status).toBe(200);
    expect(textOf(sent.html)).toContain('The city has your proposal');

    const inbox = await officer.get('/inbox');
    expect(inbox.status).toBe(200);
    expect(textOf(inbox.html)).toContain('Clean Air NGO');
    expect(textOf(inbox.html)).toContain('<b>bold</b>');
    expect(inbox.html).not.toContain('<b>bold</b>');

    // Malformed: a clear page, nothing stored.
    const bad = await partner.post(
      '/propose',
      { ...proposal, contactEmail: 'nope', organisation: 'Bad One' },
      from('203.0.113.51'),
    );
    expect(bad.status).toBe(400);
    expect(textOf((await officer.get('/inbox')).html)).not.toContain('Bad One');

    // A robot that fills the hidden field is thanked and ignored.
    const robot = await partner.post(
      '/propose',
      { ...proposal, organisation: 'Robot Co', website: 'http://spam' },
      from('203.0.113.52'),
    );
    expect(robot.status).toBe(200);
    expect(textOf((await officer.get('/inbox')).html)).not.toContain('Robot Co');

    // Five a day from one address; the sixth waits.
    for (let i = 2; i <= 5; i++) {
      expect(
        (await partner.post('/propose', { ...proposal, organisation: `Org ${i}` }, from('203.0.113.50')))
          .status,
      ).toBe(200);
    }
    const sixth = await partner.post(
      '/propose',
      { ...proposal, organisation: 'Org 6' },
      from('203.0.113.50'),
    );
    expect(sixth.status).toBe(429);
    expect(Number(sixth.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(textOf(sixth.html)).toContain('Enough proposals have come from here today');
    // Another address still writes.
    expect(
      (await partner.post('/propose', { ...proposal, organisation: 'Org 7' }, from('198.51.100.8'))).status,
    ).toBe(200);
  });

  it('renders what the city and strangers write as text, never as markup', async () => {
    const payload = `"'><script>alert(1)</script><img src=x onerror=alert(2)>`;
    const page = await officer.get('/problems');
    const published = await officer.post(
      '/problems',
      { title: payload, problem: payload, affected: payload, datasets: '' },
      { page: page.html },
    );
    expect(published.status).toBe(303);
    const sent = await new Visitor(a.gw.url).post(
      '/propose',
      { organisation: payload, contactName: payload, contactEmail: 'x@example.org', offer: payload },
      { headers: { 'x-forwarded-for': '192.0.2.77' } },
    );
    expect(sent.status).toBe(200);
    for (const [who, path] of [
      [new Visitor(a.gw.url), '/problems'],
      [officer, '/inbox'],
    ] as const) {
      const shown = await who.get(path);
      expect(textOf(shown.html)).toContain(payload);
      expect(shown.html).not.toMatch(/<script>alert|<img src=x/);
    }
  });

  it("the inbox is the city's alone", async () => {
    const partner = await person('yulu', 'admin@yulu.example', ['admin']);
    const inbox = await partner.get('/inbox');
    expect(inbox.status).toBe(403);
    expect((await new Visitor(a.gw.url).get('/inbox')).status).toBe(303);
  });
});
