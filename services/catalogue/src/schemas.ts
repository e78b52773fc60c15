/**
 * The catalogue's item schemas. The same objects validate requests, are published at /cat/v1/schemas/{type}, and
 * appear in the OpenAPI document.
 */
const segment = '[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?';
export const providerIdPattern = `^${segment}$`;
export const groupIdPattern = `^${segment}/${segment}$`;
export const resourceIdPattern = `^${segment}/${segment}/${segment}$`;
export const anyItemIdPattern = `^${segment}(?:/${segment}){0,2}$`;

/** One line of printable text (no control characters). */
const line = (max: number, min = 1) => ({
  type: 'string',
  minLength: min,
  maxLength: max,
  pattern: '^[^\\u0000-\\u001f\\u007f]*$',
});

const tags = {
  type: 'array',
  maxItems: 50,
  uniqueItems: true,
  items: { type: 'string', pattern: '^[a-z0-9][a-z0-9 ._-]{0,62}$', description: 'lower case' },
} as const;

export const geometrySchema = {
  title: 'GeoJSON geometry (RFC 7946), WGS 84 longitude/latitude',
  type: 'object',
  additionalProperties: false,
  required: ['type', 'coordinates'],
  properties: {
    type: { enum: ['Point', 'LineString', 'Polygon', 'MultiPolygon'] },
    coordinates: { type: 'array', minItems: 1 },
  },
} as const;

const common = {
  name: line(200),
  description: { type: 'string', maxLength: 5000 },
  tags,
  city: line(100),
} as const;

export const providerSchema = {
  $id: 'urn:sangam:cat:provider',
  title: 'Provider: an organisation that shares data',
  type: 'object',
  additionalProperties: false,
  required: ['type', 'id', 'name'],
  properties: {
    type: { const: 'provider' },
    id: { type: 'string', pattern: providerIdPattern, description: 'The organisation id' },
    ...common,
  },
} as const;

export const resourceGroupSchema = {
  $id: 'urn:sangam:cat:resourceGroup',
  title: 'Resource group: a dataset',
  type: 'object',
  additionalProperties: false,
  required: ['type', 'id', 'name', 'description'],
  properties: {
    type: { const: 'resourceGroup' },
    id: { type: 'string', pattern: groupIdPattern, description: '<provider>/<group>' },
    ...common,
    location: geometrySchema,
    accessPolicy: { enum: ['OPEN', 'SECURE', 'PII'] },
    licence: line(200),
  },
} as const;

export const resourceSchema = {
  $id: 'urn:sangam:cat:resource',
  title: 'Resource: one feed or product of a dataset',
  type: 'object',
  additionalProperties: false,
  required: ['type', 'id', 'name', 'description', 'dataModel', 'accessPolicy', 'releaseLevel', 'source'],
  properties: {
    type: { const: 'resource' },
    id: { type: 'string', pattern: resourceIdPattern, description: '<provider>/<group>/<resource>' },
    ...common,
    location: geometrySchema,
    dataModel: { type: 'object', description: 'A JSON Schema of the records; it must compile' },
    accessPolicy: { enum: ['OPEN', 'SECURE', 'PII'] },
    releaseLevel: { enum: ['aggregate', 'anonymised-record'] },
    source: {
      oneOf: [
        {
          type: 'object',
          additionalProperties: false,
          required: ['adapter'],
          properties: { adapter: { enum: ['gbfs', 'mds', 'itms', 'provider'] } },
        },
        {
          type: 'object',
          additionalProperties: false,
          required: ['upstream'],
          properties: { upstream: { type: 'string', format: 'uri', maxLength: 2000 } },
        },
      ],
    },
    updateInterval: {
      type: 'string',
      pattern: '^P(?!$)(\\d+D)?(T(?=\\d)(\\d+H)?(\\d+M)?(\\d+S)?)?$',
      description: 'ISO 8601 duration, e.g. PT15M',
    },
    licence: line(200),
    version: line(50),
    retentionDays: {
      type: 'integer',
      minimum: 1,
      maximum: 36_500,
      description: 'Days the resource proxy keeps records (the gateway default when absent)',
    },
  },
} as const;

export const itemSchemas = {
  provider: providerSchema,
  resourceGroup: resourceGroupSchema,
  resource: resourceSchema,
};
export type ItemTypeName = keyof typeof itemSchemas;

/** Any item, by its `type`. */
export const itemInputSchema = {
  $id: 'urn:sangam:cat:item',
  type: 'object',
  required: ['type'],
  properties: { type: { enum: ['provider', 'resourceGroup', 'resource'] } },
  oneOf: [providerSchema, resourceGroupSchema, resourceSchema].map((s) => ({ $ref: s.$id })),
} as const;
