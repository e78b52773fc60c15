import { callerOf, principalOf } from '@sangam/auth';
import { roles } from '@sangam/core';
import { type RouteDeclaration, route, success } from '@sangam/http';
import { Type } from '@sinclair/typebox';
import type { IdentityContext } from '../identity/context.js';
import {
  type Invitation,
  inviteMember,
  listMembers,
  type Member,
  type PeopleTerms,
  suspendMember,
} from '../people/members.js';
import { newInvitationSchema } from '../schemas.js';
import { idParams } from './common.js';

const memberSchema = Type.Unsafe<Member>({
  type: 'object',
  required: ['memberId', 'organisation', 'email', 'name', 'roles', 'status', 'createdAt'],
  properties: {
    memberId: { type: 'string' },
    organisation: { type: 'string' },
    email: { type: 'string' },
    name: { type: 'string' },
    roles: { type: 'array', items: { enum: roles } },
    status: { enum: ['active', 'suspended'] },
    createdAt: { type: 'string', format: 'date-time' },
  },
});
const invitationSchema = Type.Unsafe<Invitation>({
  type: 'object',
  required: ['invitationId', 'organisation', 'email', 'name', 'roles', 'expiresAt', 'token'],
  properties: {
    invitationId: { type: 'string' },
    organisation: { type: 'string' },
    email: { type: 'string' },
    name: { type: 'string' },
    roles: { type: 'array', items: { enum: roles } },
    expiresAt: { type: 'string', format: 'date-time' },
    token: { type: 'string', description: 'The one-time secret of the link /join/{token}; shown this once' },
  },
});

/** People of the caller's organisation, for its admins: invitations by one-time link, the list, suspension. */
export function memberRoutes(ctx: IdentityContext, terms: PeopleTerms): RouteDeclaration[] {
  return [
    route({
      method: 'post',
      path: '/consent/v1/members/invitations',
      operationId: 'inviteMember',
      summary:
        "Invite a person with roles into the caller's organisation (the city admin: into any); the one-time link is shown once",
      tag: 'Identity',
      security: 'identity',
      roles: ['admin'],
      audit: 'identity.member.invite',
      body: newInvitationSchema,
      responses: { 201: { description: 'The invitation and its link', schema: invitationSchema } },
      refusals: [400, 401, 403, 409, 413, 415],
      handle: async (c, { body }) => {
        const invitation = await inviteMember(ctx, callerOf(c), body, terms);
        return c.json(
          success('as', invitation, { title: 'Invitation made; its link is shown only once' }),
          201,
          { 'cache-control': 'no-store' },
        );
      },
    }),
    route({
      method: 'get',
      path: '/consent/v1/members',
      operationId: 'listMembers',
      summary: "The people of the caller's organisation (its admins)",
      tag: 'Identity',
      security: 'identity',
      roles: ['admin'],
      responses: { 200: { description: 'Members', schema: Type.Array(memberSchema) } },
      refusals: [401, 403],
      handle: async (c) => c.json(success('as', await listMembers(ctx, principalOf(c)))),
    }),
    route({
      method: 'post',
      path: '/consent/v1/members/{id}/suspend',
      operationId: 'suspendMember',
      summary: 'Suspend a member of the organisation: their console sessions end at once',
      tag: 'Identity',
      security: 'identity',
      roles: ['admin'],
      audit: 'identity.member.suspend',
      params: idParams,
      responses: { 200: { description: 'The suspended member', schema: memberSchema } },
      refusals: [401, 403, 404, 409],
      handle: async (c, { params }) =>
        c.json(
          success('as', await suspendMember(ctx, callerOf(c), params.id), { title: 'Member suspended' }),
        ),
    }),
  ];
}
