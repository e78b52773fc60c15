import type { Kysely, Migration } from 'kysely';

/** People of the alliance's organisations, their one-time invitations and their console sessions. */
export const people: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('members')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('organisation_id', 'varchar(64)', (c) => c.notNull().references('organisations.id'))
      .addColumn('email', 'varchar(254)', (c) => c.notNull().unique())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('roles', 'text', (c) => c.notNull())
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('status', 'varchar(16)', (c) => c.notNull())
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('invited_by', 'varchar(64)', (c) => c.notNull())
      .addColumn('suspended_at', 'varchar(32)')
      .execute();
    await db.schema.createIndex('members_organisation_idx').on('members').column('organisation_id').execute();

    await db.schema
      .createTable('member_invitations')
      // SHA-256 of the link's secret: the link itself is shown once and never stored.
      .addColumn('token_hash', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('id', 'varchar(64)', (c) => c.notNull().unique())
      .addColumn('organisation_id', 'varchar(64)', (c) => c.notNull().references('organisations.id'))
      .addColumn('email', 'varchar(254)', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('roles', 'text', (c) => c.notNull())
      .addColumn('invited_by', 'varchar(64)', (c) => c.notNull())
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('expires_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('accepted_at', 'varchar(32)')
      .execute();

    await db.schema
      .createTable('member_sessions')
      // SHA-256 of the cookie's value: a copy of the table signs no one in.
      .addColumn('id_hash', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('member_id', 'varchar(64)', (c) => c.notNull().references('members.id'))
      .addColumn('csrf_token', 'varchar(64)', (c) => c.notNull())
      .addColumn('source', 'varchar(64)', (c) => c.notNull())
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('last_seen_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('expires_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('ended_at', 'varchar(32)')
      .execute();
    await db.schema
      .createIndex('member_sessions_member_idx')
      .on('member_sessions')
      .column('member_id')
      .execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('member_sessions').execute();
    await db.schema.dropTable('member_invitations').execute();
    await db.schema.dropTable('members').execute();
  },
};
