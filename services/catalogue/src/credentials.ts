import { changeEvent } from '@sangam/audit';
import { type Caller, DxError } from '@sangam/core';
import { toDbTime } from '@sangam/db';
import { type Static, Type } from '@sinclair/typebox';
import type { CatalogueContext } from './context.js';
import { getItem, type Item, requireOwner } from './items.js';

/** The secret a provider's API wants with every call, as a provider hands it over (never read back). */
export type UpstreamCredentialInput = Static<typeof upstreamCredentialSchema>;

/** What anyone, the provider included, learns of a stored credential: which header, and since when. */
export interface UpstreamCredentialView {
  readonly item: string;
  /** The origin it is sent to: only while the item's upstream is there. */
  readonly origin: string;
  readonly header: string;
  /** Whether it is sealed at rest (SANGAM_KEY_ENCRYPTION_SECRET is set) or kept as sent. */
  readonly sealed: boolean;
  readonly updatedAt: string;
}

/** Headers the proxy sets itself or that would change how the request travels; a credential cannot replace them. */
const reservedHeaders = new Set([
  'host',
  'connection',
  'content-length',
  'content-type',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'keep-alive',
  'expect',
  'accept',
  'accept-encoding',
]);

export const upstreamCredentialSchema = Type.Object(
  {
    header: Type.String({
      pattern: '^[A-Za-z0-9-]{1,64}$',
      description:
        'The request header the provider API reads the secret from, e.g. Authorization or X-Api-Key',
    }),
    value: Type.String({
      minLength: 1,
      maxLength: 4096,
      // Visible ASCII and spaces: no line break can smuggle a second header.
      pattern: '^[\\x20-\\x7E]+$',
      description: 'The header value, e.g. "Bearer …"; stored sealed and never shown again',
    }),
  },
  { additionalProperties: false },
);

/** The resource whose upstream takes the credential: live, proxy-mode, and `caller`'s to change. */
async function upstreamResource(ctx: CatalogueContext, caller: Caller, id: string): Promise<Item> {
  const item = await getItem(ctx.db, id);
  await requireOwner(ctx, caller.principal, item.provider);
  if (item.type !== 'resource' || !item.source?.upstream) {
    throw new DxError(
      'conflict',
      `${id} is not fetched from an upstream (source.upstream), so takes no credential`,
    );
  }
  if (item.status === 'retired') throw new DxError('conflict', 'A retired item cannot be changed');
  return item;
}

const credentialEvent = (caller: Caller, action: string, item: Item, header: string) =>
  changeEvent(caller, action, { item: item.id, provider: item.provider }, `header ${header}`);

/** Sets (or replaces) the credential sent to a resource's upstream; audited, the value never in the entry. */
export async function setUpstreamCredential(
  ctx: CatalogueContext,
  caller: Caller,
  id: string,
  input: UpstreamCredentialInput,
): Promise<UpstreamCredentialView> {
  if (reservedHeaders.has(input.header.toLowerCase())) {
    throw DxError.validation([
      {
        field: '/header',
        message: `${input.header} is set by the gateway itself; name the header the API reads`,
      },
    ]);
  }
  const item = await upstreamResource(ctx, caller, id);
  const sealed = ctx.credentials.seal(input.value);
  const row = {
    item_id: item.id,
    origin: new URL(item.source?.upstream ?? '').origin,
    header: input.header,
    value: sealed,
    updated_at: toDbTime(ctx.clock.now()),
  };
  await ctx.db.transaction().execute(async (trx) => {
    await ctx.audit.lock(trx);
    await trx
      .insertInto('upstream_credentials')
      .values(row)
      .onConflict((oc) =>
        oc
          .column('item_id')
          .doUpdateSet({ header: row.header, value: row.value, updated_at: row.updated_at }),
      )
      .execute();
    await ctx.audit.appendWithin(trx, [
      credentialEvent(caller, 'catalogue.item.credential.set', item, input.header),
    ]);
  });
  return viewOf(item.id, row);
}

function viewOf(
  item: string,
  row: { origin: string; header: string; value: string; updated_at: string },
): UpstreamCredentialView {
  return {
    item,
    origin: row.origin,
    header: row.header,
    sealed: row.value.startsWith('enc:'),
    updatedAt: row.updated_at,
  };
}

/** Which header a resource's upstream credential goes in, and when it was set; never its value. */
export async function upstreamCredentialOf(
  ctx: CatalogueContext,
  caller: Caller,
  id: string,
): Promise<UpstreamCredentialView> {
  const item = await getItem(ctx.db, id);
  await requireOwner(ctx, caller.principal, item.provider);
  const row = await ctx.db
    .selectFrom('upstream_credentials')
    .select(['origin', 'header', 'value', 'updated_at'])
    .where('item_id', '=', item.id)
    .executeTakeFirst();
  if (!row) throw new DxError('notFound', `${id} has no upstream credential`);
  return viewOf(item.id, row);
}

/** Removes a resource's upstream credential; audited. */
export async function removeUpstreamCredential(
  ctx: CatalogueContext,
  caller: Caller,
  id: string,
): Promise<void> {
  const item = await getItem(ctx.db, id);
  await requireOwner(ctx, caller.principal, item.provider);
  await ctx.db.transaction().execute(async (trx) => {
    await ctx.audit.lock(trx);
    const removed = await trx
      .deleteFrom('upstream_credentials')
      .where('item_id', '=', item.id)
      .returning('header')
      .executeTakeFirst();
    if (!removed) throw new DxError('notFound', `${id} has no upstream credential`);
    await ctx.audit.appendWithin(trx, [
      credentialEvent(caller, 'catalogue.item.credential.remove', item, removed.header),
    ]);
  });
}
