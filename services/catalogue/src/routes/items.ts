import { callerOf } from '@sangam/auth';
import { type AppEnv, type RouteDeclaration, route, success } from '@sangam/http';
import { isCityAdmin } from '@sangam/policy';
import { Type } from '@sinclair/typebox';
import type { Context } from 'hono';
import type { CatalogueContext } from '../context.js';
import {
  removeUpstreamCredential,
  setUpstreamCredential,
  upstreamCredentialOf,
  upstreamCredentialSchema,
} from '../credentials.js';
import {
  createItem,
  etagOf,
  getItem,
  type Item,
  itemAsSeenBy,
  type Relation,
  relatedItems,
  retireItem,
  updateItem,
} from '../items.js';
import { anyItemIdPattern, itemBody, itemSchemas } from '../schemas.js';
import { searchItems, searchOf, searchQuery } from '../search.js';

/** An item as the catalogue serves it: as sent, with its provider, group, status, revision and times. */
const itemSchema = Type.Unsafe<Item>({
  type: 'object',
  required: ['type', 'id', 'provider', 'status', 'revision', 'createdAt', 'updatedAt'],
  properties: {
    type: { enum: ['provider', 'resourceGroup', 'resource'] },
    id: { type: 'string' },
    provider: { type: 'string' },
    resourceGroup: { type: 'string' },
    status: { enum: ['live', 'retired'] },
    revision: { type: 'integer', minimum: 1 },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
    retiredAt: { type: 'string', format: 'date-time' },
  },
});
const itemParams = Type.Object({
  id: Type.String({
    pattern: anyItemIdPattern,
    description: 'A readable item id: <provider>, <provider>/<group> or <provider>/<group>/<resource>',
  }),
});
const ifMatch = 'Send the ETag of the item as last read in If-Match';
const credentialView = Type.Object({
  item: Type.String(),
  origin: Type.String({
    description: 'The credential is sent to this origin only, while the upstream is there',
  }),
  header: Type.String(),
  sealed: Type.Boolean({ description: 'Sealed at rest (SANGAM_KEY_ENCRYPTION_SECRET set), or kept as sent' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

/** Catalogue items: search, listing, registration and changes, and the upstream credentials of proxy-mode ones. */
export function itemRoutes(ctx: CatalogueContext): RouteDeclaration[] {
  /** What the reader of this request may see of each item (anonymous readers: no upstream URL). */
  const seenBy = async (c: Context<AppEnv>) => {
    const principal = c.var.principal;
    const viewer = principal
      ? { organisation: principal.organisationId, cityAdmin: await isCityAdmin(ctx.db, principal) }
      : { cityAdmin: false };
    return (item: Item) => itemAsSeenBy(item, viewer);
  };
  const { provider, type, includeRetired, limit, offset } = searchQuery;

  return [
    route({
      method: 'get',
      path: '/cat/v1/search',
      operationId: 'searchItems',
      summary: 'Search items: words, tags, type, provider, city, access policy, and where',
      tag: 'Catalogue',
      security: 'identity-optional',
      query: Type.Object(searchQuery),
      responses: {
        200: { description: 'Matching items, one page, with totalHits', schema: Type.Array(itemSchema) },
      },
      refusals: [400, 401],
      handle: async (c, { query }) => {
        const { items, total } = await searchItems(ctx.db, searchOf(query));
        return c.json(success('cat', items.map(await seenBy(c)), { totalHits: total }));
      },
    }),
    route({
      method: 'get',
      path: '/cat/v1/items',
      operationId: 'listItems',
      summary: 'List items',
      tag: 'Catalogue',
      security: 'identity-optional',
      query: Type.Object({ provider, type, includeRetired, limit, offset }),
      responses: { 200: { description: 'Items, one page, with totalHits', schema: Type.Array(itemSchema) } },
      refusals: [400, 401],
      handle: async (c, { query }) => {
        const { items, total } = await searchItems(ctx.db, searchOf(query));
        return c.json(success('cat', items.map(await seenBy(c)), { totalHits: total }));
      },
    }),
    route({
      method: 'post',
      path: '/cat/v1/items',
      operationId: 'createItem',
      summary: 'Register an item (its provider, or the city admin)',
      tag: 'Catalogue',
      security: 'identity',
      roles: ['provider', 'admin'],
      audit: 'catalogue.item.create',
      body: itemBody,
      responses: { 201: { description: 'The item, with its ETag', schema: itemSchema } },
      refusals: [400, 401, 403, 409, 413, 415],
      handle: async (c, { body }) => {
        const item = await createItem(ctx, callerOf(c), body);
        c.header('location', `/cat/v1/items/${item.id}`);
        c.header('etag', etagOf(item));
        return c.json(success('cat', item, { title: 'Item created' }), 201);
      },
    }),
    route({
      method: 'get',
      path: '/cat/v1/items/{id}/related',
      operationId: 'relatedItems',
      summary: "Items related to one: its provider, its group, or a group's resources",
      tag: 'Catalogue',
      security: 'identity-optional',
      params: itemParams,
      query: Type.Object({
        rel: Type.Union([Type.Literal('provider'), Type.Literal('group'), Type.Literal('resource')]),
        includeRetired,
      }),
      responses: { 200: { description: 'Related items', schema: Type.Array(itemSchema) } },
      refusals: [400, 401, 404],
      handle: async (c, { params, query }) => {
        const items = await relatedItems(
          ctx.db,
          params.id,
          query.rel as Relation,
          query.includeRetired ?? false,
        );
        return c.json(success('cat', items.map(await seenBy(c)), { totalHits: items.length }));
      },
    }),
    // The secret a proxy-mode upstream is called with: set and removed by its provider, never read back.
    route({
      method: 'put',
      path: '/cat/v1/upstream-credentials/{id}',
      operationId: 'setUpstreamCredential',
      summary:
        "Set the secret a proxy-mode resource's upstream is called with (one header), for its upstream's origin only; sealed when SANGAM_KEY_ENCRYPTION_SECRET is set, never shown again",
      tag: 'Catalogue',
      security: 'identity',
      roles: ['provider', 'admin'],
      audit: 'catalogue.item.credential.set',
      params: itemParams,
      body: upstreamCredentialSchema,
      responses: {
        200: { description: 'Which header the credential goes in, and since when', schema: credentialView },
      },
      refusals: [400, 401, 403, 404, 409, 413, 415],
      handle: async (c, { params, body }) =>
        c.json(
          success('cat', await setUpstreamCredential(ctx, callerOf(c), params.id, body), {
            title: 'Upstream credential set',
          }),
        ),
    }),
    route({
      method: 'get',
      path: '/cat/v1/upstream-credentials/{id}',
      operationId: 'upstreamCredential',
      summary: "Which header a resource's upstream credential goes in, and since when (never its value)",
      tag: 'Catalogue',
      security: 'identity',
      params: itemParams,
      responses: { 200: { description: 'The credential, without its value', schema: credentialView } },
      refusals: [401, 403, 404],
      handle: async (c, { params }) =>
        c.json(success('cat', await upstreamCredentialOf(ctx, callerOf(c), params.id))),
    }),
    route({
      method: 'delete',
      path: '/cat/v1/upstream-credentials/{id}',
      operationId: 'removeUpstreamCredential',
      summary: "Remove a resource's upstream credential",
      tag: 'Catalogue',
      security: 'identity',
      audit: 'catalogue.item.credential.remove',
      params: itemParams,
      responses: { 204: { description: 'Removed' } },
      refusals: [401, 403, 404],
      handle: async (c, { params }) => {
        await removeUpstreamCredential(ctx, callerOf(c), params.id);
        return c.body(null, 204);
      },
    }),
    route({
      method: 'get',
      path: '/cat/v1/items/{id}',
      operationId: 'getItem',
      summary: 'One item, live or retired, with its ETag',
      tag: 'Catalogue',
      security: 'identity-optional',
      params: itemParams,
      query: Type.Object({}),
      responses: { 200: { description: 'The item', schema: itemSchema } },
      refusals: [400, 401, 404],
      handle: async (c, { params }) => {
        const item = await getItem(ctx.db, params.id);
        c.header('etag', etagOf(item));
        return c.json(success('cat', (await seenBy(c))(item)));
      },
    }),
    route({
      method: 'put',
      path: '/cat/v1/items/{id}',
      operationId: 'updateItem',
      summary: `Replace an item (its provider, or the city admin). ${ifMatch}`,
      tag: 'Catalogue',
      security: 'identity',
      roles: ['provider', 'admin'],
      audit: 'catalogue.item.update',
      params: itemParams,
      body: itemBody,
      responses: { 200: { description: 'The item, with its new ETag', schema: itemSchema } },
      refusals: [400, 401, 403, 404, 409, 412, 413, 415, 428],
      handle: async (c, { params, body }) => {
        const item = await updateItem(ctx, callerOf(c), params.id, body, c.req.header('if-match'));
        c.header('etag', etagOf(item));
        return c.json(success('cat', item, { title: 'Item updated' }));
      },
    }),
    route({
      method: 'delete',
      path: '/cat/v1/items/{id}',
      operationId: 'retireItem',
      summary: 'Retire an item; it stays resolvable, marked retired. If-Match is checked when sent',
      tag: 'Catalogue',
      security: 'identity',
      roles: ['provider', 'admin'],
      audit: 'catalogue.item.retire',
      params: itemParams,
      responses: { 200: { description: 'The retired item', schema: itemSchema } },
      refusals: [401, 403, 404, 409, 412],
      handle: async (c, { params }) => {
        const item = await retireItem(ctx, callerOf(c), params.id, c.req.header('if-match'));
        c.header('etag', etagOf(item));
        return c.json(success('cat', item, { title: 'Item retired' }));
      },
    }),
    route({
      method: 'get',
      path: '/cat/v1/schemas/{type}',
      operationId: 'itemSchema',
      summary: 'The JSON Schema of an item type',
      tag: 'Catalogue',
      security: 'none',
      params: Type.Object({
        type: Type.Union([Type.Literal('provider'), Type.Literal('resourceGroup'), Type.Literal('resource')]),
      }),
      responses: {
        200: {
          description: 'A JSON Schema',
          contentType: 'application/schema+json',
          schema: { type: 'object' },
          envelope: false,
        },
      },
      refusals: [404],
      handle: (c, { params }) =>
        c.body(JSON.stringify(itemSchemas[params.type]), 200, { 'content-type': 'application/schema+json' }),
    }),
  ];
}
