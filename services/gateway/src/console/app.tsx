import type { Checkpoints } from '@sangam/audit';
import type { TokenService } from '@sangam/auth';
import {
  type CatalogueContext,
  getItem,
  type Item,
  itemAsSeenBy,
  searchItems,
  searchOf,
} from '@sangam/catalogue';
import {
  acceptInvitation,
  addPasskey,
  type IdentityContext,
  type Invitation,
  inviteMember,
  listInvitations,
  listMembers,
  listPasskeys,
  type MouContext,
  openInvitation,
  passkeyRegistration,
  passkeySignInOptions,
  passwordLength,
  publicMous,
  type RelyingParty,
  recordOutcome,
  type Session,
  type Sessions,
  suspendMember,
} from '@sangam/consent';
import { DxError, roles as knownRoles, type Role } from '@sangam/core';
import { type AppEnv, createServiceApp, type ServiceMount, sourceOf } from '@sangam/http';
import { isCityAdmin } from '@sangam/policy';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { JSX } from 'hono/jsx/jsx-runtime';
import { formOf, jsonOf, localPath, oneOf, problemMessages, safeHost, sameSecret, text } from './forms.js';
import { languageOf, speech } from './i18n.js';
import type { ConsoleKit, PageStatus } from './kit.js';
import type { View } from './layout.js';
import { AlliancesPage } from './pages/alliances.js';
import { CataloguePage, type CatalogueSearch } from './pages/catalogue.js';
import { ItemPage } from './pages/item.js';
import type { AdapterRow } from './pages/items.js';
import { AccountPage, JoinPage, MembersPage, NoticePage, SignInPage } from './pages/people.js';
import { auditRoutes } from './routes/audit.js';
import { cityRoutes } from './routes/city.js';
import { consentRoutes } from './routes/consents.js';
import { deskRoutes } from './routes/desk.js';
import { itemRoutes } from './routes/items.js';
import { passkeyScript, webauthnBundle } from './scripts.js';
import { consoleCss } from './styles.js';

export interface ConsoleDeps {
  readonly identity: IdentityContext;
  readonly sessions: Sessions;
  /** The city's name, for the site's title. */
  readonly city: string;
  /** The gateway's public address: a session cookie is Secure when it is https (or the request came over https). */
  readonly publicUrl: string;
  /** MoUs and consents, as the consent service has them. */
  readonly alliance: MouContext;
  readonly tokens: TokenService;
  readonly accessTokenTtlSeconds: number;
  /**
   * The gateway's own data API, called in-process: the console's query explorer goes through the release path
   * exactly as a consumer's query does (decided, metered, audited).
   */
  readonly data: (path: string, init: RequestInit) => Promise<Response>;
  /** Items, as the catalogue service has them. */
  readonly catalogue: CatalogueContext;
  /** The audit log's signed checkpoints, for the auditor's workspace. */
  readonly checkpoints: Checkpoints;
  /** The health of the adapters that publish for a provider, or of every adapter. */
  readonly adapters: (provider?: string) => Promise<readonly AdapterRow[]>;
}

const sessionCookie = 'sangam_session';
const languageCookie = 'sangam_lang';

/**
 * Pages: scripts and styles from the gateway only (no inline script, no CDN), forms posting to the gateway alone,
 * never framed. A page
 * that shows a signed-in person's objects is kept by no cache.
 */
const pagePolicy =
  "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** The alliance console: public pages, people's sign-in, and an organisation's members (DESIGN.md §12). */
export function createConsoleService(deps: ConsoleDeps): ServiceMount {
  const app = createServiceApp();
  const { identity, sessions } = deps;

  async function viewOf(c: Context<AppEnv>): Promise<View> {
    const secret = getCookie(c, sessionCookie);
    const session = secret ? await sessions.resume(secret) : undefined;
    const lang = languageOf(
      c.req.query('lang'),
      getCookie(c, languageCookie),
      c.req.header('accept-language'),
    );
    const organisationName = session
      ? ((
          await identity.db
            .selectFrom('organisations')
            .select('name')
            .where('id', '=', session.member.organisation)
            .executeTakeFirst()
        )?.name ?? session.member.organisation)
      : undefined;
    return {
      speech: speech(lang),
      session,
      cityAdmin: session ? await isCityAdmin(identity.db, session.principal) : false,
      path: c.req.path,
      city: deps.city,
      ...(organisationName ? { organisationName } : {}),
    };
  }

  function render(c: Context<AppEnv>, view: View, page: JSX.Element, status: PageStatus = 200) {
    c.header('content-security-policy', pagePolicy);
    c.header('content-language', view.speech.lang);
    if (view.session) c.header('cache-control', 'no-store');
    c.header('vary', 'Cookie, Accept-Language');
    return c.html(`<!doctype html>${page}`, status);
  }

  /** A signed-in person's page: to the sign-in form (and back here after) when no one is signed in. */
  async function signedIn(c: Context<AppEnv>): Promise<(View & { session: Session }) | Response> {
    const view = await viewOf(c);
    if (!view.session) return c.redirect(`/sign-in?next=${encodeURIComponent(c.req.path)}`, 303);
    return view as View & { session: Session };
  }

  /**
   * A form from another site never acts. Fetch Metadata decides where the browser sends it; otherwise the Origin
   * must name this host. (A page under `Referrer-Policy: no-referrer` posts with `Origin: null`, so that alone proves
   * nothing either way; browsers that send it also send Fetch Metadata.)
   */
  function requireSameOrigin(c: Context<AppEnv>): void {
    const site = c.req.header('sec-fetch-site');
    const origin = c.req.header('origin');
    const foreign =
      site !== undefined
        ? site !== 'same-origin' && site !== 'none'
        : origin !== undefined && safeHost(origin) !== c.req.header('host');
    if (foreign) throw new DxError('csrfRejected', 'The form was sent from another site');
  }

  /** A signed-in person's change: same origin, and the form carries the session's CSRF token. */
  async function change(c: Context<AppEnv>): Promise<{ view: View & { session: Session }; form: FormData }> {
    requireSameOrigin(c);
    const form = await formOf(c);
    const view = await viewOf(c);
    if (!view.session) throw new DxError('signInRequired', 'The session has ended; sign in again');
    const sent = form.get('_csrf');
    if (typeof sent !== 'string' || !sameSecret(sent, view.session.csrfToken))
      throw new DxError('csrfRejected', "The form did not carry this session's CSRF token");
    return { view: view as View & { session: Session }, form };
  }

  const callerOf = (c: Context<AppEnv>, session: Session) => ({
    principal: session.principal,
    requestId: c.var.requestId,
  });

  app.get('/console.css', (c) =>
    c.body(consoleCss, 200, {
      'content-type': 'text/css; charset=utf-8',
      'cache-control': 'public, max-age=3600',
    }),
  );

  const bundle = webauthnBundle();
  const script = (body: string) => (c: Context<AppEnv>) =>
    c.body(body, 200, {
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'public, max-age=3600',
    });
  app.get('/console/webauthn.js', script(bundle));
  app.get('/console/passkey.js', script(passkeyScript));

  /** The relying party of a passkey ceremony: the gateway as this browser reached it. */
  function rpOf(c: Context<AppEnv>): RelyingParty {
    const host = c.req.header('host') ?? new URL(c.req.url).host;
    return {
      id: host.replace(/:\d+$/, '').replace(/^\[|\]$/g, ''),
      name: `Sangam · ${deps.city}`,
      origin: `${secureOf(c) ? 'https' : 'http'}://${host}`,
    };
  }

  /** A signed-in person's JSON request from the console's own script: same origin and the CSRF token as a header. */
  async function jsonChange(
    c: Context<AppEnv>,
  ): Promise<{ session: Session; body: Record<string, unknown> }> {
    requireSameOrigin(c);
    const secret = getCookie(c, sessionCookie);
    const session = secret ? await sessions.resume(secret) : undefined;
    if (!session) throw new DxError('signInRequired', 'The session has ended; sign in again');
    const sent = c.req.header('x-csrf-token');
    if (sent === undefined || !sameSecret(sent, session.csrfToken))
      throw new DxError('csrfRejected', "The request did not carry this session's CSRF token");
    return { session, body: await jsonOf(c) };
  }

  app.post('/sign-in/passkey/options', async (c) => {
    requireSameOrigin(c);
    c.header('cache-control', 'no-store');
    return c.json(await passkeySignInOptions(identity, rpOf(c)));
  });

  app.post('/sign-in/passkey', async (c) => {
    requireSameOrigin(c);
    const body = await jsonOf(c);
    const opened = await sessions.signInWithPasskey({
      challengeId: typeof body.challengeId === 'string' ? body.challengeId : '',
      response: body.response as AuthenticationResponseJSON,
      rp: rpOf(c),
      source: sourceOf(c),
      requestId: c.var.requestId,
    });
    keepSession(c, opened.secret);
    return c.json({ next: localPath(typeof body.next === 'string' ? body.next : '/') });
  });

  app.get('/account', async (c) => {
    const view = await signedIn(c);
    if (view instanceof Response) return view;
    return render(
      c,
      view,
      <AccountPage view={view} passkeys={await listPasskeys(identity, view.session.member.memberId)} />,
    );
  });

  app.post('/account/passkeys/options', async (c) => {
    const { session } = await jsonChange(c);
    c.header('cache-control', 'no-store');
    return c.json(await passkeyRegistration(identity, session.member, rpOf(c)));
  });

  app.post('/account/passkeys', async (c) => {
    const { session, body } = await jsonChange(c);
    const passkey = await addPasskey(
      identity,
      callerOf(c, session),
      session.member,
      {
        challengeId: typeof body.challengeId === 'string' ? body.challengeId : '',
        response: body.response as RegistrationResponseJSON,
      },
      rpOf(c),
    );
    return c.json({ id: passkey.id }, 201);
  });

  app.get('/language/:code', (c) => {
    const code = c.req.param('code');
    if (code !== 'en' && code !== 'hi') throw new DxError('notFound', 'The console speaks en and hi');
    setCookie(c, languageCookie, code, {
      path: '/',
      sameSite: 'Lax',
      maxAge: 365 * 86_400,
      secure: secureOf(c),
    });
    return c.redirect(localPath(c.req.query('back')), 303);
  });

  app.get('/', async (c) => {
    const view = await viewOf(c);
    const mous = (await publicMous(identity)).filter(
      (m) => m.status === 'active' || m.status === 'suspended',
    );
    return render(c, view, <AlliancesPage view={view} mous={mous} archive={false} />);
  });

  app.get('/archive', async (c) => {
    const view = await viewOf(c);
    const mous = (await publicMous(identity)).filter(
      (m) => m.status === 'terminated' || m.status === 'expired',
    );
    return render(c, view, <AlliancesPage view={view} mous={mous} archive />);
  });

  app.post('/archive/:id/outcome', async (c) => {
    const { view, form } = await change(c);
    await recordOutcome(
      deps.alliance,
      callerOf(c, view.session),
      c.req.param('id'),
      text(form.get('outcome'), 6000),
    );
    return c.redirect('/archive', 303);
  });

  app.get('/catalogue', async (c) => {
    const view = await viewOf(c);
    const search: CatalogueSearch = {
      q: (c.req.query('q') ?? '').slice(0, 200),
      type: oneOf(c.req.query('type'), ['provider', 'resourceGroup', 'resource']),
      accessPolicy: oneOf(c.req.query('accessPolicy'), ['OPEN', 'SECURE', 'PII']),
      provider: (c.req.query('provider') ?? '').slice(0, 100),
    };
    const providers = await identity.db
      .selectFrom('organisations')
      .select(['id', 'name'])
      .orderBy('name')
      .execute();
    const { items, total } = await searchItems(
      identity.db,
      searchOf({
        ...(search.q ? { q: search.q } : {}),
        ...(search.type ? { type: search.type as 'resource' } : {}),
        ...(search.accessPolicy ? { accessPolicy: search.accessPolicy as 'OPEN' } : {}),
        ...(providers.some((p) => p.id === search.provider) ? { provider: search.provider } : {}),
        limit: 100,
      }),
    );
    // Facet counts: live items of each kind, access policy and provider (of the whole catalogue, not this search).
    const groups = await identity.db
      .selectFrom('catalogue_items')
      .select((eb) => ['type', 'access_policy', 'provider', eb.fn.countAll<number>().as('n')])
      .where('status', '=', 'live')
      .groupBy(['type', 'access_policy', 'provider'])
      .execute();
    const facets = {
      type: new Map<string, number>(),
      accessPolicy: new Map<string, number>(),
      provider: new Map<string, number>(),
    };
    for (const g of groups) {
      const add = (facet: Map<string, number>, key: string | null) =>
        key !== null && facet.set(key, (facet.get(key) ?? 0) + Number(g.n));
      add(facets.type, g.type);
      add(facets.accessPolicy, g.access_policy);
      add(facets.provider, g.provider);
    }
    const seen = viewerOf(view);
    return render(
      c,
      view,
      <CataloguePage
        view={view}
        search={search}
        facets={facets}
        providers={providers}
        items={items.map((i) => itemAsSeenBy(i, seen))}
        total={total}
      />,
    );
  });

  app.get('/catalogue/items/:id{.+}', async (c) => {
    const view = await viewOf(c);
    // hono decodes the parameter, and leaves a malformed escape as it came: it then names no item (404).
    const id = c.req.param('id');
    let item: Item;
    try {
      item = await getItem(identity.db, id);
    } catch (error) {
      if (error instanceof DxError && error.status === 404)
        return render(
          c,
          view,
          <NoticePage view={view} title={view.speech.t('notFoundTitle')} text={view.speech.t('notFound')} />,
          404,
        );
      throw error;
    }
    const provider = await identity.db
      .selectFrom('organisations')
      .select('name')
      .where('id', '=', item.provider)
      .executeTakeFirst();
    return render(
      c,
      view,
      <ItemPage
        view={view}
        item={itemAsSeenBy(item, viewerOf(view))}
        providerName={provider?.name ?? item.provider}
      />,
    );
  });

  function viewerOf(view: View): { organisation?: string; cityAdmin: boolean } {
    if (!view.session) return { cityAdmin: false };
    return { organisation: view.session.member.organisation, cityAdmin: view.cityAdmin };
  }

  app.get('/sign-in', async (c) => {
    const view = await viewOf(c);
    if (view.session) return c.redirect(localPath(c.req.query('next')), 303);
    return render(c, view, <SignInPage view={view} next={localPath(c.req.query('next'))} />);
  });

  app.post('/sign-in', async (c) => {
    requireSameOrigin(c);
    const form = await formOf(c);
    const view = await viewOf(c);
    const email = text(form.get('email'), 254);
    const next = localPath(text(form.get('next'), 2000));
    try {
      const opened = await sessions.signIn({
        email,
        password: text(form.get('password'), passwordLength.max + 1),
        source: sourceOf(c),
        requestId: c.var.requestId,
      });
      keepSession(c, opened.secret);
      return c.redirect(next, 303);
    } catch (error) {
      if (!(error instanceof DxError)) throw error;
      const s = view.speech;
      if (error.problem === 'invalidCredentials')
        return render(
          c,
          view,
          <SignInPage view={view} email={email} next={next} errors={[s.t('signInFailed')]} />,
          401,
        );
      if (error.problem === 'tooManyRequests') {
        const seconds = Number(error.headers['retry-after'] ?? 60);
        c.header('retry-after', String(seconds));
        return render(
          c,
          view,
          <SignInPage view={view} email={email} next={next} errors={[s.t('signInLocked', { seconds })]} />,
          429,
        );
      }
      throw error;
    }
  });

  app.post('/sign-out', async (c) => {
    requireSameOrigin(c);
    const form = await formOf(c);
    const secret = getCookie(c, sessionCookie);
    const session = secret ? await sessions.resume(secret) : undefined;
    if (session && secret) {
      const sent = form.get('_csrf');
      if (typeof sent !== 'string' || !sameSecret(sent, session.csrfToken))
        throw new DxError('csrfRejected', "The form did not carry this session's CSRF token");
      await sessions.signOut(secret, c.var.requestId);
    }
    deleteCookie(c, sessionCookie, { path: '/', secure: secureOf(c) });
    return c.redirect('/', 303);
  });

  /** The join form of an invitation's link, with what was wrong with the last try; 404 when the link is spent. */
  async function joinForm(c: Context<AppEnv>, view: View, token: string, errors: string[] = []) {
    const invitation = await openInvitation(identity, token);
    c.header('cache-control', 'no-store');
    return render(
      c,
      view,
      <JoinPage
        view={view}
        token={token}
        invitation={invitation}
        organisationName={await organisationName(invitation?.organisation)}
        min={passwordLength.min}
        errors={errors}
      />,
      invitation ? (errors.length > 0 ? 400 : 200) : 404,
    );
  }

  app.get('/join/:token', async (c) => joinForm(c, await viewOf(c), c.req.param('token')));

  app.post('/join/:token', async (c) => {
    requireSameOrigin(c);
    const form = await formOf(c);
    const view = await viewOf(c);
    const token = c.req.param('token');
    const password = text(form.get('password'), passwordLength.max + 1);
    const s = view.speech;
    c.header('cache-control', 'no-store');
    if (password.length < passwordLength.min || password.length > passwordLength.max)
      return joinForm(c, view, token, [
        s.t('joinPasswordShort', { min: passwordLength.min, max: passwordLength.max }),
      ]);
    try {
      await acceptInvitation(identity, token, password, c.var.requestId);
    } catch (error) {
      // The address already belongs to a member (invited twice): they sign in rather than join again.
      if (error instanceof DxError && error.status === 409)
        return render(
          c,
          view,
          <NoticePage
            view={view}
            title={view.speech.t('errorTitle')}
            text={error.detail}
            link={{ href: '/sign-in', text: view.speech.t('navSignIn') }}
          />,
          409,
        );
      if (error instanceof DxError && error.status === 404)
        return render(
          c,
          view,
          <JoinPage
            view={view}
            token={token}
            invitation={undefined}
            organisationName=""
            min={passwordLength.min}
          />,
          404,
        );
      throw error;
    }
    return render(
      c,
      view,
      <NoticePage
        view={view}
        title={s.t('joinDone')}
        text={s.t('joinDone')}
        link={{ href: '/sign-in', text: s.t('navSignIn') }}
      />,
    );
  });

  async function organisationName(id: string | undefined): Promise<string> {
    if (!id) return '';
    const row = await identity.db
      .selectFrom('organisations')
      .select('name')
      .where('id', '=', id)
      .executeTakeFirst();
    return row?.name ?? id;
  }

  async function membersPage(
    c: Context<AppEnv>,
    view: View & { session: Session },
    extra: {
      made?: { link: string; email: string; expiresAt: string };
      errors?: string[];
      form?: { email: string; name: string; roles: Role[]; organisation?: string };
    } = {},
    status: 200 | 400 | 409 = 200,
  ) {
    const principal = view.session.principal;
    const [members, invitations, organisations] = await Promise.all([
      listMembers(identity, principal),
      listInvitations(identity, principal),
      view.cityAdmin
        ? identity.db.selectFrom('organisations').select(['id', 'name']).orderBy('name').execute()
        : Promise.resolve(undefined),
    ]);
    return render(
      c,
      view,
      <MembersPage
        view={view}
        organisationName={view.organisationName ?? view.session.member.organisation}
        members={members}
        invitations={invitations}
        {...(organisations ? { organisations } : {})}
        {...extra}
      />,
      status,
    );
  }

  app.get('/members', async (c) => {
    const view = await signedIn(c);
    if (view instanceof Response) return view;
    if (!view.session.member.roles.includes('admin'))
      throw new DxError('forbidden', 'Only an admin of the organisation may manage its members');
    return membersPage(c, view);
  });

  app.post('/members/invitations', async (c) => {
    const { view, form } = await change(c);
    const organisation = text(form.get('organisation'), 64);
    const input = {
      ...(organisation ? { organisation } : {}),
      email: text(form.get('email'), 300),
      name: text(form.get('name'), 300),
      roles: form
        .getAll('roles')
        .filter((r): r is Role => typeof r === 'string' && knownRoles.includes(r as Role)),
    };
    let invitation: Invitation;
    try {
      invitation = await inviteMember(identity, callerOf(c, view.session), input, sessions.terms);
    } catch (error) {
      if (error instanceof DxError && (error.status === 400 || error.status === 409)) {
        const errors = problemMessages(error);
        return membersPage(c, view, { errors, form: input }, error.status === 409 ? 409 : 400);
      }
      throw error;
    }
    const link = `${new URL(c.req.url).origin}/join/${invitation.token}`;
    c.header('cache-control', 'no-store');
    return membersPage(c, view, { made: { link, email: invitation.email, expiresAt: invitation.expiresAt } });
  });

  app.post('/members/:id/suspend', async (c) => {
    const { view } = await change(c);
    await suspendMember(identity, callerOf(c, view.session), c.req.param('id'));
    return c.redirect('/members', 303);
  });

  const kit: ConsoleKit = { viewOf, render, signedIn, change, callerOf, requireSameOrigin };
  consentRoutes(app, kit, deps);
  deskRoutes(app, kit, deps);
  itemRoutes(app, kit, deps);
  cityRoutes(app, kit, deps);
  auditRoutes(app, kit, deps);

  /** The session cookie: the server keeps the session, the browser only its secret, for scripts out of reach. */
  function keepSession(c: Context<AppEnv>, secret: string): void {
    setCookie(c, sessionCookie, secret, {
      path: '/',
      httpOnly: true,
      sameSite: 'Strict',
      secure: secureOf(c),
      maxAge: sessions.terms.sessionHours * 3600,
    });
    c.header('cache-control', 'no-store');
  }

  function secureOf(c: Context<AppEnv>): boolean {
    return deps.publicUrl.startsWith('https:') || new URL(c.req.url).protocol === 'https:';
  }

  return { code: 'gw', prefixes: [], app };
}
