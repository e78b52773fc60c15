import { callerOf, principalOf, type TokenService } from '@sangam/auth';
import { DxError } from '@sangam/core';
import { type RouteDeclaration, route, success } from '@sangam/http';
import { Type } from '@sinclair/typebox';
import { issueAccessToken } from '../consents/access-tokens.js';
import {
  type ConsentAction,
  consentArtefactOf,
  decideConsent,
  getConsent,
  listConsents,
  requestConsent,
} from '../consents/consents.js';
import { consentSchema, type Narrowing, narrowingSchema, newConsentSchema } from '../consents/model.js';
import type { MouContext } from '../mous/mous.js';
import { idParams, jwsSchema } from './common.js';

const accessRequestSchema = Type.Object(
  {
    item: Type.String({
      pattern: '^[a-z0-9-]{1,64}/[a-z0-9-]{1,64}(/[a-z0-9-]{1,64})?$',
      description: 'The resource or resource group to query',
      examples: ['sitilink/surat-bus-itms/positions'],
    }),
    consent: Type.String({
      pattern: '^[A-Za-z0-9_-]{1,64}$',
      description: 'An active consent covering the item',
      examples: ['cns_3b9d0f6a21'],
    }),
  },
  { additionalProperties: false },
);

const accessTokenSchema = Type.Object({
  accessToken: Type.String(),
  expiresIn: Type.Integer(),
  expiresAt: Type.String({ format: 'date-time' }),
});

const decisions = {
  grant: 'Grant a requested consent, narrowing it if the provider wants (the provider of its items)',
  deny: 'Deny a requested consent (the provider of its items)',
  pause: 'Pause an active consent (the provider)',
  resume: 'Resume a paused consent (the provider)',
  revoke: 'Revoke a consent (the provider, or the consumer its own)',
} as const satisfies Record<ConsentAction, string>;

/** A decision on a consent: only a grant narrows; the others take at most a reason. */
function decision(ctx: MouContext, action: ConsentAction, path: `/${string}`): RouteDeclaration {
  return route({
    method: 'post',
    path,
    operationId: `${action}Consent`,
    summary: decisions[action],
    tag: 'Consents',
    security: 'identity',
    audit: `consent.${action}`,
    params: idParams,
    body: narrowingSchema,
    bodyOptional: true,
    responses: { 200: { description: 'The consent after the decision', schema: consentSchema } },
    refusals: [400, 401, 403, 404, 409, 415],
    handle: async (c, { params, body }) => {
      const narrowing: Narrowing = body ?? {};
      if (
        action !== 'grant' &&
        (narrowing.accessTypes || narrowing.attributes || narrowing.validTo || narrowing.rateLimit)
      ) {
        throw DxError.validation([
          { field: '/', message: `only a grant narrows a consent; ${action} takes a reason` },
        ]);
      }
      return c.json(success('as', await decideConsent(ctx, callerOf(c), params.id, action, narrowing)));
    },
  });
}

/** Consents under an MoU, their decisions, and access tokens for the resource proxy. */
export function consentRoutes(
  ctx: MouContext,
  tokens: TokenService,
  options: { accessTokenTtlSeconds: number },
): RouteDeclaration[] {
  return [
    route({
      method: 'post',
      path: '/consent/v1/consents',
      operationId: 'requestConsent',
      summary: 'Ask for a consent under an active MoU (a consumer); OPEN items are granted at once',
      tag: 'Consents',
      security: 'identity',
      roles: ['consumer'],
      audit: 'consent.request',
      body: newConsentSchema,
      responses: { 201: { description: 'The consent, requested or granted', schema: consentSchema } },
      refusals: [400, 401, 403, 404, 409, 413, 415],
      handle: async (c, { body }) => {
        const consent = await requestConsent(ctx, callerOf(c), body);
        c.header('location', `/consent/v1/consents/${consent.id}`);
        return c.json(
          success('as', consent, {
            title: consent.state === 'active' ? 'Consent granted' : 'Consent requested',
          }),
          201,
        );
      },
    }),
    route({
      method: 'get',
      path: '/consent/v1/consents',
      operationId: 'listConsents',
      summary: "The consents the caller's organisation is party to (all of them for the city admin)",
      tag: 'Consents',
      security: 'identity',
      query: Type.Object({}),
      responses: { 200: { description: 'Consents', schema: Type.Array(consentSchema) } },
      refusals: [400, 401],
      handle: async (c) => {
        const consents = await listConsents(ctx, principalOf(c));
        return c.json(success('as', consents, { totalHits: consents.length }));
      },
    }),
    route({
      method: 'get',
      path: '/consent/v1/consents/{id}',
      operationId: 'getConsent',
      summary: 'One consent, with its status now',
      tag: 'Consents',
      security: 'identity',
      params: idParams,
      responses: { 200: { description: 'The consent', schema: consentSchema } },
      refusals: [401, 404],
      handle: async (c, { params }) =>
        c.json(success('as', await getConsent(ctx, principalOf(c), params.id))),
    }),
    route({
      method: 'get',
      path: '/consent/v1/consents/{id}/artefact',
      operationId: 'consentArtefact',
      summary: "The consent as a JWS signed by the gateway: a party's proof of what was agreed",
      tag: 'Consents',
      security: 'identity',
      params: idParams,
      responses: { 200: { description: 'The signed consent', schema: jwsSchema } },
      refusals: [401, 404],
      handle: async (c, { params }) =>
        c.json(success('as', { jws: await consentArtefactOf(ctx, principalOf(c), params.id) })),
    }),
    decision(ctx, 'grant', '/consent/v1/consents/{id}/grant'),
    decision(ctx, 'deny', '/consent/v1/consents/{id}/deny'),
    decision(ctx, 'pause', '/consent/v1/consents/{id}/pause'),
    decision(ctx, 'resume', '/consent/v1/consents/{id}/resume'),
    decision(ctx, 'revoke', '/consent/v1/consents/{id}/revoke'),
    route({
      method: 'post',
      path: '/auth/v1/access-tokens',
      operationId: 'issueAccessToken',
      summary:
        'An access token for the resource proxy: issued only while the consent and its MoU allow a release of the item',
      description:
        'Needs an identity token from POST /auth/v1/token; the access token it gives is what the data API (/ngsi-ld/v1/…) takes.',
      tag: 'Consents',
      security: 'identity',
      roles: ['consumer'],
      audit: 'auth.access-token',
      body: accessRequestSchema,
      responses: { 200: { description: 'The access token', schema: accessTokenSchema } },
      refusals: [400, 401, 403, 404, 409, 413, 415],
      handle: async (c, { body }) =>
        c.json(
          success(
            'as',
            await issueAccessToken(ctx, tokens, callerOf(c), body, options.accessTokenTtlSeconds),
          ),
          200,
          { 'cache-control': 'no-store' },
        ),
    }),
  ];
}
