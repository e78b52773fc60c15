import { type BearerOptions, bearerAuth, principalOf } from '@sangam/auth';
import { type AppEnv, queryParams, success } from '@sangam/http';
import type { Hono } from 'hono';
import type { ProxyContext } from '../context.js';
import { consumerUsage, providerUsage, usageRange, usageView } from '../usage.js';

/** `GET /rs/v1/usage`: a consumer's own metering per consent and day; a provider's per item and consumer. */
export function registerUsageRoutes(app: Hono<AppEnv>, ctx: ProxyContext, auth: BearerOptions): void {
  app.get('/rs/v1/usage', bearerAuth(auth), async (c) => {
    const principal = principalOf(c);
    const query = queryParams(c, ['view', 'from', 'to']);
    const view = usageView(principal, query.view);
    const range = usageRange(query, ctx.clock.now());
    const rows =
      view === 'consumer'
        ? await consumerUsage(ctx.db, principal.organisationId, range)
        : await providerUsage(ctx.db, principal.organisationId, range);
    return c.json({ ...success('rs', rows, { totalHits: rows.length }), view, ...range });
  });
}
