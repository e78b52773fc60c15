import { DxError, type FieldError } from '@sangam/core';
import { type Database, isSqlite, type Kysely, type SelectQueryBuilder, sql } from '@sangam/db';
import { type GeoQuery, matchesGeo, parseGeoQuery } from '@sangam/geo';
import { type Static, type TObject, Type } from '@sinclair/typebox';
import { facet, type Item, toItem } from './items.js';

/** The query of a search, as `GET /cat/v1/search` takes it (the listing takes a part of it). */
export const searchQuery = {
  q: Type.Optional(Type.String({ maxLength: 10_000, description: 'Words in the name, description or tags' })),
  tags: Type.Optional(Type.String({ maxLength: 1400, description: 'Comma-separated tags (at most 20)' })),
  tagsMatch: Type.Optional(
    Type.Union([Type.Literal('any'), Type.Literal('all')], { description: 'any by default' }),
  ),
  type: Type.Optional(
    Type.Union([Type.Literal('provider'), Type.Literal('resourceGroup'), Type.Literal('resource')]),
  ),
  provider: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  city: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  accessPolicy: Type.Optional(
    Type.Union([Type.Literal('OPEN'), Type.Literal('SECURE'), Type.Literal('PII')]),
  ),
  georel: Type.Optional(Type.String({ maxLength: 100, description: 'within, intersects or near' })),
  geometry: Type.Optional(
    Type.Union(
      [Type.Literal('bbox'), Type.Literal('Point'), Type.Literal('LineString'), Type.Literal('Polygon')],
      {
        description: 'Shape of coordinates',
      },
    ),
  ),
  coordinates: Type.Optional(
    Type.String({ description: 'JSON positions [lon, lat]; a bbox is two corners [[lon, lat], [lon, lat]]' }),
  ),
  maxDistance: Type.Optional(
    Type.Number({ exclusiveMinimum: 0, maximum: 1_000_000, description: 'Metres from the point, for near' }),
  ),
  includeRetired: Type.Optional(Type.Boolean({ description: 'Also return retired items' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: 'Page size (default 100)' })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, description: 'Items to skip' })),
};
export type SearchQuery = Static<TObject<typeof searchQuery>>;

export interface Search {
  readonly words: readonly string[];
  readonly tags: readonly string[];
  readonly tagsMatch: 'any' | 'all';
  readonly type?: string;
  readonly provider?: string;
  readonly city?: string;
  readonly accessPolicy?: string;
  readonly geo?: GeoQuery;
  readonly includeRetired: boolean;
  /** Text was given but holds no word to look for (only punctuation): nothing can match. */
  readonly nothingToMatch: boolean;
  readonly limit: number;
  readonly offset: number;
}

const maxWords = 16;
/** Items a geo search tests exactly at most; a larger area must be narrowed (or other filters added). */
const maxGeoCandidates = 20_000;

/**
 * Words of free text, as letters and digits only: whatever a user types (quotes, `*`, `NEAR(`, `OR`, SQL) becomes
 * plain words, so it can never be query syntax on either backend.
 */
export function wordsOf(text: string): string[] {
  // Marks (\p{M}) belong to words: Devanagari and other Indian scripts write vowels with them.
  return (text.toLowerCase().match(/[\p{L}\p{M}\p{N}]+/gu) ?? [])
    .slice(0, maxWords)
    .map((w) => w.slice(0, 64));
}

/** A search from its checked query: tags split, the geometry parsed; what is still wrong is named in one 400. */
export function searchOf(query: SearchQuery): Search {
  const errors: FieldError[] = [];
  const bad = (field: string, message: string) => errors.push({ field, message });
  const q = query.q ?? '';
  const tags = (query.tags ?? '')
    .split(',')
    .map((t) => t.trim().toLowerCase())
    .filter((t) => t.length > 0);
  if (tags.length > 20 || tags.some((t) => t.length > 64))
    bad('tags', 'at most 20 tags of up to 64 characters');
  const geo = parseGeoQuery(
    Object.fromEntries(
      (['georel', 'geometry', 'coordinates', 'maxDistance'] as const)
        .filter((name) => query[name] !== undefined)
        .map((name) => [name, String(query[name])]),
    ),
    bad,
  );
  if (errors.length > 0) throw DxError.validation(errors, 'invalidParameter');
  return {
    words: wordsOf(q),
    tags,
    tagsMatch: query.tagsMatch ?? 'any',
    ...(query.type ? { type: query.type } : {}),
    ...(query.provider ? { provider: query.provider } : {}),
    ...(query.city ? { city: query.city } : {}),
    ...(query.accessPolicy ? { accessPolicy: query.accessPolicy } : {}),
    ...(geo ? { geo } : {}),
    includeRetired: query.includeRetired ?? false,
    nothingToMatch: q.trim() !== '' && wordsOf(q).length === 0,
    limit: query.limit ?? 100,
    offset: query.offset ?? 0,
  };
}

type ItemQuery = SelectQueryBuilder<Database, 'catalogue_items', object>;

/**
 * SQLite: everything but geometry as one FTS5 expression — the words in name, description or tags (the last also
 * as a prefix) and the facets — so the text index alone answers both the count and the candidates.
 */
function ftsExpression(search: Search, withStatus: boolean): string | undefined {
  const parts: string[] = [];
  if (search.words.length > 0) {
    const words = search.words.map((w, i) => `"${w}"${i === search.words.length - 1 ? '*' : ''}`).join(' ');
    parts.push(`{name description tags} : (${words})`);
  }
  const facets = [
    ...(search.includeRetired || !withStatus ? [] : [facet('status', 'live')]),
    ...(search.type ? [facet('type', search.type)] : []),
    ...(search.provider ? [facet('provider', search.provider)] : []),
    ...(search.city ? [facet('city', search.city)] : []),
    ...(search.accessPolicy ? [facet('access', search.accessPolicy)] : []),
  ];
  if (search.tags.length > 0) {
    const tags = search.tags.map((t) => facet('tag', t));
    if (search.tagsMatch === 'all') facets.push(...tags);
    else parts.push(`facets : (${tags.join(' OR ')})`);
  }
  if (facets.length > 0) parts.push(`facets : (${facets.join(' AND ')})`);
  return parts.length > 0 ? parts.join(' AND ') : undefined;
}

/**
 * The SQL filters of a search. On SQLite, `walkById` makes the page query walk the id index and test each row
 * against the text index (`+rowid` keeps SQLite from looking rows up by rowid and sorting them all), which is
 * the fast plan when many items match; few matches are faster looked up by rowid and sorted.
 */
function filtered(db: Kysely<Database>, search: Search, walkById = false): ItemQuery {
  let q: ItemQuery = db.selectFrom('catalogue_items');
  const sqlite = isSqlite(db as unknown as Kysely<unknown>);
  if (sqlite) {
    // With a geometry the R*Tree narrows first; the status is then a plain column test, not a text term that
    // every item has.
    if (search.geo && !search.includeRetired) q = q.where('status', '=', 'live');
    const match = ftsExpression(search, !search.geo);
    const rowid = walkById ? sql`+rowid` : sql`rowid`;
    if (match) {
      q = q.where(
        sql<boolean>`${rowid} in (select rowid from catalogue_fts where catalogue_fts match ${match})`,
      );
    }
  } else {
    if (!search.includeRetired) q = q.where('status', '=', 'live');
    if (search.type) q = q.where('type', '=', search.type as 'provider');
    if (search.provider) q = q.where('provider', '=', search.provider);
    if (search.city) q = q.where('city', '=', search.city);
    if (search.accessPolicy) q = q.where('access_policy', '=', search.accessPolicy);
    if (search.words.length > 0) {
      const tsquery = search.words.map((w, i) => (i === search.words.length - 1 ? `${w}:*` : w)).join(' & ');
      q = q.where(sql<boolean>`search @@ to_tsquery('simple', ${tsquery})`);
    }
    if (search.tags.length > 0) {
      const tsquery = search.tags
        .map((t) => facet('tag', t))
        .join(search.tagsMatch === 'any' ? ' | ' : ' & ');
      q = q.where(sql<boolean>`facet_search @@ to_tsquery('simple', ${tsquery})`);
    }
  }
  const box = search.geo?.box;
  if (box) {
    q = sqlite
      ? q.where(
          sql<boolean>`rowid in (select id from catalogue_rtree where max_lon >= ${box.minLon} and min_lon <= ${box.maxLon} and max_lat >= ${box.minLat} and min_lat <= ${box.maxLat})`,
        )
      : q.where(
          sql<boolean>`box(point(min_lon, min_lat), point(max_lon, max_lat)) && box(point(${box.minLon}, ${box.minLat}), point(${box.maxLon}, ${box.maxLat}))`,
        );
  }
  return q;
}

/** The number of matches of a search without geometry. On SQLite the text index answers it alone. */
async function count(db: Kysely<Database>, search: Search): Promise<number> {
  const match = isSqlite(db as unknown as Kysely<unknown>) ? ftsExpression(search, true) : undefined;
  const row = match
    ? await sql<{ n: number }>`select count(*) as n from catalogue_fts where catalogue_fts match ${match}`
        .execute(db)
        .then((r) => r.rows[0])
    : await filtered(db, search)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Runs a search: SQL filters and the index prefilter, then exact geometry tests, then the page. */
export async function searchItems(
  db: Kysely<Database>,
  search: Search,
): Promise<{ items: Item[]; total: number }> {
  if (search.nothingToMatch) return { items: [], total: 0 };
  if (!search.geo) {
    const total = await count(db, search);
    if (total === 0 || search.offset >= total) return { items: [], total };
    const rows = await filtered(db, search, total > 200)
      .select('document')
      .orderBy('id')
      .limit(search.limit)
      .offset(search.offset)
      .execute();
    return { items: rows.map(toItem), total };
  }
  const query = filtered(db, search);
  const geo = search.geo;
  const candidates = await query
    .select('document')
    .orderBy('id')
    .limit(maxGeoCandidates + 1)
    .execute();
  if (candidates.length > maxGeoCandidates) {
    throw DxError.validation(
      [
        {
          field: 'coordinates',
          message: `the area holds more than ${maxGeoCandidates} items; narrow it or add filters`,
        },
      ],
      'invalidParameter',
    );
  }
  const matched = candidates.map(toItem).filter((item) => matchesGeo(item.location, geo));
  return { items: matched.slice(search.offset, search.offset + search.limit), total: matched.length };
}
