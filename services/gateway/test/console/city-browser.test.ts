import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { testBackend } from '@sangam/db/testing';
import { type DemoNewcomer, runDemoAdapters, seedDemo } from '@sangam/demo';
import { createLogger } from '@sangam/http';
import { clientToken, startTestGateway, type TestGateway } from '@sangam/testkit';
import { sharedFixturesDir } from '@sangam/testkit/fixtures';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const chromiumPath = '/usr/bin/chromium';
const screens = resolve(import.meta.dirname, '../../../../.ci/out/screens');
const password = 'a long enough password';
const bus = 'sitilink/surat-bus-itms';
const live = `${bus}/live`;

const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : name.endsWith('.json') ? [path] : [];
  });

/**
 * The city runs an alliance by its KPIs and an auditor verifies the log, in Chromium, on the demo alliance with its
 * bus adapter publishing: the city drafts an MoU with two KPIs, the partners sign, data flows, the dashboard shows
 * each KPI as the usage API counts the same days; an entry verifies in the browser, and fails once a row is changed.
 */
describe(`the city's alliance and the auditor in a browser on ${testBackend()}`, () => {
  let gw: TestGateway;
  let newcomer: DemoNewcomer;
  let demo: Awaited<ReturnType<typeof runDemoAdapters>>;
  let stateDir: string;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let officer: Page;
  let steward: Page;
  let researcher: Page;
  let mou = '';
  let grantSeq = 0;

  beforeAll(async () => {
    mkdirSync(screens, { recursive: true });
    gw = await startTestGateway();
    newcomer = await seedDemo(gw.gateway.app, gw.database.db, gw.admin, {
      city: 'Surat',
      cityOrganisation: gw.city.id,
      now: gw.gateway.clock.now(),
    });
    stateDir = mkdtempSync(join(tmpdir(), 'sangam-city-'));
    demo = await runDemoAdapters(newcomer.alliance, {
      db: gw.database.db,
      gateway: gw.gateway,
      logger: createLogger({ level: 'silent' }),
      stateDir,
      only: ['sitilink-itms'],
    });
    browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
    officer = await person(newcomer.people.city, 'officer@surat.example');
    steward = await person(newcomer.people.sitilink, 'steward@sitilink.example');
    researcher = await person(newcomer.people.svnit, 'researcher@svnit.example');
  }, 120_000);
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await demo?.stop();
    await gw?.close();
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  });

  /** A person of the demo joins through their one-time link and signs in. */
  async function person(invitation: string, email: string): Promise<Page> {
    // axe is injected past the pages' CSP; the auditor's verification below runs in a context that keeps it.
    const context = await browser.newContext({ acceptDownloads: true, bypassCSP: true });
    context.setDefaultTimeout(15_000);
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${gw.url}/join/${invitation}`);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Join' }).click();
    await signIn(page, email);
    return page;
  }

  async function signIn(page: Page, email: string): Promise<void> {
    await page.goto(`${gw.url}/sign-in`);
    await page.getByLabel('E-mail address').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    expect(await page.getByText('Signed in as').count()).toBe(1);
  }

  async function check(page: Page, name: string): Promise<void> {
    const results = await new AxeBuilder({ page }).analyze();
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(
      serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
      `${name} (${page.url()})`,
    ).toEqual([]);
    await page.screenshot({ path: `${screens}/${testBackend()}-${name}.png`, fullPage: true });
  }

  const today = () => gw.gateway.clock.now().toISOString().slice(0, 10);
  const weekAgo = () =>
    new Date(gw.gateway.clock.now().getTime() - 6 * 86_400_000).toISOString().slice(0, 10);

  it('the city drafts an MoU with two KPIs and sends it for signature; the partners sign it', async () => {
    await officer.goto(`${gw.url}/mous/new`);
    await check(officer, 'mou-draft');
    await officer.getByLabel('Title').fill('Bus punctuality research');
    await officer.getByRole('checkbox', { name: 'Surat Sitilink (city buses)' }).check();
    await officer.getByRole('checkbox', { name: 'SVNIT Surat (university)' }).check();
    await officer.getByLabel('The problem').fill('Buses bunch at peak hours on the BRTS corridor.');
    await officer.getByLabel('Purposes (one per line)').fill('transit research');
    await officer.getByLabel(`Surat bus ITMS (${bus})`).selectOption('anonymised-record');
    const kpi = (n: number) => officer.getByRole('group', { name: `KPI ${n}`, exact: true });
    await kpi(1).getByLabel('Metric').selectOption('records-released-per-week');
    await kpi(1).getByLabel('Target').fill('100');
    await kpi(1).getByLabel('Review by').fill('2027-06-30');
    await kpi(2).getByLabel('Metric').selectOption('active-consumers');
    await kpi(2).getByLabel('Target').fill('1');
    await kpi(2).getByLabel('Review by').fill('2027-06-30');
    await kpi(2).locator('select[name="kpi1.dataset"]').selectOption(bus);
    await officer
      .getByLabel('Grievance redressal')
      .fill('Write to the city data officer; an answer within 15 days.');
    await officer.getByRole('button', { name: 'Save the draft' }).click();
    expect(new URL(officer.url()).pathname).toMatch(/^\/mous\/mou_/);
    mou = new URL(officer.url()).pathname.split('/').pop() ?? '';
    await officer.getByRole('button', { name: 'Sign for the city and send for signature' }).click();
    expect(await officer.getByText('awaiting signatures').count()).toBeGreaterThan(0);

    for (const [page, organisation] of [
      [steward, 'Surat Sitilink (city buses)'],
      [researcher, 'SVNIT Surat (university)'],
    ] as const) {
      await page.goto(`${gw.url}/mous`);
      await page.getByRole('link', { name: 'Bus punctuality research' }).click();
      await page.getByRole('button', { name: `Sign for ${organisation}` }).click();
    }
    await officer.goto(`${gw.url}/mous/${mou}`);
    expect(await officer.locator('.meta').first().textContent()).toContain('in force');
  }, 120_000);

  it("data flows from the demo's bus adapter; the dashboard shows each KPI as the usage API counts the same days", async () => {
    await researcher.goto(`${gw.url}/consents/new?mou=${mou}`);
    await researcher.getByRole('checkbox', { name: live }).check();
    await researcher.getByLabel('Attributes (separated by commas)').fill('speed, routeId, location');
    await researcher.getByRole('button', { name: 'Send the request' }).click();
    await steward.goto(`${gw.url}/consents`);
    await steward.getByRole('button', { name: 'Grant' }).click();
    await researcher.goto(`${gw.url}/consents`);
    const explore = researcher.getByRole('link', { name: `Explore the data: ${live}` });
    await expect.poll(async () => explore.count()).toBeGreaterThan(0);
    // Each exploration is a release, decided, metered and audited; the adapter may not have published at once.
    await expect
      .poll(
        async () => {
          await explore.first().click();
          const shown = await researcher.locator('main').textContent();
          await researcher.goBack();
          return /\d+ records/.test(shown ?? '') && !/\b0 records/.test(shown ?? '');
        },
        { timeout: 40_000, interval: 2_000 },
      )
      .toBe(true);

    const from = weekAgo();
    const to = today();
    const sitilink = await clientToken(
      gw.api,
      newcomer.providers.sitilink.clientId,
      newcomer.providers.sitilink.clientSecret,
    );
    const usage = await gw.api.get(`/rs/v1/usage?view=provider&from=${from}&to=${to}`, { token: sitilink });
    expect(usage.status).toBe(200);
    const ours = (usage.body.results as { consumer: string; records: number }[]).filter(
      (r) => r.consumer === 'svnit',
    );
    const records = ours.reduce((n, r) => n + r.records, 0);
    const consumers = new Set(ours.filter((r) => r.records > 0).map((r) => r.consumer)).size;
    expect(records).toBeGreaterThan(0);

    await officer.goto(`${gw.url}/city?from=${from}&to=${to}`);
    const measured = async (metric: string) =>
      (
        await officer
          .locator(
            `section.alliance:has-text("Bus punctuality research") tr[data-metric="${metric}"] td.measured`,
          )
          .textContent()
      )?.trim();
    // A rate per week of the days the MoU was in force in the period, from the usage API's records of those days.
    const effective = (
      await gw.api.get(`/consent/v1/mous/${mou}`, {
        token: await clientToken(gw.api, gw.admin.clientId, gw.admin.clientSecret),
      })
    ).body.results.effectiveFrom as string;
    const inForce =
      (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${effective.slice(0, 10)}T00:00:00Z`)) / 86_400_000 + 1;
    const perWeek = Math.round(((records * 7) / inForce) * 100) / 100;
    expect(await measured('records-released-per-week')).toBe(new Intl.NumberFormat('en-IN').format(perWeek));
    expect(await measured('active-consumers')).toBe(String(consumers));
    expect(await officer.getByRole('img', { name: /Records released per week/ }).count()).toBeGreaterThan(0);
    await check(officer, 'city');
    await officer.goto(`${gw.url}/city?from=${from}&to=${to}&lang=hi`);
    expect(await officer.getAttribute('html', 'lang')).toBe('hi');
    await check(officer, 'city-hi');

    // The report, printable and as CSV.
    await officer.goto(`${gw.url}/mous/${mou}/report?from=${from}&to=${to}`);
    await check(officer, 'report');
    const [download] = await Promise.all([
      officer.waitForEvent('download'),
      officer.getByRole('link', { name: 'Download the report (CSV)' }).click(),
    ]);
    const csv = readFileSync(await download.path(), 'utf8');
    expect(csv).toContain(`kpi,${from}..${to},${mou},,,records-released-per-week,${perWeek},at-least 100,`);
  }, 180_000);

  it('the auditor verifies an entry in the browser, and sees it fail, and why, once its row is changed', async () => {
    await officer.goto(`${gw.url}/audit?action=consent.grant`);
    await officer.getByRole('button', { name: 'Sign a checkpoint of the log now' }).click();
    await check(officer, 'audit');
    const grant = await gw.database.db
      .selectFrom('audit_entries')
      .select(['seq', 'entry'])
      .where('action', '=', 'consent.grant')
      .where('target_mou', '=', mou)
      .executeTakeFirstOrThrow();
    const seq = Number(grant.seq);
    grantSeq = seq;
    // The page's own CSP stays on: the verifier is a module of the gateway's, allowed by script-src 'self'.
    const context = await browser.newContext({ bypassCSP: false });
    context.setDefaultTimeout(15_000);
    contexts.push(context);
    const auditor = await context.newPage();
    await signIn(auditor, 'officer@surat.example');
    await auditor.goto(`${gw.url}/audit/entries/${seq}`);
    const verdict = auditor.locator('#verify .verdict');
    await expect.poll(async () => verdict.getAttribute('data-result')).toBe('verified');
    const steps = await auditor.locator('#verify li').allTextContents();
    expect(steps.join('\n')).toContain('leaf hash, computed here');
    expect(steps.join('\n')).toContain('signature verifies here');
    expect(steps.join('\n')).toContain('leads from this entry to the checkpoint’s root');
    await officer.goto(`${gw.url}/audit/entries/${seq}`);
    await expect
      .poll(async () => officer.locator('#verify .verdict').getAttribute('data-result'))
      .toBe('verified');
    await check(officer, 'audit-entry');

    // A row changed behind the gateway's back.
    await gw.database.db
      .updateTable('audit_entries')
      .set({
        entry: grant.entry.replace(
          '"decision":"allow"',
          '"decision":"allow","reason":"approved by the board"',
        ),
      })
      .where('seq', '=', seq)
      .execute();
    await auditor.reload();
    await expect.poll(async () => verdict.getAttribute('data-result')).toBe('failed');
    const failing = await auditor.locator('#verify li.fail').allTextContents();
    expect(failing.join('\n')).toContain('does not lead from this entry to the checkpoint’s root');
    await auditor.screenshot({
      path: `${screens}/${testBackend()}-audit-entry-tampered.png`,
      fullPage: true,
    });
    await gw.database.db
      .updateTable('audit_entries')
      .set({ entry: grant.entry })
      .where('seq', '=', seq)
      .execute();

    // Consistency between two checkpoints, checked the same way.
    const first = (
      await gw.database.db
        .selectFrom('audit_checkpoints')
        .select('tree_size')
        .orderBy('tree_size')
        .executeTakeFirstOrThrow()
    ).tree_size;
    await officer.goto(`${gw.url}/audit`);
    await officer.getByRole('button', { name: 'Sign a checkpoint of the log now' }).click();
    const last = (
      await gw.database.db
        .selectFrom('audit_checkpoints')
        .select('tree_size')
        .orderBy('tree_size', 'desc')
        .executeTakeFirstOrThrow()
    ).tree_size;
    await auditor.goto(`${gw.url}/audit/consistency?from=${first}&to=${last}`);
    await expect.poll(async () => verdict.getAttribute('data-result')).toBe('verified');
    expect((await auditor.locator('#verify li[data-step="consistency"]').textContent()) ?? '').toContain(
      `extends the log of ${first}`,
    );
  }, 120_000);

  it('the verifier the console serves checks the RFC 9162 vectors in the browser', async () => {
    const root = sharedFixturesDir('merkle');
    const vectors = {
      inclusion: files(join(root, 'inclusion')).map((f) => JSON.parse(readFileSync(f, 'utf8'))),
      consistency: files(join(root, 'consistency')).map((f) => JSON.parse(readFileSync(f, 'utf8'))),
    };
    await officer.goto(`${gw.url}/audit`);
    // The module as the console serves it to browsers, loaded by the page itself.
    await officer.addScriptTag({
      type: 'module',
      content: "import * as m from '/console/verifier.js'; window.sangamVerifier = m;",
    });
    await officer.waitForFunction(() => 'sangamVerifier' in globalThis);
    const outcome = await officer.evaluate(async (v) => {
      const m = (globalThis as unknown as { sangamVerifier: typeof import('../../src/console/verifier.js') })
        .sangamVerifier;
      const b = m.fromBase64;
      const wrong: string[] = [];
      for (const x of v.inclusion) {
        const ok = await m.verifyInclusion(
          x.leafIdx,
          x.treeSize,
          b(x.leafHash),
          (x.proof ?? []).map(b),
          b(x.root),
        );
        if (ok === x.wantErr) wrong.push(`inclusion: ${x.desc}`);
      }
      for (const x of v.consistency) {
        const ok = await m.verifyConsistency(
          x.size1,
          x.size2,
          b(x.root1),
          b(x.root2),
          (x.proof ?? []).map(b),
        );
        if (ok === x.wantErr) wrong.push(`consistency: ${x.desc}`);
      }
      return {
        checked: v.inclusion.length + v.consistency.length,
        wrong,
        agent: (globalThis as unknown as { navigator: { userAgent: string } }).navigator.userAgent,
      };
    }, vectors);
    expect(outcome.agent).toContain('Chrome');
    expect(outcome.checked).toBeGreaterThan(100);
    expect(outcome.wrong).toEqual([]);
  }, 60_000);

  it('every new page passes axe in English and Hindi', async () => {
    const consistency = `/audit/consistency?from=1&to=${(await gw.database.db.selectFrom('audit_checkpoints').select('tree_size').orderBy('tree_size', 'desc').executeTakeFirstOrThrow()).tree_size}`;
    for (const [page, path, name] of [
      [officer, '/city', 'city'],
      [officer, '/mous', 'mous'],
      [officer, '/mous/new', 'mou-draft'],
      [officer, `/mous/${mou}`, 'mou'],
      [officer, `/mous/${mou}/report`, 'report'],
      [officer, '/audit', 'audit'],
      [officer, consistency, 'audit-consistency'],
      [officer, `/audit/entries/${grantSeq}`, 'audit-entry'],
      [steward, `/mous/${mou}`, 'mou-partner'],
      [steward, '/usage', 'usage-series'],
      [researcher, '/usage', 'usage-consumer-series'],
    ] as const) {
      for (const lang of ['en', 'hi']) {
        const response = await page.goto(`${gw.url}${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
        expect(response?.status(), `${name} ${lang}`).toBe(200);
        expect(await page.getAttribute('html', 'lang')).toBe(lang);
        await check(page, `${name}-${lang}`);
      }
    }
  }, 180_000);
});
