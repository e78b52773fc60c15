import {
  createItem,
  etagOf,
  getItem,
  type Item,
  type ItemInput,
  itemBody,
  retireItem,
  updateItem,
} from '@sangam/catalogue';
import { DxError } from '@sangam/core';
import { type AppEnv, bodyCheck, maxJsonDepth, nestingBeyond } from '@sangam/http';
import { consumerUsage, providerUsage, usageRange } from '@sangam/resource-proxy';
import type { Context, Hono } from 'hono';
import type { ConsoleDeps } from '../app.js';
import { problemMessages, text } from '../forms.js';
import type { ConsoleKit } from '../kit.js';
import type { View } from '../layout.js';
import { EditItemPage, ItemsPage } from '../pages/items.js';
import { UsagePage } from '../pages/usage.js';

const checkItem = bodyCheck<ItemInput>(itemBody);

/** An item as its provider writes it: what the catalogue API takes, without what the catalogue adds. */
function documentOf(item: Item): string {
  const {
    provider: _p,
    resourceGroup: _g,
    status: _s,
    revision: _r,
    createdAt: _c,
    updatedAt: _u,
    retiredAt: _t,
    ...input
  } = item;
  return JSON.stringify(input, null, 2);
}

/** The document a form carries, read as the catalogue API reads a body: well-formed, not too deep, of its schema. */
function itemOf(document: string, speech: View['speech']): ItemInput {
  if (nestingBeyond(document, maxJsonDepth) > 0)
    throw DxError.validation([{ field: '/', message: `nests deeper than ${maxJsonDepth} levels` }]);
  let value: unknown;
  try {
    value = JSON.parse(document);
  } catch (error) {
    throw DxError.validation([
      { field: '/', message: speech.t('itemNotJson', { reason: (error as Error).message }) },
    ]);
  }
  return checkItem(value);
}

/** A provider's items and usage, and a consumer's usage. */
export function itemRoutes(app: Hono<AppEnv>, kit: ConsoleKit, deps: ConsoleDeps): void {
  const ctx = deps.catalogue;

  async function itemsPage(
    c: Context<AppEnv>,
    view: View,
    draft?: string,
    errors: string[] = [],
    status: 200 | 400 | 409 = 200,
  ) {
    const organisation = view.session?.member.organisation ?? '';
    const rows = await ctx.db
      .selectFrom('catalogue_items')
      .select('document')
      .where('provider', '=', organisation)
      .orderBy('id')
      .limit(1000)
      .execute();
    const template = JSON.stringify(
      {
        type: 'resource',
        id: `${organisation}/group/resource`,
        name: '',
        description: '',
        dataModel: { type: 'object', properties: {} },
        accessPolicy: 'SECURE',
        releaseLevel: 'aggregate',
        source: { adapter: 'provider' },
      },
      null,
      2,
    );
    return kit.render(
      c,
      view,
      <ItemsPage
        view={view}
        items={rows.map((r) => JSON.parse(r.document) as Item)}
        adapters={await deps.adapters(organisation)}
        draft={draft ?? template}
        errors={errors}
      />,
      status,
    );
  }

  const providerOnly = (view: View) => {
    if (!view.session?.member.roles.some((r) => r === 'provider' || r === 'delegate'))
      throw new DxError('forbidden', 'Only a provider of the organisation manages its items');
  };

  app.get('/items', async (c) => {
    const view = await kit.signedIn(c);
    if (view instanceof Response) return view;
    providerOnly(view);
    return itemsPage(c, view);
  });

  app.post('/items', async (c) => {
    const { view, form } = await kit.change(c);
    const document = text(form.get('document'), 200_000);
    try {
      await createItem(ctx, kit.callerOf(c, view.session), itemOf(document, view.speech));
    } catch (error) {
      if (error instanceof DxError && (error.status === 400 || error.status === 409))
        return itemsPage(c, view, document, problemMessages(error), error.status === 409 ? 409 : 400);
      throw error;
    }
    return c.redirect('/items', 303);
  });

  app.get('/items/edit', async (c) => {
    const view = await kit.signedIn(c);
    if (view instanceof Response) return view;
    providerOnly(view);
    const item = await getItem(ctx.db, (c.req.query('id') ?? '').slice(0, 200));
    if (item.provider !== view.session.member.organisation)
      throw new DxError('notFound', 'No such item of yours');
    return kit.render(
      c,
      view,
      <EditItemPage view={view} id={item.id} etag={etagOf(item)} draft={documentOf(item)} />,
    );
  });

  app.post('/items/edit', async (c) => {
    const { view, form } = await kit.change(c);
    const id = text(form.get('id'), 200);
    const etag = text(form.get('etag'), 40);
    const document = text(form.get('document'), 200_000);
    try {
      await updateItem(ctx, kit.callerOf(c, view.session), id, itemOf(document, view.speech), etag);
    } catch (error) {
      if (!(error instanceof DxError)) throw error;
      if (error.problem === 'preconditionFailed') {
        // Someone changed it meanwhile: show it as it is now, with its new ETag, rather than overwrite their change.
        const now = await getItem(ctx.db, id);
        return kit.render(
          c,
          view,
          <EditItemPage
            view={view}
            id={id}
            etag={etagOf(now)}
            draft={documentOf(now)}
            errors={[view.speech.t('itemChanged')]}
          />,
          409,
        );
      }
      if (error.status === 400 || error.status === 409)
        return kit.render(
          c,
          view,
          <EditItemPage view={view} id={id} etag={etag} draft={document} errors={problemMessages(error)} />,
          error.status === 409 ? 409 : 400,
        );
      throw error;
    }
    return c.redirect('/items', 303);
  });

  app.post('/items/retire', async (c) => {
    const { view, form } = await kit.change(c);
    await retireItem(
      ctx,
      kit.callerOf(c, view.session),
      text(form.get('id'), 200),
      text(form.get('etag'), 40),
    );
    return c.redirect('/items', 303);
  });

  app.get('/usage', async (c) => {
    const view = await kit.signedIn(c);
    if (view instanceof Response) return view;
    const principal = view.session.principal;
    const provides = principal.roles.some((r) => r === 'provider' || r === 'delegate');
    const consumes = principal.roles.includes('consumer');
    if (!provides && !consumes)
      throw new DxError('forbidden', 'Usage is for the providers and consumers of an organisation');
    const asked = c.req.query('view');
    const provider = asked === 'consumer' && consumes ? false : asked === 'provider' ? provides : provides;
    const range = usageRange(
      {
        ...(c.req.query('from') ? { from: c.req.query('from') } : {}),
        ...(c.req.query('to') ? { to: c.req.query('to') } : {}),
      },
      ctx.clock.now(),
    );
    const rows = provider
      ? (await providerUsage(ctx.db, principal.organisationId, range)).map((r) => ({
          day: r.day,
          who: r.consumer,
          item: r.item,
          requests: r.requests,
          denied: r.denied,
          records: r.records,
        }))
      : (await consumerUsage(ctx.db, principal.organisationId, range)).map((r) => ({
          day: r.day,
          who: r.consent,
          requests: r.requests,
          denied: r.denied,
          records: r.records,
        }));
    return kit.render(
      c,
      view,
      <UsagePage
        view={view}
        provider={provider}
        both={provides && consumes}
        rows={rows}
        from={range.from}
        to={range.to}
      />,
    );
  });
}
