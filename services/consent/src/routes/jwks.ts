import type { KeyStore } from '@sangam/auth';
import { type RouteDeclaration, route } from '@sangam/http';
import { Type } from '@sinclair/typebox';

/** The gateway's public signing keys, current and previous: what anyone verifies its tokens and artefacts with. */
export function jwksRoute(keys: KeyStore): RouteDeclaration {
  return route({
    method: 'get',
    path: '/.well-known/jwks.json',
    operationId: 'jwks',
    summary: "The gateway's signing keys (RFC 7517), current and previous",
    tag: 'Identity',
    security: 'none',
    responses: {
      200: {
        description: 'A JSON Web Key Set',
        schema: Type.Object({ keys: Type.Array(Type.Object({ kid: Type.String(), kty: Type.String() })) }),
        envelope: false,
      },
    },
    refusals: [],
    handle: async (c) => c.json(await keys.jwks(), 200, { 'cache-control': 'max-age=60' }),
  });
}
