import { callerOf } from '@sangam/auth';
import { type RouteDeclaration, route, success } from '@sangam/http';
import { Type } from '@sinclair/typebox';
import type { ProxyContext } from '../context.js';
import { authoriseIngest, checkBatchSize, ingestBatch } from '../records/ingest.js';

/** The body of an ingestion: records, each checked against the resource's data model by the proxy. */
export const ingestBatchSchema = Type.Object(
  {
    records: Type.Array(Type.Unknown(), {
      minItems: 1,
      description:
        'Records, each with id and observedAt and fitting the data model; an aggregate cell may carry "sangam:individuals"',
      examples: [
        [{ id: 'bus-GJ05-1234-2030-01-01T08:00:00Z', observedAt: '2030-01-01T08:00:00Z', speed: 32.5 }],
      ],
    }),
  },
  { additionalProperties: false },
);

const segment = (example: string) =>
  Type.String({ pattern: '^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$', examples: [example] });
const fieldError = Type.Object({ field: Type.String(), message: Type.String() });
/** What became of a batch: counts, and each record accepted, a duplicate, or rejected with its reasons. */
const resultSchema = Type.Object({
  resource: Type.String(),
  accepted: Type.Integer({ minimum: 0 }),
  duplicates: Type.Integer({ minimum: 0 }),
  rejected: Type.Integer({ minimum: 0 }),
  records: Type.Array(
    Type.Object({
      index: Type.Integer({ minimum: 0 }),
      id: Type.Optional(Type.String()),
      observedAt: Type.Optional(Type.String()),
      status: Type.Union([Type.Literal('accepted'), Type.Literal('duplicate'), Type.Literal('rejected')]),
      errors: Type.Optional(Type.Array(fieldError)),
    }),
  ),
});

/** `POST /rs/v1/ingest/{provider}/{group}/{name}`: a provider (or its adapter) publishes a batch of records. */
export function ingestRoutes(ctx: ProxyContext): RouteDeclaration[] {
  return [
    route({
      method: 'post',
      path: '/rs/v1/ingest/{provider}/{group}/{name}',
      operationId: 'ingestRecords',
      summary: "Publish a batch of a resource's records (its provider, or the provider's adapter)",
      description:
        'Idempotent on id and observedAt. What is reported accepted is stored; nothing else is. Each record is reported accepted, duplicate or rejected with its reasons.',
      tag: 'Data',
      security: 'identity',
      roles: ['provider', 'delegate'],
      audit: 'rs.ingest',
      params: Type.Object({
        provider: segment('sitilink'),
        group: segment('surat-bus-itms'),
        name: segment('positions'),
      }),
      body: ingestBatchSchema,
      // Who may publish is settled before the body is read: nothing of a refused caller's data is parsed.
      checkedBy: 'handler',
      responses: { 200: { description: 'What became of each record', schema: resultSchema } },
      refusals: [400, 401, 403, 404, 409, 413, 415],
      handle: async (c, { params, readBody }) => {
        const caller = callerOf(c);
        const resource = await authoriseIngest(
          ctx,
          caller,
          `${params.provider}/${params.group}/${params.name}`,
        );
        const { records } = await readBody();
        checkBatchSize(ctx, records);
        const summary = await ingestBatch(ctx, caller, resource, records);
        return c.json(success('rs', summary, { title: `${summary.accepted} accepted` }), 200);
      },
    }),
  ];
}
