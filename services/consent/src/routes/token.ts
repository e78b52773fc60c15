import { requestIds } from '@sangam/audit';
import { managementAudience, type TokenService } from '@sangam/auth';
import { DxError, type ProblemName, type Role } from '@sangam/core';
import { type AppEnv, type RouteDeclaration, route, sourceOf } from '@sangam/http';
import { Type } from '@sinclair/typebox';
import type { Context } from 'hono';
import type { FailedAttempts } from '../identity/attempts.js';
import { authenticateClient } from '../identity/clients.js';
import type { IdentityContext } from '../identity/context.js';
import { CredentialGate } from '../identity/gate.js';

type OAuthError = 'invalid_request' | 'invalid_client' | 'unsupported_grant_type' | 'invalid_scope';

const problemOf: Record<OAuthError, ProblemName> = {
  invalid_request: 'invalidRequest',
  invalid_client: 'invalidClient',
  unsupported_grant_type: 'unsupportedGrantType',
  invalid_scope: 'invalidScope',
};

/** An RFC 6749 §5.2 error, carried as problem+json with the OAuth `error` members beside the problem members. */
function oauthError(error: OAuthError, description: string, headers: Record<string, string> = {}): DxError {
  return new DxError(problemOf[error], description, {
    extensions: { error, error_description: description },
    headers: { 'cache-control': 'no-store', ...headers },
  });
}

interface TokenRequest {
  readonly params: Map<string, string>;
  readonly basic: { clientId: string; secret: string } | undefined;
}

/** Form (RFC 6749) or JSON (DESIGN.md §2) body; every parameter at most once, every value a string. */
async function readTokenRequest(c: Context<AppEnv>): Promise<TokenRequest> {
  const type = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  const text = await c.req.text();
  const params = new Map<string, string>();
  if (type === 'application/x-www-form-urlencoded') {
    for (const [name, value] of new URLSearchParams(text)) {
      if (params.has(name)) throw oauthError('invalid_request', `The parameter ${name} is repeated`);
      params.set(name, value);
    }
  } else if (type === 'application/json') {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw oauthError('invalid_request', 'The body is not well-formed JSON');
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw oauthError('invalid_request', 'The body must be a JSON object');
    }
    for (const [name, value] of Object.entries(body)) {
      if (typeof value !== 'string')
        throw oauthError('invalid_request', `The parameter ${name} must be a string`);
      params.set(name, value);
    }
  } else {
    throw oauthError(
      'invalid_request',
      'Send the body as application/x-www-form-urlencoded or application/json',
    );
  }
  return { params, basic: basicCredentials(c.req.header('authorization')) };
}

const basicChallenge = { 'www-authenticate': 'Basic realm="sangam", charset="UTF-8"' };

/** RFC 6749 §2.3.1: HTTP Basic with the form-urlencoded client id and secret. */
function basicCredentials(header: string | undefined): { clientId: string; secret: string } | undefined {
  if (!header) return undefined;
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!match?.[1])
    throw oauthError('invalid_client', 'The Authorization header is not HTTP Basic', basicChallenge);
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw oauthError('invalid_client', 'The Basic credentials have no colon', basicChallenge);
  try {
    return {
      clientId: decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' ')),
      secret: decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' ')),
    };
  } catch {
    throw oauthError('invalid_client', 'The Basic credentials are not form-urlencoded', basicChallenge);
  }
}

const tokenRequestSchema = {
  type: 'object',
  required: ['grant_type'],
  properties: {
    grant_type: { const: 'client_credentials' },
    client_id: { type: 'string', description: 'Or HTTP Basic' },
    client_secret: { type: 'string', description: 'Or HTTP Basic' },
    scope: { type: 'string', description: 'Roles of the client, space-separated, to narrow the token to' },
  },
};
const tokenSchema = Type.Object({
  access_token: Type.String(),
  token_type: Type.Literal('Bearer'),
  expires_in: Type.Integer(),
  scope: Type.String(),
});

/** `POST /auth/v1/token`: the OAuth 2.0 client-credentials grant (RFC 6749 §4.4). */
export function tokenRoute(
  ctx: IdentityContext,
  tokens: TokenService,
  options: { ttlSeconds: number; attempts?: FailedAttempts; lockedOutHoldMs?: number },
): RouteDeclaration {
  const gate = new CredentialGate({
    ...(options.attempts ? { attempts: options.attempts } : {}),
    holdMs: options.lockedOutHoldMs ?? 1000,
    lockedOut: 'Too many failed attempts for this client; try again later',
  });
  return route({
    method: 'post',
    path: '/auth/v1/token',
    operationId: 'issueIdentityToken',
    summary: 'An identity token for a client (OAuth 2.0 client credentials, RFC 6749 §4.4)',
    description:
      'Authenticate with HTTP Basic or client_id and client_secret in the body. Ten failures from one address lock that client id out there for five minutes, a hundred the address; those refusals are held a second.',
    tag: 'Identity',
    security: 'none',
    audit: 'auth.token',
    otherBody: {
      required: true,
      content: {
        'application/x-www-form-urlencoded': tokenRequestSchema,
        'application/json': tokenRequestSchema,
      },
    },
    responses: { 200: { description: 'The token (RFC 6749 §5.1)', schema: tokenSchema, envelope: false } },
    refusals: [400, 401, 413, 415, 429],
    handle: async (c) => {
      const { params, basic } = await readTokenRequest(c);
      const grantType = params.get('grant_type');
      if (!grantType) throw oauthError('invalid_request', 'grant_type is required');

      const bodyId = params.get('client_id');
      const bodySecret = params.get('client_secret');
      if (basic && (bodyId !== undefined || bodySecret !== undefined)) {
        throw oauthError('invalid_request', 'Authenticate with HTTP Basic or with the body, not both');
      }
      const credentials =
        basic ?? (bodyId && bodySecret ? { clientId: bodyId, secret: bodySecret } : undefined);
      const challenge = basic ? basicChallenge : {};
      if (!credentials)
        throw oauthError('invalid_client', 'Client authentication is required', basicChallenge);
      const client = await gate.check(credentials.clientId, sourceOf(c), ctx.clock.now().getTime(), () =>
        authenticateClient(ctx, credentials.clientId, credentials.secret),
      );
      if (!client) {
        // Credentials that do not authenticate are no decision about anything: counted, one entry a minute.
        ctx.audit.uncredentialed.count('auth.token', 'invalidClient');
        throw oauthError('invalid_client', 'Client authentication failed', challenge);
      }

      if (grantType !== 'client_credentials') {
        throw oauthError('unsupported_grant_type', 'Only the client_credentials grant is supported');
      }
      const scope = params.get('scope');
      let granted: readonly Role[] = client.roles;
      if (scope !== undefined && scope.trim() !== '') {
        const asked = scope.trim().split(/\s+/);
        const unknown = asked.filter((s) => !(client.roles as readonly string[]).includes(s));
        if (unknown.length > 0)
          throw oauthError('invalid_scope', `Not a role of this client: ${unknown.join(' ')}`);
        granted = client.roles.filter((r) => asked.includes(r));
      }

      const issued = await tokens.issue(
        { org: client.organisation, roles: granted, token_use: 'identity' },
        { subject: client.clientId, audience: managementAudience, ttlSeconds: options.ttlSeconds },
      );
      await ctx.audit.append({
        action: 'auth.token',
        decision: 'allow',
        reason: `identity token ${issued.jti} for roles: ${granted.join(' ')}`,
        actor: { client: client.clientId, organisation: client.organisation },
        ...requestIds(c.var),
      });
      return c.json(
        {
          access_token: issued.token,
          token_type: 'Bearer',
          expires_in: options.ttlSeconds,
          scope: granted.join(' '),
        },
        200,
        { 'cache-control': 'no-store', pragma: 'no-cache' },
      );
    },
  });
}
