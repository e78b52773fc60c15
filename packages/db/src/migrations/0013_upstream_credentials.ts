import type { Kysely, Migration } from 'kysely';

export const upstreamCredentials: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    // The secret a proxy-mode resource's upstream wants, sent as one request header and never shown again. Kept
    // apart from the catalogue item (whose document readers see), sealed when the operator sets a sealing secret.
    await db.schema
      .createTable('upstream_credentials')
      .addColumn('item_id', 'varchar(200)', (c) => c.primaryKey())
      // The origin the credential was set for: sent to that origin only, whatever the item's upstream says later.
      .addColumn('origin', 'varchar(300)', (c) => c.notNull())
      .addColumn('header', 'varchar(64)', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
      .execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('upstream_credentials').execute();
  },
};
