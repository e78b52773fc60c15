import { ingestBatchSchema } from './routes/ingest.js';
import { ledgerSpendingSchema } from './routes/ledger.js';

const problem = {
  description: 'An RFC 9457 problem (type urn:dx:rs:<name>)',
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
};
const problems = (...statuses: number[]) => Object.fromEntries(statuses.map((s) => [String(s), problem]));
const query = (name: string, description: string, schema: object = { type: 'string' }, required = false) => ({
  name,
  in: 'query',
  required,
  description,
  schema,
});

const common = [
  query('id', 'The resource: <provider>/<group>/<resource>', { type: 'string' }, true),
  query('attrs', 'Comma-separated attributes to return (each must be granted by the consent)'),
  query(
    'q',
    'Filter: attr==value, !=, <, <=, >, >=; `;` and, `|` or, parentheses; lists a==1,2; ranges a==1..5',
  ),
  query('georel', 'near;maxDistance==<metres> | within | intersects', { type: 'string' }),
  query('geometry', 'Point | LineString | Polygon | bbox'),
  query('coordinates', 'JSON coordinates of the geometry'),
  query('geoproperty', 'Only "location"'),
  query('limit', 'Page size (0 counts only)', { type: 'integer', minimum: 0 }),
  query('offset', 'Records to skip', { type: 'integer', minimum: 0 }),
];
const records = {
  description:
    'Records in the rs envelope, a GeoJSON FeatureCollection (Accept: application/geo+json) or CSV (Accept: text/csv, needs download access)',
  headers: { 'NGSILD-Results-Count': { schema: { type: 'integer' } } },
  content: {
    'application/json': {
      schema: {
        type: 'object',
        required: ['type', 'title', 'results', 'totalHits'],
        properties: {
          type: { const: 'urn:dx:rs:success' },
          title: { type: 'string' },
          results: { type: 'array', items: { type: 'object', required: ['id', 'observedAt'] } },
          totalHits: { type: 'integer' },
          limit: { type: 'integer' },
          offset: { type: 'integer' },
        },
      },
    },
    'application/geo+json': {
      schema: { type: 'object', properties: { type: { const: 'FeatureCollection' } } },
    },
    'text/csv': { schema: { type: 'string' } },
  },
};
const bearer = [{ bearer: [] }];

/** The OpenAPI 3.1 description of the resource proxy's routes (merged into the gateway's document). */
export function proxyOpenApiPaths(): Record<string, object> {
  return {
    '/ngsi-ld/v1/entities': {
      get: {
        summary: 'The latest record of each entity of a resource',
        description:
          'Needs an access token (POST /auth/v1/access-tokens); released only under the release rule.',
        security: bearer,
        parameters: common,
        responses: { '200': records, ...problems(400, 401, 403, 404, 406, 429, 502, 504) },
      },
    },
    '/ngsi-ld/v1/temporal/entities': {
      get: {
        summary: 'Records of a resource over time',
        security: bearer,
        parameters: [
          ...common,
          query('timerel', 'before | after | between', { enum: ['before', 'after', 'between'] }, true),
          query('timeAt', 'RFC 3339 date-time', { type: 'string', format: 'date-time' }, true),
          query('endTimeAt', 'RFC 3339 date-time (between)', { type: 'string', format: 'date-time' }),
          query('timeproperty', 'Only "observedAt"'),
        ],
        responses: { '200': records, ...problems(400, 401, 403, 404, 406, 429, 502, 504) },
      },
    },
    '/rs/v1/ingest/{resourceId}': {
      post: {
        summary: "Publish a batch of records (the resource's provider or its adapter)",
        security: bearer,
        parameters: [
          {
            name: 'resourceId',
            in: 'path',
            required: true,
            schema: { type: 'string' },
            description: '<provider>/<group>/<resource>',
          },
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                ...ingestBatchSchema,
                $id: undefined,
                properties: {
                  records: {
                    type: 'array',
                    minItems: 1,
                    items: {
                      type: 'object',
                      required: ['id', 'observedAt'],
                      description: 'Fits the data model',
                    },
                  },
                },
              },
            },
          },
        },
        responses: {
          '200': { description: 'Per-record results: accepted, duplicate, or rejected with the reasons' },
          ...problems(400, 401, 403, 404, 409, 413, 415),
        },
      },
    },
    '/rs/v1/usage': {
      get: {
        summary:
          "A consumer's requests and records per consent and day, or a provider's per item and consumer",
        security: bearer,
        parameters: [
          query('view', 'consumer | provider', { enum: ['consumer', 'provider'] }),
          query('from', 'First day, YYYY-MM-DD'),
          query('to', 'Last day, YYYY-MM-DD'),
        ],
        responses: { '200': { description: 'Usage rows' }, ...problems(400, 401, 403) },
      },
    },
    '/rs/v1/privacy/ledger': {
      get: {
        summary:
          'ε spent on noisy counts per resource, released cell and local day, with the budget the MoU set: every entry for auditors and the city, their own for providers',
        security: bearer,
        parameters: [
          query('resource', 'One resource, provider/group/resource'),
          query('from', 'First day, YYYY-MM-DD (30 days before `to` by default)'),
          query('to', 'Last day, YYYY-MM-DD (today by default)'),
          query('limit', 'Entries per page, 1 to 10000 (1000 by default)'),
          query('offset', 'Entries to skip'),
        ],
        responses: { '200': { description: 'Ledger entries, newest day first' }, ...problems(400, 401, 403) },
      },
      post: {
        summary:
          "An adapter publishing over HTTP enters one cycle's spending (its provider's client), before it publishes",
        security: bearer,
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { ...ledgerSpendingSchema, $id: undefined } } },
        },
        responses: { '201': { description: 'Spending entered' }, ...problems(400, 401, 403, 404, 413, 415) },
      },
    },
    '/rs/v1/privacy/ledger/spending': {
      get: {
        summary:
          "A resource's local day in the ledger, ε spent per cell and the periods paid for: for its provider",
        security: bearer,
        parameters: [
          query('resource', 'The resource, provider/group/resource'),
          query('day', 'The local day, YYYY-MM-DD'),
        ],
        responses: {
          '200': { description: 'Spent per cell, and paid periods' },
          ...problems(400, 401, 403, 404),
        },
      },
    },
  };
}

/** The resource proxy's own OpenAPI document. */
export function proxyOpenApi(): object {
  return {
    openapi: '3.1.0',
    info: { title: 'Sangam resource proxy', version: '1.0.0' },
    servers: [{ url: '/' }],
    paths: proxyOpenApiPaths(),
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: {
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status'],
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            instance: { type: 'string' },
          },
        },
      },
    },
  };
}
