import { type Kysely, type Migration, sql } from 'kysely';
import { isSqlite } from '../dialect.js';

export const audit: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    // On SQLite an INTEGER PRIMARY KEY is the table's rowid (no second index), and the subtree table needs no rowid.
    const sqlite = isSqlite(db);
    // One row: the log's size. Every append locks it first, so appends from many processes get one sequence.
    await db.schema
      .createTable('audit_head')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('size', 'bigint', (c) => c.notNull())
      .execute();
    await db
      .insertInto('audit_head' as never)
      .values({ id: 1, size: 0 } as never)
      .execute();

    await db.schema
      .createTable('audit_entries')
      .addColumn('seq', sqlite ? 'integer' : 'bigint', (c) => c.primaryKey())
      .addColumn('time', 'varchar(32)', (c) => c.notNull())
      .addColumn('action', 'varchar(64)', (c) => c.notNull())
      .addColumn('decision', 'varchar(8)', (c) => c.notNull())
      .addColumn('actor_client', 'varchar(64)')
      .addColumn('actor_org', 'varchar(64)')
      .addColumn('provider_org', 'varchar(64)')
      .addColumn('consumer_org', 'varchar(64)')
      .addColumn('target_item', 'text')
      .addColumn('target_consent', 'varchar(64)')
      .addColumn('target_mou', 'varchar(64)')
      .addColumn('request_id', 'varchar(128)')
      .addColumn('entry', 'text', (c) => c.notNull())
      .execute();
    // One index per filter, ordered by seq for cursor paging (on SQLite the rowid, seq, is in every index
    // already); partial, so an entry pays only for the fields it has. Time needs none: it never decreases
    // along seq, so a time bound is found by binary search on the primary key.
    for (const column of [
      'action',
      'actor_client',
      'actor_org',
      'provider_org',
      'consumer_org',
      'target_item',
      'target_consent',
      'target_mou',
    ] as const) {
      await db.schema
        .createIndex(`audit_entries_${column}_idx`)
        .on('audit_entries')
        .columns(sqlite ? [column] : [column, 'seq'])
        .where(sql.ref(column), 'is not', null)
        .execute();
    }

    // Hashes of perfect aligned subtrees (level 0 = leaf hashes): any root or proof needs O(log n) of them.
    await db.schema
      .createTable('audit_nodes')
      .addColumn('level', 'integer', (c) => c.notNull())
      .addColumn('idx', 'bigint', (c) => c.notNull())
      .addColumn('hash', 'varchar(44)', (c) => c.notNull())
      .addPrimaryKeyConstraint('audit_nodes_pk', ['level', 'idx'])
      .$call((table) => (sqlite ? table.modifyEnd(sql`without rowid`) : table))
      .execute();

    await db.schema
      .createTable('audit_checkpoints')
      .addColumn('tree_size', 'bigint', (c) => c.primaryKey())
      .addColumn('root_hash', 'varchar(44)', (c) => c.notNull())
      .addColumn('timestamp', 'varchar(32)', (c) => c.notNull())
      .addColumn('jws', 'text', (c) => c.notNull())
      .execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    for (const table of ['audit_checkpoints', 'audit_nodes', 'audit_entries', 'audit_head']) {
      await db.schema.dropTable(table).execute();
    }
  },
};
