import { principalOf } from '@sangam/auth';
import { DxError, type Principal } from '@sangam/core';
import { daySpending, recordSpending } from '@sangam/db';
import { type RouteDeclaration, route, success } from '@sangam/http';
import { actsForProvider } from '@sangam/policy';
import { type EpsilonSpend, toMicro } from '@sangam/privacy';
import { Type } from '@sinclair/typebox';
import type { ProxyContext } from '../context.js';
import { ledgerEntries, ledgerScope } from '../ledger.js';
import { usageRange } from '../usage.js';
import { dayQuery } from './usage.js';

const resourceId = Type.String({
  pattern: '^[a-z0-9-]{1,64}/[a-z0-9-]{1,64}/[a-z0-9-]{1,64}$',
  title: 'a resource id, provider/group/resource',
  description: 'A resource: provider/group/resource',
  examples: ['yulu/surat-vehicles/availability'],
});
const dayPattern = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar day, YYYY-MM-DD, that exists (not the 30th of February). */
function isDay(text: string): boolean {
  const at = Date.parse(`${text}T00:00:00Z`);
  return dayPattern.test(text) && !Number.isNaN(at) && new Date(at).toISOString().startsWith(text);
}

/** The body of `POST /rs/v1/privacy/ledger`: an adapter's spending of one cycle. */
export const ledgerSpendingSchema = Type.Object(
  {
    adapter: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,63}$', examples: ['gbfs-yulu'] }),
    budgetPerDay: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 100 })),
    spends: Type.Array(
      Type.Object(
        {
          resource: resourceId,
          day: Type.String({ format: 'date' }),
          // As the ledger names cells: printable ASCII, free text hashed.
          cell: Type.String({ pattern: '^[\\x21-\\x7e]{1,100}$', examples: ['8a60e1a2d6dffff'] }),
          epsilonMicro: Type.Integer({ minimum: 1, maximum: 1_000_000_000 }),
          draws: Type.Integer({ minimum: 1, maximum: 100_000 }),
          paid: Type.Array(Type.String({ pattern: '^[0-9a-f]{32}$' }), { maxItems: 1000 }),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 5000 },
    ),
  },
  { additionalProperties: false },
);

const ledgerEntrySchema = Type.Object({
  resource: Type.String(),
  day: Type.String(),
  cell: Type.String(),
  epsilonSpent: Type.Number(),
  draws: Type.Integer(),
  budgetPerDay: Type.Optional(Type.Number()),
  adapter: Type.String(),
  provider: Type.String(),
  updatedAt: Type.String(),
});

/** The resource's provider acts for it, or the caller is told no (an unknown resource is a 404). */
async function requireLedgerProvider(
  ctx: ProxyContext,
  principal: Principal,
  resource: string,
): Promise<void> {
  const known = await ctx.resources.get(resource);
  if (!actsForProvider(principal, known.provider)) {
    throw new DxError('notResourceProvider', `Only ${known.provider} spends ε on ${resource}`);
  }
}

/** The ε ledger: what each released cell spent per local day, read by auditors and entered by adapters. */
export function ledgerRoutes(ctx: ProxyContext): RouteDeclaration[] {
  return [
    route({
      method: 'get',
      path: '/rs/v1/privacy/ledger',
      operationId: 'privacyLedger',
      summary:
        "ε spent per resource, released cell and local day, with the MoU's budget: everyone's for the auditor and the city, a provider's own",
      tag: 'Privacy',
      security: 'identity',
      query: Type.Object({
        resource: Type.Optional(resourceId),
        from: dayQuery('First day, YYYY-MM-DD'),
        to: dayQuery('Last day, YYYY-MM-DD'),
        limit: Type.Optional(
          Type.Integer({ minimum: 1, maximum: 10_000, description: 'Most rows (default 1000)' }),
        ),
        offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000 })),
      }),
      responses: {
        200: {
          description: 'Ledger rows, newest day first, with the range',
          schema: Type.Array(ledgerEntrySchema),
          beside: { from: Type.String(), to: Type.String() },
        },
      },
      refusals: [400, 401, 403],
      handle: async (c, { query }) => {
        const scope = await ledgerScope(ctx.db, principalOf(c));
        // Ledger days are the adapters' local days: by default up to the day it already is east of UTC (+14 hours).
        const range = usageRange(query, new Date(ctx.clock.now().getTime() + 14 * 3_600_000));
        const { entries, total } = await ledgerEntries(
          ctx.reader,
          { ...scope, ...(query.resource !== undefined ? { resource: query.resource } : {}), ...range },
          { limit: query.limit ?? 1000, offset: query.offset ?? 0 },
        );
        return c.json({ ...success('rs', entries, { totalHits: total }), ...range });
      },
    }),
    // What an adapter publishing over HTTP reads before it draws: a resource's day, spent per cell and paid periods.
    route({
      method: 'get',
      path: '/rs/v1/privacy/ledger/spending',
      operationId: 'ledgerSpending',
      summary: "A resource's local day in the ledger: ε spent per cell and the draws paid for (its provider)",
      tag: 'Privacy',
      security: 'identity',
      roles: ['provider', 'delegate'],
      query: Type.Object({
        resource: resourceId,
        day: Type.String({
          pattern: '^\\d{4}-\\d{2}-\\d{2}$',
          title: 'a day, YYYY-MM-DD',
          description: 'The local day, YYYY-MM-DD',
          examples: ['2030-01-01'],
        }),
      }),
      responses: {
        200: {
          description: 'Spent per cell (millionths of ε) and the draws paid for',
          schema: Type.Object({
            spent: Type.Record(Type.String(), Type.Integer()),
            paid: Type.Array(Type.String()),
          }),
        },
      },
      refusals: [400, 401, 403, 404],
      handle: async (c, { query }) => {
        if (!isDay(query.day)) {
          throw DxError.validation(
            [{ field: 'day', message: 'must be a day, YYYY-MM-DD' }],
            'invalidParameter',
          );
        }
        await requireLedgerProvider(ctx, principalOf(c), query.resource);
        const spending = await daySpending(ctx.db, query.resource, query.day);
        return c.json(success('rs', { spent: Object.fromEntries(spending.spent), paid: [...spending.paid] }));
      },
    }),
    // An adapter publishing over HTTP enters what it drew before it publishes, where its records go.
    route({
      method: 'post',
      path: '/rs/v1/privacy/ledger',
      operationId: 'enterLedgerSpending',
      summary: "Enter an adapter's ε spending of one cycle, before it publishes (the resources' provider)",
      tag: 'Privacy',
      security: 'identity',
      roles: ['provider', 'delegate'],
      body: ledgerSpendingSchema,
      responses: { 201: { description: 'Cells entered', schema: Type.Object({ cells: Type.Integer() }) } },
      refusals: [400, 401, 403, 404, 413, 415],
      handle: async (c, { body }) => {
        const principal = principalOf(c);
        for (const resource of new Set(body.spends.map((s) => s.resource)))
          await requireLedgerProvider(ctx, principal, resource);
        await recordSpending(
          ctx.db,
          { name: body.adapter, provider: principal.organisationId },
          body.spends as EpsilonSpend[],
          body.budgetPerDay === undefined ? null : toMicro(body.budgetPerDay),
          ctx.clock.now().toISOString(),
        );
        return c.json(success('rs', { cells: body.spends.length }, { title: 'Spending entered' }), 201);
      },
    }),
  ];
}
