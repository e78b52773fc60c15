import type SqliteDatabase from 'better-sqlite3';
import type { SqliteDatabase as KyselySqliteDatabase } from 'kysely';

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
    prepare(sql: string) {
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
