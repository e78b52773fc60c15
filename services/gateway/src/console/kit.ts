import type { Session } from '@sangam/consent';
import type { Caller } from '@sangam/core';
import type { AppEnv } from '@sangam/http';
import type { Context } from 'hono';
import type { JSX } from 'hono/jsx/jsx-runtime';
import type { View } from './layout.js';

export type PageStatus = 200 | 400 | 401 | 403 | 404 | 409 | 429;

/** What every page handler of the console uses: its view, its rendering, the signed-in guard, checked changes. */
export interface ConsoleKit {
  viewOf(c: Context<AppEnv>): Promise<View>;
  render(
    c: Context<AppEnv>,
    view: View,
    page: JSX.Element,
    status?: PageStatus,
  ): Response | Promise<Response>;
  /** The signed-in person's view, or a redirect to the sign-in form (and back after). */
  signedIn(c: Context<AppEnv>): Promise<(View & { session: Session }) | Response>;
  /** A signed-in person's change: same origin and the session's CSRF token, or a 403. */
  change(c: Context<AppEnv>): Promise<{ view: View & { session: Session }; form: FormData }>;
  callerOf(c: Context<AppEnv>, session: Session): Caller;
  /** A form from another site never acts (403). */
  requireSameOrigin(c: Context<AppEnv>): void;
}
