import {
  type AuditFilter,
  type AuditLog,
  type AuditScope,
  type Checkpoint,
  type Checkpoints,
  csvHeader,
  csvRow,
  exportEntries,
  getEntry,
  jsonlLine,
  listEntries,
  toBase64,
  verifyStoredLog,
} from '@sangam/audit';
import { type KeyStore, principalOf, requireRole } from '@sangam/auth';
import { DxError, type Principal } from '@sangam/core';
import type { Database, Kysely } from '@sangam/db';
import { type AppEnv, type RouteDeclaration, route, success } from '@sangam/http';
import { seesWholeLog } from '@sangam/policy';
import { type Static, type TObject, Type } from '@sinclair/typebox';
import type { Context } from 'hono';
import { stream } from 'hono/streaming';

export interface AuditRouteDeps {
  readonly db: Kysely<Database>;
  readonly log: AuditLog;
  readonly checkpoints: Checkpoints;
  readonly keys: KeyStore;
}

/** Auditors see every entry; anyone else the entries their organisation is party to. */
function scopeOf(principal: Principal): AuditScope {
  return seesWholeLog(principal) ? { all: true } : { all: false, organisation: principal.organisationId };
}

const safeText = Type.String({ pattern: '^[A-Za-z0-9._:/@+-]{1,256}$' });
// A time needs its offset (Z or ±hh:mm): a bare local time would be read in the server's zone.
const instant = Type.String({
  pattern: '^\\d{4}-\\d\\d-\\d\\d(T[\\d:.]+(Z|[+-]\\d\\d:\\d\\d))?$',
  description: 'An ISO 8601 date, or a time with its offset',
});
const size = (description: string) =>
  Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description });

/** The filters of the entries and the export. */
const filterQuery = {
  from: Type.Optional(instant),
  to: Type.Optional(instant),
  organisation: Type.Optional(safeText),
  client: Type.Optional(safeText),
  action: Type.Optional(safeText),
  target: Type.Optional(safeText),
  decision: Type.Optional(Type.Union([Type.Literal('allow'), Type.Literal('deny')])),
  after: Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: Number.MAX_SAFE_INTEGER,
      description: 'Entries after this seq (the cursor)',
    }),
  ),
};
type FilterQuery = Static<TObject<typeof filterQuery>>;

function timeOf(query: FilterQuery, name: 'from' | 'to'): string | undefined {
  const raw = query[name];
  if (raw === undefined) return undefined;
  const time = Date.parse(raw);
  if (Number.isNaN(time)) {
    throw DxError.validation(
      [{ field: name, message: 'must be an ISO 8601 date or time' }],
      'invalidParameter',
    );
  }
  return new Date(time).toISOString();
}

function filterOf(query: FilterQuery): AuditFilter {
  const from = timeOf(query, 'from');
  const to = timeOf(query, 'to');
  return {
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
    ...(query.organisation ? { organisation: query.organisation } : {}),
    ...(query.client ? { client: query.client } : {}),
    ...(query.action ? { action: query.action } : {}),
    ...(query.target ? { target: query.target } : {}),
    ...(query.decision ? { decision: query.decision } : {}),
    ...(query.after !== undefined ? { after: query.after } : {}),
  };
}

/** Entries are numbered from 1, checkpoints by a size from 1: a path naming anything else names nothing. */
const seqParams = Type.Object({ seq: Type.String({ pattern: '^[1-9]\\d{0,14}$' }) });
const treeSizeParams = Type.Object({ treeSize: Type.String({ pattern: '^[1-9]\\d{0,14}$' }) });

const proofSchema = Type.Object({
  seq: Type.Integer(),
  leafIndex: Type.Integer(),
  treeSize: Type.Integer(),
  leafHash: Type.String(),
  rootHash: Type.String(),
  proof: Type.Array(Type.String()),
});
const consistencySchema = Type.Object({
  from: Type.Integer(),
  to: Type.Integer(),
  fromRoot: Type.String(),
  toRoot: Type.String(),
  proof: Type.Array(Type.String()),
});
const checkpointSchema = Type.Object({ treeSize: Type.Integer() });
const checkpointQuery = Type.Object({
  from: Type.Optional(size('With the consistency proof from this size')),
  format: Type.Optional(
    Type.Union([Type.Literal('json'), Type.Literal('note')], {
      description: 'note: the C2SP signed note with its cosignatures, as text/plain',
    }),
  ),
});
const checkpointAnswer = {
  200: {
    description: 'The checkpoint (JSON), or its signed note (format=note, text/plain)',
    schema: checkpointSchema,
    alternatives: { 'text/plain': { type: 'string', description: 'A C2SP signed note' } },
  },
};

const entrySchemaFull = Type.Object({
  seq: Type.Integer({ minimum: 1 }),
  time: Type.String({ format: 'date-time' }),
  action: Type.String(),
  actor: Type.Optional(
    Type.Object({ client: Type.Optional(Type.String()), organisation: Type.Optional(Type.String()) }),
  ),
  target: Type.Optional(Type.Record(Type.String(), Type.String())),
  decision: Type.Optional(Type.Union([Type.Literal('allow'), Type.Literal('deny')])),
  reason: Type.Optional(Type.String()),
  requestId: Type.Optional(Type.String()),
  clientRequestId: Type.Optional(Type.String()),
  resultSize: Type.Optional(Type.Integer()),
});

/** The auditor's view of the log: entries, proofs, checkpoints, export and verification. */
export function auditRoutes(deps: AuditRouteDeps): RouteDeclaration[] {
  /**
   * A checkpoint as JSON (with its signed note and cosignatures, and with `from=M` the consistency proof from the
   * checkpoint at M), or with `format=note` as the C2SP signed note a witness reads.
   */
  const answerCheckpoint = async (
    c: Context<AppEnv>,
    checkpoint: Checkpoint | undefined,
    query: Static<typeof checkpointQuery>,
    what: string,
  ) => {
    if (!checkpoint) throw new DxError('notFound', what);
    const from = query.from;
    if (from !== undefined && from > checkpoint.treeSize) {
      throw DxError.validation(
        [{ field: 'from', message: `must not exceed the checkpoint's ${checkpoint.treeSize}` }],
        'invalidParameter',
      );
    }
    if (query.format === 'note') {
      if (!checkpoint.note)
        throw new DxError('notAcceptable', 'This checkpoint was made before signed notes');
      return c.text(checkpoint.note, 200, { 'content-type': 'text/plain; charset=utf-8' });
    }
    const consistency =
      from === undefined
        ? undefined
        : { from, proof: (await deps.log.consistencyProof(from, checkpoint.treeSize)).proof.map(toBase64) };
    return c.json(success('as', { ...checkpoint, ...(consistency ? { consistency } : {}) }));
  };

  return [
    route({
      method: 'get',
      path: '/audit/v1/entries',
      operationId: 'listAuditEntries',
      summary:
        'Audit entries, oldest first: auditors see all, others the entries their organisation is party to',
      tag: 'Audit',
      security: 'identity',
      query: Type.Object({
        ...filterQuery,
        limit: Type.Optional(
          Type.Integer({ minimum: 1, maximum: 1000, description: 'Most entries (default 100)' }),
        ),
      }),
      responses: {
        200: {
          description: 'A page of entries; nextCursor is the after of the next',
          schema: Type.Array(entrySchemaFull),
          beside: {
            nextCursor: Type.Integer({ description: 'The after of the next page, while there is one' }),
          },
        },
      },
      refusals: [400, 401],
      handle: async (c, { query }) => {
        const page = await listEntries(deps.db, filterOf(query), scopeOf(principalOf(c)), query.limit ?? 100);
        return c.json({ ...success('as', page.entries), ...(page.next ? { nextCursor: page.next } : {}) });
      },
    }),
    route({
      method: 'get',
      path: '/audit/v1/entries/{seq}',
      operationId: 'getAuditEntry',
      summary: 'One audit entry',
      tag: 'Audit',
      security: 'identity',
      params: seqParams,
      responses: { 200: { description: 'The entry', schema: entrySchemaFull } },
      refusals: [401, 404],
      handle: async (c, { params }) => {
        const entry = await getEntry(deps.db, Number(params.seq), scopeOf(principalOf(c)));
        if (!entry) throw new DxError('notFound', 'No such entry, or not one this client may see');
        return c.json(success('as', entry));
      },
    }),
    route({
      method: 'get',
      path: '/audit/v1/entries/{seq}/proof',
      operationId: 'auditInclusionProof',
      summary: 'The proof that an entry is in the tree of a size (RFC 9162 inclusion proof)',
      tag: 'Audit',
      security: 'identity',
      params: seqParams,
      query: Type.Object({ treeSize: Type.Optional(size('The tree size; the log as it is now by default')) }),
      responses: { 200: { description: 'The inclusion proof, hashes in base64', schema: proofSchema } },
      refusals: [400, 401, 404],
      handle: async (c, { params, query }) => {
        const seq = Number(params.seq);
        const logSize = await deps.log.size();
        const treeSize = query.treeSize ?? logSize;
        if (treeSize > logSize) {
          throw DxError.validation(
            [{ field: 'treeSize', message: `the log has ${logSize} entries` }],
            'invalidParameter',
          );
        }
        if (seq > treeSize) throw new DxError('notFound', `Entry ${seq} is not in a tree of ${treeSize}`);
        if (!(await getEntry(deps.db, seq, scopeOf(principalOf(c))))) {
          throw new DxError('notFound', 'No such entry, or not one this client may see');
        }
        const proof = await deps.log.inclusionProof(seq, treeSize);
        return c.json(
          success('as', {
            seq,
            leafIndex: seq - 1,
            treeSize,
            leafHash: toBase64(proof.leafHash),
            rootHash: toBase64(proof.root),
            proof: proof.proof.map(toBase64),
          }),
        );
      },
    }),
    route({
      method: 'get',
      path: '/audit/v1/consistency',
      operationId: 'auditConsistencyProof',
      summary:
        'The proof that the tree of one size extends the tree of a smaller one (RFC 9162 consistency proof)',
      tag: 'Audit',
      security: 'identity',
      query: Type.Object({
        from: size('The smaller tree size'),
        to: Type.Optional(size('The larger tree size; the log as it is now by default')),
      }),
      responses: {
        200: { description: 'The consistency proof, hashes in base64', schema: consistencySchema },
      },
      refusals: [400, 401],
      handle: async (c, { query }) => {
        const logSize = await deps.log.size();
        const from = query.from;
        const to = query.to ?? logSize;
        if (to > logSize)
          throw DxError.validation(
            [{ field: 'to', message: `the log has ${logSize} entries` }],
            'invalidParameter',
          );
        if (from > to)
          throw DxError.validation([{ field: 'from', message: 'must not exceed to' }], 'invalidParameter');
        const proof = await deps.log.consistencyProof(from, to);
        return c.json(
          success('as', {
            from,
            to,
            fromRoot: toBase64(proof.fromRoot),
            toRoot: toBase64(proof.toRoot),
            proof: proof.proof.map(toBase64),
          }),
        );
      },
    }),
    route({
      method: 'get',
      path: '/audit/v1/checkpoints/latest',
      operationId: 'latestCheckpoint',
      summary: 'The newest signed checkpoint',
      tag: 'Audit',
      security: 'identity',
      query: checkpointQuery,
      responses: checkpointAnswer,
      refusals: [400, 401, 404, 406],
      handle: async (c, { query }) =>
        answerCheckpoint(c, await deps.checkpoints.latest(), query, 'No checkpoint has been made yet'),
    }),
    route({
      method: 'get',
      path: '/audit/v1/checkpoints/{treeSize}',
      operationId: 'getCheckpoint',
      summary: 'The signed checkpoint at a tree size',
      tag: 'Audit',
      security: 'identity',
      params: treeSizeParams,
      query: checkpointQuery,
      responses: checkpointAnswer,
      refusals: [400, 401, 404, 406],
      handle: async (c, { params, query }) =>
        answerCheckpoint(
          c,
          await deps.checkpoints.at(Number(params.treeSize)),
          query,
          `No checkpoint at tree size ${params.treeSize}`,
        ),
    }),
    route({
      method: 'post',
      path: '/audit/v1/checkpoints',
      operationId: 'createCheckpoint',
      summary: 'Sign a checkpoint of the log as it is now, if it extends the last one signed',
      tag: 'Audit',
      security: 'identity',
      roles: ['auditor', 'admin'],
      middleware: [requireRole('auditor', 'admin')],
      responses: { 201: { description: 'The checkpoint', schema: checkpointSchema } },
      refusals: [401, 403, 409],
      handle: async (c) => {
        const checkpoint = await deps.checkpoints.create();
        return c.json(success('as', checkpoint, { title: 'Checkpoint made' }), 201);
      },
    }),
    route({
      method: 'get',
      path: '/audit/v1/export',
      operationId: 'exportAudit',
      summary: 'The entries this client may see, as JSON lines or CSV; with treeSize exactly the first N',
      tag: 'Audit',
      security: 'identity',
      query: Type.Object({
        ...filterQuery,
        format: Type.Optional(Type.Union([Type.Literal('jsonl'), Type.Literal('csv')])),
        treeSize: Type.Optional(size('Exactly the entries up to this checkpointed size')),
      }),
      responses: {
        200: {
          description: 'JSON lines (application/x-ndjson) or CSV (text/csv)',
          contentType: 'application/x-ndjson',
          alternatives: { 'text/csv': { type: 'string' } },
        },
      },
      refusals: [400, 401],
      handle: async (c, { query }) => {
        const format = query.format ?? 'jsonl';
        // Exactly the first N entries, N a checkpointed size: an export that a checkpoint of that size verifies.
        const treeSize = query.treeSize;
        if (treeSize !== undefined) {
          const newest = (await deps.checkpoints.latest())?.treeSize ?? 0;
          if (treeSize > newest) {
            throw DxError.validation(
              [{ field: 'treeSize', message: `must not exceed the newest checkpoint's ${newest}` }],
              'invalidParameter',
            );
          }
        }
        const filter = { ...filterOf(query), ...(treeSize === undefined ? {} : { throughSeq: treeSize }) };
        const scope = scopeOf(principalOf(c));
        c.header('content-type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson');
        c.header('content-disposition', `attachment; filename="sangam-audit.${format}"`);
        return stream(
          c,
          async (out) => {
            if (format === 'csv') await out.write(`${csvHeader}\n`);
            for await (const item of exportEntries(deps.db, filter, scope)) {
              // A client that went away stops the export; nothing more is read.
              if (out.aborted) return;
              await out.write(`${format === 'csv' ? csvRow(item) : jsonlLine(item)}\n`);
            }
          },
          async (error, out) => {
            c.var.logger.error({ err: error, reqId: c.var.requestId }, 'audit export failed');
            // The status is sent already; a last line says the export is incomplete, so no reader takes it as whole.
            await out.write(format === 'csv' ? '# export interrupted\n' : '{"error":"export interrupted"}\n');
          },
        );
      },
    }),
    route({
      method: 'get',
      path: '/audit/v1/verify',
      operationId: 'verifyAudit',
      summary: 'Verify every stored entry, subtree, checkpoint and cosignature, naming the first that fails',
      tag: 'Audit',
      security: 'identity',
      roles: ['auditor'],
      middleware: [requireRole('auditor')],
      query: Type.Object({}),
      responses: {
        200: { description: 'The verification report', schema: Type.Object({ ok: Type.Boolean() }) },
      },
      refusals: [400, 401, 403],
      handle: async (c) => {
        const report = await verifyStoredLog(deps.db, await deps.checkpoints.all(), await deps.keys.jwks());
        return c.json(success('as', report));
      },
    }),
  ];
}
