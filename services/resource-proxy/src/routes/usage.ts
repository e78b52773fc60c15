import { principalOf } from '@sangam/auth';
import { type RouteDeclaration, route, success } from '@sangam/http';
import { Type } from '@sinclair/typebox';
import type { ProxyContext } from '../context.js';
import { consumerUsage, providerUsage, usageRange, usageView } from '../usage.js';

/** A day of the range a report covers (checked as a calendar day when read). */
export const dayQuery = (description: string) =>
  Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', title: 'a day, YYYY-MM-DD', description }));

const usageRow = Type.Object({
  day: Type.String(),
  requests: Type.Integer(),
  denied: Type.Integer(),
  records: Type.Integer(),
  consent: Type.Optional(Type.String()),
  item: Type.Optional(Type.String()),
  consumer: Type.Optional(Type.String()),
});

/** `GET /rs/v1/usage`: a consumer's own metering per consent and day; a provider's per item and consumer. */
export function usageRoutes(ctx: ProxyContext): RouteDeclaration[] {
  return [
    route({
      method: 'get',
      path: '/rs/v1/usage',
      operationId: 'usage',
      summary:
        "Requests, refusals and records per consent and day (a consumer's), or per item and consumer (a provider's)",
      tag: 'Data',
      security: 'identity',
      roles: ['consumer', 'provider', 'delegate'],
      query: Type.Object({
        view: Type.Optional(Type.Union([Type.Literal('consumer'), Type.Literal('provider')])),
        from: dayQuery('First day, YYYY-MM-DD (29 days before to by default)'),
        to: dayQuery('Last day, YYYY-MM-DD (today by default)'),
      }),
      responses: {
        200: {
          description: 'Usage rows, with the view and range',
          schema: Type.Array(usageRow),
          beside: {
            view: Type.Union([Type.Literal('consumer'), Type.Literal('provider')]),
            from: Type.String(),
            to: Type.String(),
          },
        },
      },
      refusals: [400, 401, 403],
      handle: async (c, { query }) => {
        const principal = principalOf(c);
        const view = usageView(principal, query.view);
        const range = usageRange(query, ctx.clock.now());
        const rows =
          view === 'consumer'
            ? await consumerUsage(ctx.db, principal.organisationId, range)
            : await providerUsage(ctx.db, principal.organisationId, range);
        return c.json({ ...success('rs', rows, { totalHits: rows.length }), view, ...range });
      },
    }),
  ];
}
