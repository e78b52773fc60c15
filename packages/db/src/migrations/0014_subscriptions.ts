import type { Kysely, Migration } from 'kysely';

export const subscriptions: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    // Where a record stands in its resource's feed: the data version its batch moved the resource to, and its place
    // in the batch. A resource's versions are taken under its version row's lock, so they commit in order, and a
    // subscriber that saw (v, p) misses nothing by asking for what lies after it. Records stored before have none.
    await db.schema.alterTable('records').addColumn('feed_version', 'bigint').execute();
    await db.schema.alterTable('records').addColumn('feed_position', 'integer').execute();
    await db.schema
      .createIndex('records_feed_idx')
      .on('records')
      .columns(['resource_id', 'feed_version', 'feed_position'])
      .execute();

    // A consumer's standing query on a resource under one consent, delivered by webhook or to a live stream.
    await db.schema
      .createTable('subscriptions')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('consent_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('consumer_org', 'varchar(64)', (c) => c.notNull())
      .addColumn('client_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('resource_id', 'varchar(200)', (c) => c.notNull())
      // attrs, q, geoQ and throttling as the consumer sent them, checked.
      .addColumn('spec', 'text', (c) => c.notNull())
      // An https URL, or the stream at /ngsi-ld/v1/subscriptions/{id}/events.
      .addColumn('endpoint', 'varchar(2000)', (c) => c.notNull())
      .addColumn('status', 'varchar(16)', (c) => c.notNull())
      .addColumn('ended_reason', 'text')
      // What a webhook has been sent up to (the feed's place); a stream keeps its own in Last-Event-ID.
      .addColumn('cursor_version', 'bigint', (c) => c.notNull())
      .addColumn('cursor_position', 'integer', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', 'varchar(32)')
      .addColumn('last_error', 'text')
      .addColumn('lease_until', 'varchar(32)')
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('subscriptions_consent_idx')
      .on('subscriptions')
      .column('consent_id')
      .execute();
    await db.schema
      .createIndex('subscriptions_resource_idx')
      .on('subscriptions')
      .columns(['resource_id', 'status'])
      .execute();

    // Webhook batches given up after the last retry: where they lay in the feed and why, never their data.
    await db.schema
      .createTable('subscription_dead_letters')
      .addColumn('subscription_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('from_version', 'bigint', (c) => c.notNull())
      .addColumn('from_position', 'integer', (c) => c.notNull())
      .addColumn('to_version', 'bigint', (c) => c.notNull())
      .addColumn('to_position', 'integer', (c) => c.notNull())
      .addColumn('records', 'integer', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('at', 'varchar(32)', (c) => c.notNull())
      .addPrimaryKeyConstraint('subscription_dead_letters_pk', [
        'subscription_id',
        'to_version',
        'to_position',
      ])
      .execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('subscription_dead_letters').execute();
    await db.schema.dropTable('subscriptions').execute();
    await db.schema.dropIndex('records_feed_idx').execute();
    await db.schema.alterTable('records').dropColumn('feed_position').execute();
    await db.schema.alterTable('records').dropColumn('feed_version').execute();
  },
};
