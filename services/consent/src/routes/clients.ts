import { callerOf, principalOf } from '@sangam/auth';
import { roles, slugPattern } from '@sangam/core';
import { pageOf, pageQuery, type RouteDeclaration, route, success } from '@sangam/http';
import { Type } from '@sinclair/typebox';
import {
  type Client,
  createClient,
  getClient,
  listClients,
  revokeClient,
  rotateClientSecret,
} from '../identity/clients.js';
import type { IdentityContext } from '../identity/context.js';
import { newClientSchema } from '../schemas.js';
import { idParams } from './common.js';

const clientProperties = {
  clientId: { type: 'string' },
  organisation: { type: 'string' },
  name: { type: 'string' },
  roles: { type: 'array', items: { enum: roles } },
  status: { enum: ['active', 'revoked'] },
  createdAt: { type: 'string', format: 'date-time' },
  secretRotatedAt: { type: ['string', 'null'], format: 'date-time' },
  revokedAt: { type: ['string', 'null'], format: 'date-time' },
};
const clientSchema = Type.Unsafe<Client>({
  type: 'object',
  required: ['clientId', 'organisation', 'roles', 'status'],
  properties: clientProperties,
});
const clientWithSecretSchema = Type.Unsafe<Client>({
  type: 'object',
  required: ['clientId', 'clientSecret', 'organisation', 'roles', 'status'],
  properties: {
    ...clientProperties,
    clientSecret: { type: 'string', description: 'Shown this once; only a slow hash is kept' },
  },
});

/** Secrets are in these answers: no cache may keep them. */
const noStore = { 'cache-control': 'no-store' };

/** API clients of the alliance's organisations, with their secrets. */
export function clientRoutes(ctx: IdentityContext): RouteDeclaration[] {
  return [
    route({
      method: 'post',
      path: '/consent/v1/clients',
      operationId: 'createClient',
      summary: 'An API client for an organisation, with roles; its secret is shown once (the city admin)',
      tag: 'Identity',
      security: 'identity',
      roles: ['admin'],
      audit: 'identity.client.create',
      body: newClientSchema,
      responses: { 201: { description: 'The client and its secret', schema: clientWithSecretSchema } },
      refusals: [400, 401, 403, 404, 413, 415],
      handle: async (c, { body }) => {
        const client = await createClient(ctx, callerOf(c), body);
        c.header('location', `/consent/v1/clients/${client.clientId}`);
        return c.json(
          success('as', client, { title: 'Client created; the secret is shown only once' }),
          201,
          noStore,
        );
      },
    }),
    route({
      method: 'get',
      path: '/consent/v1/clients',
      operationId: 'listClients',
      summary: 'API clients, without secrets (the city admin)',
      tag: 'Identity',
      security: 'identity',
      roles: ['admin'],
      query: Type.Object({
        organisation: Type.Optional(
          Type.String({ pattern: slugPattern, description: 'Only this organisation' }),
        ),
        ...pageQuery,
      }),
      responses: { 200: { description: 'Clients', schema: Type.Array(clientSchema) } },
      refusals: [400, 401, 403],
      handle: async (c, { query }) => {
        const { clients, total } = await listClients(ctx, principalOf(c), {
          ...pageOf(query),
          ...(query.organisation ? { organisation: query.organisation } : {}),
        });
        return c.json(success('as', clients, { totalHits: total }));
      },
    }),
    route({
      method: 'get',
      path: '/consent/v1/clients/{id}',
      operationId: 'getClient',
      summary: 'One API client, without its secret',
      tag: 'Identity',
      security: 'identity',
      params: idParams,
      responses: { 200: { description: 'The client', schema: clientSchema } },
      refusals: [401, 403, 404],
      handle: async (c, { params }) => c.json(success('as', await getClient(ctx, principalOf(c), params.id))),
    }),
    route({
      method: 'post',
      path: '/consent/v1/clients/{id}/rotate',
      operationId: 'rotateClientSecret',
      summary: 'A new secret for a client; the old one and every token issued before stop at once',
      tag: 'Identity',
      security: 'identity',
      roles: ['admin'],
      audit: 'identity.client.rotate',
      params: idParams,
      responses: { 200: { description: 'The client and its new secret', schema: clientWithSecretSchema } },
      refusals: [401, 403, 404, 409],
      handle: async (c, { params }) => {
        const client = await rotateClientSecret(ctx, callerOf(c), params.id);
        return c.json(
          success('as', client, { title: 'Secret rotated; the new secret is shown only once' }),
          200,
          noStore,
        );
      },
    }),
    route({
      method: 'delete',
      path: '/consent/v1/clients/{id}',
      operationId: 'revokeClient',
      summary: 'Revoke a client: its secret and every token it holds stop at once',
      tag: 'Identity',
      security: 'identity',
      roles: ['admin'],
      audit: 'identity.client.revoke',
      params: idParams,
      responses: { 200: { description: 'The revoked client', schema: clientSchema } },
      refusals: [401, 403, 404],
      handle: async (c, { params }) =>
        c.json(success('as', await revokeClient(ctx, callerOf(c), params.id), { title: 'Client revoked' })),
    }),
  ];
}
