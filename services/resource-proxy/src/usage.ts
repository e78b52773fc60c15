import { hasRole } from '@sangam/auth';
import { type DayRange, DxError, dayRange, type Principal } from '@sangam/core';
import type { Database, Kysely } from '@sangam/db';

export type UsageView = 'consumer' | 'provider';

export interface ConsumerUsage {
  readonly day: string;
  readonly consent: string;
  readonly requests: number;
  readonly denied: number;
  readonly records: number;
}

export interface ProviderUsage {
  readonly day: string;
  readonly item: string;
  readonly consumer: string;
  readonly requests: number;
  readonly denied: number;
  readonly records: number;
}

/** The days asked for (`from`, `to`, inclusive; the last 30 days by default), checked. */
export function usageRange(query: { from?: string; to?: string }, now: Date): DayRange {
  return dayRange(query, now);
}

/** Which view a caller gets: the one asked for if its roles allow it, else the one its roles give. */
export function usageView(principal: Principal, asked: string | undefined): UsageView {
  const consumer = hasRole(principal, 'consumer');
  const provider = hasRole(principal, 'provider', 'delegate');
  if (asked !== undefined && asked !== 'consumer' && asked !== 'provider') {
    throw DxError.validation(
      [{ field: 'view', message: 'must be consumer or provider' }],
      'invalidParameter',
    );
  }
  const view = (asked ?? (consumer ? 'consumer' : 'provider')) as UsageView;
  if ((view === 'consumer' && !consumer) || (view === 'provider' && !provider)) {
    throw new DxError('forbidden', `The ${view} view needs the ${view} role`);
  }
  return view;
}

/** A consumer's own requests and records per consent and day. */
export async function consumerUsage(
  db: Kysely<Database>,
  organisation: string,
  range: { from: string; to: string },
): Promise<ConsumerUsage[]> {
  const rows = await db
    .selectFrom('usage_daily')
    .select((eb) => [
      'day',
      'consent_id',
      eb.fn.sum<number>('requests').as('requests'),
      eb.fn.sum<number>('denied').as('denied'),
      eb.fn.sum<number>('records').as('records'),
    ])
    .where('consumer_org', '=', organisation)
    .where('day', '>=', range.from)
    .where('day', '<=', range.to)
    .groupBy(['day', 'consent_id'])
    .orderBy('day')
    .orderBy('consent_id')
    .execute();
  return rows.map((r) => ({
    day: r.day,
    consent: r.consent_id,
    requests: Number(r.requests),
    denied: Number(r.denied),
    records: Number(r.records),
  }));
}

/** A provider's requests and records per item, consumer and day. */
export async function providerUsage(
  db: Kysely<Database>,
  organisation: string,
  range: { from: string; to: string },
): Promise<ProviderUsage[]> {
  const rows = await db
    .selectFrom('usage_daily')
    .select((eb) => [
      'day',
      'item',
      'consumer_org',
      eb.fn.sum<number>('requests').as('requests'),
      eb.fn.sum<number>('denied').as('denied'),
      eb.fn.sum<number>('records').as('records'),
    ])
    .where('provider_org', '=', organisation)
    .where('day', '>=', range.from)
    .where('day', '<=', range.to)
    .groupBy(['day', 'item', 'consumer_org'])
    .orderBy('day')
    .orderBy('item')
    .orderBy('consumer_org')
    .execute();
  return rows.map((r) => ({
    day: r.day,
    item: r.item,
    consumer: r.consumer_org,
    requests: Number(r.requests),
    denied: Number(r.denied),
    records: Number(r.records),
  }));
}
