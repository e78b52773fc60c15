import { principalOf } from '@sangam/auth';
import { type Clock, DxError } from '@sangam/core';
import { type Database, type Kysely, releaseLeases, takeLease } from '@sangam/db';
import { type RouteDeclaration, route, success } from '@sangam/http';
import { Type } from '@sinclair/typebox';
import type { AdapterHealth } from './health.js';
import { healthStore } from './status.js';
import { adapterLeaseName, publishTerms } from './terms.js';

const adapterName = Type.String({
  pattern: '^[a-z0-9][a-z0-9-]{0,62}$',
  title: 'an adapter name',
  description: "The adapter's name, unique among the gateway's adapters",
  examples: ['sitilink-itms'],
});
const id = Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,63}$' });
const instant = Type.String({ format: 'date-time', maxLength: 40 });
const count = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });

/** An adapter's health as it reports it (the shape of `AdapterHealth`), checked field by field. */
export const healthReportSchema = Type.Object(
  {
    name: adapterName,
    kind: Type.String({ pattern: '^[a-z0-9-]{1,32}$' }),
    provider: id,
    state: Type.Union(['starting', 'healthy', 'failing', 'stale', 'stopped'].map((s) => Type.Literal(s))),
    lastAttemptAt: Type.Optional(instant),
    lastSuccessAt: Type.Optional(instant),
    lastError: Type.Optional(
      Type.Object(
        {
          at: instant,
          problem: Type.String({ pattern: '^[A-Za-z-]{1,40}$' }),
          message: Type.String({ maxLength: 2000 }),
        },
        { additionalProperties: false },
      ),
    ),
    staleSince: Type.Optional(instant),
    dataTime: Type.Optional(instant),
    recordsIn: count,
    recordsOut: count,
    duplicates: count,
    rejected: count,
    cellsSuppressed: count,
    cellsOverBudget: Type.Optional(count),
    recordsLeftOut: count,
    deadLettered: count,
    consecutiveFailures: count,
    circuit: Type.Union([Type.Literal('closed'), Type.Literal('open'), Type.Literal('half-open')]),
    nextPollAt: Type.Optional(instant),
  },
  { additionalProperties: false },
);

const termsSchema = Type.Object({
  publish: Type.Boolean(),
  k: Type.Optional(Type.Integer()),
  recordsAllowed: Type.Optional(Type.Boolean()),
  epsilonPerDay: Type.Optional(Type.Number()),
  reason: Type.Optional(Type.String()),
});

const leaseSchema = Type.Object({
  held: Type.Boolean({ description: 'Whether the instance that asked holds it now' }),
  expiresAt: Type.String({ description: 'When the lease lapses unless renewed' }),
  leaseSeconds: Type.Number({ description: 'How long a lease lasts unrenewed: renew well within it' }),
});

/**
 * What an adapter running in its own process, publishing over HTTP with its provider's client, asks of the
 * gateway: the terms it may publish under, where to keep its health, and a lease so only one instance of it runs.
 */
export function remoteAdapterRoutes(
  db: Kysely<Database>,
  options: { readonly clock: Clock; readonly leaseMs: number },
): RouteDeclaration[] {
  return [
    route({
      method: 'get',
      path: '/adapters/v1/terms',
      operationId: 'adapterTerms',
      summary:
        "The terms the caller's adapter publishes under, asked before every batch: k, whether records may go out, the ε budget; or why nothing may be published",
      tag: 'Adapters',
      security: 'identity',
      roles: ['provider'],
      query: Type.Object({
        mou: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$' })),
        datasets: Type.String({
          pattern: '^[a-z0-9-]{1,64}/[a-z0-9-]{1,64}(,[a-z0-9-]{1,64}/[a-z0-9-]{1,64}){0,31}$',
          description: 'The datasets (provider/group) the adapter feeds, comma-separated',
          examples: ['sitilink/bus-positions'],
        }),
      }),
      responses: { 200: { description: 'The terms, or why nothing may be published', schema: termsSchema } },
      refusals: [400, 401, 403],
      handle: async (c, { query }) => {
        const principal = principalOf(c);
        const datasets = query.datasets.split(',');
        const foreign = datasets.find((d) => !d.startsWith(`${principal.organisationId}/`));
        if (foreign) {
          throw new DxError('forbidden', `${foreign} is not a dataset of ${principal.organisationId}`);
        }
        const terms = await publishTerms(
          db,
          { mou: query.mou, provider: principal.organisationId, datasets },
          options.clock.now(),
        );
        return c.json(success('adp', terms));
      },
    }),
    route({
      method: 'put',
      path: '/adapters/v1/status/{name}',
      operationId: 'reportAdapterStatus',
      summary: "An adapter's report of its own health, kept where every gateway answers the status API",
      tag: 'Adapters',
      security: 'identity',
      roles: ['provider'],
      params: Type.Object({ name: adapterName }),
      body: healthReportSchema,
      responses: { 200: { description: 'Kept', schema: Type.Object({ name: Type.String() }) } },
      refusals: [400, 401, 403, 413, 415],
      handle: async (c, { params, body }) => {
        const principal = principalOf(c);
        if (body.name !== params.name) {
          throw new DxError('invalidPayload', `The report names ${body.name}, not ${params.name}`);
        }
        if (body.provider !== principal.organisationId) {
          throw new DxError('forbidden', `An adapter of ${principal.organisationId} reports for it only`);
        }
        // Kept under the provider and the name: a provider's report never touches another provider's adapter.
        await healthStore(db, options.clock)(body as AdapterHealth);
        return c.json(success('adp', { name: params.name }));
      },
    }),
    route({
      method: 'post',
      path: '/adapters/v1/leases/{name}',
      operationId: 'adapterLease',
      summary:
        'Takes or renews the lease that lets one instance of an adapter run: held until it lapses unrenewed, then the next instance to ask takes it',
      tag: 'Adapters',
      security: 'identity',
      roles: ['provider'],
      params: Type.Object({ name: adapterName }),
      body: Type.Object(
        { instance: Type.String({ pattern: '^[\\x21-\\x7e]{1,160}$', description: 'The asking instance' }) },
        { additionalProperties: false },
      ),
      responses: { 200: { description: 'Whether the asking instance holds it', schema: leaseSchema } },
      refusals: [400, 401, 403, 413, 415],
      handle: async (c, { params, body }) => {
        const principal = principalOf(c);
        // Named per provider: no provider can take or hold another's, whatever names it reports under.
        const lease = await takeLease(
          db,
          {
            name: adapterLeaseName(principal.organisationId, params.name),
            holder: body.instance,
            leaseMs: options.leaseMs,
          },
          options.clock.now(),
        );
        return c.json(
          success('adp', {
            held: lease.held,
            expiresAt: lease.expiresAt,
            leaseSeconds: options.leaseMs / 1000,
          }),
        );
      },
    }),
    route({
      method: 'delete',
      path: '/adapters/v1/leases/{name}',
      operationId: 'releaseAdapterLease',
      summary: "Gives an adapter instance's lease up as it stops, so a standby takes over at its next ask",
      tag: 'Adapters',
      security: 'identity',
      roles: ['provider'],
      params: Type.Object({ name: adapterName }),
      query: Type.Object({ instance: Type.String({ pattern: '^[\\x21-\\x7e]{1,160}$' }) }),
      responses: { 204: { description: 'Given up (or not held by that instance)' } },
      refusals: [400, 401, 403],
      handle: async (c, { params, query }) => {
        const principal = principalOf(c);
        await releaseLeases(db, [adapterLeaseName(principal.organisationId, params.name)], query.instance);
        return c.body(null, 204);
      },
    }),
  ];
}
