import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '@sangam/core';
import type { Database, Kysely } from '@sangam/db';
import { type LedgerStore, toMicro } from '@sangam/privacy';

/** Rows a statement: within SQLite's and PostgreSQL's limits on parameters (9 columns × 500). */
const chunk = 500;

/**
 * The ε ledger in the gateway's database: one row per resource, local day and released cell, added to in one
 * transaction per cycle, read by `GET /rs/v1/privacy/ledger`.
 */
export function databaseLedgerStore(
  db: Kysely<Database>,
  adapter: { readonly name: string; readonly provider: string },
  clock: Clock,
): LedgerStore {
  return {
    async spent(resource, day) {
      const [rows, draws] = await Promise.all([
        db
          .selectFrom('privacy_ledger')
          .select(['cell', 'epsilon_micro'])
          .where('resource_id', '=', resource)
          .where('day', '=', day)
          .execute(),
        db
          .selectFrom('privacy_draws')
          .select(['cell', 'period'])
          .where('resource_id', '=', resource)
          .where('day', '=', day)
          .execute(),
      ]);
      return {
        spent: new Map(rows.map((r) => [r.cell, Number(r.epsilon_micro)])),
        paid: new Set(draws.map((d) => `${d.cell}|${d.period}`)),
      };
    },
    async add(spends, budgetPerDay) {
      const budget = budgetPerDay === undefined ? null : toMicro(budgetPerDay);
      const at = clock.now().toISOString();
      const rows = spends.map((s) => ({
        resource_id: s.resource,
        day: s.day,
        cell: s.cell,
        adapter: adapter.name,
        provider: adapter.provider,
        epsilon_micro: s.epsilonMicro,
        draws: s.draws,
        budget_micro: budget,
        updated_at: at,
      }));
      const draws = spends.flatMap((s) =>
        s.periods.map((period) => ({ resource_id: s.resource, day: s.day, cell: s.cell, period })),
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
        // A repeat comes within hours (a restart, an hour read again): pairs older than two days are let go.
        const oldest = spends.map((s) => s.day).sort()[0];
        if (oldest) {
          const cutoff = new Date(Date.parse(`${oldest}T00:00:00Z`) - 2 * 86_400_000)
            .toISOString()
            .slice(0, 10);
          await tx.deleteFrom('privacy_draws').where('day', '<', cutoff).execute();
        }
      });
    },
  };
}

/**
 * The adapter's noise key, kept beside its outbox (readable by its owner only) and made on first use: noise drawn
 * under it for a cell and period is the same after a restart, so a count made again repeats, never re-draws.
 */
export function adapterNoiseKey(stateDir: string, name: string): Buffer {
  const file = join(stateDir, `${name}.noise.key`);
  try {
    const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');
    if (key.length >= 32) return key;
  } catch {
    // None yet.
  }
  mkdirSync(stateDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, `${key.toString('hex')}\n`, { mode: 0o600 });
  return key;
}
