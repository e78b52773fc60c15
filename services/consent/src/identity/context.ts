import type { AuditEvent, AuditLog } from '@sangam/audit';
import { type Caller, type Clock, DxError, type Principal } from '@sangam/core';
import { isCityAdmin } from '@sangam/policy';

export type { Caller };

import type { Database, Kysely, Notices, Transaction } from '@sangam/db';

/** What identity operations need: the database, the audit log, the clock and the scrypt cost for new secrets. */
export interface IdentityContext {
  readonly db: Kysely<Database>;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly scryptCost: number;
  /** Where a committed change is told to the processes that hold live subscriptions. */
  readonly notices?: Notices;
}

export { cityOrganisationId, cityOrganisationSetting } from '@sangam/policy';

/** The city administrator: an `admin` client of the city organisation. Partners' admins only sign for their own. */
export async function requireCityAdmin(ctx: IdentityContext, principal: Principal): Promise<void> {
  if (!(await isCityAdmin(ctx.db, principal)))
    throw new DxError('forbidden', 'Only the city administrator may do this');
}

export { changeEvent } from '@sangam/audit';

/** The key an action changes, by the prefix of its name. */
const subjects: readonly (readonly [string, 'consents' | 'mous' | 'clients' | 'organisations'])[] = [
  ['consent.', 'consents'],
  ['mou.', 'mous'],
  ['identity.client.', 'clients'],
  ['identity.organisation.', 'organisations'],
];

/**
 * Runs a change and writes its audit entry in one transaction: both commit, or neither. The audit log's lock is
 * taken first, which also serialises checks that must see every earlier change (e.g. "the last admin").
 */
export async function auditedChange<T>(
  ctx: IdentityContext,
  change: (
    trx: Transaction<Database>,
  ) => Promise<{ result: T; event: AuditEvent } | { result: T; events: AuditEvent[] }>,
): Promise<T> {
  let events: AuditEvent[] = [];
  const result = await ctx.db.transaction().execute(async (trx) => {
    await ctx.audit.lock(trx);
    const outcome = await change(trx);
    events = 'events' in outcome ? outcome.events : [outcome.event];
    await ctx.audit.appendWithin(trx, events);
    return outcome.result;
  });
  // After the commit: live subscriptions of what changed decide again (keys only, never data).
  if (ctx.notices) {
    const keys = {
      consents: new Set<string>(),
      mous: new Set<string>(),
      clients: new Set<string>(),
      organisations: new Set<string>(),
    };
    for (const e of events) {
      // What changed is the action's subject: a consent's event names its MoU too, but the MoU's other consents
      // are as they were (a revocation must not make every stream of the MoU decide again). An action of no known
      // subject names all it touches.
      const subject = subjects.find(([prefix]) => e.action.startsWith(prefix))?.[1];
      if (e.target?.consent && (subject ?? 'consents') === 'consents') keys.consents.add(e.target.consent);
      if (e.target?.mou && (subject ?? 'mous') === 'mous') keys.mous.add(e.target.mou);
      if (e.target?.client && (subject ?? 'clients') === 'clients') keys.clients.add(e.target.client);
      if (e.target?.organisation && (subject ?? 'organisations') === 'organisations')
        keys.organisations.add(e.target.organisation);
    }
    const payload = Object.fromEntries(
      Object.entries(keys)
        .filter(([, v]) => v.size > 0)
        .map(([k, v]) => [k, [...v]]),
    );
    if (Object.keys(payload).length > 0) ctx.notices.notify('sangam_policy', payload);
  }
  return result;
}
