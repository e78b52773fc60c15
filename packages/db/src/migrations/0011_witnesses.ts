import type { Kysely, Migration } from 'kysely';

export const witnesses: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    // A checkpoint as a C2SP signed note (origin, size, root, the gateway's signature), beside its JWS form. Older
    // checkpoints have none.
    await db.schema.alterTable('audit_checkpoints').addColumn('note', 'text').execute();

    // Witness keys, registered per organisation by the city admin: a C2SP verifier key (name+id+key).
    await db.schema
      .createTable('audit_witnesses')
      .addColumn('name', 'varchar(200)', (c) => c.primaryKey())
      .addColumn('organisation', 'varchar(64)', (c) => c.notNull())
      .addColumn('verifier_key', 'varchar(400)', (c) => c.notNull())
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .execute();

    // What witnesses posted: one cosignature line (tlog-cosignature) per witness and checkpoint.
    await db.schema
      .createTable('audit_cosignatures')
      .addColumn('tree_size', 'bigint', (c) => c.notNull())
      .addColumn('witness', 'varchar(200)', (c) => c.notNull())
      .addColumn('signature', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('audit_cosignatures_pk', ['tree_size', 'witness'])
      .execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('audit_cosignatures').execute();
    await db.schema.dropTable('audit_witnesses').execute();
    await db.schema.alterTable('audit_checkpoints').dropColumn('note').execute();
  },
};
