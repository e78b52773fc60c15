import { type Clock, DxError, type Principal } from '@sangam/core';
import type { Database, Kysely } from '@sangam/db';

/** What identity operations need: the database, the clock and the scrypt cost for new secrets. */
export interface IdentityContext {
  readonly db: Kysely<Database>;
  readonly clock: Clock;
  readonly scryptCost: number;
}

export const cityOrganisationSetting = 'city_organisation_id';

/** The city's organisation id, set by `sangam admin init`; undefined on an uninitialised gateway. */
export async function cityOrganisationId(db: Kysely<Database>): Promise<string | undefined> {
  const row = await db
    .selectFrom('settings')
    .select('value')
    .where('name', '=', cityOrganisationSetting)
    .executeTakeFirst();
  return row?.value;
}

/** The city administrator: an `admin` client of the city organisation. Partners' admins only sign for their own. */
export async function requireCityAdmin(ctx: IdentityContext, principal: Principal): Promise<void> {
  const city = await cityOrganisationId(ctx.db);
  if (!principal.roles.includes('admin') || principal.organisationId !== city) {
    throw new DxError('forbidden', 'Only the city administrator may do this');
  }
}
