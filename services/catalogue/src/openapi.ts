import { openApiComponents } from '@sangam/http';
import { upstreamCredentialSchema } from './credentials.js';
import { itemSchemas } from './schemas.js';
import { searchParams } from './search.js';

/** A schema as it appears among the document's components (their own `$id`s are for ajv only). */
function component(schema: object): object {
  const { $id: _id, ...rest } = schema as { $id?: string };
  return rest;
}

const problem = {
  description: 'An RFC 9457 problem',
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
};

const problems = (...statuses: number[]) => Object.fromEntries(statuses.map((s) => [String(s), problem]));

const envelope = (results: object, description: string) => ({
  description,
  content: {
    'application/json': {
      schema: {
        type: 'object',
        required: ['type', 'title', 'results'],
        properties: {
          type: { type: 'string', examples: ['urn:dx:cat:success'] },
          title: { type: 'string' },
          results,
          totalHits: { type: 'integer', minimum: 0 },
        },
      },
    },
  },
});

const item = { $ref: '#/components/schemas/Item' };
const credentialView = {
  type: 'object',
  required: ['item', 'header', 'updatedAt'],
  properties: {
    item: { type: 'string' },
    header: { type: 'string' },
    updatedAt: { type: 'string', format: 'date-time' },
  },
};
const items = { type: 'array', items: item };
const idParameter = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'A readable item id: <provider>, <provider>/<group> or <provider>/<group>/<resource>',
  schema: { type: 'string' },
};
const ifMatch = (required: boolean) => ({
  name: 'If-Match',
  in: 'header',
  required,
  description: 'The ETag of the item as last read',
  schema: { type: 'string' },
});
const query = (name: string, description: string, schema: object = { type: 'string' }) => ({
  name,
  in: 'query',
  required: false,
  description,
  schema,
});
const body = { required: true, content: { 'application/json': { schema: item } } };
const bearer = [{ bearer: [] }];

const searchDescriptions: Record<(typeof searchParams)[number], [string, object?]> = {
  q: ['Free text over name, description and tags; any text is safe'],
  tags: ['Comma-separated tags'],
  tagsMatch: ['Whether an item needs any or all of the tags', { enum: ['any', 'all'] }],
  type: ['Item type', { enum: ['provider', 'resourceGroup', 'resource'] }],
  provider: ['Provider organisation id'],
  city: ['City'],
  accessPolicy: ['Access policy', { enum: ['OPEN', 'SECURE', 'PII'] }],
  georel: ['within, intersects, or near (with maxDistance; near;maxDistance==500 also works)'],
  geometry: ['Shape of coordinates', { enum: ['bbox', 'Point', 'LineString', 'Polygon'] }],
  coordinates: ['JSON positions [lon, lat]; a bbox is two corners [[lon, lat], [lon, lat]]'],
  maxDistance: [
    'Metres from the point, for near',
    { type: 'number', exclusiveMinimum: 0, maximum: 1_000_000 },
  ],
  includeRetired: ['Also return retired items', { type: 'boolean' }],
  limit: ['Page size', { type: 'integer', minimum: 1, maximum: 1000, default: 100 }],
  offset: ['Items to skip', { type: 'integer', minimum: 0, default: 0 }],
};

/** The catalogue's OpenAPI 3.1 document, built from the schemas the validator uses. */
export function catalogueOpenApi(morePaths: Record<string, object> = {}): object {
  const document = {
    openapi: '3.1.0',
    info: {
      title: 'Sangam catalogue',
      version: '1.0.0',
      description:
        'Providers register datasets (resource groups) and resources with data models; anyone searches them.',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    servers: [{ url: '/' }],
    paths: {
      ...morePaths,
      '/cat/v1/search': {
        get: {
          operationId: 'searchItems',
          summary: 'Search items',
          parameters: searchParams.map((name) => {
            const [description, schema] = searchDescriptions[name];
            return query(name, description, schema);
          }),
          responses: { '200': envelope(items, 'Matching items, one page, with totalHits'), ...problems(400) },
        },
      },
      '/cat/v1/items': {
        get: {
          operationId: 'listItems',
          summary: 'List items',
          parameters: (['provider', 'type', 'includeRetired', 'limit', 'offset'] as const).map((name) => {
            const [description, schema] = searchDescriptions[name];
            return query(name, description, schema);
          }),
          responses: { '200': envelope(items, 'Items, one page, with totalHits'), ...problems(400) },
        },
        post: {
          operationId: 'createItem',
          summary: 'Register an item (providers: their own; the city admin: any)',
          security: bearer,
          requestBody: body,
          responses: {
            '201': envelope(item, 'The item, with its ETag'),
            ...problems(400, 401, 403, 409, 413, 415),
          },
        },
      },
      '/cat/v1/items/{id}': {
        parameters: [idParameter],
        get: {
          operationId: 'getItem',
          summary: 'One item, live or retired, with its ETag',
          responses: { '200': envelope(item, 'The item'), ...problems(400, 404) },
        },
        put: {
          operationId: 'updateItem',
          summary: 'Replace an item (needs If-Match)',
          security: bearer,
          parameters: [ifMatch(true)],
          requestBody: body,
          responses: {
            '200': envelope(item, 'The item, with its new ETag'),
            ...problems(400, 401, 403, 404, 409, 412, 413, 415, 428),
          },
        },
        delete: {
          operationId: 'retireItem',
          summary: 'Retire an item; it stays resolvable, marked retired',
          security: bearer,
          parameters: [ifMatch(false)],
          responses: { '200': envelope(item, 'The retired item'), ...problems(401, 403, 404, 409, 412) },
        },
      },
      '/cat/v1/items/{id}/related': {
        parameters: [idParameter],
        get: {
          operationId: 'relatedItems',
          summary: 'Items related to one',
          parameters: [
            { name: 'rel', in: 'query', required: true, schema: { enum: ['provider', 'group', 'resource'] } },
            query(...(['includeRetired', 'Also return retired items', { type: 'boolean' }] as const)),
          ],
          responses: { '200': envelope(items, 'Related items'), ...problems(400, 404) },
        },
      },
      '/cat/v1/items/{id}/upstream-credential': {
        parameters: [idParameter],
        put: {
          operationId: 'setUpstreamCredential',
          summary:
            "Set the secret a proxy-mode resource's upstream is called with (one header); kept sealed, never shown again",
          security: bearer,
          requestBody: {
            required: true,
            content: { 'application/json': { schema: upstreamCredentialSchema } },
          },
          responses: {
            '200': envelope(credentialView, 'Which header the credential goes in, and since when'),
            ...problems(400, 401, 403, 404, 409, 413, 415),
          },
        },
        get: {
          operationId: 'upstreamCredential',
          summary: "Which header a resource's upstream credential goes in, and since when (never its value)",
          security: bearer,
          responses: {
            '200': envelope(credentialView, 'The credential, without its value'),
            ...problems(401, 403, 404),
          },
        },
        delete: {
          operationId: 'removeUpstreamCredential',
          summary: "Remove a resource's upstream credential",
          security: bearer,
          responses: { '204': { description: 'Removed' }, ...problems(401, 403, 404) },
        },
      },
      '/cat/v1/schemas/{type}': {
        get: {
          operationId: 'itemSchema',
          summary: 'The JSON Schema of an item type',
          parameters: [
            {
              name: 'type',
              in: 'path',
              required: true,
              schema: { enum: ['provider', 'resourceGroup', 'resource'] },
            },
          ],
          responses: {
            '200': {
              description: 'A JSON Schema',
              content: { 'application/schema+json': { schema: { type: 'object' } } },
            },
            ...problems(404),
          },
        },
      },
      '/openapi.json': {
        get: {
          operationId: 'gatewayOpenApi',
          summary: 'This document: every service of the gateway',
          responses: {
            '200': {
              description: 'OpenAPI 3.1',
              content: { 'application/json': { schema: { type: 'object' } } },
            },
          },
        },
      },
      '/cat/v1/openapi.json': {
        get: {
          operationId: 'openApi',
          summary: 'This document',
          responses: {
            '200': {
              description: 'OpenAPI 3.1',
              content: { 'application/json': { schema: { type: 'object' } } },
            },
          },
        },
      },
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      // The answer of every problem of the routes declared in the other services.
      responses: openApiComponents.responses,
      schemas: {
        Provider: component(itemSchemas.provider),
        ResourceGroup: component(itemSchemas.resourceGroup),
        Resource: component(itemSchemas.resource),
        Item: {
          oneOf: [
            { $ref: '#/components/schemas/Provider' },
            { $ref: '#/components/schemas/ResourceGroup' },
            { $ref: '#/components/schemas/Resource' },
          ],
          discriminator: {
            propertyName: 'type',
            mapping: {
              provider: '#/components/schemas/Provider',
              resourceGroup: '#/components/schemas/ResourceGroup',
              resource: '#/components/schemas/Resource',
            },
          },
        },
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status'],
          properties: {
            type: { type: 'string', examples: ['urn:dx:cat:invalidPayload'] },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            instance: { type: 'string' },
            errors: {
              type: 'array',
              items: {
                type: 'object',
                properties: { field: { type: 'string' }, message: { type: 'string' } },
              },
            },
          },
        },
      },
    },
  };
  return document;
}
