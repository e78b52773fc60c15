import { DxError, type FieldError } from '@sangam/core';
import type { Selectable, SubscriptionTable } from '@sangam/db';
import { type Static, Type } from '@sinclair/typebox';
import { parseResourceQuery, type ResourceQuery } from '../query/params.js';

/** The endpoint that names the subscription's own server-sent-event stream instead of a webhook. */
export const streamEndpoint = 'urn:sangam:sse';

const attribute = Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]{0,63}$', examples: ['speed'] });
const geoQ = Type.Object(
  {
    georel: Type.String({ maxLength: 100, description: 'near;maxDistance==<metres> | within | intersects' }),
    geometry: Type.String({ maxLength: 20, description: 'Point | LineString | Polygon | bbox' }),
    coordinates: Type.String({ maxLength: 20_000, description: 'JSON coordinates of the geometry' }),
    geoproperty: Type.Optional(Type.Literal('location')),
  },
  { additionalProperties: false },
);

/** `POST /ngsi-ld/v1/subscriptions` (ETSI GS CIM 009 shapes where they fit): one resource, under the token's consent. */
export const newSubscriptionSchema = Type.Object(
  {
    type: Type.Optional(Type.Literal('Subscription')),
    description: Type.Optional(Type.String({ maxLength: 500 })),
    entities: Type.Array(
      Type.Object(
        {
          id: Type.String({
            maxLength: 200,
            description: 'The resource: <provider>/<group>/<resource>',
            examples: ['sitilink/surat-bus-itms/positions'],
          }),
          type: Type.Optional(Type.String({ maxLength: 200 })),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 1, description: 'The one resource whose new records are notified' },
    ),
    q: Type.Optional(Type.String({ maxLength: 10_000, description: 'A filter, as in queries' })),
    geoQ: Type.Optional(geoQ),
    throttling: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 3600, description: 'Seconds at least between two notifications' }),
    ),
    notification: Type.Object(
      {
        attributes: Type.Optional(
          Type.Array(attribute, { maxItems: 100, uniqueItems: true, description: 'Attributes to notify' }),
        ),
        format: Type.Optional(Type.Literal('normalized')),
        endpoint: Type.Object(
          {
            uri: Type.String({
              maxLength: 2000,
              description: `An https URL to POST signed notifications to, or "${streamEndpoint}" for the subscription's own event stream`,
              examples: [streamEndpoint],
            }),
            accept: Type.Optional(Type.Literal('application/json')),
          },
          { additionalProperties: false },
        ),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type NewSubscription = Static<typeof newSubscriptionSchema>;

/** `PATCH /ngsi-ld/v1/subscriptions/{id}`: what a consumer may change; the endpoint and the resource stay. */
export const subscriptionChangeSchema = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 10_000 })),
    geoQ: Type.Optional(geoQ),
    throttling: Type.Optional(Type.Integer({ minimum: 0, maximum: 3600 })),
    notification: Type.Optional(
      Type.Object(
        { attributes: Type.Optional(Type.Array(attribute, { maxItems: 100, uniqueItems: true })) },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type SubscriptionChange = Static<typeof subscriptionChangeSchema>;

/** What a subscription asks for, as stored: the parts of a query that apply to new records. */
export interface SubscriptionSpec {
  readonly attributes?: readonly string[];
  readonly q?: string;
  readonly geoQ?: Static<typeof geoQ>;
  readonly throttling?: number;
}

/** A place in a resource's feed: the data version of a batch and a record's place in it. */
export interface FeedCursor {
  readonly version: number;
  readonly position: number;
}

export const cursorText = (cursor: FeedCursor): string => `${cursor.version}-${cursor.position}`;

/** A `Last-Event-ID` as this gateway writes it, or undefined for anything else. */
export function cursorOf(text: string | undefined): FeedCursor | undefined {
  const match = text ? /^(\d{1,15})-(\d{1,9})$/.exec(text.trim()) : null;
  return match ? { version: Number(match[1]), position: Number(match[2]) } : undefined;
}

export type SubscriptionRow = Selectable<SubscriptionTable>;

/** The subscription as its consumer sees it. */
export const subscriptionViewSchema = Type.Object({
  id: Type.String(),
  type: Type.Literal('Subscription'),
  entities: Type.Array(Type.Object({ id: Type.String() })),
  consent: Type.String(),
  q: Type.Optional(Type.String()),
  geoQ: Type.Optional(Type.Object({})),
  throttling: Type.Optional(Type.Integer()),
  notification: Type.Object({
    attributes: Type.Optional(Type.Array(Type.String())),
    endpoint: Type.Object({ uri: Type.String() }),
    status: Type.Union([Type.Literal('ok'), Type.Literal('failed')]),
    lastFailure: Type.Optional(Type.String()),
    attempts: Type.Integer(),
    events: Type.Optional(Type.String({ description: 'The event stream, for an SSE subscription' })),
  }),
  status: Type.Union([Type.Literal('active'), Type.Literal('ended')]),
  endedReason: Type.Optional(Type.String()),
  deadLetters: Type.Array(
    Type.Object({
      from: Type.String(),
      to: Type.String(),
      records: Type.Integer(),
      attempts: Type.Integer(),
      reason: Type.String(),
      at: Type.String(),
    }),
  ),
  createdAt: Type.String(),
});
export type SubscriptionView = Static<typeof subscriptionViewSchema>;

export function specOf(row: SubscriptionRow): SubscriptionSpec {
  return JSON.parse(row.spec) as SubscriptionSpec;
}

/**
 * The query a subscription stands for, parsed as a `latest` query would be (its filter, area and attributes), so a
 * subscription is decided as a release of the same query. Errors name the subscription's own fields.
 */
export function queryOf(resource: string, spec: SubscriptionSpec): ResourceQuery {
  const fieldOf: Record<string, string> = {
    id: '/entities/0/id',
    attrs: '/notification/attributes',
    q: '/q',
    georel: '/geoQ/georel',
    geometry: '/geoQ/geometry',
    coordinates: '/geoQ/coordinates',
    geoproperty: '/geoQ/geoproperty',
  };
  try {
    return parseResourceQuery(
      {
        id: resource,
        ...(spec.attributes && spec.attributes.length > 0 ? { attrs: spec.attributes.join(',') } : {}),
        ...(spec.q !== undefined ? { q: spec.q } : {}),
        ...(spec.geoQ ?? {}),
      },
      undefined,
      'latest',
      Number.MAX_SAFE_INTEGER,
    );
  } catch (error) {
    const errors =
      error instanceof DxError ? (error.extensions?.errors as FieldError[] | undefined) : undefined;
    if (!errors) throw error;
    throw DxError.validation(errors.map((e) => ({ ...e, field: fieldOf[e.field] ?? e.field })));
  }
}
