import { type RouteDeclaration, route } from '@sangam/http';
import { Type } from '@sinclair/typebox';
import type { ProxyContext } from '../context.js';
import { releaseHandler } from '../release/release.js';

/** The query of a latest-values request (NGSI-LD, as IUDX uses it). */
export const latestQuery = {
  id: Type.String({ maxLength: 200, description: 'The resource: <provider>/<group>/<resource>' }),
  attrs: Type.Optional(
    Type.String({
      maxLength: 6500,
      description: 'Comma-separated attributes to return (each granted by the consent)',
    }),
  ),
  q: Type.Optional(
    Type.String({
      maxLength: 10_000,
      description:
        'Filter: attr==value, !=, <, <=, >, >=; `;` and, `|` or, parentheses; lists a==1,2; ranges a==1..5',
    }),
  ),
  georel: Type.Optional(
    Type.String({ maxLength: 100, description: 'near;maxDistance==<metres> | within | intersects' }),
  ),
  geometry: Type.Optional(Type.String({ maxLength: 20, description: 'Point | LineString | Polygon | bbox' })),
  coordinates: Type.Optional(Type.String({ description: 'JSON coordinates of the geometry' })),
  geoproperty: Type.Optional(Type.String({ maxLength: 100, description: 'Only "location"' })),
  limit: Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: 10_000,
      description: 'Page size (0 counts only; SANGAM_QUERY_MAX_LIMIT at most)',
    }),
  ),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000, description: 'Records to skip' })),
};

/** A temporal request: the latest one's, and when. */
export const temporalQuery = {
  ...latestQuery,
  timerel: Type.Optional(Type.String({ maxLength: 20, description: 'before | after | between' })),
  timeAt: Type.Optional(Type.String({ maxLength: 64, description: 'RFC 3339 date-time' })),
  endTimeAt: Type.Optional(Type.String({ maxLength: 64, description: 'RFC 3339 date-time, for between' })),
  timeproperty: Type.Optional(Type.String({ maxLength: 100, description: 'Only "observedAt"' })),
};

const records = {
  description:
    'Records in the rs envelope, a GeoJSON FeatureCollection (Accept: application/geo+json) or CSV (Accept: text/csv, needs download access)',
  schema: Type.Array(Type.Object({ id: Type.String(), observedAt: Type.String() })),
  alternatives: {
    'application/geo+json': { type: 'object', properties: { type: { const: 'FeatureCollection' } } },
    'text/csv': { type: 'string' },
  },
};
const refusals = [400, 401, 403, 404, 406, 409, 429, 502, 504];

/** The NGSI-LD queries consumers make with an access token, each decided by the release rule and audited. */
export function queryRoutes(ctx: ProxyContext): RouteDeclaration[] {
  return [
    route({
      method: 'get',
      path: '/ngsi-ld/v1/entities',
      operationId: 'latestRecords',
      summary: 'The latest record of each entity of a resource, under the release rule',
      description:
        'Needs an access token from POST /auth/v1/access-tokens. The token is checked, then the query, then the consent and MoU as they are now; every decision is audited before anything is released.',
      tag: 'Data',
      security: 'access',
      audit: 'rs.query.latest',
      // The token first: a query from a caller without a valid one is no decision about any consent.
      checkedBy: 'handler',
      query: Type.Object(latestQuery),
      responses: { 200: records },
      refusals,
      handle: releaseHandler(ctx, 'latest'),
    }),
    route({
      method: 'get',
      path: '/ngsi-ld/v1/temporal/entities',
      operationId: 'temporalRecords',
      summary: 'Records of a resource over time, under the release rule',
      description: 'timerel (before, after or between) with timeAt, and endTimeAt for between.',
      tag: 'Data',
      security: 'access',
      audit: 'rs.query.temporal',
      checkedBy: 'handler',
      query: Type.Object(temporalQuery),
      responses: { 200: records },
      refusals,
      handle: releaseHandler(ctx, 'temporal'),
    }),
  ];
}
