import type { AuditLog } from '@sangam/audit';
import { type Clock, DxError, type Organisation } from '@sangam/core';
import type { Database, Kysely } from '@sangam/db';
import { type ClientWithSecret, insertClient } from './clients.js';
import { cityOrganisationSetting } from './context.js';
import { insertOrganisation } from './organisations.js';

export interface CityInit {
  readonly name: string;
  readonly city: string;
  readonly id?: string;
}

/**
 * `sangam admin init`: the city's organisation and its first admin client, on a gateway that has none.
 * Refuses (alreadyInitialised) on an initialised one; safe against two inits at once.
 */
export async function initialiseCity(
  db: Kysely<Database>,
  input: CityInit,
  options: { clock: Clock; scryptCost: number; audit: AuditLog },
): Promise<{ organisation: Organisation; admin: ClientWithSecret }> {
  const now = options.clock.now();
  return db.transaction().execute(async (trx) => {
    await options.audit.lock(trx);
    const claimed = await trx
      .insertInto('settings')
      .values({ name: cityOrganisationSetting, value: input.id ?? '' })
      .onConflict((oc) => oc.column('name').doNothing())
      .returning('name')
      .executeTakeFirst();
    if (!claimed)
      throw new DxError('alreadyInitialised', 'This gateway already has a city and an administrator');
    const organisation = await insertOrganisation(
      trx,
      { ...(input.id ? { id: input.id } : {}), name: input.name, kind: 'government', city: input.city },
      now,
    );
    await trx
      .updateTable('settings')
      .set({ value: organisation.id })
      .where('name', '=', cityOrganisationSetting)
      .execute();
    const admin = await insertClient(
      trx,
      { organisation: organisation.id, roles: ['admin'], name: `${organisation.name} administrator` },
      { now, scryptCost: options.scryptCost },
    );
    await options.audit.appendWithin(trx, [
      {
        action: 'identity.init',
        decision: 'allow',
        actor: { organisation: organisation.id },
        target: { organisation: organisation.id, client: admin.clientId },
        reason: 'city organisation and first admin client created',
      },
    ]);
    return { organisation, admin };
  });
}

export async function isInitialised(db: Kysely<Database>): Promise<boolean> {
  const row = await db
    .selectFrom('settings')
    .select('value')
    .where('name', '=', cityOrganisationSetting)
    .executeTakeFirst();
  return row !== undefined;
}
