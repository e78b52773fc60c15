import type { Kysely, Migration } from 'kysely';

export const recordIndividuals: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    // The distinct individuals behind an aggregate cell, for the release-time k (DESIGN.md §5, rule 7). Null for a
    // record that is not an aggregate cell. Kept beside the body, never in it: the count is never released.
    for (const table of ['records', 'latest_records']) {
      await db.schema.alterTable(table).addColumn('individuals', 'integer').execute();
    }
  },

  async down(db: Kysely<unknown>): Promise<void> {
    for (const table of ['records', 'latest_records']) {
      await db.schema.alterTable(table).dropColumn('individuals').execute();
    }
  },
};
