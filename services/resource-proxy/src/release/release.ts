import { type AuditEvent, requestIds } from '@sangam/audit';
import { DxError, problems } from '@sangam/core';
import type { AppEnv } from '@sangam/http';
import { type ConsentFacts, clientRefusal, decide, inScope, releaseFacts, scopeItem } from '@sangam/policy';
import type { Context } from 'hono';
import type { ProxyContext } from '../context.js';
import {
  type AccessKind,
  attributesAskedFor,
  type CheckedQuery,
  parseResourceQuery,
  type ResourceQuery,
} from '../query/params.js';
import { project, render } from '../query/render.js';
import {
  type Page,
  pageOf,
  type Selection,
  type StoredRecord,
  selectStored,
  type TimeBounds,
  withinBounds,
} from '../records/store.js';
import { retentionFloor } from '../records/time.js';
import type { Resource } from '../resources.js';
import { type AccessGrant, accessClientCheck, verifyAccess } from './access.js';
import { type Metered, meteredRelease, rateWindow } from './meter.js';

/**
 * The release path of DESIGN.md §5 for one query: parse, verify the access token, check its scope and client,
 * decide on the consent and MoU as they are now, run the query, then commit the decision with the rate limit and
 * metering to the audit log, and only then answer. Every refusal on the way is committed as a `deny` first.
 */
export function releaseHandler(ctx: ProxyContext, kind: AccessKind) {
  const checkClient = accessClientCheck(ctx.reader);
  // Consents this process saw refused for their rate limit, by the window in which they were: the window only
  // fills up, so later requests in it are refused before their query runs (the commit's check stays the rule).
  const exhausted = new Map<string, string>();
  // Queries running now, per consumer organisation (shared by every query route): admitted before any work.
  const running = ctx.running;
  return async (c: Context<AppEnv>, input: { query: CheckedQuery }): Promise<Response> => {
    const now = ctx.clock.now();
    const action = `rs.query.${kind}`;
    const target: { item?: string; consent?: string; mou?: string; provider?: string; consumer?: string } =
      {};
    let grant: AccessGrant | undefined;
    let metered: Metered | undefined;
    let audited = false;
    let admitted: string | undefined;
    try {
      // The token first: a request without a valid one is no decision about any consent, and is only counted.
      grant = await verifyAccess(ctx.tokens, c.req.header('authorization'));
      const query = parseResourceQuery(
        input.query,
        c.req.header('accept'),
        kind,
        ctx.config.SANGAM_QUERY_MAX_LIMIT,
      );
      target.item = query.resource;
      target.consent = grant.consentId;
      target.mou = grant.mou;
      target.consumer = grant.organisationId;
      const limit = ctx.config.SANGAM_QUERY_CONCURRENCY;
      const consumer = grant.organisationId;
      if ((running.get(consumer) ?? 0) >= limit) {
        throw new DxError('tooManyRequests', `At most ${limit} queries of one consumer run at once`, {
          headers: { 'retry-after': '1' },
        });
      }
      running.set(consumer, (running.get(consumer) ?? 0) + 1);
      admitted = consumer;
      if (!inScope(grant.scope, query.resource)) {
        throw new DxError(
          'itemOutsideToken',
          `The access token is for ${scopeItem(grant.scope)}, not ${query.resource}`,
        );
      }
      // One read for the whole decision: the client, the consent, its MoU and parties, and the item as they are now.
      const facts = await releaseFacts(ctx.reader, grant.consentId, query.resource, grant.clientId);
      if (!facts) {
        // No such consent: the client and the item are still checked first, so each refusal says what it is.
        await checkClient(grant);
        await ctx.resources.get(query.resource);
        throw new DxError('itemOutsideConsent', 'no such consent for this consumer');
      }
      const clientRefused = clientRefusal(facts.client, grant.issuedAt);
      if (clientRefused) throw new DxError('clientRevoked', clientRefused);
      const resource = await ctx.resources.get(query.resource, facts.catalogued ?? null);
      target.provider = resource.provider;
      metered = {
        consentId: grant.consentId,
        item: resource.id,
        consumer: grant.organisationId,
        provider: resource.provider,
      };

      // Latest data is data of now: a consent whose data range has ended does not reach it.
      const at = now.toISOString();
      const range =
        query.kind === 'latest'
          ? { dataFrom: at, dataTo: at }
          : {
              ...(query.dataFrom ? { dataFrom: query.dataFrom } : {}),
              ...(query.dataTo ? { dataTo: query.dataTo } : {}),
            };
      const asked = {
        consentId: grant.consentId,
        consumer: grant.organisationId,
        item: resource.id,
        accessType: kind,
        attributes: attributesAskedFor(query),
        releaseLevel: resource.releaseLevel,
        ...range,
      };
      if (facts.row.consumer_org !== grant.organisationId) {
        throw new DxError('itemOutsideConsent', 'no such consent for this consumer');
      }
      const decision = decide(facts.consent, facts.mou, asked, now, facts.item);
      if (!decision.allow) throw new DxError(decision.problem, decision.reason);
      // The consent as the decision read it: parsed once, for the projection and the clamping below.
      const consent = facts.row;
      const terms = facts.consent;
      if (query.format === 'csv' && !terms.accessTypes.includes('download')) {
        throw new DxError('accessTypeNotGranted', 'CSV is a download, and download access is not granted');
      }
      const window = rateWindow(now).start;
      if (exhausted.get(grant.consentId) === window) throw rateLimited(consent.rate_limit, now);

      // Only granted attributes, and only those of the data model, are ever returned.
      const attributes = (query.attrs ?? terms.attributes).filter(
        (a) => terms.attributes.includes(a) && resource.attributes.includes(a),
      );
      const bounds = narrow(query.bounds, terms, retentionFloor(now, resource.retentionDays));
      const selection: Selection = {
        ...(query.filter ? { filter: query.filter } : {}),
        ...(query.geo ? { geo: query.geo } : {}),
        bounds,
        minimumIndividuals: decision.minimumCellCount,
        limit: query.limit,
        offset: query.offset,
      };
      // Stored data is rendered once per data version; an upstream's answer may change at any time.
      const key = resource.upstream
        ? undefined
        : JSON.stringify([
            resource.id,
            resource.revision,
            facts.catalogued?.dataVersion ?? 0,
            kind,
            query.format,
            attributes,
            selection,
          ]);
      let page = key === undefined ? undefined : ctx.pages.get(key);
      if (!page) {
        // Work is admitted before it is done: a window another process (or an earlier commit) filled refuses the
        // query before it runs. The count committed with the entry stays the rule; this only spares the work.
        const used = await ctx.reader
          .selectFrom('rate_windows')
          .select('requests')
          .where('consent_id', '=', grant.consentId)
          .where('window_start', '=', window)
          .executeTakeFirst();
        if (used && used.requests >= consent.rate_limit) {
          if (exhausted.size > 10_000) exhausted.clear();
          exhausted.set(grant.consentId, window);
          throw rateLimited(consent.rate_limit, now);
        }
        const found = resource.upstream
          ? upstreamPage(await ctx.upstreams.fetchRecords(resource), query, selection)
          : await selectStored(
              ctx.reader,
              kind === 'latest' ? 'latest_records' : 'records',
              resource.id,
              selection,
              ctx.config.SANGAM_QUERY_SCAN_LIMIT,
              ctx.config.SANGAM_QUERY_TIME_BUDGET_MS,
            );
        const records = found.records.map((r) => project(r, attributes));
        page = {
          ...render(query.format, records, {
            total: found.total,
            limit: query.limit,
            offset: query.offset,
            resource: resource.id,
            attributes,
          }),
          released: records.length,
          total: found.total,
        };
        if (key !== undefined) ctx.pages.set(key, page);
      }

      const reason = `released ${page.released} of ${page.total} records`;
      const entry = await ctx.audit.appendInGroup(meteredRelease, {
        metered,
        at: now,
        limit: consent.rate_limit,
        records: page.released,
        allow: event(action, 'allow', reason, grant, target, c, page.released),
        deny: event(
          action,
          'deny',
          `tooManyRequests: over ${consent.rate_limit} requests a minute`,
          grant,
          target,
          c,
        ),
        recheck: { ...asked, minimumCellCount: decision.minimumCellCount },
      });
      audited = true;
      if (entry.decision !== 'allow') {
        // Refused in the commit: by the release rule read again (the consent or MoU changed meanwhile), or by the
        // rate limit.
        const [problem = '', ...why] = (entry.reason ?? '').split(': ');
        if (problem !== 'tooManyRequests' && problem in problems) {
          throw new DxError(problem as keyof typeof problems, why.join(': '));
        }
        if (exhausted.size > 10_000) exhausted.clear();
        exhausted.set(grant.consentId, window);
        throw rateLimited(consent.rate_limit, now);
      }

      return c.body(page.body, 200, { 'content-type': page.contentType, ...page.headers });
    } catch (error) {
      if (audited) throw error;
      if (grant === undefined) ctx.audit.uncredentialed.count(action, problemName(error));
      else await auditDenial(ctx, error, { action, grant, target, c, metered, now });
      throw error;
    } finally {
      if (admitted !== undefined) {
        const left = (running.get(admitted) ?? 1) - 1;
        if (left > 0) running.set(admitted, left);
        else running.delete(admitted);
      }
    }
  };
}

function rateLimited(limit: number, now: Date): DxError {
  const { retryAfter } = rateWindow(now);
  return new DxError('tooManyRequests', `The consent allows ${limit} requests a minute`, {
    headers: { 'retry-after': String(retryAfter) },
  });
}

function event(
  action: string,
  decision: 'allow' | 'deny',
  reason: string,
  grant: AccessGrant | undefined,
  target: AuditEvent['target'],
  c: Context<AppEnv>,
  resultSize?: number,
): AuditEvent {
  return {
    action,
    decision,
    reason,
    ...(grant ? { actor: { client: grant.clientId, organisation: grant.organisationId } } : {}),
    target: Object.fromEntries(Object.entries(target ?? {}).filter(([, v]) => v !== undefined)),
    ...requestIds(c.var),
    ...(resultSize === undefined ? {} : { resultSize }),
  };
}

function problemName(error: unknown): string {
  return error instanceof DxError ? error.problem : 'internalError';
}

/** Commits a refusal before it is answered. If even that fails, the original error still goes out (never data). */
async function auditDenial(
  ctx: ProxyContext,
  error: unknown,
  at: {
    action: string;
    grant: AccessGrant | undefined;
    target: AuditEvent['target'];
    c: Context<AppEnv>;
    metered: Metered | undefined;
    now: Date;
  },
): Promise<void> {
  const reason =
    error instanceof DxError
      ? `${error.problem}: ${error.detail ?? problems[error.problem].title}`
      : 'internalError: the request failed';
  const denial = event(at.action, 'deny', reason.slice(0, 500), at.grant, at.target, at.c);
  try {
    await ctx.audit.appendInGroup(meteredRelease, {
      metered: at.metered,
      at: at.now,
      records: 0,
      allow: denial,
      deny: denial,
    });
  } catch (auditError) {
    at.c.var.logger.error({ err: auditError, reqId: at.c.var.requestId }, 'a denial could not be audited');
  }
}

/** The query's time bounds narrowed to the consent's data range and the resource's retention. */
export function narrow(
  bounds: TimeBounds,
  terms: Pick<ConsentFacts, 'dataFrom' | 'dataTo'>,
  cutoff: string,
): TimeBounds {
  const floors = [bounds.gte, terms.dataFrom ?? undefined, cutoff].filter(
    (v): v is string => v !== undefined,
  );
  const ceilings = [bounds.lte, terms.dataTo ?? undefined].filter((v): v is string => v !== undefined);
  return {
    gte: floors.sort().at(-1) ?? cutoff,
    ...(bounds.gt !== undefined ? { gt: bounds.gt } : {}),
    ...(bounds.lt !== undefined ? { lt: bounds.lt } : {}),
    ...(ceilings.length > 0 ? { lte: ceilings.sort()[0] } : {}),
  };
}

/** An upstream's records selected as stored ones would be: in the bounds, newest per entity for `latest`. */
function upstreamPage(records: readonly StoredRecord[], query: ResourceQuery, selection: Selection): Page {
  const inRange = records.filter((r) => withinBounds(r.observedAt as string, selection.bounds));
  let ordered: StoredRecord[];
  if (query.kind === 'latest') {
    const newest = new Map<string, StoredRecord>();
    for (const r of inRange) {
      const seen = newest.get(r.id as string);
      if (!seen || (seen.observedAt as string) < (r.observedAt as string)) newest.set(r.id as string, r);
    }
    ordered = [...newest.values()].sort((a, b) => compare(a.id, b.id));
  } else {
    ordered = [...inRange].sort((a, b) => compare(a.observedAt, b.observedAt) || compare(a.id, b.id));
  }
  return pageOf(ordered, selection);
}

const compare = (a: unknown, b: unknown): number =>
  String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;

export type { Resource };
