import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** One cell's spending of one cycle, as `@sangam/privacy`'s ledger gives it. */
export interface LedgerSpend {
  readonly resource: string;
  readonly day: string;
  readonly cell: string;
  readonly epsilonMicro: number;
  readonly draws: number;
  /** Tokens of the draws paid for (keyed noise): the same draw made again is not paid twice. */
  readonly paid: readonly string[];
}

/** Rows a statement: within SQLite's and PostgreSQL's limits on parameters (9 columns × 500). */
const chunk = 500;

/** What a resource's local day has spent in the ε ledger: ε per released cell, and the draws paid for. */
export async function daySpending(
  db: Kysely<Database>,
  resource: string,
  day: string,
): Promise<{ spent: Map<string, number>; paid: Set<string> }> {
  const [rows, draws] = await Promise.all([
    db
      .selectFrom('privacy_ledger')
      .select(['cell', 'epsilon_micro'])
      .where('resource_id', '=', resource)
      .where('day', '=', day)
      .execute(),
    db
      .selectFrom('privacy_draws')
      .select(['cell', 'draw'])
      .where('resource_id', '=', resource)
      .where('day', '=', day)
      .execute(),
  ]);
  return {
    spent: new Map(rows.map((r) => [r.cell, Number(r.epsilon_micro)])),
    paid: new Set(draws.map((d) => `${d.cell}|${d.draw}`)),
  };
}

/**
 * Adds an adapter's spending of one cycle to the ε ledger, in one transaction: each cell's row grows by what was
 * drawn, and the draws paid for are kept (for a few days) so a count made again is not paid twice.
 */
export async function recordSpending(
  db: Kysely<Database>,
  adapter: { readonly name: string; readonly provider: string },
  spends: readonly LedgerSpend[],
  budgetMicro: number | null,
  at: string,
): Promise<void> {
  // One row a cell: a statement may not update a row twice, so spends of one cell are added up first.
  const merged = new Map<string, { spend: LedgerSpend; paid: Set<string> }>();
  for (const s of spends) {
    const key = `${s.resource}|${s.day}|${s.cell}`;
    const known = merged.get(key);
    if (!known) merged.set(key, { spend: s, paid: new Set(s.paid) });
    else {
      known.spend = {
        ...known.spend,
        epsilonMicro: known.spend.epsilonMicro + s.epsilonMicro,
        draws: known.spend.draws + s.draws,
      };
      for (const p of s.paid) known.paid.add(p);
    }
  }
  const cells = [...merged.values()].map(({ spend, paid }) => ({ ...spend, paid: [...paid] }));
  const rows = cells.map((s) => ({
    resource_id: s.resource,
    day: s.day,
    cell: s.cell,
    adapter: adapter.name,
    provider: adapter.provider,
    epsilon_micro: s.epsilonMicro,
    draws: s.draws,
    budget_micro: budgetMicro,
    updated_at: at,
  }));
  const draws = cells.flatMap((s) =>
    s.paid.map((draw) => ({ resource_id: s.resource, day: s.day, cell: s.cell, draw })),
  );
  await db.transaction().execute(async (tx) => {
    // In chunks of rows a statement: a catching-up cycle spends on tens of thousands of cells.
    for (let i = 0; i < rows.length; i += chunk) {
      await tx
        .insertInto('privacy_ledger')
        .values(rows.slice(i, i + chunk))
        .onConflict((oc) =>
          oc.columns(['resource_id', 'day', 'cell']).doUpdateSet((eb) => ({
            epsilon_micro: eb('privacy_ledger.epsilon_micro', '+', eb.ref('excluded.epsilon_micro')),
            draws: eb('privacy_ledger.draws', '+', eb.ref('excluded.draws')),
            budget_micro: eb.ref('excluded.budget_micro'),
            updated_at: eb.ref('excluded.updated_at'),
          })),
        )
        .execute();
    }
    for (let i = 0; i < draws.length; i += chunk) {
      await tx
        .insertInto('privacy_draws')
        .values(draws.slice(i, i + chunk))
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
    // A repeat comes within hours (a restart, an hour read again): the draws of these resources older than two days
    // before the oldest day spent on are let go. Days are checked by their callers.
    const oldest = cells.map((s) => s.day).sort()[0];
    const cutoff = oldest ? new Date(Date.parse(`${oldest}T00:00:00Z`) - 2 * 86_400_000) : undefined;
    if (cutoff && !Number.isNaN(cutoff.getTime())) {
      await tx
        .deleteFrom('privacy_draws')
        .where('resource_id', 'in', [...new Set(cells.map((s) => s.resource))])
        .where('day', '<', cutoff.toISOString().slice(0, 10))
        .execute();
    }
  });
}
