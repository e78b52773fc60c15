import { DxError, TimeSlices } from '@sangam/core';
import type { Database, Kysely, Transaction } from '@sangam/db';
import { type GeoQuery, type ItemGeometry, matchesGeo } from '@sangam/geo';
import { type Filter, matches } from '../query/q.js';

/** Bounds on observation time (canonical UTC text); each one optional. */
export interface TimeBounds {
  readonly gte?: string;
  readonly gt?: string;
  readonly lt?: string;
  readonly lte?: string;
}

/** What a query selects, before projection. */
export interface Selection {
  readonly filter?: Filter;
  readonly geo?: GeoQuery;
  readonly bounds: TimeBounds;
  /** k: aggregate cells behind fewer individuals are left out (records that are not cells always stay). */
  readonly minimumIndividuals?: number;
  readonly limit: number;
  readonly offset: number;
}

export type StoredRecord = Record<string, unknown>;

export interface Page {
  readonly records: readonly StoredRecord[];
  readonly total: number;
}

type Table = 'records' | 'latest_records';

/**
 * Runs a selection over stored records: the newest of each entity (`latest`) or every record in the time bounds
 * (`temporal`). Without a q or geo filter the database pages and counts; with one, the candidates in the bounds
 * (the geo box narrowing them) are tested in memory, at most `scanLimit` of them.
 */
export async function selectStored(
  db: Kysely<Database>,
  table: Table,
  resourceId: string,
  selection: Selection,
  scanLimit: number,
  budgetMs = 2000,
): Promise<Page> {
  let query = db.selectFrom(table).where('resource_id', '=', resourceId);
  const { gte, gt, lt, lte } = selection.bounds;
  if (gte !== undefined) query = query.where('observed_at', '>=', gte);
  if (gt !== undefined) query = query.where('observed_at', '>', gt);
  if (lt !== undefined) query = query.where('observed_at', '<', lt);
  if (lte !== undefined) query = query.where('observed_at', '<=', lte);
  const k = selection.minimumIndividuals;
  if (k !== undefined) {
    query = query.where((eb) => eb.or([eb('individuals', 'is', null), eb('individuals', '>=', k)]));
  }
  const box = selection.geo?.box;
  if (box) {
    query = query
      .where('max_lon', '>=', box.minLon)
      .where('min_lon', '<=', box.maxLon)
      .where('max_lat', '>=', box.minLat)
      .where('min_lat', '<=', box.maxLat);
  }
  const ordered =
    table === 'records'
      ? query.orderBy('observed_at').orderBy('entity_id')
      : query.orderBy('entity_id').orderBy('observed_at');

  if (!selection.filter && !selection.geo) {
    const rows = await ordered.select('body').limit(selection.limit).offset(selection.offset).execute();
    // A short page tells the total by itself; only a full (or empty, past the end) one needs a count.
    const known = rows.length < selection.limit && (rows.length > 0 || selection.offset === 0);
    const total = known
      ? selection.offset + rows.length
      : Number((await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
    return { records: rows.map((r) => JSON.parse(r.body) as StoredRecord), total };
  }
  const rows = await ordered
    .select('body')
    .limit(scanLimit + 1)
    .execute();
  if (rows.length > scanLimit) {
    throw new DxError(
      'queryTooBroad',
      `The filter would test more than ${scanLimit} records: narrow the time range or the area`,
    );
  }
  return filteredPage(rows, selection, budgetMs);
}

/** How long the filter runs before it lets other requests in; about a frame of the event loop. */
const sliceMs = 20;

/**
 * The q and geo filters over stored rows, parsed as they are tested, in slices that yield to the event loop, so one
 * broad query never holds it for long; past `budgetMs` in all the query is refused as too broad.
 */
async function filteredPage(
  rows: readonly { body: string }[],
  selection: Selection,
  budgetMs: number,
): Promise<Page> {
  const { filter, geo } = selection;
  // The budget counts this query's own time only, not the time it waits while others run.
  const slices = new TimeSlices(sliceMs);
  const kept: StoredRecord[] = [];
  for (let i = 0; i < rows.length; i += 1) {
    if (i % 64 === 0 && slices.due()) {
      if (slices.spent > budgetMs) {
        throw new DxError(
          'queryTooBroad',
          `The filter took longer than ${budgetMs} ms: narrow the time range or the area, or simplify the filter`,
        );
      }
      await slices.next();
    }
    const record = JSON.parse((rows[i] as { body: string }).body) as StoredRecord;
    if (
      (!filter || matches(filter, record)) &&
      (!geo || matchesGeo(record.location as ItemGeometry | undefined, geo))
    ) {
      kept.push(record);
    }
  }
  return {
    records: kept.slice(selection.offset, selection.offset + selection.limit),
    total: kept.length,
  };
}

/** Applies the q and geo filters in memory, then the page: for stored candidates and upstream answers alike. */
export function pageOf(records: readonly StoredRecord[], selection: Selection): Page {
  const { filter, geo } = selection;
  const kept = records.filter(
    (r) =>
      (!filter || matches(filter, r)) && (!geo || matchesGeo(r.location as ItemGeometry | undefined, geo)),
  );
  return {
    records: kept.slice(selection.offset, selection.offset + selection.limit),
    total: kept.length,
  };
}

/** True when `observedAt` (canonical text) lies inside the bounds. */
export function withinBounds(observedAt: string, bounds: TimeBounds): boolean {
  return (
    (bounds.gte === undefined || observedAt >= bounds.gte) &&
    (bounds.gt === undefined || observedAt > bounds.gt) &&
    (bounds.lt === undefined || observedAt < bounds.lt) &&
    (bounds.lte === undefined || observedAt <= bounds.lte)
  );
}

/** Deletes records past their resource's retention, and moves its data version; returns how many went. */
export async function pruneResource(
  db: Kysely<Database>,
  resourceId: string,
  cutoff: string,
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const removed = await trx
      .deleteFrom('records')
      .where('resource_id', '=', resourceId)
      .where('observed_at', '<', cutoff)
      .executeTakeFirst();
    const latest = await trx
      .deleteFrom('latest_records')
      .where('resource_id', '=', resourceId)
      .where('observed_at', '<', cutoff)
      .executeTakeFirst();
    if (Number(removed.numDeletedRows) + Number(latest.numDeletedRows) > 0)
      await moveDataVersion(trx, resourceId);
    return Number(removed.numDeletedRows);
  });
}

/**
 * Moves a resource's data version on, inside the transaction that changes its records: a page rendered from them
 * before is not served again. The version row stays locked to the commit, so a resource's versions commit in order
 * (the subscription feed relies on it). Returns the new version.
 */
export async function moveDataVersion(trx: Transaction<Database>, resourceId: string): Promise<number> {
  const row = await trx
    .insertInto('resource_data_versions')
    .values({ resource_id: resourceId, version: 1 })
    .onConflict((oc) =>
      oc
        .column('resource_id')
        .doUpdateSet((eb) => ({ version: eb('resource_data_versions.version', '+', 1) })),
    )
    .returning('version')
    .executeTakeFirstOrThrow();
  return Number(row.version);
}
