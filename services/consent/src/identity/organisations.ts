import { DxError, isSlug, type Organisation, type Principal, slugify } from '@sangam/core';
import { type Database, type Kysely, type OrganisationTable, type Selectable, toDbTime } from '@sangam/db';
import type { NewOrganisation } from '../schemas.js';
import {
  auditedChange,
  type Caller,
  changeEvent,
  type IdentityContext,
  requireCityAdmin,
} from './context.js';

export function toOrganisation(row: Selectable<OrganisationTable>): Organisation {
  return { id: row.id, name: row.name, kind: row.kind, city: row.city, createdAt: row.created_at };
}

export async function insertOrganisation(
  db: Kysely<Database>,
  input: NewOrganisation,
  now: Date,
): Promise<Organisation> {
  const row = {
    id: input.id ?? slugify(input.name),
    name: input.name.trim(),
    kind: input.kind,
    city: input.city.trim(),
    created_at: toDbTime(now),
  };
  const inserted = await db
    .insertInto('organisations')
    .values(row)
    .onConflict((oc) => oc.column('id').doNothing())
    .returningAll()
    .executeTakeFirst();
  if (!inserted) throw new DxError('alreadyExists', `An organisation with id "${row.id}" already exists`);
  return toOrganisation(inserted);
}

export async function createOrganisation(
  ctx: IdentityContext,
  caller: Caller,
  input: NewOrganisation,
): Promise<Organisation> {
  await requireCityAdmin(ctx, caller.principal);
  return auditedChange(ctx, async (trx) => {
    const organisation = await insertOrganisation(trx, input, ctx.clock.now());
    return {
      result: organisation,
      event: changeEvent(caller, 'identity.organisation.create', { organisation: organisation.id }),
    };
  });
}

export async function listOrganisations(
  ctx: IdentityContext,
  principal: Principal,
  page: { limit: number; offset: number },
): Promise<{ organisations: Organisation[]; total: number }> {
  await requireCityAdmin(ctx, principal);
  const [rows, count] = await Promise.all([
    ctx.db
      .selectFrom('organisations')
      .selectAll()
      .orderBy('id')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    ctx.db
      .selectFrom('organisations')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { organisations: rows.map(toOrganisation), total: Number(count.n) };
}

/** The city admin reads any organisation; a member of an organisation reads its own. */
export async function getOrganisation(
  ctx: IdentityContext,
  principal: Principal,
  id: string,
): Promise<Organisation> {
  if (principal.organisationId !== id) await requireCityAdmin(ctx, principal);
  const row = isSlug(id)
    ? await ctx.db.selectFrom('organisations').selectAll().where('id', '=', id).executeTakeFirst()
    : undefined;
  if (!row) throw new DxError('notFound', 'No such organisation');
  return toOrganisation(row);
}
