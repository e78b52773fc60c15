import { DxError, newId } from '@sangam/core';
import { toDbTime } from '@sangam/db';
import type { ProxyContext } from '../context.js';
import type { AccessGrant } from '../release/access.js';
import {
  cursorText,
  type FeedCursor,
  type SubscriptionRow,
  type SubscriptionSpec,
  type SubscriptionView,
  specOf,
  streamEndpoint,
} from './model.js';

/** A new subscription of the grant's consent, standing at `cursor` (the feed's head: only what comes next). */
export async function insertSubscription(
  ctx: ProxyContext,
  grant: AccessGrant,
  resource: string,
  spec: SubscriptionSpec,
  endpoint: string,
  cursor: FeedCursor,
): Promise<SubscriptionRow> {
  const now = toDbTime(ctx.clock.now());
  const row: SubscriptionRow = {
    id: newId('sub'),
    consent_id: grant.consentId,
    consumer_org: grant.organisationId,
    client_id: grant.clientId,
    resource_id: resource,
    spec: JSON.stringify(spec),
    endpoint,
    status: 'active',
    ended_reason: null,
    cursor_version: cursor.version,
    cursor_position: cursor.position,
    attempts: 0,
    next_attempt_at: null,
    last_error: null,
    lease_until: null,
    created_at: now,
    updated_at: now,
  };
  await ctx.db.insertInto('subscriptions').values(row).execute();
  return row;
}

/** The grant holder's subscription `id`: a 404 for anyone else's, as for one that does not exist. */
export async function ownSubscription(
  ctx: ProxyContext,
  grant: AccessGrant,
  id: string,
): Promise<SubscriptionRow> {
  const row = await ctx.db.selectFrom('subscriptions').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row || row.consumer_org !== grant.organisationId || row.consent_id !== grant.consentId) {
    throw new DxError('notFound', `No subscription ${id} under this consent`);
  }
  return { ...row, cursor_version: Number(row.cursor_version), attempts: Number(row.attempts) };
}

export async function subscriptionsOf(ctx: ProxyContext, grant: AccessGrant): Promise<SubscriptionRow[]> {
  return ctx.db
    .selectFrom('subscriptions')
    .selectAll()
    .where('consent_id', '=', grant.consentId)
    .where('consumer_org', '=', grant.organisationId)
    .orderBy('created_at')
    .orderBy('id')
    .limit(1000)
    .execute();
}

export async function updateSpec(
  ctx: ProxyContext,
  row: SubscriptionRow,
  spec: SubscriptionSpec,
): Promise<SubscriptionRow> {
  const updated = { ...row, spec: JSON.stringify(spec), updated_at: toDbTime(ctx.clock.now()) };
  await ctx.db
    .updateTable('subscriptions')
    .set({ spec: updated.spec, updated_at: updated.updated_at })
    .where('id', '=', row.id)
    .execute();
  return updated;
}

/** Ends a subscription for good, saying why; an ended one stays readable, with its dead letters. */
export async function endSubscription(ctx: ProxyContext, id: string, reason: string): Promise<void> {
  await ctx.db
    .updateTable('subscriptions')
    .set({
      status: 'ended',
      ended_reason: reason.slice(0, 500),
      updated_at: toDbTime(ctx.clock.now()),
      lease_until: null,
    })
    .where('id', '=', id)
    .where('status', '=', 'active')
    .execute();
}

/** The subscription as its consumer reads it, with the webhook batches given up. */
export async function viewOf(ctx: ProxyContext, row: SubscriptionRow): Promise<SubscriptionView> {
  const letters = await ctx.db
    .selectFrom('subscription_dead_letters')
    .selectAll()
    .where('subscription_id', '=', row.id)
    .orderBy('at', 'desc')
    .limit(100)
    .execute();
  const spec = specOf(row);
  const stream = row.endpoint === streamEndpoint;
  return {
    id: row.id,
    type: 'Subscription',
    entities: [{ id: row.resource_id }],
    consent: row.consent_id,
    ...(spec.q !== undefined ? { q: spec.q } : {}),
    ...(spec.geoQ ? { geoQ: spec.geoQ } : {}),
    ...(spec.throttling !== undefined ? { throttling: spec.throttling } : {}),
    notification: {
      ...(spec.attributes ? { attributes: [...spec.attributes] } : {}),
      endpoint: { uri: row.endpoint },
      status: row.last_error ? 'failed' : 'ok',
      ...(row.last_error ? { lastFailure: row.last_error } : {}),
      attempts: Number(row.attempts),
      ...(stream ? { events: `/ngsi-ld/v1/subscriptions/${row.id}/events` } : {}),
    },
    status: row.status,
    ...(row.ended_reason ? { endedReason: row.ended_reason } : {}),
    deadLetters: letters.map((l) => ({
      from: cursorText({ version: Number(l.from_version), position: l.from_position }),
      to: cursorText({ version: Number(l.to_version), position: l.to_position }),
      records: l.records,
      attempts: l.attempts,
      reason: l.reason,
      at: l.at,
    })),
    createdAt: row.created_at,
  };
}
