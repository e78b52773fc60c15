import type { Kysely, Migration } from 'kysely';

/**
 * Background jobs shared by every process on the database: who holds each job's lease, until when, and when it
 * last ran, so a job runs once per period across instances and moves to another when its holder dies.
 */
export const backgroundJobs: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('background_jobs')
      .addColumn('name', 'varchar(200)', (c) => c.primaryKey())
      .addColumn('holder', 'varchar(200)', (c) => c.notNull())
      .addColumn('lease_expires_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('last_run_at', 'varchar(32)')
      .addColumn('last_runner', 'varchar(200)')
      .addColumn('runs', 'bigint', (c) => c.notNull().defaultTo(0))
      .execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('background_jobs').execute();
  },
};
