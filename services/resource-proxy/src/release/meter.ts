import type { AuditEvent, EventGroup } from '@sangam/audit';
import {
  decide,
  type ReleaseDecision,
  type ReleaseFacts,
  type ReleaseRequest,
  releaseFactsOf,
} from '@sangam/policy';

/** One request's consent, item and parties, as metering counts them. */
export interface Metered {
  readonly consentId: string;
  readonly item: string;
  readonly consumer: string;
  readonly provider: string;
}

/** A decision waiting for its commit: released if the rate limit allows (`limit`), or refused already. */
export interface MeteredDecision {
  readonly metered: Metered | undefined;
  readonly at: Date;
  /** Requests a minute the consent allows; absent for a request refused before the limit was reached. */
  readonly limit?: number;
  readonly records: number;
  readonly allow: AuditEvent;
  readonly deny: AuditEvent;
  /**
   * The request the decision allowed, decided again inside the commit before it may be committed as an allow, with
   * the k its release applied: a stricter k in force by the commit refuses it.
   */
  readonly recheck?: ReleaseRequest & { readonly consentId: string; readonly minimumCellCount: number };
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

/**
 * The rate limit and metering, decided inside the audit commit under its lock, so every proxy instance on the
 * database counts in one sequence: each request of the commit takes one request from its consent's window if the
 * limit allows (allow) or is refused (deny), and the day's usage is added to. Reads and writes are made once per
 * commit, whatever the number of requests in it.
 */
export const meteredRelease: EventGroup<MeteredDecision> = {
  // A writer thread loads the group from here; its items are plain data.
  module: { url: import.meta.url, name: 'meteredRelease' },
  async decide(trx, decisions) {
    // The release rule once more, under the audit lock: a consent revoked or paused, or an MoU stopped or left,
    // after the decision read it and before this commit, is seen here; so in the log no allow for a consent ever
    // follows the entry that stopped it. Facts are read for all the commit's consents of an item in one query.
    const facts = new Map<string, ReleaseFacts | undefined>();
    const unread = new Map<string, unknown>();
    const byItem = new Map<string, Set<string>>();
    for (const d of decisions) {
      if (!d.recheck) continue;
      const ids = byItem.get(d.recheck.item) ?? new Set();
      ids.add(d.recheck.consentId);
      byItem.set(d.recheck.item, ids);
    }
    for (const [item, ids] of byItem) {
      try {
        const found = await releaseFactsOf(trx, [...ids], item);
        for (const id of ids) facts.set(`${id}\u0000${item}`, found.get(id));
      } catch (error) {
        // A read that fails refuses the requests it was for: the rest of the commit (refusals among them) stands.
        for (const id of ids) unread.set(`${id}\u0000${item}`, error);
      }
    }
    const refused = new Map<MeteredDecision, ReleaseDecision & { allow: false }>();
    for (const d of decisions) {
      const asked = d.recheck;
      if (!asked) continue;
      let verdict: ReleaseDecision;
      try {
        const read = `${asked.consentId}\u0000${asked.item}`;
        if (unread.has(read)) throw unread.get(read);
        const now = facts.get(read);
        verdict =
          now && now.row.consumer_org === asked.consumer
            ? decide(now.consent, now.mou, asked, d.at, now.item)
            : { allow: false, problem: 'itemOutsideConsent', reason: 'no such consent for this consumer' };
      } catch (error) {
        // A read that fails refuses this request only: the rest of the commit (other refusals among them) stands.
        verdict = {
          allow: false,
          problem: 'internalError',
          reason: `the release rule could not be read: ${String(error)}`,
        };
      }
      if (verdict.allow && verdict.minimumCellCount > asked.minimumCellCount) {
        verdict = {
          allow: false,
          problem: 'releaseTermsChanged',
          reason: `the MoU now sets k = ${verdict.minimumCellCount}, above the ${asked.minimumCellCount} this release applied`,
        };
      }
      if (!verdict.allow) refused.set(d, verdict);
    }
    const key = (consentId: string, window: string) => `${consentId}\u0000${window}`;
    const limited = decisions.filter((d) => d.metered && d.limit !== undefined);
    const counts = new Map<string, number>();
    if (limited.length > 0) {
      const rows = await trx
        .selectFrom('rate_windows')
        .select(['consent_id', 'window_start', 'requests'])
        .where('consent_id', 'in', [...new Set(limited.map((d) => d.metered?.consentId ?? ''))])
        .where('window_start', 'in', [...new Set(limited.map((d) => rateWindow(d.at).start))])
        .execute();
      for (const r of rows) counts.set(key(r.consent_id, r.window_start), r.requests);
    }
    const changed = new Set<string>();
    const usage = new Map<
      string,
      { metered: Metered; day: string; requests: number; denied: number; records: number }
    >();
    const events = decisions.map((d) => {
      let allowed = false;
      const stopped = refused.get(d);
      if (d.metered && d.limit !== undefined && !stopped) {
        const k = key(d.metered.consentId, rateWindow(d.at).start);
        const used = counts.get(k) ?? 0;
        allowed = used < d.limit;
        if (allowed) {
          counts.set(k, used + 1);
          changed.add(k);
        }
      }
      if (d.metered) {
        const day = d.at.toISOString().slice(0, 10);
        const u = `${d.metered.consentId}\u0000${d.metered.item}\u0000${day}`;
        const row = usage.get(u) ?? { metered: d.metered, day, requests: 0, denied: 0, records: 0 };
        if (allowed) {
          row.requests += 1;
          row.records += d.records;
        } else row.denied += 1;
        usage.set(u, row);
      }
      if (stopped) return { ...d.deny, reason: `${stopped.problem}: ${stopped.reason}` };
      return allowed ? d.allow : d.deny;
    });
    // One statement each for the commit's rate windows and usage (a round trip per consent would make a commit
    // of many consents slow on PostgreSQL); each key is once in its statement.
    const windows = [...changed].map((k) => {
      const [consentId = '', window = ''] = k.split('\u0000');
      return { consent_id: consentId, window_start: window, requests: counts.get(k) ?? 0 };
    });
    for (let at = 0; at < windows.length; at += 500) {
      await trx
        .insertInto('rate_windows')
        .values(windows.slice(at, at + 500))
        .onConflict((oc) =>
          oc
            .columns(['consent_id', 'window_start'])
            .doUpdateSet((eb) => ({ requests: eb.ref('excluded.requests') })),
        )
        .execute();
    }
    const days = [...usage.values()].map((u) => ({
      day: u.day,
      consent_id: u.metered.consentId,
      item: u.metered.item,
      consumer_org: u.metered.consumer,
      provider_org: u.metered.provider,
      requests: u.requests,
      denied: u.denied,
      records: u.records,
    }));
    for (let at = 0; at < days.length; at += 500) {
      await trx
        .insertInto('usage_daily')
        .values(days.slice(at, at + 500))
        .onConflict((oc) =>
          oc.columns(['consent_id', 'item', 'day']).doUpdateSet((eb) => ({
            requests: eb('usage_daily.requests', '+', eb.ref('excluded.requests')),
            denied: eb('usage_daily.denied', '+', eb.ref('excluded.denied')),
            records: eb('usage_daily.records', '+', eb.ref('excluded.records')),
          })),
        )
        .execute();
    }
    return events;
  },
};
