import { changeEvent } from '@sangam/audit';
import { type Caller, DxError, type Principal } from '@sangam/core';
import {
  type CatalogueItemTable,
  type Database,
  isSqlite,
  type Kysely,
  type Selectable,
  sql,
  type Transaction,
  toDbTime,
} from '@sangam/db';
import { boundingBox } from '@sangam/geo';
import { actsForProvider, groupOf, isCityAdmin, providerOf } from '@sangam/policy';
import { itemErrors } from './checks.js';
import type { CatalogueContext } from './context.js';
import type { ItemInput } from './schemas.js';

export type { ItemInput };

/** An item as the catalogue serves it. */
export interface Item extends ItemInput {
  readonly provider: string;
  readonly resourceGroup?: string;
  readonly status: 'live' | 'retired';
  readonly revision: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly retiredAt?: string;
}

/**
 * An item as `viewer` may see it: an upstream URL (which may carry the provider's key) only for its provider and the
 * city admin; everyone else learns that the data is fetched from the provider's API, not from where.
 */
export function itemAsSeenBy(item: Item, viewer: { organisation?: string; cityAdmin: boolean }): Item {
  if (!item.source?.upstream || viewer.cityAdmin || viewer.organisation === item.provider) return item;
  const { upstream: _hidden, ...source } = item.source;
  return { ...item, source: { ...source, upstream: 'hidden' } };
}

export const etagOf = (item: Pick<Item, 'revision'>): string => `"r${item.revision}"`;

/** The group a resource belongs to; providers and groups belong to none. */
const resourceGroupOf = (input: ItemInput): string | undefined =>
  input.type === 'resource' ? groupOf(input.id) : undefined;

export function toItem(row: Pick<Selectable<CatalogueItemTable>, 'document'>): Item {
  return JSON.parse(row.document) as Item;
}

async function findRow(
  db: Kysely<Database>,
  id: string,
): Promise<Selectable<CatalogueItemTable> | undefined> {
  return db.selectFrom('catalogue_items').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Providers write their own items; the city admin may act for any. */
export async function requireOwner(
  ctx: CatalogueContext,
  principal: Principal,
  provider: string,
): Promise<void> {
  if (actsForProvider(principal, provider) || (await isCityAdmin(ctx.db, principal))) return;
  throw new DxError('forbidden', `Only ${provider} (or the city administrator) may change its items`);
}

function rowOf(item: Item): Omit<CatalogueItemTable, never> {
  const box = item.location ? boundingBox(item.location) : undefined;
  return {
    id: item.id,
    type: item.type,
    provider: item.provider,
    group_id: item.resourceGroup ?? null,
    name: item.name,
    description: item.description ?? '',
    tags_text: (item.tags ?? []).join(' '),
    facets: facetsOf(item),
    city: item.city ?? null,
    access_policy: item.accessPolicy ?? null,
    release_level: item.releaseLevel ?? null,
    min_lon: box?.minLon ?? null,
    min_lat: box?.minLat ?? null,
    max_lon: box?.maxLon ?? null,
    max_lat: box?.maxLat ?? null,
    status: item.status,
    revision: item.revision,
    created_at: item.createdAt,
    updated_at: item.updatedAt,
    retired_at: item.retiredAt ?? null,
    document: JSON.stringify(item),
  };
}

/**
 * An exact-match facet (`status:live`, `tag:transit`, `city:Surat`) as one full-text term: `f` and the hex of its
 * UTF-8 bytes, which every tokenizer keeps whole and no user text can forge.
 */
export function facet(
  name: 'status' | 'type' | 'provider' | 'city' | 'access' | 'tag',
  value: string,
): string {
  return `f${Buffer.from(`${name}:${value}`, 'utf8').toString('hex')}`;
}

function facetsOf(item: Item): string {
  return [
    facet('status', item.status),
    facet('type', item.type),
    facet('provider', item.provider),
    ...(item.city ? [facet('city', item.city)] : []),
    ...(item.accessPolicy ? [facet('access', item.accessPolicy)] : []),
    ...(item.tags ?? []).map((tag) => facet('tag', tag)),
  ].join(' ');
}

/**
 * SQLite keeps its full-text (FTS5) and spatial (R*Tree) indexes in virtual tables keyed by the items' rowid;
 * PostgreSQL indexes generated columns of the row itself, so there is nothing to do there.
 */
async function reindex(trx: Transaction<Database>, ids: readonly string[]): Promise<void> {
  if (!isSqlite(trx as unknown as Kysely<unknown>)) return;
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = sql.join(ids.slice(i, i + 500));
    const rowids = sql`select rowid from catalogue_items where id in (${chunk})`;
    await sql`delete from catalogue_fts where rowid in (${rowids})`.execute(trx);
    await sql`delete from catalogue_rtree where id in (${rowids})`.execute(trx);
    await sql`insert into catalogue_fts (rowid, name, description, tags, facets)
      select rowid, name, description, tags_text, facets from catalogue_items where id in (${chunk})`.execute(
      trx,
    );
    await sql`insert into catalogue_rtree (id, min_lon, max_lon, min_lat, max_lat)
      select rowid, min_lon, max_lon, min_lat, max_lat from catalogue_items
      where id in (${chunk}) and min_lon is not null`.execute(trx);
  }
}

function checkInput(ctx: CatalogueContext, input: ItemInput): void {
  const errors = itemErrors(input, ctx.upstreamAllowHosts);
  if (errors.length > 0) throw DxError.validation(errors);
}

async function requireParent(db: Kysely<Database>, input: ItemInput): Promise<void> {
  if (input.type === 'provider') {
    const org = await db
      .selectFrom('organisations')
      .select('id')
      .where('id', '=', input.id)
      .executeTakeFirst();
    if (!org) throw DxError.validation([{ field: '/id', message: `no organisation "${input.id}"` }]);
    return;
  }
  const parentId = input.type === 'resource' ? groupOf(input.id) : providerOf(input.id);
  const parent = await findRow(db, parentId);
  if (parent?.status !== 'live') {
    const what = input.type === 'resource' ? 'resource group' : 'provider item';
    throw DxError.validation([{ field: '/id', message: `no live ${what} "${parentId}"; register it first` }]);
  }
}

function event(caller: Caller, action: string, item: Pick<Item, 'id' | 'provider'>, reason?: string) {
  return changeEvent(caller, action, { item: item.id, provider: item.provider }, reason);
}

/** Registers an item; audited in the same transaction. */
export async function createItem(ctx: CatalogueContext, caller: Caller, input: ItemInput): Promise<Item> {
  const provider = providerOf(input.id);
  await requireOwner(ctx, caller.principal, provider);
  checkInput(ctx, input);
  const now = toDbTime(ctx.clock.now());
  const group = resourceGroupOf(input);
  const item: Item = {
    ...input,
    provider,
    ...(group ? { resourceGroup: group } : {}),
    status: 'live',
    revision: 1,
    createdAt: now,
    updatedAt: now,
  };
  return ctx.db.transaction().execute(async (trx) => {
    await ctx.audit.lock(trx);
    // Under the lock, so the parent cannot be retired between this check and the insert.
    await requireParent(trx, input);
    const inserted = await trx
      .insertInto('catalogue_items')
      .values(rowOf(item))
      .onConflict((oc) => oc.column('id').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) throw new DxError('alreadyExists', `An item "${input.id}" already exists`);
    await reindex(trx, [item.id]);
    await ctx.audit.appendWithin(trx, [event(caller, 'catalogue.item.create', item)]);
    return item;
  });
}

/** Replaces an item's description; needs the ETag the caller last read (`If-Match`). */
export async function updateItem(
  ctx: CatalogueContext,
  caller: Caller,
  id: string,
  input: ItemInput,
  ifMatch: string | undefined,
): Promise<Item> {
  const row = await findRow(ctx.db, id);
  if (!row) throw new DxError('notFound', `No item "${id}"`);
  await requireOwner(ctx, caller.principal, row.provider);
  if (!ifMatch)
    throw new DxError('preconditionRequired', 'Send If-Match with the ETag of the item as you read it');
  const current = toItem(row);
  if (!ifMatch.split(',').some((tag) => tag.trim() === etagOf(current) || tag.trim() === '*')) {
    throw new DxError(
      'preconditionFailed',
      `The item changed since it was read; its ETag is now ${etagOf(current)}`,
    );
  }
  if (input.id !== id || input.type !== current.type) {
    throw DxError.validation([{ field: '/id', message: 'the id and type of an item cannot change' }]);
  }
  if (current.status === 'retired') throw new DxError('conflict', 'A retired item cannot be changed');
  checkInput(ctx, input);
  const item: Item = {
    ...input,
    provider: current.provider,
    ...(current.resourceGroup ? { resourceGroup: current.resourceGroup } : {}),
    status: 'live',
    revision: current.revision + 1,
    createdAt: current.createdAt,
    updatedAt: toDbTime(ctx.clock.now()),
  };
  return ctx.db.transaction().execute(async (trx) => {
    await ctx.audit.lock(trx);
    const updated = await trx
      .updateTable('catalogue_items')
      .set(rowOf(item))
      .where('id', '=', id)
      .where('revision', '=', current.revision)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) {
      throw new DxError('preconditionFailed', 'The item changed while this update was being made');
    }
    await reindex(trx, [item.id]);
    await ctx.audit.appendWithin(trx, [
      event(caller, 'catalogue.item.update', item, `revision ${item.revision}`),
    ]);
    return item;
  });
}

/** Retires an item: it stays resolvable, marked retired. A parent with live children is refused. */
export async function retireItem(
  ctx: CatalogueContext,
  caller: Caller,
  id: string,
  ifMatch: string | undefined,
): Promise<Item> {
  const row = await findRow(ctx.db, id);
  if (!row) throw new DxError('notFound', `No item "${id}"`);
  await requireOwner(ctx, caller.principal, row.provider);
  const current = toItem(row);
  if (ifMatch && !ifMatch.split(',').some((tag) => tag.trim() === etagOf(current) || tag.trim() === '*')) {
    throw new DxError(
      'preconditionFailed',
      `The item changed since it was read; its ETag is now ${etagOf(current)}`,
    );
  }
  if (current.status === 'retired') return current;
  return ctx.db.transaction().execute(async (trx) => {
    await ctx.audit.lock(trx);
    // Read again under the lock: an update or retirement that committed meanwhile wins, and this one is stale.
    const locked = await findRow(trx, id);
    if (!locked || locked.revision !== current.revision) {
      throw new DxError('preconditionFailed', 'The item changed while it was being retired; read it again');
    }
    const children = await trx
      .selectFrom('catalogue_items')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', 'live')
      .where((eb) =>
        current.type === 'provider'
          ? eb.and([eb('provider', '=', id), eb('type', '=', 'resourceGroup')])
          : eb('group_id', '=', id),
      )
      .executeTakeFirstOrThrow();
    if (current.type !== 'resource' && Number(children.n) > 0) {
      throw new DxError(
        'conflict',
        `"${id}" still has ${children.n} live item(s) under it; retire those first`,
      );
    }
    const now = toDbTime(ctx.clock.now());
    const item: Item = {
      ...current,
      status: 'retired',
      retiredAt: now,
      updatedAt: now,
      revision: current.revision + 1,
    };
    await trx.updateTable('catalogue_items').set(rowOf(item)).where('id', '=', id).execute();
    await reindex(trx, [id]);
    await ctx.audit.appendWithin(trx, [event(caller, 'catalogue.item.retire', item)]);
    return item;
  });
}

/**
 * Registers many items at once (a provider's bulk import, or seeding): each validated and audited as
 * `createItem` does, a thousand to a transaction. Parents must come before their children in `inputs`.
 */
export async function importItems(
  ctx: CatalogueContext,
  caller: Caller,
  inputs: readonly ItemInput[],
): Promise<number> {
  const admin = await isCityAdmin(ctx.db, caller.principal);
  for (const input of inputs) {
    const provider = providerOf(input.id);
    if (!admin && !actsForProvider(caller.principal, provider)) {
      throw new DxError('forbidden', `Only ${provider} (or the city administrator) may register its items`);
    }
    checkInput(ctx, input);
  }
  const now = toDbTime(ctx.clock.now());
  for (let start = 0; start < inputs.length; start += 1000) {
    const batch = inputs.slice(start, start + 1000).map((input): Item => {
      const group = resourceGroupOf(input);
      return {
        ...input,
        provider: providerOf(input.id),
        ...(group ? { resourceGroup: group } : {}),
        status: 'live',
        revision: 1,
        createdAt: now,
        updatedAt: now,
      };
    });
    await ctx.db.transaction().execute(async (trx) => {
      await ctx.audit.lock(trx);
      await trx.insertInto('catalogue_items').values(batch.map(rowOf)).execute();
      // After the insert, so a parent earlier in the same batch counts; a missing one rolls the batch back.
      for (const item of batch) await requireParent(trx, item);
      await reindex(
        trx,
        batch.map((item) => item.id),
      );
      await ctx.audit.appendWithin(
        trx,
        batch.map((item) => event(caller, 'catalogue.item.create', item, 'bulk import')),
      );
    });
  }
  return inputs.length;
}

export async function getItem(db: Kysely<Database>, id: string): Promise<Item> {
  const row = await db
    .selectFrom('catalogue_items')
    .select('document')
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw new DxError('notFound', `No item "${id}"`);
  return toItem(row);
}

export type Relation = 'provider' | 'group' | 'resource';

/** Items related to one: its provider, its group(s), its resource(s). */
export async function relatedItems(
  db: Kysely<Database>,
  id: string,
  rel: Relation,
  includeRetired: boolean,
): Promise<Item[]> {
  const item = await getItem(db, id);
  let query = db.selectFrom('catalogue_items').select('document').orderBy('id');
  if (!includeRetired) query = query.where('status', '=', 'live');
  if (rel === 'provider') query = query.where('id', '=', item.provider);
  else if (rel === 'group') {
    query =
      item.type === 'resource'
        ? query.where('id', '=', item.resourceGroup ?? '')
        : query.where('provider', '=', item.provider).where('type', '=', 'resourceGroup');
  } else {
    query = query.where('type', '=', 'resource');
    if (item.type === 'provider') query = query.where('provider', '=', item.provider);
    else if (item.type === 'resourceGroup') query = query.where('group_id', '=', item.id);
    else query = query.where('group_id', '=', item.resourceGroup ?? '').where('id', '!=', item.id);
  }
  const rows = await query.limit(1000).execute();
  return rows.map(toItem);
}
