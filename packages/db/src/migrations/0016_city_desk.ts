import type { Kysely, Migration } from 'kysely';

/**
 * The city's desk: the problem statements it publishes, the proposals potential partners send it, and the outcomes
 * it records of ended MoUs (kept beside the MoU, whose signed terms never change).
 */
export const cityDesk: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('problem_statements')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('problem', 'text', (c) => c.notNull())
      .addColumn('affected', 'text', (c) => c.notNull())
      .addColumn('datasets', 'text', (c) => c.notNull())
      .addColumn('status', 'varchar(16)', (c) => c.notNull())
      .addColumn('created_by', 'varchar(64)', (c) => c.notNull())
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('problem_statements_status_idx')
      .on('problem_statements')
      .column('status')
      .execute();

    await db.schema
      .createTable('proposals')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('organisation', 'text', (c) => c.notNull())
      .addColumn('contact_name', 'text', (c) => c.notNull())
      .addColumn('contact_email', 'varchar(254)', (c) => c.notNull())
      .addColumn('offer', 'text', (c) => c.notNull())
      .addColumn('source', 'varchar(64)', (c) => c.notNull())
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('proposals_created_idx').on('proposals').column('created_at').execute();

    await db.schema
      .createTable('mou_outcomes')
      .addColumn('mou_id', 'varchar(64)', (c) => c.primaryKey().references('mous.id'))
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('recorded_by', 'varchar(64)', (c) => c.notNull())
      .addColumn('recorded_at', 'varchar(32)', (c) => c.notNull())
      .execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('mou_outcomes').execute();
    await db.schema.dropTable('proposals').execute();
    await db.schema.dropTable('problem_statements').execute();
  },
};
