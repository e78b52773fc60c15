import { type Caller, DxError, roles as knownRoles, type Principal, type Role } from '@sangam/core';
import type { AppEnv } from '@sangam/http';
import type { MiddlewareHandler } from 'hono';
import { managementAudience, resourceProxyAudience, type TokenService, tokenAudience } from './tokens.js';

export interface BearerOptions {
  readonly tokens: TokenService;
  readonly audience?: string;
  /**
   * Checked on every request, after the token verifies: throws a DxError when the client was revoked, or its
   * secret rotated, after the token was issued, so such tokens stop working at once.
   */
  readonly checkClient?: (principal: Principal) => Promise<void>;
  /** Lets a request without an Authorization header through anonymously (a token sent must still verify). */
  readonly optional?: boolean;
}

const bearerChallenge = { 'www-authenticate': 'Bearer realm="sangam"' };

/** Requires a valid identity token and sets `c.var.principal`. */
export function bearerAuth(options: BearerOptions): MiddlewareHandler<AppEnv> {
  const audience = options.audience ?? managementAudience;
  return async (c, next) => {
    const header = c.req.header('authorization');
    if (header === undefined && options.optional) return next();
    const match = header ? /^Bearer\s+([A-Za-z0-9._~+/=-]+)\s*$/i.exec(header) : null;
    if (!match?.[1]) {
      throw new DxError('missingToken', 'Send an identity token as "Authorization: Bearer <token>"', {
        headers: bearerChallenge,
      });
    }
    let principal: Principal;
    try {
      principal = principalFrom(await options.tokens.verify(match[1], audience));
    } catch (error) {
      if (error instanceof DxError && tokenAudience(error) === resourceProxyAudience) {
        throw new DxError(
          'invalidAudience',
          'This is an access token, for the data API (/ngsi-ld/v1/…) only. This API takes an identity token from POST /auth/v1/token',
          { headers: { 'www-authenticate': 'Bearer realm="sangam", error="invalid_token"' } },
        );
      }
      if (error instanceof DxError) {
        throw new DxError(error.problem, error.detail, {
          headers: { 'www-authenticate': 'Bearer realm="sangam", error="invalid_token"' },
        });
      }
      throw error;
    }
    if (options.checkClient) await options.checkClient(principal);
    c.set('principal', principal);
    await next();
  };
}

function principalFrom(payload: Record<string, unknown>): Principal {
  const { sub, org, roles, jti, iat } = payload;
  const valid =
    typeof sub === 'string' &&
    typeof iat === 'number' &&
    typeof org === 'string' &&
    typeof jti === 'string' &&
    Array.isArray(roles) &&
    roles.every((r) => (knownRoles as readonly unknown[]).includes(r));
  if (!valid) throw new DxError('invalidToken', 'The token does not carry a client, organisation and roles');
  return { clientId: sub, organisationId: org, roles: roles as Role[], tokenId: jti, issuedAt: iat };
}

/** The verified caller of a request and its id, as business functions take them. */
export function callerOf(c: {
  var: { principal: Principal | undefined; requestId: string; clientRequestId?: string | undefined };
}): Caller {
  const clientRequestId = c.var.clientRequestId;
  return {
    principal: principalOf(c),
    requestId: c.var.requestId,
    ...(clientRequestId === undefined ? {} : { clientRequestId }),
  };
}

/** The caller, or a 401 where a route forgot its bearer middleware (deny by default). */
export function principalOf(c: { var: { principal: Principal | undefined } }): Principal {
  const principal = c.var.principal;
  if (!principal) throw new DxError('missingToken');
  return principal;
}

export function hasRole(principal: Principal, ...allowed: readonly Role[]): boolean {
  return principal.roles.some((r) => allowed.includes(r));
}

/** Allows the request only when the caller holds one of `allowed`. */
export function requireRole(...allowed: readonly Role[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const principal = principalOf(c);
    if (!hasRole(principal, ...allowed)) {
      throw new DxError('forbidden', `This needs one of the roles: ${allowed.join(', ')}`);
    }
    await next();
  };
}
