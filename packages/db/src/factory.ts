import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { LocalNotices, type Notices, PostgresNotices } from './notices.js';
import type { Database } from './schema.js';
import { FairSqliteDialect } from './sqlite-dialect.js';
import { withNamedStatements, withStatementCache } from './statements.js';

export type Backend = 'sqlite' | 'postgres';

export interface DatabaseHandle {
  readonly db: Kysely<Database>;
  /**
   * For hot read paths: on SQLite a second, read-only connection (WAL lets it read while the writer's transaction
   * is open, so reads do not queue behind a commit); on PostgreSQL the same pool. It sees what was committed.
   */
  readonly reader: Kysely<Database>;
  readonly backend: Backend;
  /** The URL it was opened with, so a child process can open the same database. */
  readonly url: string;
  /** The options it was opened with, for another thread or process to open it the same way. */
  readonly options: DatabaseOptions;
  /** Notices of committed changes to the processes on this database (in this process alone on SQLite). */
  readonly notices: Notices;
  /** Connections of the PostgreSQL pool: open, idle, and callers waiting for one (none on SQLite). */
  poolUse?(): { readonly total: number; readonly idle: number; readonly waiting: number };
  destroy(): Promise<void>;
}

export interface DatabaseOptions {
  /** PostgreSQL pool size. */
  readonly poolSize?: number;
  /** SQLite `synchronous` pragma: FULL survives power loss, NORMAL only process crashes. */
  readonly sqliteSynchronous?: 'FULL' | 'NORMAL';
  /** How long a SQLite writer waits for a lock held by another process before failing. */
  readonly busyTimeoutMs?: number;
  /** PostgreSQL statement timeout. */
  readonly statementTimeoutMs?: number;
}

/** How much of a SQLite file is read through a memory map rather than read calls: 1 GiB of address space. */
const sqliteMmapBytes = 1 << 30;

export const defaultDatabaseUrl = 'sqlite:./data/sangam.db';

/** `postgres://…` and `postgresql://…` open PostgreSQL; `sqlite:<path>` (or a bare path) opens a SQLite file. */
export function backendOf(url: string): Backend {
  return /^postgres(ql)?:\/\//i.test(url) ? 'postgres' : 'sqlite';
}

export function isDatabaseUrl(url: string): boolean {
  if (backendOf(url) === 'postgres') {
    try {
      return new URL(url).hostname.length > 0 || url.includes('host=');
    } catch {
      return false;
    }
  }
  const path = sqlitePath(url);
  return path.length > 0;
}

/** The file a SQLite database URL names, or undefined for PostgreSQL and an in-memory database. */
export function sqliteFileOf(url: string): string | undefined {
  if (backendOf(url) === 'postgres') return undefined;
  const path = sqlitePath(url);
  return path === ':memory:' ? undefined : resolve(path);
}

function sqlitePath(url: string): string {
  return url.replace(/^sqlite:(\/\/)?/i, '').replace(/^file:/i, '');
}

// int8 (bigint) columns hold sequence numbers and millisecond times, all far below 2^53: read them as numbers.
const INT8_OID = 20;
const pgTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary'
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
};

/**
 * Opens the gateway database. SQLite runs in WAL mode with foreign keys on and a busy timeout, so several
 * processes can share one file; PostgreSQL uses a pool.
 */
export function createDatabase(
  url: string = defaultDatabaseUrl,
  options: DatabaseOptions = {},
): DatabaseHandle {
  if (backendOf(url) === 'postgres') {
    const pool = new pg.Pool({
      connectionString: url,
      max: options.poolSize ?? 10,
      types: pgTypes,
      connectionTimeoutMillis: 10_000,
      // No request waits on a lock or a runaway query for ever.
      statement_timeout: options.statementTimeoutMs ?? 30_000,
    });
    // An idle client that loses its connection must not crash the process; the next query reconnects.
    pool.on('error', () => {});
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: withNamedStatements(pool) }) });
    const notices = new PostgresNotices(url);
    return {
      db,
      reader: db,
      backend: 'postgres',
      url,
      options,
      notices,
      poolUse: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
      destroy: async () => {
        await notices.close();
        await db.destroy();
      },
    };
  }

  const path = sqlitePath(url);
  const memory = path === ':memory:';
  if (!memory) mkdirSync(dirname(resolve(path)), { recursive: true });
  const database = new SqliteDatabase(path);
  if (!memory) database.pragma('journal_mode = WAL');
  database.pragma('foreign_keys = ON');
  database.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000))}`);
  database.pragma(`synchronous = ${options.sqliteSynchronous ?? 'FULL'}`);
  // A 64 MiB page cache (the default is 2 MiB): the audit log and its indexes outgrow the default quickly.
  database.pragma('cache_size = -65536');
  database.pragma(`mmap_size = ${sqliteMmapBytes}`);
  const db = new Kysely<Database>({
    dialect: new FairSqliteDialect({ database: withStatementCache(database) }),
  });
  const notices = new LocalNotices();
  if (memory) {
    return { db, reader: db, backend: 'sqlite', url, options, notices, destroy: () => db.destroy() };
  }
  // Opened at its first query, by when the writer has created (and migrated) the file.
  const reader = new Kysely<Database>({
    dialect: new FairSqliteDialect({
      database: async () => {
        const connection = new SqliteDatabase(path, { readonly: true, fileMustExist: true });
        connection.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000))}`);
        connection.pragma('cache_size = -65536');
        // Every commit of the writer empties this connection's page cache; pages mapped from the file come back
        // without a read call each.
        connection.pragma(`mmap_size = ${sqliteMmapBytes}`);
        return withStatementCache(connection);
      },
    }),
  });
  return {
    db,
    reader,
    backend: 'sqlite',
    url,
    options,
    notices,
    destroy: async () => {
      await notices.close();
      await reader.destroy();
      await db.destroy();
    },
  };
}

/** True when the database answers a trivial query. */
export async function isReachable(db: Kysely<Database>): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}
