import type { Kysely, Migration } from 'kysely';

export const privacyLedger: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    // ε an adapter spent on noisy counts, per resource, local day and released cell. Millionths in an integer, so
    // the ledger adds up exactly however many draws it sums.
    await db.schema
      .createTable('privacy_ledger')
      .addColumn('resource_id', 'varchar(200)', (c) => c.notNull())
      .addColumn('day', 'varchar(10)', (c) => c.notNull())
      .addColumn('cell', 'varchar(100)', (c) => c.notNull())
      .addColumn('adapter', 'varchar(64)', (c) => c.notNull())
      .addColumn('provider', 'varchar(64)', (c) => c.notNull())
      .addColumn('epsilon_micro', 'bigint', (c) => c.notNull())
      .addColumn('draws', 'bigint', (c) => c.notNull())
      /** The day's budget per cell when it was last spent from (millionths); none: the MoU set none. */
      .addColumn('budget_micro', 'bigint')
      .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
      .addPrimaryKeyConstraint('privacy_ledger_pk', ['resource_id', 'day', 'cell'])
      .execute();
    await db.schema.createIndex('privacy_ledger_by_day').on('privacy_ledger').columns(['day']).execute();
    // The draws paid for, where the noise is keyed: a token of the cell, period, ε and count under the adapter's key
    // (the same count made again draws the same noise, and is not paid twice). Kept for the last few days only.
    await db.schema
      .createTable('privacy_draws')
      .addColumn('resource_id', 'varchar(200)', (c) => c.notNull())
      .addColumn('day', 'varchar(10)', (c) => c.notNull())
      .addColumn('cell', 'varchar(100)', (c) => c.notNull())
      .addColumn('draw', 'varchar(64)', (c) => c.notNull())
      .addPrimaryKeyConstraint('privacy_draws_pk', ['resource_id', 'day', 'cell', 'draw'])
      .execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('privacy_draws').execute();
    await db.schema.dropTable('privacy_ledger').execute();
  },
};
