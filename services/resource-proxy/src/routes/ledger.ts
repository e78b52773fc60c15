import { type BearerOptions, bearerAuth, principalOf } from '@sangam/auth';
import { DxError, type Principal } from '@sangam/core';
import { daySpending, recordSpending } from '@sangam/db';
import { type AppEnv, pageParams, queryParams, readJson, success, validator } from '@sangam/http';
import { actsForProvider } from '@sangam/policy';
import { type EpsilonSpend, toMicro } from '@sangam/privacy';
import type { Hono } from 'hono';
import type { ProxyContext } from '../context.js';
import { ledgerEntries, ledgerScope } from '../ledger.js';
import { usageRange } from '../usage.js';

const resourcePattern = /^[a-z0-9-]{1,64}\/[a-z0-9-]{1,64}\/[a-z0-9-]{1,64}$/;
const dayPattern = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar day, YYYY-MM-DD, that exists (not the 30th of February). */
function isDay(text: string): boolean {
  const at = Date.parse(`${text}T00:00:00Z`);
  return dayPattern.test(text) && !Number.isNaN(at) && new Date(at).toISOString().startsWith(text);
}

/** The body of `POST /rs/v1/privacy/ledger`: an adapter's spending of one cycle. */
export const ledgerSpendingSchema = {
  $id: 'urn:sangam:schema:ledger-spending',
  type: 'object',
  additionalProperties: false,
  required: ['adapter', 'spends'],
  properties: {
    adapter: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,63}$' },
    budgetPerDay: { type: 'number', exclusiveMinimum: 0, maximum: 100 },
    spends: {
      type: 'array',
      minItems: 1,
      maxItems: 5000,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['resource', 'day', 'cell', 'epsilonMicro', 'draws', 'paid'],
        properties: {
          resource: { type: 'string', pattern: resourcePattern.source },
          day: { type: 'string', format: 'date' },
          // As the ledger names cells: printable ASCII, free text hashed.
          cell: { type: 'string', pattern: '^[\\x21-\\x7e]{1,100}$' },
          epsilonMicro: { type: 'integer', minimum: 1, maximum: 1_000_000_000 },
          draws: { type: 'integer', minimum: 1, maximum: 100_000 },
          paid: { type: 'array', maxItems: 1000, items: { type: 'string', pattern: '^[0-9a-f]{32}$' } },
        },
      },
    },
  },
} as const;

const parseSpending = validator<{ adapter: string; budgetPerDay?: number; spends: EpsilonSpend[] }>(
  ledgerSpendingSchema,
);

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

  // What an adapter publishing over HTTP reads before it draws: a resource's day, spent per cell and paid periods.
  app.get('/rs/v1/privacy/ledger/spending', bearerAuth(auth), async (c) => {
    const query = queryParams(c, ['resource', 'day']);
    const errors = [
      ...(query.resource !== undefined && resourcePattern.test(query.resource)
        ? []
        : [{ field: 'resource', message: 'must be a resource id, provider/group/resource' }]),
      ...(query.day !== undefined && isDay(query.day)
        ? []
        : [{ field: 'day', message: 'must be a day, YYYY-MM-DD' }]),
    ];
    if (errors.length > 0) throw DxError.validation(errors, 'invalidParameter');
    const resource = query.resource as string;
    await requireLedgerProvider(ctx, principalOf(c), resource);
    const spending = await daySpending(ctx.db, resource, query.day as string);
    return c.json(success('rs', { spent: Object.fromEntries(spending.spent), paid: [...spending.paid] }));
  });

  // An adapter publishing over HTTP enters what it drew before it publishes, where its records go.
  app.post('/rs/v1/privacy/ledger', bearerAuth(auth), async (c) => {
    const principal = principalOf(c);
    const body = await readJson(c, parseSpending);
    for (const resource of new Set(body.spends.map((s) => s.resource)))
      await requireLedgerProvider(ctx, principal, resource);
    await recordSpending(
      ctx.db,
      { name: body.adapter, provider: principal.organisationId },
      body.spends,
      body.budgetPerDay === undefined ? null : toMicro(body.budgetPerDay),
      ctx.clock.now().toISOString(),
    );
    return c.json(success('rs', { cells: body.spends.length }, { title: 'Spending entered' }), 201);
  });
}
