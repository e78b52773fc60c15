import type { Principal } from '@sangam/core';
import type { Database, Kysely } from '@sangam/db';

/** The setting that names the city's organisation, written once by `sangam admin init`. */
export const cityOrganisationSetting = 'city_organisation_id';

/** The city's organisation id; undefined on a gateway not yet initialised. */
export async function cityOrganisationId(db: Kysely<Database>): Promise<string | undefined> {
  const row = await db
    .selectFrom('settings')
    .select('value')
    .where('name', '=', cityOrganisationSetting)
    .executeTakeFirst();
  return row?.value;
}

/** The city administrator: an `admin` client of the city organisation (partners' admins act for their own only). */
export async function isCityAdmin(db: Kysely<Database>, principal: Principal): Promise<boolean> {
  return principal.roles.includes('admin') && principal.organisationId === (await cityOrganisationId(db));
}

/**
 * Acts for the provider of items: a `provider` or `delegate` client of the organisation that provides them. It
 * registers and changes the items, publishes their records and decides the consents on them.
 */
export function actsForProvider(principal: Principal, provider: string): boolean {
  return (
    principal.organisationId === provider &&
    principal.roles.some((role) => role === 'provider' || role === 'delegate')
  );
}

/** Sees every MoU and consent of the gateway, whoever the parties: an auditor, or the city administrator. */
export async function seesAllAgreements(db: Kysely<Database>, principal: Principal): Promise<boolean> {
  return principal.roles.includes('auditor') || (await isCityAdmin(db, principal));
}

/**
 * Sees every entry of the audit log: an auditor only. Everyone else, the city administrator included, sees the
 * entries its organisation is party to (the API map of DESIGN.md §11), so running the alliance does not mean reading every release.
 */
export function seesWholeLog(principal: Principal): boolean {
  return principal.roles.includes('auditor');
}
