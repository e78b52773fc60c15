import { callerOf } from '@sangam/auth';
import { DxError } from '@sangam/core';
import { type AppEnv, queryParams, readJson, success, validator } from '@sangam/http';
import { isCityAdmin } from '@sangam/policy';
import type { Context, Hono, MiddlewareHandler } from 'hono';
import type { CatalogueContext } from '../context.js';
import {
  removeUpstreamCredential,
  setUpstreamCredential,
  type UpstreamCredentialInput,
  upstreamCredentialOf,
  upstreamCredentialSchema,
} from '../credentials.js';
import {
  createItem,
  etagOf,
  getItem,
  type Item,
  type ItemInput,
  itemAsSeenBy,
  type Relation,
  relatedItems,
  retireItem,
  updateItem,
} from '../items.js';
import { anyItemIdPattern, type ItemTypeName, itemSchemas } from '../schemas.js';
import { parseSearch, searchItems, searchParams } from '../search.js';

const checks = {
  provider: validator<ItemInput>(itemSchemas.provider),
  resourceGroup: validator<ItemInput>(itemSchemas.resourceGroup),
  resource: validator<ItemInput>(itemSchemas.resource),
};

/** Dispatches on `type`, so the errors listed are those of the item the provider meant. */
function parseItem(value: unknown): ItemInput {
  const type = (value as { type?: unknown } | null)?.type;
  if (typeof type !== 'string' || !Object.hasOwn(checks, type)) {
    throw DxError.validation([{ field: '/type', message: 'must be provider, resourceGroup or resource' }]);
  }
  return checks[type as ItemTypeName](value);
}

const parseCredential = validator<UpstreamCredentialInput>(upstreamCredentialSchema);

const itemId = new RegExp(anyItemIdPattern);

function idOf(c: Context<AppEnv>): string {
  const id = c.req.param('id') ?? '';
  if (!itemId.test(id)) throw new DxError('notFound', 'No such item');
  return id;
}

export function registerItemRoutes(
  app: Hono<AppEnv>,
  ctx: CatalogueContext,
  auth: MiddlewareHandler<AppEnv>,
  optionalAuth: MiddlewareHandler<AppEnv>,
): void {
  /** What the reader of this request may see of each item (anonymous readers: no upstream URL). */
  const seenBy = async (c: Context<AppEnv>) => {
    const principal = c.var.principal;
    const viewer = principal
      ? { organisation: principal.organisationId, cityAdmin: await isCityAdmin(ctx.db, principal) }
      : { cityAdmin: false };
    return (item: Item) => itemAsSeenBy(item, viewer);
  };

  app.get('/cat/v1/search', optionalAuth, async (c) => {
    const search = parseSearch(queryParams(c, [...searchParams]));
    const { items, total } = await searchItems(ctx.db, search);
    return c.json(success('cat', items.map(await seenBy(c)), { totalHits: total }));
  });

  app.get('/cat/v1/items', optionalAuth, async (c) => {
    const search = parseSearch(queryParams(c, ['provider', 'type', 'includeRetired', 'limit', 'offset']));
    const { items, total } = await searchItems(ctx.db, search);
    return c.json(success('cat', items.map(await seenBy(c)), { totalHits: total }));
  });

  app.post('/cat/v1/items', auth, async (c) => {
    const item = await createItem(ctx, callerOf(c), await readJson(c, parseItem));
    c.header('location', `/cat/v1/items/${item.id}`);
    c.header('etag', etagOf(item));
    return c.json(success('cat', item, { title: 'Item created' }), 201);
  });

  app.get('/cat/v1/items/:id{.+}/related', optionalAuth, async (c) => {
    const query = queryParams(c, ['rel', 'includeRetired']);
    const rel = query.rel;
    if (rel !== 'provider' && rel !== 'group' && rel !== 'resource') {
      throw DxError.validation(
        [{ field: 'rel', message: 'must be provider, group or resource' }],
        'invalidParameter',
      );
    }
    const items = await relatedItems(ctx.db, idOf(c), rel as Relation, query.includeRetired === 'true');
    return c.json(success('cat', items.map(await seenBy(c)), { totalHits: items.length }));
  });

  // The secret a proxy-mode upstream is called with: set and removed by its provider, never read back.
  app.put('/cat/v1/items/:id{.+}/upstream-credential', auth, async (c) => {
    const view = await setUpstreamCredential(ctx, callerOf(c), idOf(c), await readJson(c, parseCredential));
    return c.json(success('cat', view, { title: 'Upstream credential set' }));
  });

  app.get('/cat/v1/items/:id{.+}/upstream-credential', auth, async (c) => {
    queryParams(c, []);
    return c.json(success('cat', await upstreamCredentialOf(ctx, callerOf(c), idOf(c))));
  });

  app.delete('/cat/v1/items/:id{.+}/upstream-credential', auth, async (c) => {
    await removeUpstreamCredential(ctx, callerOf(c), idOf(c));
    return c.body(null, 204);
  });

  app.get('/cat/v1/items/:id{.+}', optionalAuth, async (c) => {
    queryParams(c, []);
    const item = await getItem(ctx.db, idOf(c));
    c.header('etag', etagOf(item));
    return c.json(success('cat', (await seenBy(c))(item)));
  });

  app.put('/cat/v1/items/:id{.+}', auth, async (c) => {
    const id = idOf(c);
    const ifMatch = c.req.header('if-match');
    const input = await readJson(c, parseItem);
    const item = await updateItem(ctx, callerOf(c), id, input, ifMatch);
    c.header('etag', etagOf(item));
    return c.json(success('cat', item, { title: 'Item updated' }));
  });

  app.delete('/cat/v1/items/:id{.+}', auth, async (c) => {
    const item = await retireItem(ctx, callerOf(c), idOf(c), c.req.header('if-match'));
    c.header('etag', etagOf(item));
    return c.json(success('cat', item, { title: 'Item retired' }));
  });
}
