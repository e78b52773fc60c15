import type { Database, Kysely, Transaction } from '@sangam/db';

/** One request's consent, item and parties, as metering counts them. */
export interface Metered {
  readonly consentId: string;
  readonly item: string;
  readonly consumer: string;
  readonly provider: string;
}

const windowMs = 60_000;

/** The start of the rate window `now` falls in, and the seconds until the next one. */
export function rateWindow(now: Date): { start: string; retryAfter: number } {
  const start = Math.floor(now.getTime() / windowMs) * windowMs;
  return {
    start: new Date(start).toISOString(),
    retryAfter: Math.max(1, Math.ceil((start + windowMs - now.getTime()) / 1000)),
  };
}

/** Requests counted in the consent's current window (a cheap read, before a query is run at all). */
export async function requestsInWindow(
  db: Kysely<Database> | Transaction<Database>,
  consentId: string,
  now: Date,
): Promise<number> {
  const row = await db
    .selectFrom('rate_windows')
    .select('requests')
    .where('consent_id', '=', consentId)
    .where('window_start', '=', rateWindow(now).start)
    .executeTakeFirst();
  return row?.requests ?? 0;
}

/**
 * Inside the audit commit, under its lock (so every proxy instance on the database counts in one sequence): takes
 * one request from the consent's window if the limit allows, and meters the request. True when it was allowed.
 */
export async function takeRequest(
  trx: Transaction<Database>,
  metered: Metered,
  limit: number,
  now: Date,
  records: number,
): Promise<boolean> {
  const window = rateWindow(now).start;
  const used = await requestsInWindow(trx, metered.consentId, now);
  const allowed = used < limit;
  if (allowed) {
    await trx
      .insertInto('rate_windows')
      .values({ consent_id: metered.consentId, window_start: window, requests: 1 })
      .onConflict((oc) =>
        oc
          .columns(['consent_id', 'window_start'])
          .doUpdateSet((eb) => ({ requests: eb('rate_windows.requests', '+', 1) })),
      )
      .execute();
  }
  await meter(
    trx,
    metered,
    now,
    allowed ? { requests: 1, denied: 0, records } : { requests: 0, denied: 1, records: 0 },
  );
  return allowed;
}

/** Adds to the day's usage of a consent and item. */
export async function meter(
  trx: Transaction<Database>,
  metered: Metered,
  now: Date,
  counts: { requests: number; denied: number; records: number },
): Promise<void> {
  await trx
    .insertInto('usage_daily')
    .values({
      day: now.toISOString().slice(0, 10),
      consent_id: metered.consentId,
      item: metered.item,
      consumer_org: metered.consumer,
      provider_org: metered.provider,
      ...counts,
    })
    .onConflict((oc) =>
      oc.columns(['consent_id', 'item', 'day']).doUpdateSet((eb) => ({
        requests: eb('usage_daily.requests', '+', counts.requests),
        denied: eb('usage_daily.denied', '+', counts.denied),
        records: eb('usage_daily.records', '+', counts.records),
      })),
    )
    .execute();
}
