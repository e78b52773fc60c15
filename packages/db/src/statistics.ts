import { type Kysely, sql } from 'kysely';
import { isSqlite } from './dialect.js';
import type { Database } from './schema.js';

/** Rows written to each table by this process since its statistics were last refreshed, and the next mark. */
interface Growth {
  written: number;
  next: number;
  refreshing: boolean;
}

const growthOf = new WeakMap<object, Map<string, Growth>>();

/**
 * Tells PostgreSQL's planner that a table grew. The planner prices a query by the table's statistics, which
 * autovacuum refreshes about once a minute at best: a table that grows from empty (a new deployment, a new schema)
 * is planned as nearly empty meanwhile, and a plan kept for a prepared statement then walks every row of a resource
 * where the primary key finds the few asked for (ingestion's duplicate check took 250 ms a batch after 30,000
 * records). Each time the rows this process wrote to the table pass 1,000, then double that, it refreshes the
 * table's statistics itself, in the background. SQLite plans by its indexes alone: nothing to do.
 */
export function grew(db: Kysely<Database>, table: keyof Database & string, rows: number): void {
  if (rows <= 0 || isSqlite(db)) return;
  let tables = growthOf.get(db);
  if (!tables) {
    tables = new Map();
    growthOf.set(db, tables);
  }
  let growth = tables.get(table);
  if (!growth) {
    growth = { written: 0, next: 1000, refreshing: false };
    tables.set(table, growth);
  }
  growth.written += rows;
  if (growth.written < growth.next || growth.refreshing) return;
  growth.next = growth.written * 2;
  growth.refreshing = true;
  const done = growth;
  sql`analyze ${sql.table(table)}`
    .execute(db)
    .catch(() => {
      // Autovacuum refreshes them in time anyway; this only brings it forward.
    })
    .finally(() => {
      done.refreshing = false;
    });
}
