import type { Database, Kysely } from '@sangam/db';
import { pruneResource } from './records/store.js';
import { retentionCutoff } from './records/time.js';

/**
 * Deletes records past each resource's retention (its catalogue `retentionDays`, or the default) and rate windows
 * older than an hour. Queries never serve such records anyway; this reclaims the space.
 */
export async function sweepRetention(
  db: Kysely<Database>,
  now: Date,
  defaultDays: number,
): Promise<{ records: number }> {
  const resources = await db.selectFrom('latest_records').select('resource_id').distinct().execute();
  let records = 0;
  for (const { resource_id: id } of resources) {
    const item = await db
      .selectFrom('catalogue_items')
      .select('document')
      .where('id', '=', id)
      .executeTakeFirst();
    const days = item
      ? ((JSON.parse(item.document) as { retentionDays?: number }).retentionDays ?? defaultDays)
      : defaultDays;
    records += await pruneResource(db, id, retentionCutoff(now, days));
  }
  await db
    .deleteFrom('rate_windows')
    .where('window_start', '<', new Date(now.getTime() - 3_600_000).toISOString())
    .execute();
  return { records };
}
