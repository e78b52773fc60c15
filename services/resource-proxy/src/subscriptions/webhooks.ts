import { DxError } from '@sangam/core';
import { toDbTime } from '@sangam/db';
import { outsideOnlyConnector } from '@sangam/http';
import { Agent, request } from 'undici';
import type { ProxyContext } from '../context.js';
import { auditStop, decideDelivery, isFinal, nextDelivery, subscriberOf } from './delivery.js';
import type { FeedWindows } from './feed.js';
import { cursorText, type FeedCursor, type SubscriptionRow, specOf, streamEndpoint } from './model.js';
import { endSubscription } from './store.js';

export interface WebhookOptions {
  readonly batch: number;
  readonly timeoutMs: number;
  readonly maxAttempts: number;
  /** The first retry's delay; each further one doubles, with jitter. */
  readonly backoffMs: number;
  readonly pollMs: number;
  readonly allowHosts: readonly string[];
  /** Random numbers in [0, 1), for the jitter (injected, so tests can fix it). */
  readonly random?: () => number;
}

/** How long a process holds a subscription while it delivers, so no other process delivers it at once. */
const leaseMs = 60_000;

/**
 * Delivers webhook subscriptions: on a notice of new records of their resource, and on a poll for retries and lost
 * notices. A process takes a subscription by a lease in the database before it delivers, so with several gateway
 * processes each batch goes out from one of them, in order. Each attempt is a release decided afresh (a consent
 * stopped before it starts refuses it); a failed POST is retried with doubling delays and jitter, and after the last
 * attempt the batch's place is dead-lettered (never its data) for the consumer to see, and delivery goes on.
 */
export class WebhookDispatcher {
  readonly #ctx: ProxyContext;
  readonly #feeds: FeedWindows;
  readonly #options: WebhookOptions;
  readonly #agent: Agent;
  readonly #stops: (() => void)[] = [];
  readonly #ticker: NodeJS.Timeout;
  readonly #busy = new Set<string>();
  #closed = false;

  constructor(ctx: ProxyContext, feeds: FeedWindows, options: WebhookOptions) {
    this.#ctx = ctx;
    this.#feeds = feeds;
    this.#options = options;
    this.#agent = new Agent({
      connect: outsideOnlyConnector({ allowHosts: options.allowHosts, timeoutMs: options.timeoutMs }),
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
    });
    this.#stops.push(
      ctx.notices.listen('sangam_records', (payload) => {
        const { resource, version } = payload as { resource?: unknown; version?: unknown };
        if (typeof resource !== 'string') return;
        this.#feeds.touch(resource, typeof version === 'number' ? version : undefined);
        void this.#run(resource);
      }),
      ctx.notices.listen('sangam_policy', (payload) => void this.#policyChanged(payload)),
    );
    this.#ticker = setInterval(() => {
      // A notice lost: the poll looks in the database for what it missed.
      this.#feeds.touch();
      void this.#run(undefined);
    }, options.pollMs);
    this.#ticker.unref();
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#ticker);
    for (const stop of this.#stops) stop();
    await this.#agent.close();
  }

  /** Delivers every due webhook subscription (of one resource, or all): each one in turn, on its own lease. */
  async #run(resource: string | undefined): Promise<void> {
    if (this.#closed) return;
    const now = toDbTime(this.#ctx.clock.now());
    let query = this.#ctx.db
      .selectFrom('subscriptions')
      .selectAll()
      .where('status', '=', 'active')
      .where('endpoint', '!=', streamEndpoint)
      .where((eb) => eb.or([eb('next_attempt_at', 'is', null), eb('next_attempt_at', '<=', now)]));
    if (resource !== undefined) query = query.where('resource_id', '=', resource);
    let due: SubscriptionRow[];
    try {
      due = await query.limit(500).execute();
    } catch {
      return; // The database is unreachable now: the next poll tries again.
    }
    await Promise.all(
      due
        .filter((row) => !this.#busy.has(row.id))
        .map(async (row) => {
          if (!(await this.#behind(row))) return;
          await this.#deliver(row);
        }),
    );
  }

  /**
   * Whether a subscription has something to do: records after its place, or an attempt it set for itself (a retry,
   * a full rate window, a held consent). A quiet one is not leased (two writes) on every poll for nothing.
   */
  async #behind(row: SubscriptionRow): Promise<boolean> {
    if (row.next_attempt_at !== null) return true;
    try {
      const cursor = { version: Number(row.cursor_version), position: Number(row.cursor_position) };
      return (await this.#feeds.after(row.resource_id, cursor, 1)).length > 0;
    } catch {
      return true; // Unknown: the delivery finds out.
    }
  }

  async #deliver(found: SubscriptionRow): Promise<void> {
    this.#busy.add(found.id);
    try {
      const row = await this.#lease(found.id);
      if (!row) return;
      try {
        await this.#drain(row);
      } finally {
        await this.#ctx.db
          .updateTable('subscriptions')
          .set({ lease_until: null })
          .where('id', '=', row.id)
          .execute();
      }
    } catch {
      // Left for the next poll; nothing was acknowledged that is not delivered.
    } finally {
      this.#busy.delete(found.id);
    }
  }

  /**
   * A change to what the release rule reads: the webhook subscriptions it touches decide again now, and end if it
   * stopped them for good (a held one, paused or suspended, waits for its next delivery).
   */
  async #policyChanged(payload: unknown): Promise<void> {
    const keys = payload as Partial<Record<'consents' | 'mous' | 'clients' | 'organisations', string[]>>;
    const some = (list: string[] | undefined) => (list && list.length > 0 ? list.slice(0, 1000) : undefined);
    const [consents, mous, clients, organisations] = [
      some(keys.consents),
      some(keys.mous),
      some(keys.clients),
      some(keys.organisations),
    ];
    if (!consents && !mous && !clients && !organisations) return;
    try {
      const rows = await this.#ctx.db
        .selectFrom('subscriptions as s')
        .innerJoin('consents as c', 'c.id', 's.consent_id')
        .selectAll('s')
        .where('s.status', '=', 'active')
        .where('s.endpoint', '!=', streamEndpoint)
        .where((eb) =>
          eb.or([
            ...(consents ? [eb('s.consent_id', 'in', consents)] : []),
            ...(mous ? [eb('c.mou_id', 'in', mous)] : []),
            ...(clients ? [eb('s.client_id', 'in', clients)] : []),
            ...(organisations ? [eb('s.consumer_org', 'in', organisations)] : []),
          ]),
        )
        .limit(1000)
        .execute();
      for (const row of rows) {
        const subscriber = subscriberOf(row);
        const now = this.#ctx.clock.now();
        const verdict = await decideDelivery(this.#ctx, subscriber, now);
        if (verdict.allow || !isFinal(verdict.error.problem)) continue;
        await auditStop(this.#ctx, subscriber, verdict.error, { ...verdict, now });
        await endSubscription(this.#ctx, row.id, `${verdict.error.problem}: ${verdict.error.detail}`);
      }
    } catch {
      // Seen at the next delivery instead, which decides again before it starts.
    }
  }

  /** Takes the subscription for this process, if no other holds it now; the row as it stands. */
  async #lease(id: string): Promise<SubscriptionRow | undefined> {
    const now = this.#ctx.clock.now();
    const taken = await this.#ctx.db
      .updateTable('subscriptions')
      .set({ lease_until: toDbTime(new Date(now.getTime() + leaseMs)) })
      .where('id', '=', id)
      .where('status', '=', 'active')
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', toDbTime(now))]))
      .executeTakeFirst();
    if (Number(taken.numUpdatedRows) !== 1) return undefined;
    const row = await this.#ctx.db
      .selectFrom('subscriptions')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row
      ? { ...row, cursor_version: Number(row.cursor_version), attempts: Number(row.attempts) }
      : undefined;
  }

  /** Sends batch after batch from the subscription's place until nothing is new, a POST fails, or the rule refuses. */
  async #drain(row: SubscriptionRow): Promise<void> {
    const subscriber = subscriberOf(row);
    // Throttling: after a notification, the next waits this long (the batches meanwhile go out together then).
    const throttleMs = (specOf(row).throttling ?? 0) * 1000;
    let cursor: FeedCursor = { version: row.cursor_version, position: row.cursor_position };
    let attempts = row.attempts;
    for (;;) {
      if (this.#closed) return;
      const step = await nextDelivery(this.#ctx, this.#feeds, subscriber, cursor, this.#options.batch);
      switch (step.kind) {
        case 'idle':
          return;
        case 'skipped':
          cursor = step.cursor;
          await this.#advance(row.id, cursor);
          if (!step.more) return;
          continue;
        case 'wait':
          await this.#retryAt(row.id, step.ms, attempts, null);
          return;
        case 'stopped':
          if (step.final)
            await endSubscription(this.#ctx, row.id, `${step.error.problem}: ${step.error.detail}`);
          // Held while the rule refuses (a paused consent): looked at again at the next poll.
          else await this.#retryAt(row.id, this.#options.pollMs, attempts, null);
          return;
        case 'records': {
          const failure = await this.#post(row, step.records, step.cursor);
          if (failure === undefined) {
            cursor = step.cursor;
            attempts = 0;
            await this.#advance(row.id, cursor, throttleMs);
            if (!step.more || throttleMs > 0) return;
            continue;
          }
          attempts += 1;
          if (attempts >= this.#options.maxAttempts) {
            await this.#deadLetter(row.id, cursor, step.cursor, step.records.length, attempts, failure);
            cursor = step.cursor;
            attempts = 0;
            continue;
          }
          const delay = this.#options.backoffMs * 2 ** (attempts - 1);
          const jitter = (this.#options.random ?? Math.random)() * delay * 0.5;
          await this.#retryAt(row.id, delay + jitter, attempts, failure);
          return;
        }
      }
    }
  }

  /** POSTs one notification, signed; undefined when the endpoint took it (2xx), or why not. */
  async #post(
    row: SubscriptionRow,
    records: readonly object[],
    cursor: FeedCursor,
  ): Promise<string | undefined> {
    const notification = {
      id: `urn:ngsi-ld:Notification:${row.id}:${cursorText(cursor)}`,
      type: 'Notification',
      subscriptionId: row.id,
      notifiedAt: this.#ctx.clock.now().toISOString(),
      data: records,
    };
    const body = JSON.stringify(notification);
    try {
      const signature = await this.#ctx.tokens.signDetached(body, 'sangam-notification+jws');
      const answer = await request(row.endpoint, {
        method: 'POST',
        dispatcher: this.#agent,
        headers: {
          'content-type': 'application/json',
          'sangam-signature': signature,
          'sangam-event-id': cursorText(cursor),
        },
        body,
        maxRedirections: 0,
      } as Parameters<typeof request>[1]);
      await answer.body.dump({ limit: 64 * 1024 }).catch(() => {});
      if (answer.statusCode >= 200 && answer.statusCode < 300) return undefined;
      return `the endpoint answered ${answer.statusCode}`;
    } catch (error) {
      const reason =
        error instanceof DxError ? error.detail : error instanceof Error ? error.message : String(error);
      return `the endpoint could not be reached: ${reason}`.slice(0, 300);
    }
  }

  /** Moves the subscription's place past what was delivered; with a throttle, not due again before it has passed. */
  async #advance(id: string, cursor: FeedCursor, throttleMs = 0): Promise<void> {
    const now = this.#ctx.clock.now().getTime();
    await this.#ctx.db
      .updateTable('subscriptions')
      .set({
        cursor_version: cursor.version,
        cursor_position: cursor.position,
        attempts: 0,
        next_attempt_at: throttleMs > 0 ? toDbTime(new Date(now + throttleMs)) : null,
        last_error: null,
        updated_at: toDbTime(this.#ctx.clock.now()),
      })
      .where('id', '=', id)
      .execute();
  }

  async #retryAt(id: string, ms: number, attempts: number, failure: string | null): Promise<void> {
    const at = new Date(this.#ctx.clock.now().getTime() + Math.max(0, Math.round(ms)));
    await this.#ctx.db
      .updateTable('subscriptions')
      .set({
        next_attempt_at: toDbTime(at),
        attempts,
        ...(failure === null ? {} : { last_error: failure }),
        updated_at: toDbTime(this.#ctx.clock.now()),
      })
      .where('id', '=', id)
      .execute();
  }

  /** Gives a batch up after its last attempt: its place in the feed and why, then delivery goes on after it. */
  async #deadLetter(
    id: string,
    from: FeedCursor,
    to: FeedCursor,
    records: number,
    attempts: number,
    reason: string,
  ): Promise<void> {
    const at = toDbTime(this.#ctx.clock.now());
    await this.#ctx.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('subscription_dead_letters')
        .values({
          subscription_id: id,
          from_version: from.version,
          from_position: from.position,
          to_version: to.version,
          to_position: to.position,
          records,
          attempts,
          reason,
          at,
        })
        .onConflict((oc) => oc.doNothing())
        .execute();
      await trx
        .updateTable('subscriptions')
        .set({
          cursor_version: to.version,
          cursor_position: to.position,
          attempts: 0,
          next_attempt_at: null,
          last_error: reason,
          updated_at: at,
        })
        .where('id', '=', id)
        .execute();
    });
  }
}
