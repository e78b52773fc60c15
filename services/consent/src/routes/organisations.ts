import { callerOf, principalOf } from '@sangam/auth';
import { type Organisation, organisationKinds, slugPattern } from '@sangam/core';
import { pageOf, pageQuery, type RouteDeclaration, route, success } from '@sangam/http';
import { Type } from '@sinclair/typebox';
import type { IdentityContext } from '../identity/context.js';
import { createOrganisation, getOrganisation, listOrganisations } from '../identity/organisations.js';
import { newOrganisationSchema } from '../schemas.js';

const organisationSchema = Type.Unsafe<Organisation>({
  type: 'object',
  required: ['id', 'name', 'kind', 'city', 'createdAt'],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    kind: { enum: organisationKinds },
    city: { type: 'string' },
    createdAt: { type: 'string', format: 'date-time' },
  },
});

/** The alliance's organisations: the city and its partners. */
export function organisationRoutes(ctx: IdentityContext): RouteDeclaration[] {
  return [
    route({
      method: 'post',
      path: '/consent/v1/organisations',
      operationId: 'createOrganisation',
      summary: 'Add an organisation to the alliance (the city admin)',
      tag: 'Identity',
      security: 'identity',
      roles: ['admin'],
      audit: 'identity.organisation.create',
      body: newOrganisationSchema,
      responses: { 201: { description: 'The organisation', schema: organisationSchema } },
      refusals: [400, 401, 403, 409, 413, 415],
      handle: async (c, { body }) => {
        const organisation = await createOrganisation(ctx, callerOf(c), body);
        c.header('location', `/consent/v1/organisations/${organisation.id}`);
        return c.json(success('as', organisation, { title: 'Organisation created' }), 201);
      },
    }),
    route({
      method: 'get',
      path: '/consent/v1/organisations',
      operationId: 'listOrganisations',
      summary: 'Organisations: all for the city admin, their own for everyone else',
      tag: 'Identity',
      security: 'identity',
      query: Type.Object(pageQuery),
      responses: { 200: { description: 'Organisations', schema: Type.Array(organisationSchema) } },
      refusals: [400, 401],
      handle: async (c, { query }) => {
        const { organisations, total } = await listOrganisations(ctx, principalOf(c), pageOf(query));
        return c.json(success('as', organisations, { totalHits: total }));
      },
    }),
    route({
      method: 'get',
      path: '/consent/v1/organisations/{id}',
      operationId: 'getOrganisation',
      summary: 'One organisation',
      tag: 'Identity',
      security: 'identity',
      params: Type.Object({ id: Type.String({ pattern: slugPattern }) }),
      responses: { 200: { description: 'The organisation', schema: organisationSchema } },
      refusals: [401, 403, 404],
      handle: async (c, { params }) =>
        c.json(success('as', await getOrganisation(ctx, principalOf(c), params.id))),
    }),
  ];
}
