import type { Kysely, Migration } from 'kysely';

/** People's passkeys (WebAuthn credentials) and the one-time challenges of their ceremonies. */
export const passkeys: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('member_passkeys')
      // The credential id (base64url), as the authenticator names it.
      .addColumn('id', 'varchar(1400)', (c) => c.primaryKey())
      .addColumn('member_id', 'varchar(64)', (c) => c.notNull().references('members.id'))
      .addColumn('public_key', 'text', (c) => c.notNull())
      .addColumn('counter', 'bigint', (c) => c.notNull())
      .addColumn('transports', 'text', (c) => c.notNull())
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('last_used_at', 'varchar(32)')
      .execute();
    await db.schema
      .createIndex('member_passkeys_member_idx')
      .on('member_passkeys')
      .column('member_id')
      .execute();

    await db.schema
      .createTable('webauthn_challenges')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('challenge', 'varchar(128)', (c) => c.notNull())
      // Set for a registration (the member adding a passkey); empty for a sign-in, where anyone may answer.
      .addColumn('member_id', 'varchar(64)')
      .addColumn('expires_at', 'varchar(32)', (c) => c.notNull())
      .execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('webauthn_challenges').execute();
    await db.schema.dropTable('member_passkeys').execute();
  },
};
