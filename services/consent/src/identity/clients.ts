import { DxError, roles as knownRoles, newId, type Principal, type Role } from '@sangam/core';
import { type ClientTable, type Database, type Kysely, type Selectable, toDbTime } from '@sangam/db';
import { type IdentityContext, requireCityAdmin } from './context.js';
import { generateClientSecret, hashSecret, verifyAgainstDecoy, verifySecret } from './secrets.js';

/** An API client as the API shows it: never its secret or the secret's hash. */
export interface Client {
  readonly clientId: string;
  readonly organisation: string;
  readonly name: string;
  readonly roles: readonly Role[];
  readonly status: 'active' | 'revoked';
  readonly createdAt: string;
  readonly secretRotatedAt: string | null;
  readonly revokedAt: string | null;
}

/** A client with its secret, returned once at creation and at rotation. */
export interface ClientWithSecret extends Client {
  readonly clientSecret: string;
}

export interface NewClient {
  readonly organisation: string;
  readonly roles: readonly Role[];
  readonly name?: string;
}

function parseRoles(text: string): Role[] {
  const value: unknown = JSON.parse(text);
  return Array.isArray(value)
    ? value.filter((r): r is Role => (knownRoles as readonly unknown[]).includes(r))
    : [];
}

export function toClient(row: Selectable<ClientTable>): Client {
  return {
    clientId: row.id,
    organisation: row.organisation_id,
    name: row.name,
    roles: parseRoles(row.roles),
    status: row.status,
    createdAt: row.created_at,
    secretRotatedAt: row.secret_rotated_at,
    revokedAt: row.revoked_at,
  };
}

/** Inserts a client with a fresh secret; the caller has already checked who may do this. */
export async function insertClient(
  db: Kysely<Database>,
  input: NewClient,
  options: { now: Date; scryptCost: number },
): Promise<ClientWithSecret> {
  const organisation = await db
    .selectFrom('organisations')
    .select('id')
    .where('id', '=', input.organisation)
    .executeTakeFirst();
  if (!organisation) {
    throw DxError.validation([
      { field: '/organisation', message: `no organisation "${input.organisation}"` },
    ]);
  }
  const secret = generateClientSecret();
  const rolesSorted = [...new Set(input.roles)].sort();
  const row = {
    id: newId('cl'),
    organisation_id: input.organisation,
    name: input.name?.trim() || `${input.organisation} ${rolesSorted.join('+')}`,
    roles: JSON.stringify(rolesSorted),
    secret_hash: await hashSecret(secret, options.scryptCost),
    status: 'active' as const,
    created_at: toDbTime(options.now),
    secret_rotated_at: null,
    revoked_at: null,
  };
  await db.insertInto('clients').values(row).execute();
  return { ...toClient(row), clientSecret: secret };
}

export async function createClient(
  ctx: IdentityContext,
  principal: Principal,
  input: NewClient,
): Promise<ClientWithSecret> {
  await requireCityAdmin(ctx, principal);
  return insertClient(ctx.db, input, { now: ctx.clock.now(), scryptCost: ctx.scryptCost });
}

async function findClient(ctx: IdentityContext, id: string): Promise<Selectable<ClientTable>> {
  const row = await ctx.db.selectFrom('clients').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new DxError('notFound', `No client "${id}"`);
  return row;
}

export async function getClient(ctx: IdentityContext, principal: Principal, id: string): Promise<Client> {
  if (principal.clientId !== id) await requireCityAdmin(ctx, principal);
  return toClient(await findClient(ctx, id));
}

export async function listClients(
  ctx: IdentityContext,
  principal: Principal,
  filter: { organisation?: string; limit: number; offset: number },
): Promise<{ clients: Client[]; total: number }> {
  await requireCityAdmin(ctx, principal);
  let query = ctx.db.selectFrom('clients');
  if (filter.organisation) query = query.where('organisation_id', '=', filter.organisation);
  const [rows, count] = await Promise.all([
    query.selectAll().orderBy('created_at').orderBy('id').limit(filter.limit).offset(filter.offset).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { clients: rows.map(toClient), total: Number(count.n) };
}

/** A new secret for the client; the old one stops working at once. */
export async function rotateClientSecret(
  ctx: IdentityContext,
  principal: Principal,
  id: string,
): Promise<ClientWithSecret> {
  await requireCityAdmin(ctx, principal);
  const row = await findClient(ctx, id);
  if (row.status !== 'active') throw new DxError('conflict', 'A revoked client cannot be given a new secret');
  const secret = generateClientSecret();
  const now = toDbTime(ctx.clock.now());
  const updated = await ctx.db
    .updateTable('clients')
    .set({ secret_hash: await hashSecret(secret, ctx.scryptCost), secret_rotated_at: now })
    .where('id', '=', id)
    .where('status', '=', 'active')
    .returningAll()
    .executeTakeFirst();
  if (!updated) throw new DxError('conflict', 'The client was revoked meanwhile');
  return { ...toClient(updated), clientSecret: secret };
}

/** Revokes a client: its secret and every token issued to it stop working. The row stays for the audit trail. */
export async function revokeClient(ctx: IdentityContext, principal: Principal, id: string): Promise<Client> {
  await requireCityAdmin(ctx, principal);
  const row = await findClient(ctx, id);
  if (row.status === 'revoked') return toClient(row);
  if (parseRoles(row.roles).includes('admin') && row.organisation_id === principal.organisationId) {
    const admins = await ctx.db
      .selectFrom('clients')
      .select(['id', 'roles'])
      .where('organisation_id', '=', row.organisation_id)
      .where('status', '=', 'active')
      .execute();
    if (admins.filter((a) => parseRoles(a.roles).includes('admin')).length <= 1) {
      throw new DxError(
        'conflict',
        'This is the last active city admin client; create another before revoking it',
      );
    }
  }
  const updated = await ctx.db
    .updateTable('clients')
    .set({ status: 'revoked', revoked_at: toDbTime(ctx.clock.now()) })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return toClient(updated);
}

/** The client whose id and secret these are, if it is active; undefined otherwise, in about the same time. */
export async function authenticateClient(
  ctx: IdentityContext,
  clientId: string,
  secret: string,
): Promise<Client | undefined> {
  const row =
    clientId.length <= 64
      ? await ctx.db.selectFrom('clients').selectAll().where('id', '=', clientId).executeTakeFirst()
      : undefined;
  if (!row) return verifyAgainstDecoy(secret, ctx.scryptCost).then(() => undefined);
  const matches = await verifySecret(secret, row.secret_hash);
  return matches && row.status === 'active' ? toClient(row) : undefined;
}

export async function isClientActive(db: Kysely<Database>, clientId: string): Promise<boolean> {
  const row = await db.selectFrom('clients').select('status').where('id', '=', clientId).executeTakeFirst();
  return row?.status === 'active';
}
