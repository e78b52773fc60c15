import { requestIds } from '@sangam/audit';
import { DxError } from '@sangam/core';
import { type AppEnv, type RouteDeclaration, route, success, upstreamErrors } from '@sangam/http';
import { inScope, scopeItem } from '@sangam/policy';
import { Type } from '@sinclair/typebox';
import type { Context } from 'hono';
import type { ProxyContext } from '../context.js';
import { type AccessGrant, verifyAccess } from '../release/access.js';
import { auditStop, decideDelivery, feedHead, subscriberOf } from '../subscriptions/delivery.js';
import {
  cursorOf,
  newSubscriptionSchema,
  type SubscriptionRow,
  type SubscriptionSpec,
  streamEndpoint,
  subscriptionChangeSchema,
  subscriptionViewSchema,
} from '../subscriptions/model.js';
import {
  endSubscription,
  insertSubscription,
  ownSubscription,
  subscriptionsOf,
  updateSpec,
  viewOf,
} from '../subscriptions/store.js';
import type { StreamHub } from '../subscriptions/streams.js';

const idParams = Type.Object({
  id: Type.String({ pattern: '^sub_[A-Za-z0-9_-]{1,60}$', examples: ['sub_4f9c2a'] }),
});

/** The access token of a request; a request without a valid one is counted, not audited as a decision. */
async function grantOf(ctx: ProxyContext, c: Context<AppEnv>, action: string): Promise<AccessGrant> {
  try {
    return await verifyAccess(ctx.tokens, c.req.header('authorization'));
  } catch (error) {
    ctx.audit.uncredentialed.count(action, error instanceof DxError ? error.problem : 'internalError');
    throw error;
  }
}

/**
 * Decides a subscription as the release of its query now, for the token asking; a refusal is committed (with the
 * request's ids) and thrown. What the stream or the webhook will deliver is decided again, batch by batch.
 */
async function decided(
  ctx: ProxyContext,
  row: SubscriptionRow,
  grant: AccessGrant,
  c: Context<AppEnv>,
  action: string,
) {
  const subscriber = subscriberOf(row);
  const now = ctx.clock.now();
  const verdict = await decideDelivery(ctx, subscriber, now, { issuedAtSeconds: grant.issuedAt });
  if (!verdict.allow) {
    await auditStop(ctx, subscriber, verdict.error, {
      ...verdict,
      now,
      request: { action, ...requestIds(c.var) },
    });
    throw verdict.error;
  }
  return { subscriber, verdict };
}

/** The endpoint's checks: the subscription's own stream, or a webhook that passes the upstreams' address checks. */
function endpointErrors(uri: string, allowHosts: readonly string[]) {
  if (uri === streamEndpoint) return [];
  return upstreamErrors(uri, allowHosts, { refuseCredentials: false }).map((e) => ({
    ...e,
    field: '/notification/endpoint/uri',
  }));
}

const refusals = [400, 401, 403, 404, 409, 429];

/** NGSI-LD subscriptions: a consent's standing query, notified by webhook or to an event stream. */
export function subscriptionRoutes(ctx: ProxyContext, hub: StreamHub): RouteDeclaration[] {
  const view = { description: 'The subscription', schema: subscriptionViewSchema };
  return [
    route({
      method: 'post',
      path: '/ngsi-ld/v1/subscriptions',
      operationId: 'createSubscription',
      summary: "Subscribes the access token's consent to a resource's new records",
      description: `Accepted only when the release rule allows the same query now. Notifications go to an https webhook (POSTed, signed as a detached JWS in \`Sangam-Signature\`, verifiable against /.well-known/jwks.json) or, with the endpoint "${streamEndpoint}", to the stream at /ngsi-ld/v1/subscriptions/{id}/events. Every notification is a release: decided, metered and audited.`,
      tag: 'Subscriptions',
      security: 'access',
      audit: 'rs.subscription.create',
      body: newSubscriptionSchema,
      // The token first: nothing of a caller without a valid one is parsed.
      checkedBy: 'handler',
      responses: { 201: view },
      refusals,
      handle: async (c, { readBody }) => {
        const grant = await grantOf(ctx, c, 'rs.subscription.create');
        const body = await readBody();
        const resource = body.entities[0]?.id ?? '';
        if (!inScope(grant.scope, resource)) {
          const error = new DxError(
            'itemOutsideToken',
            `The access token is for ${scopeItem(grant.scope)}, not ${resource}`,
          );
          await ctx.audit.append({
            action: 'rs.subscription.create',
            decision: 'deny',
            reason: `${error.problem}: ${error.detail}`,
            actor: { client: grant.clientId, organisation: grant.organisationId },
            target: {
              item: resource,
              consent: grant.consentId,
              consumer: grant.organisationId,
              mou: grant.mou,
            },
            ...requestIds(c.var),
          });
          throw error;
        }
        const errors = endpointErrors(body.notification.endpoint.uri, ctx.config.SANGAM_UPSTREAM_ALLOW_HOSTS);
        if (errors.length > 0) throw DxError.validation(errors);
        const spec: SubscriptionSpec = {
          ...(body.notification.attributes ? { attributes: body.notification.attributes } : {}),
          ...(body.q !== undefined ? { q: body.q } : {}),
          ...(body.geoQ ? { geoQ: body.geoQ } : {}),
          ...(body.throttling !== undefined ? { throttling: body.throttling } : {}),
        };
        // The query's own checks first (400), then the release rule (403), before anything is stored.
        const draft: SubscriptionRow = {
          id: 'sub_draft',
          consent_id: grant.consentId,
          consumer_org: grant.organisationId,
          client_id: grant.clientId,
          resource_id: resource,
          spec: JSON.stringify(spec),
          endpoint: body.notification.endpoint.uri,
          status: 'active',
          ended_reason: null,
          cursor_version: 0,
          cursor_position: -1,
          attempts: 0,
          next_attempt_at: null,
          last_error: null,
          lease_until: null,
          created_at: ctx.clock.now().toISOString(),
          updated_at: ctx.clock.now().toISOString(),
        };
        // A query the rule refuses is not stored; its refusal is audited as the release's would be.
        await decided(ctx, draft, grant, c, 'rs.subscription.create');
        const row = await insertSubscription(
          ctx,
          grant,
          resource,
          spec,
          body.notification.endpoint.uri,
          await feedHead(ctx, resource),
        );
        await ctx.audit.append({
          action: 'rs.subscription.create',
          decision: 'allow',
          reason: `${row.id} notifies ${row.endpoint === streamEndpoint ? 'an event stream' : 'a webhook'}`,
          actor: { client: grant.clientId, organisation: grant.organisationId },
          target: {
            item: resource,
            consent: grant.consentId,
            consumer: grant.organisationId,
            mou: grant.mou,
          },
          requestId: row.id,
        });
        c.header('location', `/ngsi-ld/v1/subscriptions/${row.id}`);
        return c.json(success('rs', await viewOf(ctx, row)), 201);
      },
    }),
    route({
      method: 'get',
      path: '/ngsi-ld/v1/subscriptions',
      operationId: 'listSubscriptions',
      summary: "The subscriptions of the access token's consent",
      tag: 'Subscriptions',
      security: 'access',
      responses: { 200: { description: 'Subscriptions', schema: Type.Array(subscriptionViewSchema) } },
      refusals: [401],
      handle: async (c) => {
        const grant = await grantOf(ctx, c, 'rs.subscription.list');
        const rows = await subscriptionsOf(ctx, grant);
        const views = await Promise.all(rows.map((r) => viewOf(ctx, r)));
        return c.json(success('rs', views, { totalHits: views.length }));
      },
    }),
    route({
      method: 'get',
      path: '/ngsi-ld/v1/subscriptions/{id}',
      operationId: 'getSubscription',
      summary: 'A subscription, with how its notifications fare and the webhook batches given up',
      tag: 'Subscriptions',
      security: 'access',
      params: idParams,
      responses: { 200: view },
      refusals: [400, 401, 404],
      handle: async (c, { params }) => {
        const grant = await grantOf(ctx, c, 'rs.subscription.read');
        return c.json(success('rs', await viewOf(ctx, await ownSubscription(ctx, grant, params.id))));
      },
    }),
    route({
      method: 'patch',
      path: '/ngsi-ld/v1/subscriptions/{id}',
      operationId: 'updateSubscription',
      summary: "Changes a subscription's filter, area, throttling or attributes",
      description:
        'Decided again as a release of the new query. Open streams of it close, to be resumed with Last-Event-ID under the new query.',
      tag: 'Subscriptions',
      security: 'access',
      params: idParams,
      body: subscriptionChangeSchema,
      checkedBy: 'handler',
      responses: { 200: view },
      refusals,
      handle: async (c, { params, readBody }) => {
        const grant = await grantOf(ctx, c, 'rs.subscription.update');
        const body = await readBody();
        const row = await ownSubscription(ctx, grant, params.id);
        if (row.status !== 'active') throw new DxError('subscriptionEnded', row.ended_reason ?? undefined);
        const was = JSON.parse(row.spec) as SubscriptionSpec;
        const spec: SubscriptionSpec = {
          ...was,
          ...(body.q !== undefined ? { q: body.q } : {}),
          ...(body.geoQ ? { geoQ: body.geoQ } : {}),
          ...(body.throttling !== undefined ? { throttling: body.throttling } : {}),
          ...(body.notification?.attributes ? { attributes: body.notification.attributes } : {}),
        };
        await decided(ctx, { ...row, spec: JSON.stringify(spec) }, grant, c, 'rs.subscription.update');
        const updated = await updateSpec(ctx, row, spec);
        await hub.end(
          row.id,
          new DxError('conflict', 'The subscription changed; reconnect with Last-Event-ID'),
        );
        return c.json(success('rs', await viewOf(ctx, updated)));
      },
    }),
    route({
      method: 'delete',
      path: '/ngsi-ld/v1/subscriptions/{id}',
      operationId: 'deleteSubscription',
      summary: 'Ends a subscription: its streams close and no notification starts after',
      tag: 'Subscriptions',
      security: 'access',
      params: idParams,
      responses: { 204: { description: 'Ended' } },
      refusals: [400, 401, 404],
      handle: async (c, { params }) => {
        const grant = await grantOf(ctx, c, 'rs.subscription.delete');
        const row = await ownSubscription(ctx, grant, params.id);
        await endSubscription(ctx, row.id, 'deleted by its consumer');
        await hub.end(row.id, new DxError('subscriptionEnded', 'Deleted by its consumer'));
        return c.body(null, 204);
      },
    }),
    route({
      method: 'get',
      path: '/ngsi-ld/v1/subscriptions/{id}/events',
      operationId: 'subscriptionEvents',
      summary: "A subscription's notifications as server-sent events",
      description:
        'Each `notification` event carries a batch of released records and an id; reconnecting with `Last-Event-ID` resumes after it (without one, the stream starts where the subscription stands: its creation, or where its last stream ended), with nothing lost or repeated while the records are retained. When the consent or MoU stops, a final `problem` event says why and the stream closes; so does a stream whose consumer falls too far behind (`streamBehind`: resume with Last-Event-ID).',
      tag: 'Subscriptions',
      security: 'access',
      params: idParams,
      responses: {
        200: { description: 'The event stream', contentType: 'text/event-stream' },
      },
      refusals: [400, 401, 403, 404, 409, 410, 429],
      handle: async (c, { params }) => {
        const grant = await grantOf(ctx, c, 'rs.subscription.events');
        const row = await ownSubscription(ctx, grant, params.id);
        if (row.status !== 'active') throw new DxError('subscriptionEnded', row.ended_reason ?? undefined);
        if (row.endpoint !== streamEndpoint) {
          throw new DxError('conflict', 'This subscription notifies a webhook, not an event stream');
        }
        const resume = c.req.header('last-event-id');
        const from = resume === undefined ? undefined : cursorOf(resume);
        if (resume !== undefined && !from) {
          throw DxError.validation(
            [{ field: 'Last-Event-ID', message: 'must be the id of an event of this stream' }],
            'invalidParameter',
          );
        }
        const { subscriber, verdict } = await decided(ctx, row, grant, c, 'rs.subscription.events');
        // Without Last-Event-ID: from where the subscription stands (its creation, or where its last stream ended).
        const body = hub.open(
          subscriber,
          from ?? { version: row.cursor_version, position: row.cursor_position },
          verdict,
        );
        return c.body(body, 200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-store',
          'x-accel-buffering': 'no',
        });
      },
    }),
  ];
}
