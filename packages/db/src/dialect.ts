import { type Kysely, SqliteAdapter } from 'kysely';

/** True on SQLite, for the few places where a migration or query must differ from PostgreSQL. */
export function isSqlite(db: Pick<Kysely<unknown>, 'getExecutor'>): boolean {
  return db.getExecutor().adapter instanceof SqliteAdapter;
}
