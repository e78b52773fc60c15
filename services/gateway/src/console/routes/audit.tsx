import {
  type AuditFilter,
  type AuditScope,
  csvHeader,
  csvRow,
  exportEntries,
  getStoredEntry,
  jsonlLine,
  listEntries,
  toBase64,
} from '@sangam/audit';
import { addDays, DxError, isDay, type Principal } from '@sangam/core';
import type { AppEnv } from '@sangam/http';
import { isCityAdmin, seesWholeLog } from '@sangam/policy';
import type { Context, Hono } from 'hono';
import { stream } from 'hono/streaming';
import type { ConsoleDeps } from '../app.js';
import type { ConsoleKit } from '../kit.js';
import { AuditEntryPage, type AuditFilterForm, AuditPage, ConsistencyPage } from '../pages/audit.js';
import { auditScript, verifierModule } from '../scripts.js';

/** Auditors read every entry; anyone else the entries their organisation is party to (as the audit API). */
function scopeOf(principal: Principal): AuditScope {
  return seesWholeLog(principal) ? { all: true } : { all: false, organisation: principal.organisationId };
}

const safeText = /^[A-Za-z0-9._:/@+-]{1,256}$/;
const pageSize = 100;

/** The filter form as typed; a field that is not well formed is dropped (and shown empty), never sent on. */
function filterFormOf(c: Context<AppEnv>): AuditFilterForm {
  const word = (name: string) => {
    const value = c.req.query(name) ?? '';
    return safeText.test(value) ? value : '';
  };
  const day = (name: string) => {
    const value = c.req.query(name) ?? '';
    return isDay(value) ? value : '';
  };
  const decision = c.req.query('decision');
  return {
    organisation: word('organisation'),
    client: word('client'),
    action: word('action'),
    decision: decision === 'allow' || decision === 'deny' ? decision : '',
    from: day('from'),
    to: day('to'),
  };
}

/** The form's days as the log's bounds: from the start of the first day to the end of the last. */
function filterOf(form: AuditFilterForm): AuditFilter {
  return {
    ...(form.from ? { from: `${form.from}T00:00:00.000Z` } : {}),
    ...(form.to ? { to: `${addDays(form.to, 1)}T00:00:00.000Z` } : {}),
    ...(form.organisation ? { organisation: form.organisation } : {}),
    ...(form.client ? { client: form.client } : {}),
    ...(form.action ? { action: form.action } : {}),
    ...(form.decision ? { decision: form.decision as 'allow' | 'deny' } : {}),
  };
}

const queryOf = (form: AuditFilterForm) =>
  new URLSearchParams(Object.entries(form).filter(([, v]) => v !== '')).toString();

const seqPattern = /^[1-9]\d{0,14}$/;
const sizeOf = (value: string | undefined, name: string): number => {
  if (value === undefined || !seqPattern.test(value))
    throw DxError.validation(
      [{ field: name, message: 'must be a positive whole number' }],
      'invalidParameter',
    );
  return Number(value);
};

/**
 * The auditor's workspace: the log with filters and export, entry pages that verify themselves in the browser,
 * checkpoints, consistency and witnesses. The verifier's JSON comes from the same domain functions as the audit
 * API, in the person's scope.
 */
export function auditRoutes(app: Hono<AppEnv>, kit: ConsoleKit, deps: ConsoleDeps): void {
  const db = deps.identity.db;
  const log = deps.identity.audit;
  const { checkpoints } = deps;

  const script = (body: () => string) => {
    let cached: string | undefined;
    return (c: Context<AppEnv>) => {
      cached ??= body();
      return c.body(cached, 200, {
        'content-type': 'text/javascript; charset=utf-8',
        'cache-control': 'public, max-age=3600',
      });
    };
  };
  app.get(
    '/console/audit.js',
    script(() => auditScript),
  );
  app.get('/console/verifier.js', script(verifierModule));

  app.get('/audit', async (c) => {
    const view = await kit.signedIn(c);
    if (view instanceof Response) return view;
    const principal = view.session.principal;
    const form = filterFormOf(c);
    const afterText = c.req.query('after');
    const after = afterText !== undefined && /^\d{1,15}$/.test(afterText) ? Number(afterText) : undefined;
    const page = await listEntries(
      db,
      { ...filterOf(form), ...(after !== undefined ? { after } : {}) },
      scopeOf(principal),
      pageSize,
    );
    const recent = await db
      .selectFrom('audit_checkpoints')
      .select(['tree_size', 'timestamp', 'root_hash'])
      .orderBy('tree_size', 'desc')
      .limit(20)
      .execute();
    const cosignatures = await db
      .selectFrom('audit_cosignatures')
      .select(['tree_size', 'witness'])
      .where('tree_size', 'in', recent.length > 0 ? recent.map((r) => r.tree_size) : [-1])
      .execute();
    const witnesses = await db
      .selectFrom('audit_witnesses as w')
      .leftJoin('audit_cosignatures as c', 'c.witness', 'w.name')
      .select((eb) => ['w.name', 'w.organisation', eb.fn.max('c.tree_size').as('last')])
      .groupBy(['w.name', 'w.organisation'])
      .orderBy('w.name')
      .execute();
    const query = queryOf(form);
    return kit.render(
      c,
      view,
      <AuditPage
        view={view}
        filter={form}
        entries={page.entries}
        next={page.next !== undefined ? `/audit?${query ? `${query}&` : ''}after=${page.next}` : undefined}
        query={query}
        checkpoints={recent.map((r) => ({
          treeSize: Number(r.tree_size),
          timestamp: r.timestamp,
          rootHash: r.root_hash,
          cosignedBy: cosignatures
            .filter((x) => Number(x.tree_size) === Number(r.tree_size))
            .map((x) => x.witness),
        }))}
        witnesses={witnesses.map((w) => ({
          name: w.name,
          organisation: w.organisation,
          lastCosigned: w.last === null || w.last === undefined ? null : Number(w.last),
        }))}
        canCheckpoint={principal.roles.includes('auditor') || (await isCityAdmin(db, principal))}
      />,
    );
  });

  app.post('/audit/checkpoints', async (c) => {
    const { view } = await kit.change(c);
    const principal = view.session.principal;
    if (!(principal.roles.includes('auditor') || (await isCityAdmin(db, principal))))
      throw new DxError('forbidden', 'Auditors and the city administrator sign checkpoints');
    try {
      await checkpoints.create();
    } catch (error) {
      // Nothing new since the last checkpoint: the one there is stands.
      if (!(error instanceof DxError && error.status === 409)) throw error;
    }
    return c.redirect('/audit', 303);
  });

  app.get('/audit/export', async (c) => {
    const view = await kit.signedIn(c);
    if (view instanceof Response) return view;
    const format = c.req.query('format') === 'jsonl' ? 'jsonl' : 'csv';
    const filter = filterOf(filterFormOf(c));
    const scope = scopeOf(view.session.principal);
    c.header('content-type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson');
    c.header('content-disposition', `attachment; filename="sangam-audit.${format}"`);
    c.header('cache-control', 'no-store');
    return stream(
      c,
      async (out) => {
        if (format === 'csv') await out.write(`${csvHeader}\n`);
        for await (const item of exportEntries(db, filter, scope)) {
          if (out.aborted) return;
          await out.write(`${format === 'csv' ? csvRow(item) : jsonlLine(item)}\n`);
        }
      },
      async (error, out) => {
        c.var.logger.error({ err: error, reqId: c.var.requestId }, 'audit export failed');
        await out.write(format === 'csv' ? '# export interrupted\n' : '{"error":"export interrupted"}\n');
      },
    );
  });

  app.get('/audit/entries/:seq', async (c) => {
    const view = await kit.signedIn(c);
    if (view instanceof Response) return view;
    const seq = sizeOf(c.req.param('seq'), 'seq');
    const stored = await getStoredEntry(db, seq, scopeOf(view.session.principal));
    if (!stored) throw new DxError('notFound', 'No such entry, or not one you may see');
    return kit.render(c, view, <AuditEntryPage view={view} entry={stored.entry} text={stored.text} />);
  });

  app.get('/audit/consistency', async (c) => {
    const view = await kit.signedIn(c);
    if (view instanceof Response) return view;
    const from = sizeOf(c.req.query('from'), 'from');
    const to = sizeOf(c.req.query('to'), 'to');
    if (from > to)
      throw DxError.validation([{ field: 'from', message: 'must not exceed to' }], 'invalidParameter');
    return kit.render(c, view, <ConsistencyPage view={view} from={from} to={to} />);
  });

  // What the verifier fetches: JSON, for a signed-in person, in their scope.
  const signedInPrincipal = async (c: Context<AppEnv>): Promise<Principal> => {
    const view = await kit.viewOf(c);
    if (!view.session) throw new DxError('signInRequired', 'Sign in to verify the log');
    c.header('cache-control', 'no-store');
    return view.session.principal;
  };

  app.get('/audit/data/entries/:seq', async (c) => {
    const principal = await signedInPrincipal(c);
    const seq = sizeOf(c.req.param('seq'), 'seq');
    const stored = await getStoredEntry(db, seq, scopeOf(principal));
    if (!stored) throw new DxError('notFound', 'No such entry, or not one you may see');
    return c.json({ seq, entry: stored.text });
  });

  app.get('/audit/data/entries/:seq/proof', async (c) => {
    const principal = await signedInPrincipal(c);
    const seq = sizeOf(c.req.param('seq'), 'seq');
    const treeSize = sizeOf(c.req.query('treeSize'), 'treeSize');
    const logSize = await log.size();
    if (treeSize > logSize)
      throw DxError.validation(
        [{ field: 'treeSize', message: `the log has ${logSize} entries` }],
        'invalidParameter',
      );
    if (seq > treeSize || !(await getStoredEntry(db, seq, scopeOf(principal))))
      throw new DxError('notFound', 'No such entry in a tree of that size, or not one you may see');
    const proof = await log.inclusionProof(seq, treeSize);
    return c.json({ seq, treeSize, proof: proof.proof.map(toBase64) });
  });

  app.get('/audit/data/consistency', async (c) => {
    await signedInPrincipal(c);
    const from = sizeOf(c.req.query('from'), 'from');
    const to = sizeOf(c.req.query('to'), 'to');
    const logSize = await log.size();
    if (from > to || to > logSize)
      throw DxError.validation(
        [{ field: 'to', message: `from ≤ to ≤ ${logSize}, the entries of the log` }],
        'invalidParameter',
      );
    const proof = await log.consistencyProof(from, to);
    return c.json({ from, to, proof: proof.proof.map(toBase64) });
  });

  app.get('/audit/data/checkpoints/:size{latest|[1-9][0-9]{0,14}}', async (c) => {
    await signedInPrincipal(c);
    const size = c.req.param('size');
    const checkpoint = size === 'latest' ? await checkpoints.latest() : await checkpoints.at(Number(size));
    if (!checkpoint)
      throw new DxError('notFound', size === 'latest' ? 'No checkpoint yet' : `No checkpoint at ${size}`);
    return c.json(checkpoint);
  });

  app.get('/audit/data/witnesses', async (c) => {
    await signedInPrincipal(c);
    const rows = await db
      .selectFrom('audit_witnesses')
      .select(['name', 'verifier_key'])
      .orderBy('name')
      .execute();
    return c.json(rows.map((r) => ({ name: r.name, verifierKey: r.verifier_key })));
  });
}
