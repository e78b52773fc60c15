import { type BearerOptions, bearerAuth, principalOf } from '@sangam/auth';
import { DxError } from '@sangam/core';
import { type AppEnv, pageParams, queryParams, success } from '@sangam/http';
import type { Hono } from 'hono';
import type { ProxyContext } from '../context.js';
import { ledgerEntries, ledgerScope } from '../ledger.js';
import { usageRange } from '../usage.js';

const resourcePattern = /^[a-z0-9-]{1,64}\/[a-z0-9-]{1,64}\/[a-z0-9-]{1,64}$/;

/**
 * `GET /rs/v1/privacy/ledger`: ε spent per resource, released cell and local day, with the MoU's budget; everyone's
 * for the auditor and the city, a provider's own datasets for a provider.
 */
export function registerLedgerRoutes(app: Hono<AppEnv>, ctx: ProxyContext, auth: BearerOptions): void {
  app.get('/rs/v1/privacy/ledger', bearerAuth(auth), async (c) => {
    const scope = await ledgerScope(ctx.db, principalOf(c));
    const query = queryParams(c, ['resource', 'from', 'to', 'limit', 'offset']);
    // Ledger days are the adapters' local days: by default up to the day it already is east of UTC (+14 hours).
    const range = usageRange(query, new Date(ctx.clock.now().getTime() + 14 * 3_600_000));
    if (query.resource !== undefined && !resourcePattern.test(query.resource)) {
      throw DxError.validation(
        [{ field: 'resource', message: 'must be a resource id, provider/group/resource' }],
        'invalidParameter',
      );
    }
    const page = pageParams(query, { defaultLimit: 1000, maxLimit: 10_000 });
    const { entries, total } = await ledgerEntries(
      ctx.reader,
      { ...scope, ...(query.resource !== undefined ? { resource: query.resource } : {}), ...range },
      page,
    );
    return c.json({ ...success('rs', entries, { totalHits: total }), ...range });
  });
}
