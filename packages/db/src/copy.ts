import SqliteDatabase from 'better-sqlite3';
import { type Kysely, sql } from 'kysely';
import type { DatabaseHandle } from './factory.js';
import type { Database } from './schema.js';

/** Any table by name: the copy goes by the catalogue, not by the typed schema. */
type AnyTables = Record<string, Record<string, unknown>>;

/** Rows copied per table, in the order they were copied. */
export type CopiedTables = { readonly table: string; readonly rows: number }[];

/** Tables a fresh schema already holds a row of (the empty log's head): the source's replace them. */
const filledByMigrations = ['audit_head'];

/** Parameters PostgreSQL takes in one statement, with room. */
const parametersPerStatement = 60_000;
/** Rows read from the source at a time. */
const pageRows = 5_000;

/**
 * Copies every table of an embedded SQLite gateway into an empty PostgreSQL one of the same schema version, in
 * one transaction: all of it or nothing, checked by `check` before it commits. Give it the source inside a read
 * transaction, so every table comes from one snapshot. Tables come from the target's catalogue, parents before the tables that
 * refer to them; columns are the target's own (not those PostgreSQL computes, such as the search vectors), read
 * from the source in primary-key order a page at a time. SQLite's own search and spatial indexes have no
 * counterpart to copy: PostgreSQL builds its own from the rows.
 */
export async function copyDatabase(
  source: Pick<DatabaseHandle, 'db' | 'backend'>,
  target: Pick<DatabaseHandle, 'db' | 'backend'>,
  options: {
    readonly onTable?: (table: string, rows: number) => void;
    /** Checks the copy inside its transaction, before it commits: throwing leaves the target as it was. */
    readonly check?: (copy: Kysely<Database>) => Promise<void>;
  } = {},
): Promise<CopiedTables> {
  if (source.backend !== 'sqlite' || target.backend !== 'postgres') {
    throw new Error('a copy goes from an embedded SQLite database to PostgreSQL');
  }
  // Tables by name, as the catalogue lists them: kysely quotes each name as an identifier.
  const from = source.db as unknown as Kysely<AnyTables>;
  const into = target.db as unknown as Kysely<AnyTables>;
  const tables = await tablesInOrder(target.db);
  const filled = [];
  for (const table of tables.filter((t) => !filledByMigrations.includes(t))) {
    const any = await into.selectFrom(table).select(sql`1`.as('one')).limit(1).execute();
    if (any.length > 0) filled.push(table);
  }
  if (filled.length > 0) {
    throw new Error(
      `the target database is not empty (${filled.join(', ')} hold rows): copy into a new database`,
    );
  }
  const copied: CopiedTables = [];
  await into.transaction().execute(async (trx) => {
    for (const table of filledByMigrations) await trx.deleteFrom(table).execute();
    for (const table of tables) {
      const columns = await copiedColumns(trx as unknown as Kysely<Database>, table);
      const keys = await primaryKey(source.db, table);
      const batch = Math.max(1, Math.floor(parametersPerStatement / columns.length));
      let rows = 0;
      let after: unknown[] | undefined;
      for (;;) {
        // Keyset paging in primary-key order: each page starts after the last key of the one before.
        const page = (await from
          .selectFrom(table)
          .select([...new Set([...columns, ...keys])].map((c) => sql.ref(c).as(c)))
          .$if(after !== undefined, (q) =>
            q.where(sql`(${sql.join(keys.map((k) => sql.ref(k)))})`, '>', sql`(${sql.join(after ?? [])})`),
          )
          .$call((q) => keys.reduce((ordered, k) => ordered.orderBy(sql.ref(k)), q))
          .limit(pageRows)
          .execute()) as Record<string, unknown>[];
        for (let i = 0; i < page.length; i += batch) {
          const values = page
            .slice(i, i + batch)
            .map((row) => Object.fromEntries(columns.map((c) => [c, row[c] ?? null])));
          await trx.insertInto(table).values(values).execute();
        }
        rows += page.length;
        const last = page.at(-1);
        if (!last || page.length < pageRows) break;
        after = keys.map((k) => last[k]);
      }
      copied.push({ table, rows });
      options.onTable?.(table, rows);
    }
    await options.check?.(trx as unknown as Kysely<Database>);
  });
  return copied;
}

/** The target's tables (but the migrator's), each after the tables its foreign keys point to. */
async function tablesInOrder(db: Kysely<Database>): Promise<string[]> {
  const tables = (
    await sql<{ name: string }>`
      select table_name as name from information_schema.tables
      where table_schema = current_schema() and table_type = 'BASE TABLE'
        and table_name not like 'kysely_migration%'
      order by table_name`.execute(db)
  ).rows.map((r) => r.name);
  const references = (
    await sql<{ child: string; parent: string }>`
      select c.relname as child, p.relname as parent
      from pg_constraint k
      join pg_class c on c.oid = k.conrelid
      join pg_class p on p.oid = k.confrelid
      where k.contype = 'f' and k.connamespace = current_schema()::regnamespace`.execute(db)
  ).rows;
  const ordered: string[] = [];
  const placing = new Set<string>();
  const place = (table: string) => {
    if (ordered.includes(table) || placing.has(table)) return;
    placing.add(table);
    for (const r of references) if (r.child === table && r.parent !== table) place(r.parent);
    ordered.push(table);
  };
  for (const table of tables) place(table);
  return ordered;
}

/** The columns of a target table that take values (not those PostgreSQL generates). */
async function copiedColumns(db: Kysely<Database>, table: string): Promise<string[]> {
  return (
    await sql<{ name: string }>`
      select column_name as name from information_schema.columns
      where table_schema = current_schema() and table_name = ${table} and is_generated = 'NEVER'
      order by ordinal_position`.execute(db)
  ).rows.map((r) => r.name);
}

/** A SQLite table's primary key columns, in key order (its rowid when it declares none). */
async function primaryKey(db: Kysely<Database>, table: string): Promise<string[]> {
  const keys = (
    await sql<{
      name: string;
    }>`select name from pragma_table_info(${table}) where pk > 0 order by pk`.execute(db)
  ).rows.map((r) => r.name);
  return keys.length > 0 ? keys : ['rowid'];
}

/**
 * A consistent copy of a live SQLite database in `file`, by `VACUUM INTO`: one read snapshot, so a gateway that keeps
 * serving meanwhile neither blocks it nor makes it start over. The copy is a compact database of its own, no WAL.
 */
export async function backupSqlite(sourceFile: string, file: string): Promise<void> {
  const source = new SqliteDatabase(sourceFile, { readonly: true, fileMustExist: true });
  try {
    source.prepare('VACUUM INTO ?').run(file);
  } finally {
    source.close();
  }
}

/** Folds a SQLite database's write-ahead log into its file and empties the log, so the file alone is the database. */
export function foldWal(file: string): void {
  const db = new SqliteDatabase(file, { fileMustExist: true });
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
}
