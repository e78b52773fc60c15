import { exampleOf } from './example.js';
import type { Answer, RouteDeclaration } from './routes.js';

/** A schema as the document shows it: ajv's `$id`s are for ajv only, and TypeBox's symbols are dropped by JSON. */
function shown(schema: object): object {
  return JSON.parse(JSON.stringify(schema), (key, value) => (key === '$id' ? undefined : value));
}

const problemResponse = { $ref: '#/components/responses/Problem' };

function envelopeOf(results: object, beside: Readonly<Record<string, object>> = {}): object {
  return {
    type: 'object',
    required: ['type', 'title', 'results'],
    properties: {
      type: { type: 'string', examples: ['urn:dx:as:success'] },
      title: { type: 'string' },
      results,
      totalHits: { type: 'integer', minimum: 0 },
      ...Object.fromEntries(Object.entries(beside).map(([name, schema]) => [name, shown(schema)])),
    },
  };
}

function answerOf(answer: Answer): object {
  const type = answer.contentType ?? 'application/json';
  const more = Object.fromEntries(
    Object.entries(answer.alternatives ?? {}).map(([other, schema]) => [other, { schema: shown(schema) }]),
  );
  if (!answer.schema && type !== 'application/json') {
    return { description: answer.description, content: { [type]: { schema: { type: 'string' } }, ...more } };
  }
  if (!answer.schema) return { description: answer.description };
  const schema = shown(answer.schema);
  const wrapped =
    type === 'application/json' && answer.envelope !== false ? envelopeOf(schema, answer.beside) : schema;
  return { description: answer.description, content: { [type]: { schema: wrapped }, ...more } };
}

/** A media type's entry: its schema, and an example request built from the schema where one can be. */
function mediaOf(schema: object): object {
  const example = exampleOf(schema);
  return { schema, ...(example === undefined ? {} : { example }) };
}

/** Path and query parameters of an operation, from the object schemas of its declaration. */
function parametersOf(declaration: RouteDeclaration): object[] {
  const list: object[] = [];
  for (const [place, schema] of [
    ['path', declaration.params],
    ['query', declaration.query],
  ] as const) {
    if (!schema) continue;
    const object = shown(schema) as {
      properties?: Record<string, { description?: string }>;
      required?: string[];
    };
    for (const [name, property] of Object.entries(object.properties ?? {})) {
      const { description, ...rest } = property;
      const required = place === 'path' || (object.required ?? []).includes(name);
      const example = required ? exampleOf(rest) : undefined;
      list.push({
        name,
        in: place,
        required,
        ...(description ? { description } : {}),
        schema: rest,
        ...(example === undefined ? {} : { example }),
      });
    }
  }
  return list;
}

const securityOf = {
  none: undefined,
  identity: [{ bearer: [] }],
  'identity-optional': [{}, { bearer: [] }],
  access: [{ bearer: [] }],
} as const;

/** The OpenAPI 3.1 operation of each declaration, as a `paths` object. */
export function openApiPaths(
  declarations: readonly RouteDeclaration[],
): Record<string, Record<string, object>> {
  const paths: Record<string, Record<string, object>> = {};
  for (const d of declarations) {
    const security = securityOf[d.security];
    const operation = {
      operationId: d.operationId,
      summary: d.summary,
      ...(d.description ? { description: d.description } : {}),
      tags: [d.tag],
      ...(security ? { security } : {}),
      ...(d.roles ? { 'x-sangam-roles': d.roles } : {}),
      ...(d.audit ? { 'x-sangam-audit': d.audit } : {}),
      ...(d.params || d.query ? { parameters: parametersOf(d) } : {}),
      ...(d.body
        ? {
            requestBody: {
              required: !d.bodyOptional,
              content: { 'application/json': mediaOf(shown(d.body)) },
            },
          }
        : d.otherBody
          ? {
              requestBody: {
                required: d.otherBody.required,
                content: Object.fromEntries(
                  Object.entries(d.otherBody.content).map(([type, schema]) => [type, mediaOf(shown(schema))]),
                ),
              },
            }
          : {}),
      responses: {
        ...Object.fromEntries(Object.entries(d.responses).map(([status, a]) => [status, answerOf(a)])),
        ...Object.fromEntries(d.refusals.map((status) => [String(status), problemResponse])),
      },
    };
    paths[d.path] = { ...paths[d.path], [d.method]: operation };
  }
  return paths;
}

/** What every document made from declarations shares: the bearer scheme and the problem answer. */
export const openApiComponents = {
  securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
  responses: {
    Problem: {
      description: 'An RFC 9457 problem; its `type` names the problem (see /docs/problems/)',
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    },
  },
  schemas: {
    Problem: {
      type: 'object',
      required: ['type', 'title', 'status'],
      properties: {
        type: { type: 'string', examples: ['urn:dx:as:invalidPayload'] },
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
} as const;
