import type { Session } from '@sangam/consent';
import type { Child } from 'hono/jsx';
import type { Speech } from './i18n.js';

/** What every page knows of its request: the words to use, who is signed in, where it is. */
export interface View {
  readonly speech: Speech;
  readonly session: Session | undefined;
  /** Whether the signed-in person is an admin of the city (who writes problem statements and reads proposals). */
  readonly cityAdmin: boolean;
  /** The path of this page, for the navigation and the language switch. */
  readonly path: string;
  readonly city: string;
  readonly organisationName?: string;
}

const sections = [
  { href: '/', key: 'navBulletin' },
  { href: '/archive', key: 'navArchive' },
  { href: '/catalogue', key: 'navCatalogue' },
  { href: '/problems', key: 'navProblems' },
  { href: '/propose', key: 'navPropose' },
] as const;

/** The page around every console view: the site's bar, the navigation, the language switch, the footer. */
export function Page(props: {
  view: View;
  title: string;
  children?: Child;
  passkeys?: boolean;
  /** Module scripts of the gateway the page runs (the audit verifier). */
  modules?: readonly string[];
}) {
  const { speech: s, session, path } = props.view;
  const current = (href: string) =>
    href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`);
  return (
    <html lang={s.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <title>{`${props.title} · ${s.t('site', { city: props.view.city })}`}</title>
        <link rel="stylesheet" href="/console.css" />
      </head>
      <body>
        <a class="skip" href="#content">
          {s.t('skip')}
        </a>
        <header>
          <div class="bar">
            <a class="brand" href="/">
              {s.t('site', { city: props.view.city })}
            </a>
            <nav aria-label={s.t('navBulletin')}>
              <ul>
                {sections.map((section) => (
                  <li>
                    <a href={section.href} aria-current={current(section.href) ? 'page' : undefined}>
                      {s.t(section.key)}
                    </a>
                  </li>
                ))}
                {session ? (
                  <li>
                    <a href="/consents" aria-current={current('/consents') ? 'page' : undefined}>
                      {s.t('navConsents')}
                    </a>
                  </li>
                ) : null}
                {session?.member.roles.some((r) => r === 'provider' || r === 'delegate') ? (
                  <li>
                    <a href="/items" aria-current={current('/items') ? 'page' : undefined}>
                      {s.t('navItems')}
                    </a>
                  </li>
                ) : null}
                {session?.member.roles.some(
                  (r) => r === 'provider' || r === 'delegate' || r === 'consumer',
                ) ? (
                  <li>
                    <a href="/usage" aria-current={current('/usage') ? 'page' : undefined}>
                      {s.t('usageTitle')}
                    </a>
                  </li>
                ) : null}
                {session ? (
                  <li>
                    <a href="/mous" aria-current={current('/mous') ? 'page' : undefined}>
                      {s.t('navMous')}
                    </a>
                  </li>
                ) : null}
                {props.view.cityAdmin ? (
                  <li>
                    <a href="/city" aria-current={current('/city') ? 'page' : undefined}>
                      {s.t('navCity')}
                    </a>
                  </li>
                ) : null}
                {session?.member.roles.some((r) => r === 'auditor' || r === 'admin') ? (
                  <li>
                    <a href="/audit" aria-current={current('/audit') ? 'page' : undefined}>
                      {s.t('navAudit')}
                    </a>
                  </li>
                ) : null}
                {props.view.cityAdmin ? (
                  <li>
                    <a href="/inbox" aria-current={current('/inbox') ? 'page' : undefined}>
                      {s.t('navInbox')}
                    </a>
                  </li>
                ) : null}
                {session ? (
                  <li>
                    <a href="/account" aria-current={current('/account') ? 'page' : undefined}>
                      {s.t('navAccount')}
                    </a>
                  </li>
                ) : null}
                {session?.member.roles.includes('admin') ? (
                  <li>
                    <a href="/members" aria-current={current('/members') ? 'page' : undefined}>
                      {s.t('navMembers')}
                    </a>
                  </li>
                ) : null}
              </ul>
            </nav>
            <div class="who">
              <LanguageSwitch view={props.view} />
              {session ? (
                <>
                  <span>
                    {s.t('signedInAs', {
                      name: session.member.name,
                      organisation: props.view.organisationName ?? session.member.organisation,
                    })}
                  </span>
                  <form method="post" action="/sign-out">
                    <input type="hidden" name="_csrf" value={session.csrfToken} />
                    <button class="quiet" type="submit">
                      {s.t('signOut')}
                    </button>
                  </form>
                </>
              ) : (
                <a href="/sign-in">{s.t('navSignIn')}</a>
              )}
            </div>
          </div>
        </header>
        <main id="content">
          <h1>{props.title}</h1>
          {props.children}
        </main>
        <footer>{s.t('footer')}</footer>
        {props.passkeys ? (
          <>
            <script src="/console/webauthn.js" defer />
            <script src="/console/passkey.js" defer />
          </>
        ) : null}
        {(props.modules ?? []).map((src) => (
          <script type="module" src={src} />
        ))}
      </body>
    </html>
  );
}

function LanguageSwitch(props: { view: View }) {
  const { speech: s, path } = props.view;
  const other = s.lang === 'en' ? { code: 'hi', name: 'हिन्दी' } : { code: 'en', name: 'English' };
  return (
    <a
      href={`/language/${other.code}?back=${encodeURIComponent(path)}`}
      hreflang={other.code}
      lang={other.code}
    >
      {other.name}
    </a>
  );
}

/** A form's problems, listed where a screen reader lands first. */
export function Errors(props: { view: View; messages: readonly string[] }) {
  if (props.messages.length === 0) return null;
  return (
    <div class="errors" role="alert">
      <p>{props.view.speech.t('formErrors')}</p>
      <ul>
        {props.messages.map((m) => (
          <li>{m}</li>
        ))}
      </ul>
    </div>
  );
}

/** The hidden field every signed-in form carries: the session's CSRF token. */
export function Csrf(props: { view: View }) {
  return props.view.session ? (
    <input type="hidden" name="_csrf" value={props.view.session.csrfToken} />
  ) : null;
}
