import type { AuditLog, Checkpoints } from '@sangam/audit';
import { bearerAuth, clientCheck, type KeyStore, type TokenService } from '@sangam/auth';
import type { Clock } from '@sangam/core';
import { DxError } from '@sangam/core';
import type { Database, Kysely, Notices } from '@sangam/db';
import {
  createServiceApp,
  mountRoutes,
  openApiComponents,
  openApiPaths,
  type RouteDeclaration,
  type ServiceMount,
} from '@sangam/http';
import type { IdentityContext } from './identity/context.js';
import { defaultPeopleTerms, type PeopleTerms } from './people/members.js';
import { auditRoutes } from './routes/audit.js';
import { clientRoutes } from './routes/clients.js';
import { consentRoutes } from './routes/consents.js';
import { jwksRoute } from './routes/jwks.js';
import { memberRoutes } from './routes/members.js';
import { mouRoutes } from './routes/mous.js';
import { organisationRoutes } from './routes/organisations.js';
import { tokenRoute } from './routes/token.js';
import { witnessRoutes } from './routes/witnesses.js';

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
  /** How long invitations and console sessions live. */
  readonly people?: PeopleTerms;
  /** Tells the processes on the database that what the release rule reads has changed (consents, MoUs, clients). */
  readonly notices?: Notices;
}

/** The consent service's mount, with the OpenAPI paths of the routes it declares. */
export interface ConsentService extends ServiceMount {
  readonly openApiPaths: Record<string, Record<string, object>>;
}

/** The consent service: identity, tokens, the JWKS, MoUs, consents, access tokens and the auditor's view. */
export function createConsentService(deps: ConsentServiceDeps): ConsentService {
  const ctx: IdentityContext = {
    db: deps.db,
    audit: deps.audit,
    clock: deps.clock,
    scryptCost: deps.scryptCost,
    ...(deps.notices ? { notices: deps.notices } : {}),
  };
  const app = createServiceApp();
  const auth = bearerAuth({
    tokens: deps.tokens,
    checkClient: clientCheck(deps.db),
  });

  // Identity tokens from here on
  const alliance = { ...ctx, keys: deps.keys, issuer: deps.tokens.issuer };
  const routes: RouteDeclaration[] = [
    jwksRoute(deps.keys),
    tokenRoute(ctx, deps.tokens, {
      ttlSeconds: deps.tokenTtlSeconds,
      ...(deps.lockedOutHoldMs === undefined ? {} : { lockedOutHoldMs: deps.lockedOutHoldMs }),
    }),
    ...organisationRoutes(ctx),
    ...clientRoutes(ctx),
    ...memberRoutes(ctx, deps.people ?? defaultPeopleTerms),
    ...mouRoutes(alliance),
    ...consentRoutes(alliance, deps.tokens, { accessTokenTtlSeconds: deps.accessTokenTtlSeconds }),
    ...auditRoutes({ db: deps.db, log: deps.audit, checkpoints: deps.checkpoints, keys: deps.keys }),
    ...witnessRoutes(ctx, deps.checkpoints),
  ];
  mountRoutes(app, routes, { guards: { identity: auth } });
  const paths = openApiPaths(routes);
  app.get('/consent/v1/openapi.json', (c) => c.json(consentOpenApi(paths)));
  // An action that does not exist on an MoU or a consent: say which do.
  app.all('/consent/v1/mous/:id/:action', auth, () => {
    throw new DxError(
      'notFound',
      'MoU actions: sign, amend, suspend, resume, terminate, withdraw; views: artefact, summary',
    );
  });
  app.all('/consent/v1/consents/:id/:action', auth, () => {
    throw new DxError('notFound', 'Consent actions: grant, deny, pause, resume, revoke; view: artefact');
  });

  return {
    code: 'as',
    prefixes: ['/auth/', '/consent/', '/audit/', '/.well-known/'],
    app,
    openApiPaths: paths,
  };
}

/** The consent service's own OpenAPI 3.1 document (the gateway's, at /openapi.json, holds it too). */
function consentOpenApi(paths: Record<string, Record<string, object>>): object {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Sangam consent service',
      version: '1.0.0',
      description: 'Organisations, API clients, MoUs, consents and access tokens of a city data alliance.',
    },
    paths,
    components: openApiComponents,
  };
}
