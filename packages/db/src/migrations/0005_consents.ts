import type { Kysely, Migration } from 'kysely';

export const consents: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('consents')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('mou_id', 'varchar(64)', (c) => c.notNull().references('mous.id'))
      .addColumn('consumer_org', 'varchar(64)', (c) => c.notNull().references('organisations.id'))
      .addColumn('provider_org', 'varchar(64)', (c) => c.notNull().references('organisations.id'))
      // What is consented, as JSON: items, purpose, access types, attributes, release level, data time range.
      .addColumn('terms', 'text', (c) => c.notNull())
      .addColumn('rate_limit', 'integer', (c) => c.notNull())
      .addColumn('valid_from', 'varchar(32)', (c) => c.notNull())
      .addColumn('valid_to', 'varchar(32)', (c) => c.notNull())
      // requested | active | denied | paused | revoked; expiry follows from valid_to, and the MoU's state
      // stops or resumes it without a write.
      .addColumn('state', 'varchar(16)', (c) => c.notNull())
      .addColumn('artefact', 'text')
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
      .execute();
    for (const column of ['mou_id', 'consumer_org', 'provider_org']) {
      await db.schema.createIndex(`consents_${column}_idx`).on('consents').column(column).execute();
    }
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('consents').execute();
  },
};
