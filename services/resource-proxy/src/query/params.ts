import { DxError, type FieldError } from '@sangam/core';
import { type GeoQuery, parseGeoQuery } from '@sangam/geo';
import type { Static, TObject } from '@sinclair/typebox';
import type { TimeBounds } from '../records/store.js';
import { instantOf } from '../records/time.js';
import type { temporalQuery } from '../routes/queries.js';
import { attributesOf, type Filter, parseQ } from './q.js';

export type AccessKind = 'latest' | 'temporal';
export type Format = 'json' | 'geojson' | 'csv';

/** A consumer's query, parsed and checked, before the release rule is applied. */
export interface ResourceQuery {
  readonly kind: AccessKind;
  /** The resource asked for (NGSI-LD `id`, as IUDX uses it). */
  readonly resource: string;
  readonly attrs?: readonly string[];
  readonly filter?: Filter;
  readonly geo?: GeoQuery;
  /** The observation times asked for (temporal queries). */
  readonly bounds: TimeBounds;
  /** The data time range the request reaches, for the consent's check (either end open). */
  readonly dataFrom?: string;
  readonly dataTo?: string;
  readonly limit: number;
  readonly offset: number;
  readonly format: Format;
}

const resourcePattern =
  /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?(?:\/[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?){1,2}$/;
const attrPattern = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** The response format from `Accept`: JSON by default, GeoJSON or CSV when asked for; 406 for nothing we make. */
export function formatOf(accept: string | undefined): Format {
  if (!accept) return 'json';
  const types = accept
    .split(',')
    .map((part) => {
      const [type = '', ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { type: type.trim(), weight: q ? Number(q.slice(2)) : 1 };
    })
    .filter((t) => t.weight > 0)
    .sort((a, b) => b.weight - a.weight);
  for (const { type } of types) {
    if (type === 'application/geo+json') return 'geojson';
    if (type === 'text/csv') return 'csv';
    if (
      type === 'application/json' ||
      type === 'application/ld+json' ||
      type === '*/*' ||
      type === 'application/*'
    )
      return 'json';
  }
  throw new DxError('notAcceptable', 'Answers are application/json, application/geo+json or text/csv');
}

/** The query parameters of either kind of query, as their schemas checked them. */
export type CheckedQuery = Static<TObject<typeof temporalQuery>>;

/**
 * An NGSI-LD query from its checked parameters (names and types are the schema's): the resource, the filter, the
 * geometry and the time range read and checked; every bad parameter is named in one 400.
 */
export function parseResourceQuery(
  query: CheckedQuery,
  accept: string | undefined,
  kind: AccessKind,
  maxLimit: number,
): ResourceQuery {
  const errors: FieldError[] = [];
  const bad = (field: string, message: string) => errors.push({ field, message });

  const resource = query.id ?? '';
  if (!resourcePattern.test(resource)) bad('id', 'must name a resource: <provider>/<group>/<resource>');
  let attrs: string[] | undefined;
  if (query.attrs !== undefined) {
    attrs = [...new Set(query.attrs.split(','))];
    if (attrs.length > 100 || attrs.some((a) => !attrPattern.test(a))) {
      bad('attrs', 'must be a comma-separated list of up to 100 attribute names');
    }
  }
  let filter: Filter | undefined;
  if (query.q !== undefined) {
    try {
      filter = parseQ(query.q);
    } catch (error) {
      if (!(error instanceof DxError)) throw error;
      // The parser names its field itself: its message, not its "q: …" detail, so q is said once.
      const reported = (error.extensions?.errors as FieldError[] | undefined)?.[0]?.message;
      bad('q', reported ?? 'is not a valid filter');
    }
  }
  if (query.geoproperty !== undefined && query.geoproperty !== 'location') {
    bad('geoproperty', 'only location can be queried');
  }
  const geo = parseGeoQuery(
    Object.fromEntries(
      (['georel', 'geometry', 'coordinates'] as const)
        .filter((name) => query[name] !== undefined)
        .map((name) => [name, query[name] as string]),
    ),
    bad,
  );
  if (query.limit !== undefined && query.limit > maxLimit)
    bad('limit', `must be an integer from 0 to ${maxLimit}`);
  const limit = query.limit ?? Math.min(100, maxLimit);
  const offset = query.offset ?? 0;

  let bounds: TimeBounds = {};
  let dataFrom: string | undefined;
  let dataTo: string | undefined;
  if (kind === 'temporal') {
    const timerel = query.timerel;
    const timeAt = query.timeAt === undefined ? undefined : instantOf(query.timeAt);
    const endTimeAt = query.endTimeAt === undefined ? undefined : instantOf(query.endTimeAt);
    if (query.timeproperty !== undefined && query.timeproperty !== 'observedAt') {
      bad('timeproperty', 'only observedAt can be queried');
    }
    if (timerel !== 'before' && timerel !== 'after' && timerel !== 'between') {
      bad('timerel', 'must be before, after or between');
    } else if (!timeAt) {
      bad('timeAt', 'must be an RFC 3339 date-time');
    } else if (timerel === 'between') {
      if (!endTimeAt) bad('endTimeAt', 'must be an RFC 3339 date-time after timeAt');
      else if (endTimeAt <= timeAt) bad('endTimeAt', 'must be after timeAt');
      else {
        bounds = { gte: timeAt, lt: endTimeAt };
        dataFrom = timeAt;
        dataTo = endTimeAt;
      }
    } else {
      if (query.endTimeAt !== undefined) bad('endTimeAt', 'is only for timerel=between');
      bounds = timerel === 'before' ? { lt: timeAt } : { gt: timeAt };
      if (timerel === 'before') dataTo = timeAt;
      else dataFrom = timeAt;
    }
  }
  if (errors.length > 0) throw DxError.validation(errors, 'invalidParameter');
  return {
    kind,
    resource,
    ...(attrs ? { attrs } : {}),
    ...(filter ? { filter } : {}),
    ...(geo ? { geo } : {}),
    bounds,
    ...(dataFrom ? { dataFrom } : {}),
    ...(dataTo ? { dataTo } : {}),
    limit,
    offset,
    format: formatOf(accept),
  };
}

/** The attributes a query reads or returns, which the consent must grant (key fields excepted). */
export function attributesAskedFor(query: ResourceQuery): string[] {
  const asked = new Set<string>(query.attrs ?? []);
  if (query.filter) for (const a of attributesOf(query.filter)) asked.add(a);
  if (query.geo) asked.add('location');
  asked.delete('id');
  asked.delete('observedAt');
  return [...asked];
}
