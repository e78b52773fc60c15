import type { AuditLog } from '@sangam/audit';
import { bearerAuth, clientCheck, KeySealer, type TokenService } from '@sangam/auth';
import type { Clock } from '@sangam/core';
import type { Database, Kysely } from '@sangam/db';
import {
  createServiceApp,
  mountRoutes,
  openApiPaths,
  type RouteDeclaration,
  route,
  type ServiceMount,
} from '@sangam/http';
import type { CatalogueContext } from './context.js';
import { gatewayOpenApi } from './openapi.js';
import { itemRoutes } from './routes/items.js';

export interface CatalogueServiceDeps {
  readonly db: Kysely<Database>;
  readonly audit: AuditLog;
  readonly tokens: TokenService;
  readonly clock: Clock;
  readonly upstreamAllowHosts: readonly string[];
  /** SANGAM_KEY_ENCRYPTION_SECRET: seals upstream credentials at rest; empty keeps them in plain text. */
  readonly keyEncryptionSecret?: string;
  /** Paths of the services mounted beside the catalogue, so its OpenAPI document describes the whole gateway. */
  readonly openApiPaths?: Record<string, object>;
}

/** The catalogue: items, search, schemas and the gateway's OpenAPI document. Reads are public; writes need a token. */
export function createCatalogueService(deps: CatalogueServiceDeps): ServiceMount {
  const ctx = catalogueContext(deps);
  const app = createServiceApp();
  const auth = bearerAuth({ tokens: deps.tokens, checkClient: clientCheck(deps.db) });
  const optionalAuth = bearerAuth({ tokens: deps.tokens, checkClient: clientCheck(deps.db), optional: true });
  const document = () => openapi;
  const routes = [
    ...itemRoutes(ctx),
    documentRoute('/cat/v1/openapi.json', 'catalogueOpenApi', document),
    documentRoute('/openapi.json', 'gatewayOpenApi', document),
  ];
  const openapi = gatewayOpenApi({ ...openApiPaths(routes), ...deps.openApiPaths });
  mountRoutes(app, routes, {
    guards: { identity: auth, 'identity-optional': optionalAuth },
    // Item ids hold slashes: the id parameter runs to the end of the path (or to a named suffix before it).
    patterns: { id: '.+' },
  });
  return { code: 'cat', prefixes: ['/cat/'], app };
}

/** A route answering the gateway's OpenAPI document. */
function documentRoute(path: `/${string}`, operationId: string, document: () => object): RouteDeclaration {
  return route({
    method: 'get',
    path,
    operationId,
    summary: "The gateway's OpenAPI 3.1 document: every service's operations",
    tag: 'Documents',
    security: 'none',
    responses: { 200: { description: 'OpenAPI 3.1', schema: { type: 'object' }, envelope: false } },
    refusals: [],
    handle: (c) => c.json(document()),
  });
}

/** What the catalogue's operations need, from the service's dependencies: for its routes and for the console's. */
export function catalogueContext(
  deps: Pick<CatalogueServiceDeps, 'db' | 'audit' | 'clock' | 'upstreamAllowHosts' | 'keyEncryptionSecret'>,
): CatalogueContext {
  return {
    db: deps.db,
    audit: deps.audit,
    clock: deps.clock,
    upstreamAllowHosts: deps.upstreamAllowHosts,
    credentials: new KeySealer(deps.keyEncryptionSecret, 'upstream-credentials'),
  };
}
