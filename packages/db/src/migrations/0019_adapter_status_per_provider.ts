import { type Kysely, type Migration, sql } from 'kysely';

/**
 * An adapter's health is kept per provider and name: names are each provider's own, so no provider can report
 * under, or keep out, another's adapter by reporting its name first. The table is rebuilt (SQLite cannot change a
 * primary key in place); its rows carry over.
 */
export const adapterStatusPerProvider: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await rebuild(db, ['provider', 'name']);
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await rebuild(db, ['name']);
  },
};

async function rebuild(db: Kysely<unknown>, key: string[]): Promise<void> {
  await db.schema
    .createTable('adapter_status_rebuilt')
    .addColumn('name', 'varchar(64)', (c) => c.notNull())
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('provider', 'varchar(64)', (c) => c.notNull())
    .addColumn('health', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .addPrimaryKeyConstraint(`adapter_status_${key.join('_')}_pk`, key as never)
    .execute();
  await sql`insert into adapter_status_rebuilt (name, kind, provider, health, updated_at)
    select name, kind, provider, health, updated_at from adapter_status`.execute(db);
  await db.schema.dropTable('adapter_status').execute();
  await db.schema.alterTable('adapter_status_rebuilt').renameTo('adapter_status').execute();
}
