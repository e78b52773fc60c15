import type { AuditLog } from '@sangam/audit';
import { bearerAuth, clientCheck, KeySealer, type TokenService } from '@sangam/auth';
import { type Clock, DxError } from '@sangam/core';
import type { Database, Kysely } from '@sangam/db';
import { createServiceApp, type ServiceMount } from '@sangam/http';
import type { CatalogueContext } from './context.js';
import { catalogueOpenApi } from './openapi.js';
import { registerItemRoutes } from './routes/items.js';
import { itemSchemas } from './schemas.js';

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

/** The catalogue: items, search, schemas and the OpenAPI document. Reads are public; writes need a token. */
export function createCatalogueService(deps: CatalogueServiceDeps): ServiceMount {
  const ctx: CatalogueContext = {
    db: deps.db,
    audit: deps.audit,
    clock: deps.clock,
    upstreamAllowHosts: deps.upstreamAllowHosts,
    credentials: new KeySealer(deps.keyEncryptionSecret, 'upstream-credentials'),
  };
  const app = createServiceApp();
  const auth = bearerAuth({ tokens: deps.tokens, checkClient: clientCheck(deps.db) });
  const optionalAuth = bearerAuth({ tokens: deps.tokens, checkClient: clientCheck(deps.db), optional: true });
  const openapi = catalogueOpenApi(deps.openApiPaths);

  app.get('/cat/v1/openapi.json', (c) => c.json(openapi));
  // The gateway's whole document: the catalogue's own paths and every other service's.
  app.get('/openapi.json', (c) => c.json(openapi));
  app.get('/cat/v1/schemas/:type', (c) => {
    const type = c.req.param('type');
    if (!Object.hasOwn(itemSchemas, type))
      throw new DxError('notFound', 'Item types: provider, resourceGroup, resource');
    return c.body(JSON.stringify(itemSchemas[type as keyof typeof itemSchemas]), 200, {
      'content-type': 'application/schema+json',
    });
  });
  registerItemRoutes(app, ctx, auth, optionalAuth);

  return { code: 'cat', prefixes: ['/cat/'], app };
}
