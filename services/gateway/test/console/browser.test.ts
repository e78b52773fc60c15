import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { testBackend } from '@sangam/db/testing';
import { type Alliance, position, positions, startAlliance } from '@sangam/testkit';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** Debian's Chromium, never a browser a tool downloads. `.ci/run` installs it with apt when it is missing. */
const chromiumPath = '/usr/bin/chromium';
const screens = resolve(import.meta.dirname, '../../../../.ci/out/screens');

/**
 * The console in a real browser, as people use it: sign-in, an invitation made and used, a consent requested,
 * granted, explored and downloaded, then revoked. Every page is checked by axe in English and in Hindi, and kept as a
 * screenshot for CI's artefacts.
 */
describe(`the console in a browser on ${testBackend()}`, () => {
  let a: Alliance;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const checked: string[] = [];

  beforeAll(async () => {
    if (!existsSync(chromiumPath))
      throw new Error(
        `${chromiumPath} is missing: apt-get install -y chromium (the browser tests drive Debian's)`,
      );
    mkdirSync(screens, { recursive: true });
    a = await startAlliance();
    const ingested = await a.ingest(positions, [position(a.clock, '1', 1), position(a.clock, '2', 2)]);
    expect(ingested.status).toBe(200);
    browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
  }, 60_000);
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await a?.gw.close();
  });

  async function newPerson(): Promise<Page> {
    // The pages carry no script; axe is injected by the test, past the pages' CSP.
    const context = await browser.newContext({ acceptDownloads: true, bypassCSP: true });
    context.setDefaultTimeout(10_000);
    contexts.push(context);
    return context.newPage();
  }

  /** axe on the page as it is (no serious or critical violation), and a screenshot kept under `name`. */
  async function check(page: Page, name: string): Promise<void> {
    const results = await new AxeBuilder({ page }).analyze();
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(
      serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
      `${name} (${page.url()})`,
    ).toEqual([]);
    await page.screenshot({ path: `${screens}/${testBackend()}-${name}.png`, fullPage: true });
    checked.push(name);
  }

  async function invitationLink(who: string, email: string, roles: string[]): Promise<string> {
    const invited = await a.gw.api.post('/consent/v1/members/invitations', {
      token: await a.token(who),
      json: { email, name: email.split('@')[0], roles },
    });
    expect(invited.status).toBe(201);
    return `${a.gw.url}/join/${invited.body.results.token}`;
  }

  async function join(page: Page, link: string, email: string): Promise<void> {
    await page.goto(`${link}?lang=hi`);
    expect(await page.getAttribute('html', 'lang')).toBe('hi');
    if (!checked.includes('join-hi')) await check(page, 'join-hi');
    await page.goto(link);
    if (!checked.includes('join-en')) await check(page, 'join-en');
    await page.getByLabel('Password').fill('a long enough password');
    await page.getByRole('button', { name: 'Join' }).click();
    if (!checked.includes('joined')) await check(page, 'joined');
    await page.goto(`${a.gw.url}/sign-in`);
    await page.getByLabel('E-mail address').fill(email);
    await page.getByLabel('Password').fill('a long enough password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    expect(await page.getByText('Signed in as').count(), await page.content()).toBe(1);
  }

  it('the public pages pass axe in English and Hindi', async () => {
    const page = await newPerson();
    for (const [path, name] of [
      ['/', 'bulletin'],
      ['/archive', 'archive'],
      ['/catalogue', 'catalogue'],
      [`/catalogue/items/${positions}`, 'item'],
      ['/sign-in', 'sign-in'],
      ['/problems', 'problems'],
      ['/propose', 'propose'],
    ] as const) {
      for (const lang of ['en', 'hi']) {
        const response = await page.goto(`${a.gw.url}${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
        expect(response?.status()).toBe(200);
        expect(await page.getAttribute('html', 'lang')).toBe(lang);
        await check(page, `${name}-${lang}`);
      }
    }
  }, 120_000);

  it('people run the story: invite, request, grant, explore, download, revoke', async () => {
    // The city's data officer signs in and invites the partners' people through the members page.
    const admin = await newPerson();
    await join(
      admin,
      await invitationLink('admin', 'officer@surat.example', ['admin']),
      'officer@surat.example',
    );
    const invite = async (organisation: string, name: string, email: string, role: string) => {
      await admin.goto(`${a.gw.url}/members`);
      await admin.getByLabel('Organisation').selectOption(organisation);
      await admin.getByLabel('Name', { exact: true }).fill(name);
      await admin.getByLabel('E-mail', { exact: true }).fill(email);
      await admin.getByRole('checkbox', { name: role }).check();
      await admin.getByRole('button', { name: 'Send invitation' }).click();
      const link = (await admin.locator('.link').textContent())?.trim() ?? '';
      expect(link).toMatch(/\/join\/[A-Za-z0-9_-]{43}$/);
      return link;
    };
    await admin.goto(`${a.gw.url}/members`);
    await check(admin, 'members');
    const stewardLink = await invite('sitilink', 'Data Steward', 'steward@sitilink.example', 'provider');
    await check(admin, 'members-invited');
    const researcherLink = await invite('svnit', 'Researcher', 'researcher@svnit.example', 'consumer');

    const steward = await newPerson();
    await join(steward, stewardLink, 'steward@sitilink.example');

    // SVNIT's researcher asks for a consent with the MoU's terms beside the form.
    const researcher = await newPerson();
    await join(researcher, researcherLink, 'researcher@svnit.example');
    await researcher.goto(`${a.gw.url}/consents/new`);
    await check(researcher, 'consent-request');
    await researcher.getByRole('checkbox', { name: positions }).check();
    await researcher.getByRole('checkbox', { name: 'download (CSV)' }).check();
    await researcher.getByLabel('Attributes (separated by commas)').fill('speed, route, location');
    await researcher.getByRole('button', { name: 'Send the request' }).click();
    expect(new URL(researcher.url()).pathname).toBe('/consents');
    await check(researcher, 'consents-consumer');

    // The steward registers an item, then sees the organisation's items and the usage of its data.
    await steward.goto(`${a.gw.url}/items`);
    await check(steward, 'items');
    await steward.getByLabel('The item, as JSON').fill(
      JSON.stringify({
        type: 'resource',
        id: 'sitilink/surat-bus-itms/shelters',
        name: 'Bus shelters',
        description: 'Where the shelters are',
        dataModel: { type: 'object', properties: { shelter: { type: 'string' } } },
        accessPolicy: 'SECURE',
        releaseLevel: 'aggregate',
        source: { adapter: 'provider' },
      }),
    );
    await steward.getByRole('button', { name: 'Save' }).click();
    expect(new URL(steward.url()).pathname).toBe('/items');
    expect(await steward.getByRole('link', { name: 'Bus shelters', exact: true }).count()).toBe(1);
    await steward.goto(`${a.gw.url}/usage`);
    await check(steward, 'usage');

    // The steward grants it.
    await steward.goto(`${a.gw.url}/consents`);
    await check(steward, 'consents-provider');
    await steward.getByRole('button', { name: 'Grant' }).click();
    expect(new URL(steward.url()).pathname).toBe('/consents');
    expect(await steward.locator('[role=alert]').count()).toBe(0);

    // The researcher gets a token and explores, then downloads CSV.
    await researcher.goto(`${a.gw.url}/consents`);
    await researcher.getByRole('button', { name: 'Get an access token' }).click();
    await check(researcher, 'access-token');
    await researcher.goto(`${a.gw.url}/consents?lang=hi`);
    await researcher.getByRole('button', { name: 'एक्सेस टोकन लें' }).click();
    await check(researcher, 'access-token-hi');
    await researcher.goto(`${a.gw.url}/consents`);
    await researcher.getByRole('link', { name: `Explore the data: ${positions}` }).click();
    await check(researcher, 'explore');
    expect(await researcher.getByText('2 records').count()).toBe(1);
    const [download] = await Promise.all([
      researcher.waitForEvent('download'),
      researcher.getByRole('link', { name: 'Download as CSV' }).click(),
    ]);
    const path = await download.path();
    const csv = readFileSync(path, 'utf8');
    expect(csv.split('\n')[0]).toContain('speed');
    expect(csv).toContain('bus-1');

    // The steward revokes; the researcher's next query is refused.
    await steward.goto(`${a.gw.url}/consents`);
    await steward.getByRole('button', { name: 'Revoke' }).click();
    const explored = researcher.url();
    const response = await researcher.goto(explored.replace(/&format=csv/, ''));
    expect(response?.status()).toBe(403);
    expect(await researcher.getByText('The gateway refused this query').count()).toBe(1);
    await check(researcher, 'explore-refused');

    // Every signed-in page, in both languages.
    const exploring = new URL(explored).search.replace(/[?&]format=csv/, '');
    for (const [page, path, name] of [
      [admin, '/members', 'members'],
      [admin, '/problems', 'problems-city'],
      [admin, '/inbox', 'inbox'],
      [admin, '/archive', 'archive-city'],
      [steward, '/consents', 'consents-provider'],
      [steward, '/items', 'items'],
      [steward, `/items/edit?id=${encodeURIComponent(positions)}`, 'item-edit'],
      [steward, '/usage', 'usage'],
      [researcher, '/consents', 'consents-consumer'],
      [researcher, '/consents/new', 'consent-request'],
      [researcher, `/explore${exploring}`, 'explore-refused'],
      [researcher, '/usage', 'usage-consumer'],
      [researcher, '/account', 'account-consumer'],
    ] as const) {
      for (const lang of ['en', 'hi']) {
        await page.goto(`${a.gw.url}${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
        expect(await page.getAttribute('html', 'lang')).toBe(lang);
        await check(page, `${name}-${lang}`);
      }
    }
    // Each page checked is kept for CI's artefacts.
    for (const name of checked) expect(existsSync(`${screens}/${testBackend()}-${name}.png`)).toBe(true);
  }, 180_000);

  it('a person adds a passkey and signs in with it, where the browser has one', async () => {
    // WebAuthn takes a host name, not an address: the browser reaches the gateway as localhost.
    const base = a.gw.url.replace('127.0.0.1', 'localhost');
    const page = await newPerson();
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });
    const link = (await invitationLink('yulu', 'rider@yulu.example', ['consumer'])).replace(
      '127.0.0.1',
      'localhost',
    );
    await page.goto(link);
    await page.getByLabel('Password').fill('a long enough password');
    await page.getByRole('button', { name: 'Join' }).click();
    await page.goto(`${base}/sign-in`);
    await page.getByLabel('E-mail address').fill('rider@yulu.example');
    await page.getByLabel('Password').fill('a long enough password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.goto(`${base}/account`);
    expect(await page.getByText('You have no passkey yet.').count()).toBe(1);
    await check(page, 'account');
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    await page.waitForSelector('table code');
    expect(await page.locator('table code').count()).toBe(1);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.goto(`${base}/sign-in`);
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await page.waitForURL(`${base}/`);
    expect(await page.getByText('Signed in as rider (yulu)').count()).toBe(1);

    const entries = await a.gw.api.get('/audit/v1/entries?limit=1000&action=identity.member.signin', {
      token: await a.token('yulu'),
    });
    const reasons = (entries.body.results as { reason?: string }[]).map((e) => e.reason);
    expect(reasons).toContain('by passkey');
    expect(reasons).toContain('by password');
  }, 120_000);
});
