import type { Kysely, Migration } from 'kysely';

export const identity: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('organisations')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('kind', 'varchar(16)', (c) => c.notNull())
      .addColumn('city', 'text', (c) => c.notNull())
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('clients')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('organisation_id', 'varchar(64)', (c) => c.notNull().references('organisations.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('roles', 'text', (c) => c.notNull())
      .addColumn('secret_hash', 'text', (c) => c.notNull())
      .addColumn('status', 'varchar(16)', (c) => c.notNull())
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('secret_rotated_at', 'varchar(32)')
      .addColumn('revoked_at', 'varchar(32)')
      .execute();
    await db.schema.createIndex('clients_organisation_idx').on('clients').column('organisation_id').execute();

    await db.schema
      .createTable('signing_keys')
      .addColumn('kid', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('alg', 'varchar(16)', (c) => c.notNull())
      .addColumn('public_jwk', 'text', (c) => c.notNull())
      .addColumn('private_jwk', 'text', (c) => c.notNull())
      .addColumn('status', 'varchar(16)', (c) => c.notNull())
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('retired_at', 'varchar(32)')
      .execute();
    await db.schema.createIndex('signing_keys_status_idx').on('signing_keys').column('status').execute();
    // At most one current key, even when several processes start on an empty database at once.
    await db.schema
      .createIndex('signing_keys_one_current')
      .unique()
      .on('signing_keys')
      .column('status')
      .where('status', '=', 'current')
      .execute();

    await db.schema
      .createTable('settings')
      .addColumn('name', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('settings').execute();
    await db.schema.dropTable('signing_keys').execute();
    await db.schema.dropTable('clients').execute();
    await db.schema.dropTable('organisations').execute();
  },
};
