import type { AuditEvent } from '@sangam/audit';
import { DxError, type ProblemName, problems } from '@sangam/core';
import { clientRefusal, decide, type ReleaseRequest, releaseFacts } from '@sangam/policy';
import type { ProxyContext } from '../context.js';
import { attributesAskedFor, type ResourceQuery } from '../query/params.js';
import { project } from '../query/render.js';
import { pageOf, type StoredRecord, withinBounds } from '../records/store.js';
import { retentionFloor } from '../records/time.js';
import { type Metered, meteredRelease, rateWindow } from '../release/meter.js';
import { narrow } from '../release/release.js';
import type { Resource } from '../resources.js';
import type { FeedWindows } from './feed.js';
import { type FeedCursor, queryOf, type SubscriptionRow, type SubscriptionSpec, specOf } from './model.js';

/** A subscription as delivery reads it: the stored row, its spec and its query, parsed once. */
export interface Subscriber {
  readonly row: SubscriptionRow;
  readonly spec: SubscriptionSpec;
  readonly query: ResourceQuery;
}

export function subscriberOf(row: SubscriptionRow): Subscriber {
  const spec = specOf(row);
  return { row, spec, query: queryOf(row.resource_id, spec) };
}

/** What one step of delivery came to. */
export type Delivery =
  /** Records released, the entry committed: send them, then stand at `cursor`. */
  | {
      readonly kind: 'records';
      readonly records: StoredRecord[];
      /** The records as JSON, made once for every stream that sends the same. */
      readonly json: string;
      readonly cursor: FeedCursor;
      readonly more: boolean;
    }
  /** New records, none of which the subscription selects: stand at `cursor`, nothing released. */
  | { readonly kind: 'skipped'; readonly cursor: FeedCursor; readonly more: boolean }
  /** Nothing new. */
  | { readonly kind: 'idle' }
  /** The consent's rate window is full: try again after it. */
  | { readonly kind: 'wait'; readonly ms: number }
  /** The release rule refuses: the refusal was committed; `final` when it can never allow again. */
  | { readonly kind: 'stopped'; readonly error: DxError; readonly final: boolean };

/** Refusals no later change can lift: the subscription ends with them. */
const finalProblems = new Set<ProblemName>([
  'consentRevoked',
  'consentDenied',
  'consentExpired',
  'mouTerminated',
  'mouExpired',
  'notParty',
  'providerNotParty',
  'clientRevoked',
  'itemOutsideConsent',
  'notFound',
]);

export const isFinal = (problem: ProblemName): boolean => finalProblems.has(problem);

/** The allowed decision with what the release needs, or the refusal. */
export type Verdict =
  | {
      readonly allow: true;
      readonly resource: Resource;
      readonly asked: ReleaseRequest & { consentId: string };
      readonly minimumCellCount: number;
      readonly granted: readonly string[];
      readonly dataFrom: string | null;
      readonly dataTo: string | null;
      readonly rateLimit: number;
      readonly metered: Metered;
      readonly mou: string;
    }
  | { readonly allow: false; readonly error: DxError; readonly metered?: Metered; readonly mou?: string };

/** Reads of the release rule's facts under way or just made, by consent, item and client, per proxy. */
const underWay = new WeakMap<ProxyContext, Map<string, ReturnType<typeof releaseFacts>>>();

/** How long a read's facts serve other deliveries of the same consent after it completes. */
const sharedFactsMs = 50;

/**
 * The facts of a delivery: with `shared`, a read under way or made in the last moment for the same consent, item
 * and client is used (a thousand streams of one consent woken by one ingestion read it once). Such facts may be a
 * moment older than a change; the commit reads the rule again under the audit lock, so no release passes on them. A
 * check that must see a change it was told of reads on its own.
 */
function factsOf(ctx: ProxyContext, row: SubscriptionRow, shared: boolean): ReturnType<typeof releaseFacts> {
  if (!shared) return releaseFacts(ctx.reader, row.consent_id, row.resource_id, row.client_id);
  let reads = underWay.get(ctx);
  if (!reads) {
    reads = new Map();
    underWay.set(ctx, reads);
  }
  const key = `${row.consent_id}\u0000${row.resource_id}\u0000${row.client_id}`;
  const found = reads.get(key);
  if (found) return found;
  const read = releaseFacts(ctx.reader, row.consent_id, row.resource_id, row.client_id).finally(() => {
    setTimeout(() => {
      if (reads.get(key) === read) reads.delete(key);
    }, sharedFactsMs).unref();
  });
  reads.set(key, read);
  return read;
}

/** The release rule for a subscription now, as for a `latest` query of the same attributes, filter and area. */
export async function decideDelivery(
  ctx: ProxyContext,
  s: Subscriber,
  now: Date,
  options: {
    shared?: boolean;
    /** When the credential asking was issued (seconds): an access token's, for a request; the creation's otherwise. */
    issuedAtSeconds?: number;
  } = {},
): Promise<Verdict> {
  const { row, query } = s;
  const facts = await factsOf(ctx, row, options.shared === true);
  if (!facts || facts.row.consumer_org !== row.consumer_org) {
    return { allow: false, error: new DxError('itemOutsideConsent', 'no such consent for this consumer') };
  }
  // A client revoked, or whose secret was rotated since the subscription was made (or the token asking was issued).
  const clientRefused = clientRefusal(
    facts.client,
    options.issuedAtSeconds ?? Date.parse(row.created_at) / 1000,
  );
  if (clientRefused) return { allow: false, error: new DxError('clientRevoked', clientRefused) };
  let resource: Resource;
  try {
    resource = await ctx.resources.get(row.resource_id, facts.catalogued ?? null);
  } catch (error) {
    if (error instanceof DxError) return { allow: false, error };
    throw error;
  }
  const metered: Metered = {
    consentId: row.consent_id,
    item: resource.id,
    consumer: row.consumer_org,
    provider: resource.provider,
  };
  const at = now.toISOString();
  const asked = {
    consentId: row.consent_id,
    consumer: row.consumer_org,
    item: resource.id,
    accessType: 'latest' as const,
    attributes: attributesAskedFor(query),
    releaseLevel: resource.releaseLevel,
    dataFrom: at,
    dataTo: at,
  };
  const decision = decide(facts.consent, facts.mou, asked, now, facts.item);
  const mou = facts.row.mou_id;
  if (!decision.allow) {
    return { allow: false, error: new DxError(decision.problem, decision.reason), metered, mou };
  }
  return {
    allow: true,
    resource,
    asked,
    minimumCellCount: decision.minimumCellCount,
    granted: facts.consent.attributes,
    dataFrom: facts.consent.dataFrom,
    dataTo: facts.consent.dataTo,
    rateLimit: facts.row.rate_limit,
    metered,
    mou,
  };
}

const action = 'rs.subscription.notify';

function eventOf(
  s: Subscriber,
  decision: 'allow' | 'deny',
  reason: string,
  extra: Partial<AuditEvent>,
): AuditEvent {
  const { row } = s;
  return {
    action,
    decision,
    reason: reason.slice(0, 500),
    actor: { client: row.client_id, organisation: row.consumer_org },
    target: {
      item: row.resource_id,
      consent: row.consent_id,
      consumer: row.consumer_org,
      ...extra.target,
    },
    requestId: extra.requestId ?? row.id,
    ...(extra.clientRequestId === undefined ? {} : { clientRequestId: extra.clientRequestId }),
    ...(extra.resultSize === undefined ? {} : { resultSize: extra.resultSize }),
  };
}

/** Commits a refusal of a subscription's delivery, as every refusal of a release is, before it takes effect. */
export async function auditStop(
  ctx: ProxyContext,
  s: Subscriber,
  error: DxError,
  at: {
    metered?: Metered;
    mou?: string;
    now: Date;
    /** A request's refusal (creating or reading a subscription): its action and ids; a delivery's otherwise. */
    request?: Pick<AuditEvent, 'action' | 'requestId' | 'clientRequestId'>;
  },
): Promise<void> {
  const denial = eventOf(s, 'deny', `${error.problem}: ${error.detail ?? problems[error.problem].title}`, {
    ...at.request,
    target: {
      ...(at.mou ? { mou: at.mou } : {}),
      ...(at.metered ? { provider: at.metered.provider } : {}),
    },
  });
  await ctx.audit.appendInGroup(meteredRelease, {
    metered: at.metered,
    at: at.now,
    records: 0,
    allow: denial,
    deny: denial,
  });
}

/**
 * One step of delivery from `cursor`: reads up to `batch` new records of the feed, decides the release as a query
 * would (the consent and MoU as they are now, the attributes granted, k, the data range and retention), and commits
 * the entry, with the rate limit and metering, before anything is handed out. The release rule is read again in
 * the commit: a consent stopped meanwhile refuses it.
 */
export async function nextDelivery(
  ctx: ProxyContext,
  feeds: FeedWindows,
  s: Subscriber,
  cursor: FeedCursor,
  batch: number,
  /**
   * An allowing decision made for this subscription a moment ago, to select and render by (a stream's, renewed at
   * each poll and at every notice of a change): without it the rule is read now. Either way the commit decides
   * again, so a release never passes on it.
   */
  recent?: Verdict,
): Promise<Delivery> {
  const rows = await feeds.after(s.row.resource_id, cursor, batch);
  if (rows.length === 0) return { kind: 'idle' };
  const next = (rows[rows.length - 1] as (typeof rows)[number]).cursor;
  const more = rows.length === batch;

  const now = ctx.clock.now();
  const verdict = recent?.allow ? recent : await decideDelivery(ctx, s, now, { shared: true });
  if (!verdict.allow) {
    await auditStop(ctx, s, verdict.error, { ...verdict, now });
    return { kind: 'stopped', error: verdict.error, final: isFinal(verdict.error.problem) };
  }
  const { bounds, attributes, selector } = planOf(s, verdict, now);
  const k = verdict.minimumCellCount;
  // Subscriptions standing at the same place with the same filter, area, k, bounds and attributes (the same route
  // followed by many) select and render the same records: done once per moment, shared.
  const first = rows[0]?.cursor;
  const key = `${selector}\u0000${first?.version}-${first?.position}\u0000${next.version}-${next.position}`;
  const selection = sharedSelections(ctx, key, () => {
    const candidates = rows
      .filter((r) => (r.individuals === null || r.individuals >= k) && withinBounds(r.observedAt, bounds))
      .map((r) => r.record);
    const selected = pageOf(candidates, {
      ...(s.query.filter ? { filter: s.query.filter } : {}),
      ...(s.query.geo ? { geo: s.query.geo } : {}),
      bounds,
      limit: batch,
      offset: 0,
    }).records;
    const records = selected.map((r) => project(r, attributes));
    return { records, json: JSON.stringify(records) };
  });
  const { records, json } = selection;
  if (records.length === 0) return { kind: 'skipped', cursor: next, more };
  const entry = await notifications(ctx).commit(s, verdict, now, records.length);
  if (entry.decision === 'allow') return { kind: 'records', records, json, cursor: next, more };
  const [problem = '', ...why] = (entry.reason ?? '').split(': ');
  if (problem !== 'tooManyRequests' && problem in problems) {
    const error = new DxError(problem as ProblemName, why.join(': '));
    return { kind: 'stopped', error, final: isFinal(error.problem) };
  }
  return { kind: 'wait', ms: rateWindow(now).retryAfter * 1000 };
}

/** What a subscription selects by under one decision, in one minute (the retention's floor moves by minutes). */
interface Plan {
  readonly verdict: Verdict;
  readonly minute: number;
  readonly bounds: ReturnType<typeof narrow>;
  readonly attributes: readonly string[];
  /** The plan as a key: subscriptions with the same select and render the same records. */
  readonly selector: string;
}

const plans = new WeakMap<Subscriber, Plan>();

/** The subscription's plan under `verdict` now: made once per decision and minute, not per delivery. */
function planOf(s: Subscriber, verdict: Allowed, now: Date): Plan {
  const minute = Math.floor(now.getTime() / 60_000);
  const known = plans.get(s);
  if (known && known.verdict === verdict && known.minute === minute) return known;
  const { resource } = verdict;
  const bounds = narrow(
    {},
    { dataFrom: verdict.dataFrom, dataTo: verdict.dataTo },
    retentionFloor(now, resource.retentionDays),
  );
  const attributes = (s.query.attrs ?? verdict.granted).filter(
    (a) => verdict.granted.includes(a) && resource.attributes.includes(a),
  );
  const selector = JSON.stringify([
    s.row.resource_id,
    s.spec.q ?? '',
    s.spec.geoQ ?? null,
    verdict.minimumCellCount,
    bounds,
    attributes,
  ]);
  const plan = { verdict, minute, bounds, attributes, selector };
  plans.set(s, plan);
  return plan;
}

interface Selection {
  readonly records: StoredRecord[];
  /** The records as JSON, for every stream that sends them. */
  readonly json: string;
}

const selectionsOf = new WeakMap<ProxyContext, Map<string, Selection>>();

/**
 * A selection made in the last moment under `key` (the same records, filter, k, bounds and attributes: it cannot
 * differ), or made now; all are forgotten a second after the first.
 */
function sharedSelections(ctx: ProxyContext, key: string, make: () => Selection): Selection {
  let made = selectionsOf.get(ctx);
  if (!made) {
    const fresh = new Map<string, Selection>();
    made = fresh;
    selectionsOf.set(ctx, fresh);
    setTimeout(() => selectionsOf.delete(ctx), 1000).unref();
  }
  let found = made.get(key);
  if (!found) {
    found = make();
    made.set(key, found);
  }
  return found;
}

type Allowed = Extract<Verdict, { allow: true }>;

interface Waiting {
  readonly subscriber: Subscriber;
  readonly records: number;
  readonly attributes: readonly string[];
  readonly resolve: (entry: { decision: string; reason?: string }) => void;
  readonly reject: (error: unknown) => void;
}

interface Notification {
  readonly verdict: Allowed;
  readonly now: Date;
  readonly waiting: Waiting[];
}

/**
 * The audit entries of notifications. The notifications that one consent's subscriptions of one resource make at
 * the same moment (one ingestion woke them all) are one release under that consent: decided once, committed as one
 * entry that names them and counts their records, with one request against the consent's rate limit. A thousand
 * streams of a consent cost one entry per delivered batch, not a thousand.
 */
const notificationWindowMs = 5;

class Notifications {
  readonly #ctx: ProxyContext;
  readonly #open = new Map<string, Notification>();
  #scheduled = false;

  constructor(ctx: ProxyContext) {
    this.#ctx = ctx;
  }

  commit(
    s: Subscriber,
    verdict: Allowed,
    now: Date,
    records: number,
  ): Promise<{ decision: string; reason?: string }> {
    const { row } = s;
    const key = [
      row.consent_id,
      row.resource_id,
      row.client_id,
      verdict.minimumCellCount,
      verdict.rateLimit,
    ].join('\u0000');
    let open = this.#open.get(key);
    if (!open) {
      open = { verdict, now, waiting: [] };
      this.#open.set(key, open);
    }
    const waiting = open.waiting;
    const promise = new Promise<{ decision: string; reason?: string }>((resolve, reject) => {
      waiting.push({ subscriber: s, records, attributes: verdict.asked.attributes, resolve, reject });
    });
    if (!this.#scheduled) {
      this.#scheduled = true;
      // The streams woken by one notice decide within a few milliseconds of each other (their reads return at
      // different moments on PostgreSQL): what they decide within the window is committed together.
      setTimeout(() => this.#flush(), notificationWindowMs);
    }
    return promise;
  }

  #flush(): void {
    this.#scheduled = false;
    const open = [...this.#open.values()];
    this.#open.clear();
    for (const { verdict, now, waiting } of open) {
      const first = waiting[0] as Waiting;
      const total = waiting.reduce((n, w) => n + w.records, 0);
      const ids = waiting.map((w) => w.subscriber.row.id);
      const named =
        ids.length > 10 ? `${ids.slice(0, 10).join(', ')} and ${ids.length - 10} more` : ids.join(', ');
      const target = { mou: verdict.mou, provider: verdict.resource.provider };
      // One subscription's entry carries its id as the request's; a group's names them in its reason.
      const event = (decision: 'allow' | 'deny', reason: string, extra: Partial<AuditEvent>) => {
        const { requestId, ...rest } = eventOf(first.subscriber, decision, reason, { target, ...extra });
        return waiting.length === 1 ? { ...rest, requestId } : rest;
      };
      this.#ctx.audit
        .appendInGroup(meteredRelease, {
          metered: verdict.metered,
          at: now,
          limit: verdict.rateLimit,
          records: total,
          allow: event('allow', `notified ${total} records to ${named}`, { resultSize: total }),
          deny: event('deny', `tooManyRequests: over ${verdict.rateLimit} requests a minute`, {}),
          // Decided again in the commit for everything the subscriptions ask, together.
          recheck: {
            ...verdict.asked,
            attributes: [...new Set(waiting.flatMap((w) => w.attributes))],
            minimumCellCount: verdict.minimumCellCount,
          },
        })
        .then(
          (entry) => {
            for (const w of waiting) w.resolve(entry);
          },
          (error: unknown) => {
            for (const w of waiting) w.reject(error);
          },
        );
    }
  }
}

const notificationsOf = new WeakMap<ProxyContext, Notifications>();

function notifications(ctx: ProxyContext): Notifications {
  let found = notificationsOf.get(ctx);
  if (!found) {
    found = new Notifications(ctx);
    notificationsOf.set(ctx, found);
  }
  return found;
}

/** The feed's newest place for a resource now: where a new subscription starts. */
export async function feedHead(ctx: ProxyContext, resource: string): Promise<FeedCursor> {
  const row = await ctx.reader
    .selectFrom('records')
    .select(['feed_version', 'feed_position'])
    .where('resource_id', '=', resource)
    .where('feed_version', 'is not', null)
    .orderBy('feed_version', 'desc')
    .orderBy('feed_position', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row
    ? { version: Number(row.feed_version), position: Number(row.feed_position) }
    : { version: 0, position: -1 };
}
