import { createHash, timingSafeEqual } from 'node:crypto';
import { type BearerOptions, bearerAuth, principalOf } from '@sangam/auth';
import { type Clock, DxError } from '@sangam/core';
import type { Database, Kysely } from '@sangam/db';
import {
  createServiceApp,
  fromThisMachine,
  mountRoutes,
  openApiPaths,
  type RouteDeclaration,
  route,
  type ServiceMount,
  success,
} from '@sangam/http';
import { isCityAdmin } from '@sangam/policy';
import { Type } from '@sinclair/typebox';
import type { AdapterHealth } from './health.js';
import { remoteAdapterRoutes } from './remote-routes.js';

/** Stores an adapter's health where every gateway process reads it. */
export function healthStore(db: Kysely<Database>, clock: Clock): (health: AdapterHealth) => Promise<void> {
  return async (health) => {
    const row = {
      name: health.name,
      kind: health.kind,
      provider: health.provider,
      health: JSON.stringify(health),
      updated_at: clock.now().toISOString(),
    };
    await db
      .insertInto('adapter_status')
      .values(row)
      .onConflict((oc) =>
        oc.columns(['provider', 'name']).doUpdateSet({
          health: row.health,
          updated_at: row.updated_at,
          kind: row.kind,
        }),
      )
      .execute();
  };
}

/** Every adapter's health, or one provider's. */
export async function adapterHealth(db: Kysely<Database>, provider?: string): Promise<AdapterHealth[]> {
  let query = db.selectFrom('adapter_status').select('health').orderBy('name').orderBy('provider');
  if (provider) query = query.where('provider', '=', provider);
  return (await query.execute()).map((r) => JSON.parse(r.health) as AdapterHealth);
}

/** Prometheus text for the adapters' counters and gauges. */
export function adapterMetrics(healths: readonly AdapterHealth[]): string {
  const lines: string[] = [];
  const metric = (
    name: string,
    type: string,
    help: string,
    value: (h: AdapterHealth) => number | undefined,
  ) => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const h of healths) {
      const v = value(h);
      if (v !== undefined)
        lines.push(`${name}{adapter="${h.name}",kind="${h.kind}",provider="${h.provider}"} ${v}`);
    }
  };
  const seconds = (at?: string) => (at ? Date.parse(at) / 1000 : undefined);
  metric('sangam_adapter_records_in_total', 'counter', 'Feed records read', (h) => h.recordsIn);
  metric(
    'sangam_adapter_records_out_total',
    'counter',
    'Records published and accepted',
    (h) => h.recordsOut,
  );
  metric(
    'sangam_adapter_cells_suppressed_total',
    'counter',
    'Aggregate cells withheld below k',
    (h) => h.cellsSuppressed,
  );
  metric(
    'sangam_adapter_cells_over_budget_total',
    'counter',
    'Aggregate cells withheld because their ε budget for the day was spent',
    (h) => h.cellsOverBudget ?? 0,
  );
  metric(
    'sangam_adapter_records_left_out_total',
    'counter',
    'Feed records left out for not fitting the data model',
    (h) => h.recordsLeftOut ?? 0,
  );
  metric('sangam_adapter_stale', 'gauge', '1 while the last poll failed and older data stands', (h) =>
    h.state === 'stale' ? 1 : 0,
  );
  metric(
    'sangam_adapter_stopped',
    'gauge',
    '1 while the release rule lets the adapter publish nothing (no MoU in force, provider no longer a party)',
    (h) => (h.state === 'stopped' ? 1 : 0),
  );
  metric(
    'sangam_adapter_failing',
    'gauge',
    '1 while the gateway refuses every record the adapter sends',
    (h) => (h.state === 'failing' ? 1 : 0),
  );
  metric(
    'sangam_adapter_consecutive_failures',
    'gauge',
    'Failed polls in a row',
    (h) => h.consecutiveFailures,
  );
  metric('sangam_adapter_last_success_seconds', 'gauge', 'Time of the last successful poll', (h) =>
    seconds(h.lastSuccessAt),
  );
  return `${lines.join('\n')}\n`;
}

/** Compares secrets in time that does not depend on where they differ. */
function sameSecret(sent: string, expected: string): boolean {
  const a = createHash('sha256').update(sent).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

const healthSchema = Type.Object({
  name: Type.String(),
  kind: Type.String(),
  provider: Type.String(),
  state: Type.String(),
});

/** An adapter-status service, with the OpenAPI paths of its routes. */
export interface AdapterStatusService extends ServiceMount {
  readonly openApiPaths: Record<string, Record<string, object>>;
}

/**
 * `GET /adapters/v1/status` (the city admin sees every adapter, a provider its own), `GET /metrics`, and what an
 * adapter in its own process asks of the gateway (terms, its health report, its lease).
 */
export function createAdapterStatusService(
  db: Kysely<Database>,
  auth: BearerOptions,
  options: {
    clock: Clock;
    /** How long an adapter instance's lease lasts unrenewed (SANGAM_JOB_LEASE_SECONDS). */
    leaseMs: number;
    metricsToken?: string;
    moreMetrics?: () => Promise<string>;
  },
): AdapterStatusService {
  const app = createServiceApp();
  const routes: RouteDeclaration[] = [
    route({
      method: 'get',
      path: '/adapters/v1/status',
      operationId: 'adapterStatus',
      summary:
        "Each adapter's health: healthy, failing, stale, stopped or starting, with why (the city admin: all; a provider: its own)",
      tag: 'Adapters',
      security: 'identity',
      roles: ['admin', 'provider'],
      query: Type.Object({}),
      responses: { 200: { description: 'Adapters and their health', schema: Type.Array(healthSchema) } },
      refusals: [400, 401, 403],
      handle: async (c) => {
        const principal = principalOf(c);
        if (await isCityAdmin(db, principal)) {
          const all = await adapterHealth(db);
          return c.json(success('adp', all, { totalHits: all.length }));
        }
        if (!principal.roles.some((r) => r === 'provider' || r === 'admin')) {
          throw new DxError('forbidden', 'Adapter status is for the city administrator and providers');
        }
        const own = await adapterHealth(db, principal.organisationId);
        return c.json(success('adp', own, { totalHits: own.length }));
      },
    }),
    // Operators only: partners' volumes and withheld cells are not for everyone. With a token configured, the
    // scraper sends it; without one, only connections from this machine are answered.
    route({
      method: 'get',
      path: '/metrics',
      operationId: 'metrics',
      summary:
        'Prometheus metrics, for operators: SANGAM_METRICS_TOKEN as a bearer token, or from this machine',
      tag: 'Operations',
      security: 'none',
      responses: {
        200: {
          description: 'Prometheus text exposition',
          contentType: 'text/plain',
          schema: { type: 'string' },
          envelope: false,
        },
      },
      refusals: [401, 403],
      handle: async (c) => {
        const token = options.metricsToken ?? '';
        const sent = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1] ?? '';
        const allowed = token ? sameSecret(sent, token) : fromThisMachine(c);
        if (!allowed) {
          throw new DxError(
            token ? 'invalidToken' : 'forbidden',
            token
              ? 'Send the metrics token as "Authorization: Bearer <token>"'
              : 'Metrics are answered only on this machine',
            token ? { headers: { 'www-authenticate': 'Bearer realm="sangam-metrics"' } } : undefined,
          );
        }
        const more = options.moreMetrics ? await options.moreMetrics() : '';
        return c.body(`${adapterMetrics(await adapterHealth(db))}${more}`, 200, {
          'content-type': 'text/plain; version=0.0.4; charset=utf-8',
        });
      },
    }),
    ...remoteAdapterRoutes(db, { clock: options.clock, leaseMs: options.leaseMs }),
  ];
  mountRoutes(app, routes, { guards: { identity: bearerAuth(auth) } });
  return { code: 'adp', prefixes: ['/adapters/'], app, openApiPaths: openApiPaths(routes) };
}
