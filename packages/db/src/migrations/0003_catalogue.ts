import { type Kysely, type Migration, sql } from 'kysely';
import { isSqlite } from '../dialect.js';

export const catalogue: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    const sqlite = isSqlite(db);
    await db.schema
      .createTable('catalogue_items')
      .addColumn('id', 'varchar(200)', (c) => c.primaryKey())
      .addColumn('type', 'varchar(16)', (c) => c.notNull())
      .addColumn('provider', 'varchar(64)', (c) => c.notNull())
      .addColumn('group_id', 'varchar(200)')
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('tags_text', 'text', (c) => c.notNull())
      // Exact-match facets (status, type, provider, city, access policy, each tag) as one hex token each, so
      // they are full-text terms: a facet search is answered by the text index alone, counts included.
      .addColumn('facets', 'text', (c) => c.notNull())
      .addColumn('city', 'varchar(100)')
      .addColumn('access_policy', 'varchar(8)')
      .addColumn('release_level', 'varchar(24)')
      // Bounding box of the coverage geometry: the index prefilter before exact geometry tests.
      .addColumn('min_lon', 'double precision')
      .addColumn('min_lat', 'double precision')
      .addColumn('max_lon', 'double precision')
      .addColumn('max_lat', 'double precision')
      .addColumn('status', 'varchar(8)', (c) => c.notNull())
      .addColumn('revision', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('retired_at', 'varchar(32)')
      .addColumn('document', 'text', (c) => c.notNull())
      .execute();
    for (const columns of [['provider'], ['group_id'], ['type'], ['city'], ['access_policy']]) {
      await db.schema
        .createIndex(`catalogue_items_${columns.join('_')}_idx`)
        .on('catalogue_items')
        .columns(columns)
        .execute();
    }

    // Spatial prefilter: an R*Tree over item bounding boxes on SQLite (keyed by the items' rowid), a GiST index over
    // the built-in box type on PostgreSQL (no PostGIS needed).
    if (sqlite) {
      await sql`create virtual table catalogue_rtree using rtree(id, min_lon, max_lon, min_lat, max_lat)`.execute(
        db,
      );
    } else {
      await sql`create index catalogue_items_box_idx on catalogue_items using gist (box(point(min_lon, min_lat), point(max_lon, max_lat)))`.execute(
        db,
      );
    }
    if (sqlite) {
      await sql`create virtual table catalogue_fts using fts5(name, description, tags, facets, tokenize = 'unicode61 remove_diacritics 2')`.execute(
        db,
      );
    } else {
      await sql`alter table catalogue_items add column search tsvector generated always as (to_tsvector('simple', name || ' ' || description || ' ' || tags_text)) stored`.execute(
        db,
      );
      await sql`create index catalogue_items_search_idx on catalogue_items using gin (search)`.execute(db);
      await sql`alter table catalogue_items add column facet_search tsvector generated always as (to_tsvector('simple', facets)) stored`.execute(
        db,
      );
      await sql`create index catalogue_items_facet_search_idx on catalogue_items using gin (facet_search)`.execute(
        db,
      );
    }
  },

  async down(db: Kysely<unknown>): Promise<void> {
    if (isSqlite(db)) {
      await db.schema.dropTable('catalogue_fts').execute();
      await db.schema.dropTable('catalogue_rtree').execute();
    }
    await db.schema.dropTable('catalogue_items').execute();
  },
};
