import { csvCell } from '@sangam/core';
import { type Database, type Kysely, type SelectQueryBuilder, sql } from '@sangam/db';
import { type AuditEntry, type Decision, entryColumns } from './entry.js';

/** Who is reading: auditors see every entry, everyone else the entries their organisation is party to. */
export type AuditScope = { readonly all: true } | { readonly all: false; readonly organisation: string };

export interface AuditFilter {
  /** Inclusive lower bound on time (ISO 8601). */
  readonly from?: string;
  /** Exclusive upper bound on time (ISO 8601). */
  readonly to?: string;
  readonly organisation?: string;
  readonly client?: string;
  readonly action?: string;
  /** An item, consent or MoU id. */
  readonly target?: string;
  readonly decision?: Decision;
  /** Cursor: entries after this sequence number. */
  readonly after?: number;
  /** Entries up to and including this sequence number (a tree size). */
  readonly throughSeq?: number;
}

/** A filter with its time range turned into a sequence range. */
interface SeqFilter extends AuditFilter {
  readonly fromSeq?: number;
  readonly toSeq?: number;
}

async function withSeqRange(db: Kysely<Database>, filter: AuditFilter): Promise<SeqFilter> {
  return {
    ...filter,
    ...(filter.from ? { fromSeq: await firstSeqAtOrAfter(db, filter.from) } : {}),
    ...(filter.to ? { toSeq: await firstSeqAtOrAfter(db, filter.to) } : {}),
  };
}

type EntryQuery = SelectQueryBuilder<Database, 'audit_entries', object>;

/**
 * The first seq whose time is at or after `time` (size + 1 when none is): a binary search on the primary key,
 * since entry times never decrease along seq. O(log n) point reads, and no time index to keep up on every append.
 */
export async function firstSeqAtOrAfter(db: Kysely<Database>, time: string): Promise<number> {
  const head = await db.selectFrom('audit_head').select('size').where('id', '=', 1).executeTakeFirstOrThrow();
  let low = 1;
  let high = Number(head.size) + 1;
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    const row = await db
      .selectFrom('audit_entries')
      .select('time')
      .where('seq', '>=', middle)
      .orderBy('seq')
      .limit(1)
      .executeTakeFirst();
    if (row && row.time >= time) high = middle;
    else low = middle + 1;
  }
  return low;
}

function filtered(db: Kysely<Database>, filter: SeqFilter, scope: AuditScope): EntryQuery {
  let q: EntryQuery = db.selectFrom('audit_entries');
  if (!scope.all) {
    const org = scope.organisation;
    q = q.where((eb) =>
      eb.or([eb('actor_org', '=', org), eb('provider_org', '=', org), eb('consumer_org', '=', org)]),
    );
  }
  if (filter.fromSeq !== undefined) q = q.where('seq', '>=', filter.fromSeq);
  if (filter.toSeq !== undefined) q = q.where('seq', '<', filter.toSeq);
  if (filter.organisation) {
    const org = filter.organisation;
    q = q.where((eb) =>
      eb.or([eb('actor_org', '=', org), eb('provider_org', '=', org), eb('consumer_org', '=', org)]),
    );
  }
  if (filter.client) q = q.where('actor_client', '=', filter.client);
  if (filter.action) q = q.where('action', '=', filter.action);
  if (filter.decision) q = q.where('decision', '=', filter.decision);
  if (filter.target) {
    const t = filter.target;
    q = q.where((eb) =>
      eb.or([eb('target_item', '=', t), eb('target_consent', '=', t), eb('target_mou', '=', t)]),
    );
  }
  if (filter.after !== undefined) q = q.where('seq', '>', filter.after);
  if (filter.throughSeq !== undefined) q = q.where('seq', '<=', filter.throughSeq);
  return q;
}

/** A stored entry, or undefined when its bytes are not an entry (damage that verification names). */
function parsedEntry(text: string): AuditEntry | undefined {
  try {
    const entry = JSON.parse(text) as AuditEntry;
    return typeof entry === 'object' && entry !== null ? entry : undefined;
  } catch {
    return undefined;
  }
}

/** Does the entry itself (not the columns kept beside it) fall under the filter and the reader's scope? */
export function entryMatches(entry: AuditEntry, filter: AuditFilter, scope: AuditScope): boolean {
  let c: ReturnType<typeof entryColumns>;
  try {
    c = entryColumns(entry);
  } catch {
    return false;
  }
  const party = (org: string) => c.actor_org === org || c.provider_org === org || c.consumer_org === org;
  const target = filter.target;
  return (
    (scope.all || party(scope.organisation)) &&
    (filter.organisation === undefined || party(filter.organisation)) &&
    (filter.client === undefined || c.actor_client === filter.client) &&
    (filter.action === undefined || c.action === filter.action) &&
    (filter.decision === undefined || c.decision === filter.decision) &&
    (target === undefined ||
      c.target_item === target ||
      c.target_consent === target ||
      c.target_mou === target)
  );
}

/** A page of entries in sequence order, and the cursor for the next page (absent at the end). */
export async function listEntries(
  db: Kysely<Database>,
  filter: AuditFilter,
  scope: AuditScope,
  limit: number,
): Promise<{ entries: AuditEntry[]; next?: number }> {
  const rows = await filtered(db, await withSeqRange(db, filter), scope)
    .select(['seq', 'entry'])
    .orderBy('seq')
    .limit(limit + 1)
    .execute();
  // The columns found the rows; the entries themselves decide what is shown, so a column changed behind the log's
  // back cannot show anyone an entry that is not theirs.
  const page = rows.slice(0, limit);
  const entries = page
    .map((r) => parsedEntry(r.entry))
    .filter((e): e is AuditEntry => e !== undefined && entryMatches(e, filter, scope));
  const last = page[page.length - 1];
  return rows.length > limit && last ? { entries, next: Number(last.seq) } : { entries };
}

export async function getEntry(
  db: Kysely<Database>,
  seq: number,
  scope: AuditScope,
): Promise<AuditEntry | undefined> {
  return (await getStoredEntry(db, seq, scope))?.entry;
}

/**
 * One entry with its exact stored bytes (what its leaf hash is of), for a verifier that hashes them itself; undefined
 * when there is none the reader may see.
 */
export async function getStoredEntry(
  db: Kysely<Database>,
  seq: number,
  scope: AuditScope,
): Promise<{ entry: AuditEntry; text: string } | undefined> {
  const row = await filtered(db, {}, scope).select('entry').where('seq', '=', seq).executeTakeFirst();
  const entry = row ? parsedEntry(row.entry) : undefined;
  return row && entry && entry.seq === seq && entryMatches(entry, {}, scope)
    ? { entry, text: row.entry }
    : undefined;
}

/** One exported entry: its exact stored bytes and the leaf hash stored beside them. */
export interface ExportedEntry {
  readonly seq: number;
  readonly entry: string;
  readonly leafHash: string;
}

/** Streams entries in sequence order, a page at a time, with their stored leaf hashes. */
export async function* exportEntries(
  db: Kysely<Database>,
  filter: AuditFilter,
  scope: AuditScope,
  pageSize = 5000,
): AsyncGenerator<ExportedEntry> {
  const ranged = await withSeqRange(db, filter);
  let after = filter.after ?? 0;
  for (;;) {
    // Each entry with the leaf hash stored beside it (level 0 of the subtree table), in one query.
    const rows = await filtered(db, { ...ranged, after }, scope)
      .leftJoin('audit_nodes', (join) =>
        join.on('audit_nodes.level', '=', 0).on(sql<boolean>`audit_nodes.idx = audit_entries.seq - 1`),
      )
      .select(['audit_entries.seq', 'audit_entries.entry', 'audit_nodes.hash'])
      .orderBy('audit_entries.seq')
      .limit(pageSize)
      .execute();
    if (rows.length === 0) return;
    // Rows found by their columns are shown by what the entry itself says (parsed only when anything is narrowed).
    const narrowed =
      !scope.all ||
      [filter.organisation, filter.client, filter.action, filter.decision, filter.target].some(
        (v) => v !== undefined,
      );
    for (const row of rows) {
      if (narrowed) {
        const entry = parsedEntry(row.entry);
        if (!entry || !entryMatches(entry, filter, scope)) continue;
      }
      yield { seq: Number(row.seq), entry: row.entry, leafHash: row.hash ?? '' };
    }
    after = Number(rows[rows.length - 1]?.seq);
    if (rows.length < pageSize) return;
  }
}

/** CSV of entries: one row each, the fields auditors filter on, and the canonical entry itself. */
export const csvHeader =
  'seq,time,action,decision,actor_client,actor_org,target_item,target_consent,target_mou,reason,request_id,result_size,entry';

export function csvRow(item: ExportedEntry): string {
  const e = JSON.parse(item.entry) as AuditEntry;
  const cells = [
    e.seq,
    e.time,
    e.action,
    e.decision,
    e.actor?.client,
    e.actor?.organisation,
    e.target?.item,
    e.target?.consent,
    e.target?.mou,
    e.reason,
    e.requestId,
    e.resultSize,
    item.entry,
  ];
  return cells.map(csvCell).join(',');
}

/** One JSONL line of an export: `{"entry": <canonical entry>, "leafHash": "<base64>"}`. */
export function jsonlLine(item: ExportedEntry): string {
  return `{"entry":${item.entry},"leafHash":${JSON.stringify(item.leafHash)}}`;
}
