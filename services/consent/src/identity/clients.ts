import type { AuditLog } from '@sangam/audit';
import { type Clock, DxError, roles as knownRoles, newId, type Principal, type Role } from '@sangam/core';
import {
  type ClientTable,
  type Database,
  type Kysely,
  type Selectable,
  type Transaction,
  toDbTime,
} from '@sangam/db';
import type { NewClient } from '../schemas.js';
import {
  auditedChange,
  type Caller,
  changeEvent,
  cityOrganisationId,
  type IdentityContext,
  requireCityAdmin,
} from './context.js';
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

export function parseRoles(text: string): Role[] {
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
  caller: Caller,
  input: NewClient,
): Promise<ClientWithSecret> {
  await requireCityAdmin(ctx, caller.principal);
  return auditedChange(ctx, async (trx) => {
    const client = await insertClient(trx, input, { now: ctx.clock.now(), scryptCost: ctx.scryptCost });
    return {
      result: client,
      event: changeEvent(
        caller,
        'identity.client.create',
        { client: client.clientId, organisation: client.organisation },
        `roles: ${client.roles.join(' ')}`,
      ),
    };
  });
}

/** Client ids are our own opaque ids; anything else names no client (and never reaches the database). */
const clientIdPattern = /^[A-Za-z0-9_-]{1,64}$/;

async function findClient(db: Kysely<Database>, id: string): Promise<Selectable<ClientTable>> {
  const row = clientIdPattern.test(id)
    ? await db.selectFrom('clients').selectAll().where('id', '=', id).executeTakeFirst()
    : undefined;
  if (!row) throw new DxError('notFound', 'No such client');
  return row;
}

export async function getClient(ctx: IdentityContext, principal: Principal, id: string): Promise<Client> {
  if (principal.clientId !== id) await requireCityAdmin(ctx, principal);
  return toClient(await findClient(ctx.db, id));
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

/** A new secret for the client; the old one, and every token issued before now, stop working at once. */
export async function rotateClientSecret(
  ctx: IdentityContext,
  caller: Caller,
  id: string,
): Promise<ClientWithSecret> {
  await requireCityAdmin(ctx, caller.principal);
  const secret = generateClientSecret();
  const secretHash = await hashSecret(secret, ctx.scryptCost);
  return auditedChange(ctx, async (trx) => {
    const { row, updated } = await replaceSecret(trx, id, secretHash, ctx.clock.now());
    return {
      result: { ...toClient(updated), clientSecret: secret },
      event: changeEvent(caller, 'identity.client.rotate', { client: id, organisation: row.organisation_id }),
    };
  });
}

/**
 * `sangam clients rotate ID`, run on the machine that holds the database: a new secret for a client whose secret
 * was lost (the city's only admin, say), where no API caller can prove who it is. Whoever can run it can already
 * write the database; the log records the replacement as made at the host, by the operating-system user named.
 */
export async function replaceClientSecretAtHost(
  db: Kysely<Database>,
  id: string,
  options: { clock: Clock; scryptCost: number; audit: AuditLog; operator: string },
): Promise<ClientWithSecret> {
  const secret = generateClientSecret();
  const secretHash = await hashSecret(secret, options.scryptCost);
  return db.transaction().execute(async (trx) => {
    await options.audit.lock(trx);
    const { row, updated } = await replaceSecret(trx, id, secretHash, options.clock.now());
    // Done for the city, which runs the gateway: not by the client's own organisation.
    const city = await cityOrganisationId(trx);
    await options.audit.appendWithin(trx, [
      {
        action: 'identity.client.rotate',
        decision: 'allow',
        ...(city ? { actor: { organisation: city } } : {}),
        target: { client: id, organisation: row.organisation_id },
        reason: `secret replaced at the database host by ${options.operator.slice(0, 100)} (sangam clients rotate)`,
      },
    ]);
    return { ...toClient(updated), clientSecret: secret };
  });
}

/** Stores a new secret hash for an active client; every token issued before `now` stops working. */
async function replaceSecret(
  trx: Transaction<Database>,
  id: string,
  secretHash: string,
  now: Date,
): Promise<{ row: Selectable<ClientTable>; updated: Selectable<ClientTable> }> {
  const row = await findClient(trx, id);
  if (row.status !== 'active') throw new DxError('conflict', 'A revoked client cannot be given a new secret');
  const updated = await trx
    .updateTable('clients')
    .set({ secret_hash: secretHash, secret_rotated_at: toDbTime(now) })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return { row, updated };
}

/** Revokes a client: its secret and every token issued to it stop working. The row stays for the audit trail. */
export async function revokeClient(ctx: IdentityContext, caller: Caller, id: string): Promise<Client> {
  await requireCityAdmin(ctx, caller.principal);
  const current = await findClient(ctx.db, id);
  // Revoking twice changes nothing and is not audited twice.
  if (current.status === 'revoked') return toClient(current);
  return auditedChange(ctx, async (trx) => {
    const row = await findClient(trx, id);
    if (row.status === 'revoked')
      return {
        result: toClient(row),
        event: changeEvent(caller, 'identity.client.revoke', { client: id }, 'already revoked'),
      };
    if (parseRoles(row.roles).includes('admin') && row.organisation_id === caller.principal.organisationId) {
      // Serialised by the audit lock taken first, so two admins cannot revoke each other at once.
      if ((await activeAdmins(trx, row.organisation_id)) <= 1) {
        throw new DxError(
          'conflict',
          'This is the last active city admin client; create another before revoking it',
        );
      }
    }
    const updated = await trx
      .updateTable('clients')
      .set({ status: 'revoked', revoked_at: toDbTime(ctx.clock.now()) })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return {
      result: toClient(updated),
      event: changeEvent(caller, 'identity.client.revoke', { client: id, organisation: row.organisation_id }),
    };
  });
}

async function activeAdmins(trx: Transaction<Database>, organisation: string): Promise<number> {
  const rows = await trx
    .selectFrom('clients')
    .select('roles')
    .where('organisation_id', '=', organisation)
    .where('status', '=', 'active')
    .execute();
  return rows.filter((r) => parseRoles(r.roles).includes('admin')).length;
}

/** The client whose id and secret these are, if it is active; undefined otherwise, in about the same time. */
export async function authenticateClient(
  ctx: IdentityContext,
  clientId: string,
  secret: string,
): Promise<Client | undefined> {
  const row = clientIdPattern.test(clientId)
    ? await ctx.db.selectFrom('clients').selectAll().where('id', '=', clientId).executeTakeFirst()
    : undefined;
  if (!row) return verifyAgainstDecoy(secret, ctx.scryptCost).then(() => undefined);
  const matches = await verifySecret(secret, row.secret_hash);
  return matches && row.status === 'active' ? toClient(row) : undefined;
}
