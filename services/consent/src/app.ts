import { bearerAuth, type KeyStore, type TokenService } from '@sangam/auth';
import type { Clock } from '@sangam/core';
import type { Database, Kysely } from '@sangam/db';
import { createServiceApp, type ServiceMount } from '@sangam/http';
import { isClientActive } from './identity/clients.js';
import type { IdentityContext } from './identity/context.js';
import { registerClientRoutes } from './routes/clients.js';
import { registerOrganisationRoutes } from './routes/organisations.js';
import { registerTokenRoute } from './routes/token.js';

export interface ConsentServiceDeps {
  readonly db: Kysely<Database>;
  readonly keys: KeyStore;
  readonly tokens: TokenService;
  readonly clock: Clock;
  readonly tokenTtlSeconds: number;
  readonly scryptCost: number;
}

/** The consent service: identity, tokens and the JWKS (MoUs, consents and the auditor's view join it later). */
export function createConsentService(deps: ConsentServiceDeps): ServiceMount {
  const ctx: IdentityContext = { db: deps.db, clock: deps.clock, scryptCost: deps.scryptCost };
  const app = createServiceApp();
  const auth = bearerAuth({ tokens: deps.tokens, isClientActive: (id) => isClientActive(deps.db, id) });

  // Public
  app.get('/.well-known/jwks.json', async (c) =>
    c.json(await deps.keys.jwks(), 200, { 'cache-control': 'max-age=60' }),
  );
  registerTokenRoute(app, ctx, deps.tokens, { ttlSeconds: deps.tokenTtlSeconds });

  // Identity tokens from here on
  app.use('/consent/v1/*', auth);
  registerOrganisationRoutes(app, ctx);
  registerClientRoutes(app, ctx);

  return { code: 'as', prefixes: ['/auth/', '/consent/', '/audit/', '/.well-known/'], app };
}
