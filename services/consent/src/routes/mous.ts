import { callerOf, principalOf } from '@sangam/auth';
import { dayRange } from '@sangam/core';
import { type RouteDeclaration, route, success } from '@sangam/http';
import { Type } from '@sinclair/typebox';
import { kpiSchema } from '../mous/kpis.js';
import { measureKpis } from '../mous/measures.js';
import { type Amendment, amendmentSchema, type Mou, type NewMou, newMouSchema } from '../mous/model.js';
import {
  amendMou,
  changeMou,
  createMou,
  getMou,
  listMous,
  type MouContext,
  mouArtefact,
  signMou,
  withdrawFromMou,
} from '../mous/mous.js';
import { mouSummaryHtml } from '../mous/summary.js';
import { idParams, jwsSchema, reasonSchema } from './common.js';

const newMouBody = Type.Unsafe<NewMou>(newMouSchema);
const day = (description: string) =>
  Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', title: 'a day, YYYY-MM-DD', description });
const kpiPoint = Type.Object({
  from: Type.String(),
  to: Type.String(),
  value: Type.Union([Type.Number(), Type.Null()]),
});
const kpiMeasureSchema = Type.Object({
  kpi: kpiSchema,
  points: Type.Array(kpiPoint),
  whole: kpiPoint,
  met: Type.Union([Type.Boolean(), Type.Null()]),
});
const amendmentBody = Type.Unsafe<Amendment>(amendmentSchema);
/** An MoU as readers get it: its terms, parties and signatures, and where it stands now. */
const mouSchema = Type.Unsafe<Mou>({
  type: 'object',
  required: [
    'id',
    'title',
    'parties',
    'purposes',
    'datasets',
    'status',
    'effectiveFrom',
    'endsAt',
    'version',
  ],
  properties: {
    ...newMouSchema.properties,
    id: { type: 'string' },
    city: { type: 'string' },
    parties: {
      type: 'array',
      items: {
        type: 'object',
        required: ['organisation', 'role'],
        properties: {
          organisation: { type: 'string' },
          role: { enum: ['city', 'partner'] },
          signedAt: { type: 'string', format: 'date-time' },
          signedBy: { type: 'string' },
          leftAt: { type: 'string', format: 'date-time' },
        },
      },
    },
    status: { type: 'string' },
    inTerm: { type: 'boolean' },
    terminatesAt: { type: 'string', format: 'date-time' },
    version: { type: 'integer' },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
  },
});

const lifecycle = {
  suspend: ['Suspend an active MoU: its consents stop until it is resumed (the city admin)', 'Suspended'],
  resume: ['Resume a suspended MoU: the consents it stopped come back (the city admin)', 'Resumed'],
  terminate: ["Terminate an MoU after its notice period (any party's admin)", 'Termination noted'],
} as const;

function change(ctx: MouContext, action: keyof typeof lifecycle, path: `/${string}`): RouteDeclaration {
  const [summary, title] = lifecycle[action];
  return route({
    method: 'post',
    path,
    operationId: `${action}Mou`,
    summary,
    tag: 'MoUs',
    security: 'identity',
    roles: ['admin'],
    audit: `mou.${action}`,
    params: idParams,
    body: reasonSchema,
    bodyOptional: true,
    responses: { 200: { description: 'The MoU', schema: mouSchema } },
    refusals: [400, 401, 403, 404, 409, 415],
    handle: async (c, { params, body }) => {
      const mou = await changeMou(ctx, callerOf(c), params.id, action, body?.reason);
      return c.json(success('as', mou, { title }));
    },
  });
}

/** MoUs between the city and its partners: drafting, signatures, amendments and the lifecycle. */
export function mouRoutes(ctx: MouContext): RouteDeclaration[] {
  return [
    route({
      method: 'post',
      path: '/consent/v1/mous',
      operationId: 'draftMou',
      summary: 'Draft an MoU between the city and its partners (the city admin); every party then signs it',
      tag: 'MoUs',
      security: 'identity',
      roles: ['admin'],
      audit: 'mou.create',
      body: newMouBody,
      responses: { 201: { description: 'The drafted MoU', schema: mouSchema } },
      refusals: [400, 401, 403, 404, 409, 413, 415],
      handle: async (c, { body }) => {
        const mou = await createMou(ctx, callerOf(c), body);
        c.header('location', `/consent/v1/mous/${mou.id}`);
        return c.json(success('as', mou, { title: 'MoU drafted' }), 201);
      },
    }),
    route({
      method: 'get',
      path: '/consent/v1/mous',
      operationId: 'listMous',
      summary: "The MoUs the caller's organisation is party to (all of them for the city admin)",
      tag: 'MoUs',
      security: 'identity',
      query: Type.Object({}),
      responses: { 200: { description: 'MoUs', schema: Type.Array(mouSchema) } },
      refusals: [400, 401],
      handle: async (c) => {
        const mous = await listMous(ctx, principalOf(c));
        return c.json(success('as', mous, { totalHits: mous.length }));
      },
    }),
    route({
      method: 'get',
      path: '/consent/v1/mous/{id}',
      operationId: 'getMou',
      summary: 'One MoU: its terms (purposes, datasets and their limits), parties and status',
      tag: 'MoUs',
      security: 'identity',
      params: idParams,
      responses: { 200: { description: 'The MoU', schema: mouSchema } },
      refusals: [401, 404],
      handle: async (c, { params }) => c.json(success('as', await getMou(ctx, principalOf(c), params.id))),
    }),
    route({
      method: 'post',
      path: '/consent/v1/mous/{id}/sign',
      operationId: 'signMou',
      summary: "Sign an MoU, or its pending amendment, for the caller's organisation (a party's admin)",
      tag: 'MoUs',
      security: 'identity',
      roles: ['admin'],
      audit: 'mou.sign',
      params: idParams,
      body: reasonSchema,
      bodyOptional: true,
      responses: { 200: { description: 'The MoU', schema: mouSchema } },
      refusals: [400, 401, 403, 404, 409, 415],
      handle: async (c, { params }) =>
        c.json(success('as', await signMou(ctx, callerOf(c), params.id), { title: 'Signed' })),
    }),
    change(ctx, 'suspend', '/consent/v1/mous/{id}/suspend'),
    change(ctx, 'resume', '/consent/v1/mous/{id}/resume'),
    change(ctx, 'terminate', '/consent/v1/mous/{id}/terminate'),
    route({
      method: 'post',
      path: '/consent/v1/mous/{id}/withdraw',
      operationId: 'withdrawFromMou',
      summary: "Withdraw the caller's organisation from an MoU (a partner's admin)",
      tag: 'MoUs',
      security: 'identity',
      roles: ['admin'],
      audit: 'mou.withdraw',
      params: idParams,
      body: reasonSchema,
      bodyOptional: true,
      responses: { 200: { description: 'The MoU', schema: mouSchema } },
      refusals: [400, 401, 403, 404, 409, 415],
      handle: async (c, { params, body }) => {
        const mou = await withdrawFromMou(ctx, callerOf(c), params.id, body?.reason);
        return c.json(success('as', mou, { title: 'Withdrawn' }));
      },
    }),
    route({
      method: 'post',
      path: '/consent/v1/mous/{id}/amend',
      operationId: 'amendMou',
      summary: 'Propose new terms for an MoU in force; they take effect once every party has signed them',
      tag: 'MoUs',
      security: 'identity',
      roles: ['admin'],
      audit: 'mou.amend',
      params: idParams,
      body: amendmentBody,
      responses: { 200: { description: 'The MoU with its pending amendment', schema: mouSchema } },
      refusals: [400, 401, 403, 404, 409, 413, 415],
      handle: async (c, { params, body }) => {
        const mou = await amendMou(ctx, callerOf(c), params.id, body);
        return c.json(
          success('as', mou, { title: 'Amendment proposed; it takes effect when every party has signed' }),
        );
      },
    }),
    route({
      method: 'get',
      path: '/consent/v1/mous/{id}/artefact',
      operationId: 'mouArtefact',
      summary: 'The MoU as signed: a JWS by the gateway over its terms and signatures',
      tag: 'MoUs',
      security: 'identity',
      params: idParams,
      responses: { 200: { description: 'The signed MoU', schema: jwsSchema } },
      refusals: [401, 404, 409],
      handle: async (c, { params }) =>
        c.json(success('as', { jws: await mouArtefact(ctx, principalOf(c), params.id) })),
    }),
    route({
      method: 'get',
      path: '/consent/v1/mous/{id}/summary',
      operationId: 'mouSummary',
      summary: 'The MoU as a readable page',
      tag: 'MoUs',
      security: 'identity',
      params: idParams,
      responses: { 200: { description: 'An HTML page', contentType: 'text/html' } },
      refusals: [401, 404],
      handle: async (c, { params }) => {
        const mou = await getMou(ctx, principalOf(c), params.id);
        return c.html(mouSummaryHtml(mou), 200, {
          'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
        });
      },
    }),
    route({
      method: 'get',
      path: '/consent/v1/mous/{id}/kpis',
      operationId: 'mouKpis',
      summary:
        "An MoU's KPIs measured week by week over a range of days (the last 12 weeks by default), against their targets",
      tag: 'MoUs',
      security: 'identity',
      params: idParams,
      query: Type.Object({
        from: Type.Optional(day('First day, YYYY-MM-DD (83 days before to by default)')),
        to: Type.Optional(day('Last day, YYYY-MM-DD (today by default)')),
      }),
      responses: {
        200: {
          description: 'Each KPI with a value per week and for the whole range',
          schema: Type.Array(kpiMeasureSchema),
          beside: { from: Type.String(), to: Type.String() },
        },
      },
      refusals: [400, 401, 404],
      handle: async (c, { params, query }) => {
        const now = ctx.clock.now();
        const mou = await getMou(ctx, principalOf(c), params.id);
        const range = dayRange(query, now, { defaultDays: 84 });
        const measures = await measureKpis(ctx.db, mou, range, now);
        return c.json({ ...success('as', measures, { totalHits: measures.length }), ...range });
      },
    }),
  ];
}
