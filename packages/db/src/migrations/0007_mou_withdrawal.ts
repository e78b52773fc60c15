import type { Kysely, Migration } from 'kysely';

export const mouWithdrawal: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    // A partner that leaves an MoU keeps its row (it signed, and the artefact names it) with the time it left.
    await db.schema.alterTable('mou_parties').addColumn('left_at', 'varchar(32)').execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('mou_parties').dropColumn('left_at').execute();
  },
};
