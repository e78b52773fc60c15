import { hasRole } from '@sangam/auth';
import { DxError, type Principal } from '@sangam/core';
import type { Database, Kysely } from '@sangam/db';
import { seesAllAgreements } from '@sangam/policy';

/** ε spent on one released cell of a resource in one local day, as the auditor and the provider read it. */
export interface LedgerEntry {
  readonly resource: string;
  /** The local day, in the adapter's time zone. */
  readonly day: string;
  /** The released cell: an H3 cell with its category, or `origin>destination`. */
  readonly cell: string;
  readonly epsilonSpent: number;
  /** Noisy counts drawn for it, released or withheld. */
  readonly draws: number;
  /** The MoU's budget per cell and day when last spent from; absent when the MoU set none. */
  readonly budgetPerDay?: number;
  readonly adapter: string;
  readonly provider: string;
  readonly updatedAt: string;
}

/**
 * Whose ledger a caller reads: everyone's for an auditor and the city administrator, a provider's own datasets for a
 * provider (or its delegate); no one else's.
 */
export async function ledgerScope(
  db: Kysely<Database>,
  principal: Principal,
): Promise<{ provider?: string }> {
  if (await seesAllAgreements(db, principal)) return {};
  if (hasRole(principal, 'provider', 'delegate')) return { provider: principal.organisationId };
  throw new DxError('forbidden', 'The privacy ledger is read by auditors, the city and providers');
}

/** A page of the ledger, newest day first, with the total it is a page of. */
export async function ledgerEntries(
  db: Kysely<Database>,
  filter: { provider?: string; resource?: string; from: string; to: string },
  page: { limit: number; offset: number },
): Promise<{ entries: LedgerEntry[]; total: number }> {
  let query = db.selectFrom('privacy_ledger').where('day', '>=', filter.from).where('day', '<=', filter.to);
  if (filter.provider !== undefined) query = query.where('provider', '=', filter.provider);
  if (filter.resource !== undefined) query = query.where('resource_id', '=', filter.resource);
  const [rows, count] = await Promise.all([
    query
      .selectAll()
      .orderBy('day', 'desc')
      .orderBy('resource_id')
      .orderBy('cell')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return {
    entries: rows.map((r) => ({
      resource: r.resource_id,
      day: r.day,
      cell: r.cell,
      epsilonSpent: Number(r.epsilon_micro) / 1_000_000,
      draws: r.draws,
      ...(r.budget_micro !== null ? { budgetPerDay: Number(r.budget_micro) / 1_000_000 } : {}),
      adapter: r.adapter,
      provider: r.provider,
      updatedAt: r.updated_at,
    })),
    total: Number(count.n),
  };
}
