import {
  type Consent,
  decideConsent,
  issueAccessToken,
  listConsents,
  listMous,
  type Mou,
  type Narrowing,
  requestConsent,
  type Session,
} from '@sangam/consent';
import { DxError } from '@sangam/core';
import type { AppEnv } from '@sangam/http';
import { actsForProvider } from '@sangam/policy';
import type { Context, Hono } from 'hono';
import type { ConsoleDeps } from '../app.js';
import { problemMessages, text } from '../forms.js';
import type { ConsoleKit, PageStatus } from '../kit.js';
import type { View } from '../layout.js';
import { ConsentsPage, type RequestForm, RequestPage, TokenPage } from '../pages/consents.js';
import { type Exploration, ExplorePage, exploreRecords } from '../pages/explore.js';

const decisions = ['grant', 'deny', 'pause', 'resume', 'revoke'] as const;
type Decision = (typeof decisions)[number];
const day = 86_400_000;

/** A refusal's status as a page answers it: a 4xx the console renders, or 400. */
function pageStatusOf(status: number): PageStatus {
  return ([400, 401, 403, 404, 409, 429] as const).find((s) => s === status) ?? 400;
}

/** What a decision's form says: a grant's narrowing (what stays ticked, the term, the rate), a denial's reason. */
function narrowingOf(action: string, form: FormData): Narrowing {
  const reason = text(form.get('reason'), 1000).trim();
  if (action !== 'grant') return reason ? { reason } : {};
  const strings = (name: string) =>
    form
      .getAll(name)
      .filter((v): v is string => typeof v === 'string')
      .slice(0, 200);
  const validTo = text(form.get('validTo'), 40);
  const rateLimit = Number(text(form.get('rateLimit'), 12));
  return {
    // A form without the fieldset (a plain grant) grants what was asked.
    ...(form.has('accessTypes') || form.has('attributes')
      ? {
          accessTypes: strings('accessTypes') as Narrowing['accessTypes'] & string[],
          attributes: strings('attributes'),
        }
      : {}),
    ...(/^\d{4}-\d{2}-\d{2}$/.test(validTo) && validTo !== text(form.get('askedValidTo'), 40)
      ? { validTo: `${validTo}T23:59:59.999Z` }
      : {}),
    ...(Number.isInteger(rateLimit) && rateLimit > 0 ? { rateLimit } : {}),
  };
}

/** Consents for people: the list, the provider's decisions, the consumer's request, tokens and the query explorer. */
export function consentRoutes(app: Hono<AppEnv>, kit: ConsoleKit, deps: ConsoleDeps): void {
  const ctx = deps.alliance;

  async function consentsPage(
    c: Context<AppEnv>,
    view: View & { session: Session },
    errors: string[] = [],
    status: 200 | 400 | 409 = 200,
  ) {
    const principal = view.session.principal;
    const consents = await listConsents(ctx, principal);
    const rows = consents.map((consent) => ({
      consent,
      decides: actsForProvider(principal, consent.provider),
      consumes: consent.consumer === principal.organisationId && principal.roles.includes('consumer'),
    }));
    return kit.render(
      c,
      view,
      <ConsentsPage
        view={view}
        rows={rows}
        canRequest={principal.roles.includes('consumer')}
        errors={errors}
      />,
      status,
    );
  }

  app.get('/consents', async (c) => {
    const view = await kit.signedIn(c);
    if (view instanceof Response) return view;
    return consentsPage(c, view);
  });

  async function requestPage(
    c: Context<AppEnv>,
    view: View & { session: Session },
    chosen: string | undefined,
    form: RequestForm | undefined,
    errors: string[] = [],
    status: 200 | 400 | 403 | 404 | 409 = 200,
  ) {
    const mous = (await listMous(ctx, view.session.principal)).filter((m) => m.status === 'active');
    const mou = mous.find((m) => m.id === chosen) ?? mous[0];
    const items = mou ? await itemsOf(mou) : [];
    return kit.render(
      c,
      view,
      <RequestPage
        view={view}
        mous={mous}
        mou={mou}
        items={items}
        form={
          form ?? {
            items: [],
            purpose: mou?.purposes[0] ?? '',
            accessTypes: ['latest'],
            attributes: '',
            releaseLevel: 'anonymised-record',
            validTo: new Date(
              Math.min(ctx.clock.now().getTime() + 90 * day, Date.parse(mou?.endsAt ?? '') || Infinity),
            )
              .toISOString()
              .slice(0, 10),
          }
        }
        errors={errors}
      />,
      status,
    );
  }

  /** The live resources and groups of the MoU's datasets. */
  async function itemsOf(mou: Mou) {
    const groups = mou.datasets.map((d) => d.group);
    if (groups.length === 0) return [];
    const rows = await ctx.db
      .selectFrom('catalogue_items')
      .select(['id', 'name', 'group_id'])
      .where('status', '=', 'live')
      .where((eb) => eb.or([eb('id', 'in', groups), eb('group_id', 'in', groups)]))
      .orderBy('id')
      .execute();
    return rows.map((r) => ({ id: r.id, name: r.name, group: r.group_id ?? r.id }));
  }

  app.get('/consents/new', async (c) => {
    const view = await kit.signedIn(c);
    if (view instanceof Response) return view;
    if (!view.session.principal.roles.includes('consumer'))
      throw new DxError('forbidden', 'Only a consumer of the organisation may request consents');
    return requestPage(c, view, c.req.query('mou'), undefined);
  });

  app.post('/consents', async (c) => {
    const { view, form } = await kit.change(c);
    const asked: RequestForm = {
      items: form
        .getAll('items')
        .filter((v): v is string => typeof v === 'string')
        .slice(0, 50),
      purpose: text(form.get('purpose'), 300),
      accessTypes: form
        .getAll('accessTypes')
        .filter((v): v is string => typeof v === 'string')
        .slice(0, 4),
      attributes: text(form.get('attributes'), 2000),
      releaseLevel: text(form.get('releaseLevel'), 40),
      validTo: text(form.get('validTo'), 40),
    };
    const mou = text(form.get('mou'), 64);
    const validTo = /^\d{4}-\d{2}-\d{2}$/.test(asked.validTo)
      ? `${asked.validTo}T23:59:59.000Z`
      : asked.validTo;
    try {
      await requestConsent(ctx, kit.callerOf(c, view.session), {
        mou,
        items: [...asked.items],
        purpose: asked.purpose,
        accessTypes: [...asked.accessTypes] as Consent['accessTypes'][number][],
        attributes: asked.attributes
          .split(',')
          .map((a) => a.trim())
          .filter((a) => a !== ''),
        releaseLevel: asked.releaseLevel as Consent['releaseLevel'],
        validTo,
      });
    } catch (error) {
      if (error instanceof DxError && error.status < 500) {
        const errors = problemMessages(error);
        const status =
          error.status === 403 || error.status === 404 || error.status === 409 ? error.status : 400;
        return requestPage(c, view, mou, asked, errors, status);
      }
      throw error;
    }
    return c.redirect('/consents', 303);
  });

  app.post('/consents/:id/:action', async (c) => {
    const action = c.req.param('action');
    if (action === 'token') return token(c);
    if (!decisions.includes(action as Decision))
      throw new DxError('notFound', 'Consent actions: grant, deny, pause, resume, revoke, token');
    const { view, form } = await kit.change(c);
    try {
      await decideConsent(
        ctx,
        kit.callerOf(c, view.session),
        c.req.param('id'),
        action as Decision,
        narrowingOf(action, form),
      );
    } catch (error) {
      // A decision the consent's state or terms do not allow: the page says why.
      if (error instanceof DxError && (error.status === 400 || error.status === 409))
        return consentsPage(c, view, problemMessages(error), error.status);
      throw error;
    }
    return c.redirect('/consents', 303);
  });

  async function token(c: Context<AppEnv>) {
    const { view, form } = await kit.change(c);
    const consent = c.req.param('id') ?? '';
    const item = text(form.get('item'), 200);
    const issued = await issueAccessToken(
      ctx,
      deps.tokens,
      kit.callerOf(c, view.session),
      { consent, item },
      deps.accessTokenTtlSeconds,
    );
    c.header('cache-control', 'no-store');
    return kit.render(
      c,
      view,
      <TokenPage
        view={view}
        consent={consent}
        item={item}
        token={issued.accessToken}
        expiresAt={issued.expiresAt}
        gateway={deps.publicUrl}
      />,
    );
  }

  /** The query explorer: a GET form, so a query is a link; each run is a release like any other. */
  app.get('/explore', async (c) => {
    const view = await kit.signedIn(c);
    if (view instanceof Response) return view;
    const exploration: Exploration = {
      consent: (c.req.query('consent') ?? '').slice(0, 64),
      item: (c.req.query('item') ?? '').slice(0, 200),
      attrs: (c.req.query('attrs') ?? '').slice(0, 2000),
      q: (c.req.query('q') ?? '').slice(0, 2000),
      from: (c.req.query('from') ?? '').slice(0, 40),
      to: (c.req.query('to') ?? '').slice(0, 40),
    };
    const csv = c.req.query('format') === 'csv';
    const answer = await exploreRecords(exploration, {
      issue: (request) =>
        issueAccessToken(
          ctx,
          deps.tokens,
          kit.callerOf(c, view.session),
          request,
          deps.accessTokenTtlSeconds,
        ),
      data: deps.data,
      accept: csv ? 'text/csv' : 'application/json',
    });
    if (csv && answer?.ok) {
      return c.body(answer.text, 200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${exploration.item.replace(/[^a-z0-9-]/g, '_')}.csv"`,
        'cache-control': 'no-store',
      });
    }
    return kit.render(
      c,
      view,
      <ExplorePage view={view} exploration={exploration} answer={answer} />,
      answer && !answer.ok ? pageStatusOf(answer.status) : 200,
    );
  });
}
