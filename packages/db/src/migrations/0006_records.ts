import type { Kysely, Migration } from 'kysely';

export const records: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    // Every ingested record of a resource, keyed by entity and observation time: a re-sent record lands on its
    // own key (idempotent ingestion), and the primary key's order serves an entity's history.
    await db.schema
      .createTable('records')
      .addColumn('resource_id', 'varchar(200)', (c) => c.notNull())
      .addColumn('entity_id', 'varchar(256)', (c) => c.notNull())
      .addColumn('observed_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('ingested_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      // The record's location as a point or box, for a cheap prefilter before the exact geometry test.
      .addColumn('min_lon', 'double precision')
      .addColumn('min_lat', 'double precision')
      .addColumn('max_lon', 'double precision')
      .addColumn('max_lat', 'double precision')
      .addPrimaryKeyConstraint('records_pk', ['resource_id', 'entity_id', 'observed_at'])
      .execute();
    // Temporal queries and retention walk a resource's records by time.
    await db.schema
      .createIndex('records_resource_time_idx')
      .on('records')
      .columns(['resource_id', 'observed_at'])
      .execute();

    // The newest record of each entity, kept on ingestion: `latest` reads one row per entity, never a scan.
    await db.schema
      .createTable('latest_records')
      .addColumn('resource_id', 'varchar(200)', (c) => c.notNull())
      .addColumn('entity_id', 'varchar(256)', (c) => c.notNull())
      .addColumn('observed_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('min_lon', 'double precision')
      .addColumn('min_lat', 'double precision')
      .addColumn('max_lon', 'double precision')
      .addColumn('max_lat', 'double precision')
      .addPrimaryKeyConstraint('latest_records_pk', ['resource_id', 'entity_id'])
      .execute();

    // Requests per consent and minute, shared by every proxy instance on the database.
    await db.schema
      .createTable('rate_windows')
      .addColumn('consent_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('window_start', 'varchar(32)', (c) => c.notNull())
      .addColumn('requests', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('rate_windows_pk', ['consent_id', 'window_start'])
      .execute();

    // Metering: requests and released records per consent, item and day.
    await db.schema
      .createTable('usage_daily')
      .addColumn('day', 'varchar(10)', (c) => c.notNull())
      .addColumn('consent_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('item', 'varchar(200)', (c) => c.notNull())
      .addColumn('consumer_org', 'varchar(64)', (c) => c.notNull())
      .addColumn('provider_org', 'varchar(64)', (c) => c.notNull())
      .addColumn('requests', 'integer', (c) => c.notNull())
      .addColumn('denied', 'integer', (c) => c.notNull())
      .addColumn('records', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('usage_daily_pk', ['consent_id', 'item', 'day'])
      .execute();
    await db.schema
      .createIndex('usage_daily_provider_idx')
      .on('usage_daily')
      .columns(['provider_org', 'day'])
      .execute();
    await db.schema
      .createIndex('usage_daily_consumer_idx')
      .on('usage_daily')
      .columns(['consumer_org', 'day'])
      .execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    for (const table of ['usage_daily', 'rate_windows', 'latest_records', 'records']) {
      await db.schema.dropTable(table).execute();
    }
  },
};
