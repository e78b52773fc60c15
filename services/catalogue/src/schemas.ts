import type { ItemGeometry } from '@sangam/geo';
import { type Static, Type } from '@sinclair/typebox';

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
const line = (max: number, min = 1) =>
  Type.String({ minLength: min, maxLength: max, pattern: '^[^\\u0000-\\u001f\\u007f]*$' });

const tags = Type.Array(Type.String({ pattern: '^[a-z0-9][a-z0-9 ._-]{0,62}$', description: 'lower case' }), {
  maxItems: 50,
  uniqueItems: true,
});

export const geometrySchema = Type.Unsafe<ItemGeometry>({
  title: 'GeoJSON geometry (RFC 7946), WGS 84 longitude/latitude',
  type: 'object',
  additionalProperties: false,
  required: ['type', 'coordinates'],
  properties: {
    type: { enum: ['Point', 'LineString', 'Polygon', 'MultiPolygon'] },
    coordinates: { type: 'array', minItems: 1 },
  },
});

const common = {
  name: line(200),
  description: Type.Optional(Type.String({ maxLength: 5000 })),
  tags: Type.Optional(tags),
  city: Type.Optional(line(100)),
};
const accessPolicy = Type.Unsafe<'OPEN' | 'SECURE' | 'PII'>({ enum: ['OPEN', 'SECURE', 'PII'] });

export const providerSchema = Type.Object(
  {
    type: Type.Literal('provider'),
    id: Type.String({ pattern: providerIdPattern, description: 'The organisation id' }),
    ...common,
  },
  {
    $id: 'urn:sangam:cat:provider',
    title: 'Provider: an organisation that shares data',
    additionalProperties: false,
  },
);

export const resourceGroupSchema = Type.Object(
  {
    type: Type.Literal('resourceGroup'),
    id: Type.String({ pattern: groupIdPattern, description: '<provider>/<group>' }),
    ...common,
    description: Type.String({ maxLength: 5000 }),
    location: Type.Optional(geometrySchema),
    accessPolicy: Type.Optional(accessPolicy),
    licence: Type.Optional(line(200)),
  },
  { $id: 'urn:sangam:cat:resourceGroup', title: 'Resource group: a dataset', additionalProperties: false },
);

export const resourceSchema = Type.Object(
  {
    type: Type.Literal('resource'),
    id: Type.String({ pattern: resourceIdPattern, description: '<provider>/<group>/<resource>' }),
    ...common,
    description: Type.String({ maxLength: 5000 }),
    location: Type.Optional(geometrySchema),
    dataModel: Type.Unsafe<Record<string, unknown>>({
      type: 'object',
      description: 'A JSON Schema of the records; it must compile',
    }),
    accessPolicy,
    releaseLevel: Type.Unsafe<'aggregate' | 'anonymised-record'>({
      enum: ['aggregate', 'anonymised-record'],
    }),
    // Either an adapter of the gateway feeds it, or its provider's own API answers for it (proxy mode).
    source: Type.Unsafe<{ readonly adapter?: string; readonly upstream?: string }>({
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
    }),
    updateInterval: Type.Optional(
      Type.String({
        pattern: '^P(?!$)(\\d+D)?(T(?=\\d)(\\d+H)?(\\d+M)?(\\d+S)?)?$',
        description: 'ISO 8601 duration, e.g. PT15M',
      }),
    ),
    licence: Type.Optional(line(200)),
    version: Type.Optional(line(50)),
    retentionDays: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 36_500,
        description: 'Days the resource proxy keeps records (the gateway default when absent)',
      }),
    ),
  },
  {
    $id: 'urn:sangam:cat:resource',
    title: 'Resource: one feed or product of a dataset',
    additionalProperties: false,
  },
);

type Sent =
  | Static<typeof providerSchema>
  | Static<typeof resourceGroupSchema>
  | Static<typeof resourceSchema>;
type FieldOf<U, K extends PropertyKey> = U extends unknown ? (K extends keyof U ? U[K] : never) : never;
type AnyKey<U> = U extends unknown ? keyof U : never;

/**
 * An item as a provider sends it, as the catalogue's code reads it: one shape with every field of any item type,
 * those not common to all optional. Made from the three schemas, so a field added to one is here too.
 */
export type ItemInput = Readonly<Pick<Sent, 'type' | 'id' | 'name'>> & {
  readonly [K in Exclude<AnyKey<Sent>, 'type' | 'id' | 'name'>]?: FieldOf<Sent, K>;
};

export const itemSchemas = {
  provider: providerSchema,
  resourceGroup: resourceGroupSchema,
  resource: resourceSchema,
};
export type ItemTypeName = keyof typeof itemSchemas;

/** Any item, by its `type`: only the schema of the type named is checked, so the errors are of the item meant. */
export const itemBody = Type.Unsafe<ItemInput>({
  type: 'object',
  required: ['type'],
  discriminator: { propertyName: 'type' },
  oneOf: [itemSchemas.provider, itemSchemas.resourceGroup, itemSchemas.resource],
});
