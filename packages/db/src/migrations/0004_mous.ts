import type { Kysely, Migration } from 'kysely';

export const mous: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('mous')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('city_org', 'varchar(64)', (c) => c.notNull().references('organisations.id'))
      .addColumn('title', 'text', (c) => c.notNull())
      // The agreed terms (problem, areas, purposes, datasets, confidentiality) as JSON: what every party signs.
      .addColumn('terms', 'text', (c) => c.notNull())
      .addColumn('effective_from', 'varchar(32)', (c) => c.notNull())
      .addColumn('ends_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('notice_days', 'integer', (c) => c.notNull())
      .addColumn('document_sha256', 'varchar(64)', (c) => c.notNull())
      // draft, awaiting-signatures, active or suspended; termination and expiry follow from terminates_at and ends_at.
      .addColumn('state', 'varchar(24)', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('terminates_at', 'varchar(32)')
      .addColumn('artefact', 'text')
      // An amendment in its signature round (JSON): the terms in force stay until every party has signed it.
      .addColumn('pending', 'text')
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('mous_city_idx').on('mous').column('city_org').execute();

    await db.schema
      .createTable('mou_parties')
      .addColumn('mou_id', 'varchar(64)', (c) => c.notNull().references('mous.id'))
      .addColumn('organisation_id', 'varchar(64)', (c) => c.notNull().references('organisations.id'))
      .addColumn('role', 'varchar(16)', (c) => c.notNull())
      .addColumn('signed_at', 'varchar(32)')
      .addColumn('signed_by', 'varchar(64)')
      .addPrimaryKeyConstraint('mou_parties_pk', ['mou_id', 'organisation_id'])
      .execute();
    await db.schema.createIndex('mou_parties_org_idx').on('mou_parties').column('organisation_id').execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('mou_parties').execute();
    await db.schema.dropTable('mous').execute();
  },
};
