import type { Kysely, Migration } from 'kysely';

export const adapterStatus: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    // Each adapter's health, written after every poll by whichever process runs it, read by the status API.
    await db.schema
      .createTable('adapter_status')
      .addColumn('name', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('kind', 'varchar(16)', (c) => c.notNull())
      .addColumn('provider', 'varchar(64)', (c) => c.notNull())
      .addColumn('health', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
      .execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('adapter_status').execute();
  },
};
