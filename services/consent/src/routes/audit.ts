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
import { type AppEnv, intParam, pageParams, queryParams, success } from '@sangam/http';
import { seesWholeLog } from '@sangam/policy';
import type { Context, Hono } from 'hono';
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

const filterParams = ['from', 'to', 'organisation', 'client', 'action', 'target', 'decision', 'after'];
const safeText = /^[A-Za-z0-9._:/@+-]{1,256}$/;

function isoParam(query: Record<string, string>, name: string): string | undefined {
  const raw = query[name];
  if (raw === undefined) return undefined;
  const time = Date.parse(raw);
  // A time needs its offset (Z or ±hh:mm): a bare local time would be read in the server's zone.
  if (!/^\d{4}-\d\d-\d\d(T[\d:.]+(Z|[+-]\d\d:\d\d))?$/.test(raw) || Number.isNaN(time)) {
    throw DxError.validation(
      [{ field: name, message: 'must be an ISO 8601 date or time' }],
      'invalidParameter',
    );
  }
  return new Date(time).toISOString();
}

function filterOf(query: Record<string, string>): AuditFilter {
  const errors = ['organisation', 'client', 'action', 'target']
    .filter((name) => query[name] !== undefined && !safeText.test(query[name] ?? ''))
    .map((name) => ({ field: name, message: 'is not a valid id' }));
  if (query.decision !== undefined && query.decision !== 'allow' && query.decision !== 'deny') {
    errors.push({ field: 'decision', message: 'must be allow or deny' });
  }
  if (errors.length > 0) throw DxError.validation(errors, 'invalidParameter');
  const after = intParam(query, 'after', 0, Number.MAX_SAFE_INTEGER);
  const from = isoParam(query, 'from');
  const to = isoParam(query, 'to');
  return {
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
    ...(query.organisation ? { organisation: query.organisation } : {}),
    ...(query.client ? { client: query.client } : {}),
    ...(query.action ? { action: query.action } : {}),
    ...(query.target ? { target: query.target } : {}),
    ...(query.decision ? { decision: query.decision as 'allow' | 'deny' } : {}),
    ...(after !== undefined ? { after } : {}),
  };
}

function seqParam(c: Context<AppEnv>): number {
  const raw = c.req.param('seq') ?? '';
  const seq = /^\d{1,15}$/.test(raw) ? Number(raw) : 0;
  if (seq < 1) throw new DxError('notFound', 'Audit entries are numbered from 1');
  return seq;
}

export function registerAuditRoutes(app: Hono<AppEnv>, deps: AuditRouteDeps): void {
  app.get('/audit/v1/entries', async (c) => {
    const query = queryParams(c, [...filterParams, 'limit']);
    const { limit } = pageParams({ limit: query.limit ?? '100' }, { maxLimit: 1000 });
    const page = await listEntries(deps.db, filterOf(query), scopeOf(principalOf(c)), limit);
    return c.json({ ...success('as', page.entries), ...(page.next ? { nextCursor: page.next } : {}) });
  });

  app.get('/audit/v1/entries/:seq', async (c) => {
    const entry = await getEntry(deps.db, seqParam(c), scopeOf(principalOf(c)));
    if (!entry) throw new DxError('notFound', 'No such entry, or not one this client may see');
    return c.json(success('as', entry));
  });

  app.get('/audit/v1/entries/:seq/proof', async (c) => {
    const seq = seqParam(c);
    const query = queryParams(c, ['treeSize']);
    const size = await deps.log.size();
    const treeSize = intParam(query, 'treeSize', 1, Number.MAX_SAFE_INTEGER) ?? size;
    if (treeSize > size) {
      throw DxError.validation(
        [{ field: 'treeSize', message: `the log has ${size} entries` }],
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
  });

  app.get('/audit/v1/consistency', async (c) => {
    const query = queryParams(c, ['from', 'to']);
    const size = await deps.log.size();
    const from = intParam(query, 'from', 1, Number.MAX_SAFE_INTEGER);
    const to = intParam(query, 'to', 1, Number.MAX_SAFE_INTEGER) ?? size;
    if (from === undefined)
      throw DxError.validation([{ field: 'from', message: 'is required' }], 'invalidParameter');
    if (to > size)
      throw DxError.validation([{ field: 'to', message: `the log has ${size} entries` }], 'invalidParameter');
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
  });

  /**
   * A checkpoint as JSON (with its signed note and cosignatures, and with `from=M` the consistency proof from the
   * checkpoint at M), or with `format=note` as the C2SP signed note a witness reads.
   */
  const answerCheckpoint = async (c: Context<AppEnv>, checkpoint: Checkpoint | undefined, what: string) => {
    const query = queryParams(c, ['from', 'format']);
    if (!checkpoint) throw new DxError('notFound', what);
    const format = query.format ?? 'json';
    if (format !== 'json' && format !== 'note') {
      throw DxError.validation([{ field: 'format', message: 'must be json or note' }], 'invalidParameter');
    }
    const from = intParam(query, 'from', 1, Number.MAX_SAFE_INTEGER);
    if (from !== undefined && from > checkpoint.treeSize) {
      throw DxError.validation(
        [{ field: 'from', message: `must not exceed the checkpoint's ${checkpoint.treeSize}` }],
        'invalidParameter',
      );
    }
    if (format === 'note') {
      if (!checkpoint.note)
        throw new DxError('notAcceptable', 'This checkpoint was made before signed notes');
      return c.text(checkpoint.note, 200, { 'content-type': 'text/plain; charset=utf-8' });
    }
    const consistency =
      from === undefined
        ? undefined
        : {
            from,
            proof: (await deps.log.consistencyProof(from, checkpoint.treeSize)).proof.map(toBase64),
          };
    return c.json(success('as', { ...checkpoint, ...(consistency ? { consistency } : {}) }));
  };

  app.get('/audit/v1/checkpoints/latest', async (c) =>
    answerCheckpoint(c, await deps.checkpoints.latest(), 'No checkpoint has been made yet'),
  );

  app.get('/audit/v1/checkpoints/:treeSize', async (c) => {
    const raw = c.req.param('treeSize');
    const checkpoint = /^\d{1,15}$/.test(raw) ? await deps.checkpoints.at(Number(raw)) : undefined;
    return answerCheckpoint(c, checkpoint, `No checkpoint at tree size ${raw}`);
  });

  app.post('/audit/v1/checkpoints', requireRole('auditor', 'admin'), async (c) => {
    const checkpoint = await deps.checkpoints.create();
    return c.json(success('as', checkpoint, { title: 'Checkpoint made' }), 201);
  });

  app.get('/audit/v1/export', async (c) => {
    const query = queryParams(c, [...filterParams, 'format', 'treeSize']);
    const format = query.format ?? 'jsonl';
    if (format !== 'jsonl' && format !== 'csv') {
      throw DxError.validation([{ field: 'format', message: 'must be jsonl or csv' }], 'invalidParameter');
    }
    // Exactly the first N entries, N a checkpointed size: an export that a checkpoint of that size verifies.
    const treeSize = intParam(query, 'treeSize', 1, Number.MAX_SAFE_INTEGER);
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
  });

  app.get('/audit/v1/verify', requireRole('auditor'), async (c) => {
    queryParams(c, []);
    const report = await verifyStoredLog(deps.db, await deps.checkpoints.all(), await deps.keys.jwks());
    return c.json(success('as', report));
  });
}
