import type SqliteDatabase from 'better-sqlite3';
import type {
  SqliteDatabase as KyselySqliteDatabase,
  PostgresCursor,
  PostgresPool,
  PostgresPoolClient,
} from 'kysely';
import type pg from 'pg';

/**
 * The SQLite connection as kysely sees it, with its prepared statements kept by SQL text: kysely prepares every
 * query afresh, and the hot paths run the same few statements thousands of times a second. A statement that is
 * busy (a stream still iterating it) is never handed out twice; a fresh one is prepared instead.
 */
export function withStatementCache(database: SqliteDatabase.Database, size = 1000): KyselySqliteDatabase {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => {
      cache.clear();
      database.close();
    },
    prepare(text: string) {
      // A write transaction takes the write lock when it begins: one that read first and then wrote could be
      // refused (SQLITE_BUSY_SNAPSHOT) when another connection (the audit writer thread) committed in between.
      const sql = text === 'begin' && !database.readonly ? 'begin immediate' : text;
      const hit = cache.get(sql);
      if (hit && !hit.busy) return hit;
      const statement = database.prepare(sql);
      if (!hit) {
        if (cache.size >= size) {
          const oldest = cache.keys().next().value;
          if (oldest !== undefined) cache.delete(oldest);
        }
        cache.set(sql, statement);
      }
      return statement;
    },
  } as KyselySqliteDatabase;
}

/**
 * The PostgreSQL pool as kysely sees it, with the statements it runs again and again prepared by name on each
 * connection: kysely sends every query unnamed, so PostgreSQL parses and plans it afresh each time, which on the
 * release path costs more than running it. A text is named from its second run (one-off texts, such as `in` lists
 * of every length, stay unnamed), and at most `size` texts are, so no connection holds statements without bound.
 */
export function withNamedStatements(pool: pg.Pool, size = 500): PostgresPool {
  const names = new Map<string, string>();
  const seenOnce = new Set<string>();
  const nameOf = (text: string): string | undefined => {
    const known = names.get(text);
    if (known !== undefined || names.size >= size) return known;
    // Only plain data statements: DDL and transaction control are run unnamed.
    if (!/^\s*(select|insert|update|delete|with)\b/i.test(text)) return undefined;
    if (!seenOnce.has(text)) {
      if (seenOnce.size >= 10 * size) seenOnce.clear();
      seenOnce.add(text);
      return undefined;
    }
    const name = `sangam_${names.size}`;
    names.set(text, name);
    seenOnce.delete(text);
    return name;
  };
  return {
    async connect() {
      const client = await pool.connect();
      return {
        query(statement: string | PostgresCursor<unknown>, parameters?: ReadonlyArray<unknown>) {
          if (typeof statement !== 'string') return client.query(statement as never);
          const name = nameOf(statement);
          const values = [...(parameters ?? [])];
          return name ? client.query({ name, text: statement, values }) : client.query(statement, values);
        },
        release: (destroy?: boolean) => client.release(destroy),
      } as unknown as PostgresPoolClient;
    },
    end: () => pool.end(),
  };
}
