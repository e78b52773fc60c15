import type { Alliance } from './alliance.js';

/** An answer of a console page: its status, headers and HTML. */
export interface Visit {
  readonly status: number;
  readonly headers: Headers;
  readonly html: string;
  /** Where a redirect points, if it is one. */
  readonly location: string | undefined;
}

/**
 * A person at a browser without script, as the console's tests need one: it keeps the cookies the gateway sets,
 * sends forms as a browser does (urlencoded, with its Origin), and follows nothing by itself, so each step is seen.
 */
export class Visitor {
  readonly baseUrl: string;
  readonly #cookies = new Map<string, string>();
  readonly #origin: string;

  constructor(baseUrl: string, options: { origin?: string } = {}) {
    this.baseUrl = baseUrl;
    this.#origin = options.origin ?? new URL(baseUrl).origin;
  }

  cookie(name: string): string | undefined {
    return this.#cookies.get(name);
  }

  setCookie(name: string, value: string): void {
    this.#cookies.set(name, value);
  }

  get(path: string, headers: Record<string, string> = {}): Promise<Visit> {
    return this.#send('GET', path, undefined, headers);
  }

  /** Sends a form; `_csrf` is taken from `page` (the HTML that showed the form) unless the fields name one. */
  post(
    path: string,
    fields: Record<string, string | readonly string[]>,
    options: { page?: string; headers?: Record<string, string> } = {},
  ): Promise<Visit> {
    const body = new URLSearchParams();
    const csrf = options.page ? csrfOf(options.page) : undefined;
    if (csrf !== undefined && !('_csrf' in fields)) body.append('_csrf', csrf);
    for (const [name, value] of Object.entries(fields)) {
      for (const v of typeof value === 'string' ? [value] : value) body.append(name, v);
    }
    return this.#send('POST', path, body.toString(), {
      'content-type': 'application/x-www-form-urlencoded',
      origin: this.#origin,
      ...options.headers,
    });
  }

  async #send(
    method: string,
    path: string,
    body: string | undefined,
    headers: Record<string, string>,
  ): Promise<Visit> {
    const cookie = [...this.#cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const response = await fetch(new URL(path, this.baseUrl), {
      method,
      redirect: 'manual',
      headers: { ...(cookie ? { cookie } : {}), ...headers },
      ...(body === undefined ? {} : { body }),
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      if (value === '' || /max-age=0/i.test(line)) this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
    return {
      status: response.status,
      headers: response.headers,
      html: await response.text(),
      location: response.headers.get('location') ?? undefined,
    };
  }
}

/** The CSRF token a page's forms carry. */
export function csrfOf(html: string): string | undefined {
  return /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
}

/** The text of a page without its tags, with entities of the five escaped characters read back. */
export function textOf(html: string): string {
  return html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

/** The password the test people choose. */
export const personPassword = 'a long enough password';

/**
 * A person of an organisation at a browser, signed in: invited through the API by the admin client `who` (into
 * `organisation` when the city admin names one), joined through the link and signed in with `personPassword`.
 */
export async function signedInPerson(
  alliance: Pick<Alliance, 'gw' | 'token'>,
  who: string,
  person: { email: string; roles: readonly string[]; name?: string; organisation?: string },
): Promise<Visitor> {
  const invited = await alliance.gw.api.post('/consent/v1/members/invitations', {
    token: await alliance.token(who),
    json: {
      email: person.email,
      name: person.name ?? person.email.split('@')[0],
      roles: person.roles,
      ...(person.organisation ? { organisation: person.organisation } : {}),
    },
  });
  if (invited.status !== 201) throw new Error(`invitation failed: ${invited.status} ${invited.text}`);
  const visitor = new Visitor(alliance.gw.url);
  const joined = await visitor.post(`/join/${invited.body.results.token}`, { password: personPassword });
  if (joined.status !== 200) throw new Error(`joining failed: ${joined.status}`);
  const signedIn = await visitor.post('/sign-in', { email: person.email, password: personPassword });
  if (signedIn.status !== 303) throw new Error(`sign-in failed: ${signedIn.status}`);
  return visitor;
}
