import type { AuditLog, Checkpoints } from '@sangam/audit';
import { bearerAuth, clientCheck, type KeyStore, type TokenService } from '@sangam/auth';
import type { Clock } from '@sangam/core';
import type { Database, Kysely } from '@sangam/db';
import { createServiceApp, type ServiceMount } from '@sangam/http';
import type { IdentityContext } from './identity/context.js';
import { registerAuditRoutes } from './routes/audit.js';
import { registerClientRoutes } from './routes/clients.js';
import { registerConsentRoutes } from './routes/consents.js';
import { registerMouRoutes } from './routes/mous.js';
import { registerOrganisationRoutes } from './routes/organisations.js';
import { registerTokenRoute } from './routes/token.js';
import { registerWitnessRoutes } from './routes/witnesses.js';

export interface ConsentServiceDeps {
  readonly db: Kysely<Database>;
  readonly keys: KeyStore;
  readonly tokens: TokenService;
  readonly audit: AuditLog;
  readonly checkpoints: Checkpoints;
  readonly clock: Clock;
  readonly tokenTtlSeconds: number;
  /** How long a refusal for too many failed sign-ins is held before it is sent (milliseconds). */
  readonly lockedOutHoldMs?: number;
  readonly accessTokenTtlSeconds: number;
  readonly scryptCost: number;
}

/** The consent service: identity, tokens, the JWKS and the auditor's view (MoUs and consents join it later). */
export function createConsentService(deps: ConsentServiceDeps): ServiceMount {
  const ctx: IdentityContext = {
    db: deps.db,
    audit: deps.audit,
    clock: deps.clock,
    scryptCost: deps.scryptCost,
  };
  const app = createServiceApp();
  const auth = bearerAuth({
    tokens: deps.tokens,
    checkClient: clientCheck(deps.db),
  });

  // Public
  app.get('/.well-known/jwks.json', async (c) =>
    c.json(await deps.keys.jwks(), 200, { 'cache-control': 'max-age=60' }),
  );
  registerTokenRoute(app, ctx, deps.tokens, {
    ttlSeconds: deps.tokenTtlSeconds,
    ...(deps.lockedOutHoldMs === undefined ? {} : { lockedOutHoldMs: deps.lockedOutHoldMs }),
  });

  // Identity tokens from here on
  app.use('/consent/v1/*', auth);
  app.use('/audit/v1/*', auth);
  registerOrganisationRoutes(app, ctx);
  registerClientRoutes(app, ctx);
  const alliance = { ...ctx, keys: deps.keys, issuer: deps.tokens.issuer };
  registerMouRoutes(app, alliance);
  app.use('/auth/v1/access-tokens', auth);
  registerConsentRoutes(app, alliance, deps.tokens, { accessTokenTtlSeconds: deps.accessTokenTtlSeconds });
  registerAuditRoutes(app, { db: deps.db, log: deps.audit, checkpoints: deps.checkpoints, keys: deps.keys });
  registerWitnessRoutes(app, ctx, deps.checkpoints);

  return { code: 'as', prefixes: ['/auth/', '/consent/', '/audit/', '/.well-known/'], app };
}
