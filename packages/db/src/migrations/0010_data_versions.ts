import type { Kysely, Migration } from 'kysely';

export const dataVersions: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    // A counter per resource, moved by every change to its stored records (ingestion, retention) in the same
    // transaction: a release may serve a page it rendered before as long as the counter has not moved.
    await db.schema
      .createTable('resource_data_versions')
      .addColumn('resource_id', 'varchar(200)', (c) => c.primaryKey())
      .addColumn('version', 'bigint', (c) => c.notNull())
      .execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('resource_data_versions').execute();
  },
};
