import { type Database, type Kysely, sql } from '@sangam/db';
import type { JSONWebKeySet } from 'jose';
import { type Checkpoint, verifyCheckpoint } from './checkpoints.js';
import { type AuditEntry, entryColumns } from './entry.js';
import { fromBase64, nodeHash, toBase64 } from './merkle.js';
import { parseSignatureLine } from './note.js';
import { checkedNote, type VerifierKey } from './note-checks.js';
import { LogVerifier, type VerificationReport } from './verify.js';

/** A verification of the stored log: the entries' report, and the first checkpoint that does not hold, if any. */
export interface StoredLogReport extends VerificationReport {
  /** Sizes of stored checkpoints whose signature, note or cosignatures do not verify. */
  readonly checkpointsRejected: number[];
  /** The first checkpoint that does not hold, when that is what failed. */
  readonly firstBadCheckpoint?: number;
}

export interface StoredLogOptions {
  /** Witness keys the verifier trusts (not read from the database). */
  readonly witnesses?: readonly VerifierKey[];
  /** Cosignatures by those witnesses the newest checkpoint must carry. */
  readonly minWitnesses?: number;
}

const page = 20_000;

/**
 * Verifies everything the audit tables hold, trusting only the JWKS and the witness keys given:
 * - every checkpoint's JWS, its plain columns, its signed note and each stored cosignature;
 * - every entry against its leaf hash and the signed roots, and every column kept beside the entry against the
 *   value recomputed from the entry's bytes (a mismatch names the entry and the column);
 * - every stored subtree hash against its children, and no subtree or entry beyond the log's size;
 * - the head against the entries.
 */
export async function verifyStoredLog(
  db: Kysely<Database>,
  checkpoints: readonly Checkpoint[],
  jwks: JSONWebKeySet,
  options: StoredLogOptions = {},
): Promise<StoredLogReport> {
  const roots = new Map<number, string>();
  const rejected: { treeSize: number; reason: string }[] = [];
  const registered = await registeredWitnesses(db);
  for (const checkpoint of checkpoints) {
    try {
      const signed = await verifyCheckpoint(checkpoint, jwks);
      if (checkpoint.note !== undefined && checkpoint.note !== null)
        checkedNote(checkpoint, jwks, registered);
      roots.set(signed.treeSize, signed.rootHash);
    } catch (error) {
      rejected.push({ treeSize: checkpoint.treeSize, reason: (error as Error).message });
    }
  }
  const sizes = rejected.map((r) => r.treeSize);
  const badCheckpoint = (treeSize: number, reason: string): StoredLogReport => ({
    ok: false,
    entries: 0,
    checkpointSize: Math.max(0, ...roots.keys()),
    firstBadCheckpoint: treeSize,
    reason,
    checkpointsRejected: sizes,
  });
  const firstRejected = rejected[0];
  if (firstRejected) {
    return badCheckpoint(
      firstRejected.treeSize,
      `checkpoint ${firstRejected.treeSize}: ${firstRejected.reason}`,
    );
  }
  if (options.minWitnesses !== undefined) {
    const newest = checkpoints.reduce<Checkpoint | undefined>(
      (a, c) => (a && a.treeSize > c.treeSize ? a : c),
      undefined,
    );
    const count = newest ? witnessCount(newest, jwks, options.witnesses ?? []) : 0;
    if (!newest || count < options.minWitnesses) {
      return badCheckpoint(
        newest?.treeSize ?? 0,
        `the newest checkpoint carries ${count} cosignatures by the witnesses given, ${options.minWitnesses} are required`,
      );
    }
  }

  // Cosignatures are read through their checkpoint: one whose checkpoint is gone is evidence removed.
  const orphan = await db
    .selectFrom('audit_cosignatures')
    .select(['tree_size', 'witness'])
    .where('tree_size', 'not in', (eb) =>
      eb
        .selectFrom('audit_checkpoints')
        .select('tree_size')
        .where('note', 'is not', null)
        .where('note', '!=', ''),
    )
    .orderBy('tree_size')
    .limit(1)
    .executeTakeFirst();
  // The witness named beside a cosignature is shown with it: it must be the one the signature line names.
  for (const row of await db
    .selectFrom('audit_cosignatures')
    .select(['tree_size', 'witness', 'signature'])
    .execute()) {
    let named: string | undefined;
    try {
      named = parseSignatureLine(row.signature).name;
    } catch {
      named = undefined;
    }
    if (named !== row.witness) {
      return badCheckpoint(
        Number(row.tree_size),
        `checkpoint ${row.tree_size}: a cosignature stored as ${row.witness}'s is not signed under that name`,
      );
    }
  }
  if (orphan) {
    return badCheckpoint(
      Number(orphan.tree_size),
      `checkpoint ${orphan.tree_size} is missing or has lost its signed note, though ${orphan.witness} cosigned it`,
    );
  }

  const head = await db.selectFrom('audit_head').select('size').where('id', '=', 1).executeTakeFirst();
  if (!head) {
    return {
      ok: false,
      entries: 0,
      checkpointSize: Math.max(0, ...roots.keys()),
      firstBadSeq: 1,
      reason: 'the log head (its size) is missing',
      checkpointsRejected: sizes,
    };
  }
  const size = Number(head.size);
  const verifier = new LogVerifier(roots, size);
  const missingLeaf = new Uint8Array(0);
  let columnProblem: { seq: number; reason: string } | undefined;
  for (let after = 0; ; ) {
    const rows = await db
      .selectFrom('audit_entries')
      .leftJoin('audit_nodes', (join) =>
        join.on('audit_nodes.level', '=', 0).on(sql<boolean>`audit_nodes.idx = audit_entries.seq - 1`),
      )
      .selectAll('audit_entries')
      .select('audit_nodes.hash')
      .where('audit_entries.seq', '>', after)
      .orderBy('audit_entries.seq')
      .limit(page)
      .execute();
    for (const row of rows) {
      const seq = Number(row.seq);
      verifier.push({
        position: seq,
        seq: seqOf(row.entry),
        bytes: row.entry,
        // A leaf hash missing from the subtree table is damage too, never a match.
        storedLeaf: row.hash ? fromBase64(row.hash) : missingLeaf,
      });
      if (!columnProblem) {
        const column = differingColumn(row);
        if (column)
          columnProblem = { seq, reason: `entry ${seq}: its ${column} column differs from the entry` };
      }
    }
    if (rows.length < page) break;
    after = Number(rows[rows.length - 1]?.seq);
  }
  const report = verifier.finish();
  const base = { ...report, checkpointsRejected: sizes };
  if (!report.ok) return base;
  if (columnProblem)
    return { ...base, ok: false, firstBadSeq: columnProblem.seq, reason: columnProblem.reason };
  const nodeProblem = await checkSubtrees(db, size);
  if (nodeProblem) return { ...base, ok: false, firstBadSeq: nodeProblem.seq, reason: nodeProblem.reason };
  return base;
}

/** The name of the first column kept beside an entry that differs from the value its bytes give, if any. */
function differingColumn(row: Database['audit_entries']): string | undefined {
  let entry: AuditEntry;
  try {
    entry = JSON.parse(row.entry) as AuditEntry;
  } catch {
    return 'entry';
  }
  if (typeof entry !== 'object' || entry === null) return 'entry';
  let expected: ReturnType<typeof entryColumns>;
  try {
    expected = entryColumns(entry);
  } catch {
    // Fields of the wrong type: no column can be recomputed from such an entry.
    return 'entry';
  }
  for (const [column, value] of Object.entries(expected)) {
    const stored = (row as unknown as Record<string, unknown>)[column];
    if (String(stored ?? '') !== String(value ?? '') || (stored === null) !== (value === null)) return column;
  }
  return undefined;
}

/**
 * Every stored subtree hash is the hash of its two children, level by level from the leaves (checked against the
 * entries already), and there are exactly as many at each level as a log of `size` entries has.
 */
async function checkSubtrees(
  db: Kysely<Database>,
  size: number,
): Promise<{ seq: number; reason: string } | undefined> {
  // The first and last index per level (from the primary key): nothing below 0, nothing past the log's size.
  const spans = await db
    .selectFrom('audit_nodes')
    .select((eb) => ['level', eb.fn.min('idx').as('low'), eb.fn.max('idx').as('high')])
    .groupBy('level')
    .orderBy('level')
    .execute();
  for (const span of spans) {
    const level = Number(span.level);
    const count = level >= 0 && level <= 52 ? Math.floor(size / 2 ** level) : 0;
    if (Number(span.low) < 0 || Number(span.high) >= count) {
      const idx = Number(span.low) < 0 ? Number(span.low) : Number(span.high);
      const first = Math.max(1, Math.min(size + 1, Math.max(0, idx) * 2 ** Math.max(0, level) + 1));
      return {
        seq: first,
        reason: `a subtree hash ${level}/${idx} is stored that a log of ${size} entries does not have`,
      };
    }
  }
  for (let level = 1; 2 ** level <= size; level += 1) {
    const expected = Math.floor(size / 2 ** level);
    let index = 0;
    const children = nodeStream(db, level - 1);
    let pending: { idx: number; hash: string } | undefined;
    for await (const node of nodeStream(db, level)) {
      const covers = (i: number) => ({
        seq: i * 2 ** level + 1,
        name: `subtree ${level}/${i} (entries ${i * 2 ** level + 1}–${(i + 1) * 2 ** level})`,
      });
      if (node.idx !== index) {
        const missing = covers(index);
        return { seq: missing.seq, reason: `the ${missing.name} hash is missing` };
      }
      const left = pending ?? (await children.next()).value;
      const right = (await children.next()).value;
      pending = undefined;
      if (!left || !right || left.idx !== 2 * index || right.idx !== 2 * index + 1) {
        const at = covers(index);
        return { seq: at.seq, reason: `a child of the ${at.name} hash is missing` };
      }
      if (toBase64(nodeHash(fromBase64(left.hash), fromBase64(right.hash))) !== node.hash) {
        const at = covers(index);
        return { seq: at.seq, reason: `the ${at.name} hash is not the hash of its children` };
      }
      index += 1;
    }
    await children.return(undefined);
    if (index !== expected) {
      const seq = index * 2 ** level + 1;
      return { seq, reason: `the subtree ${level}/${index} hash (from entry ${seq}) is missing` };
    }
  }
  return undefined;
}

async function* nodeStream(
  db: Kysely<Database>,
  level: number,
): AsyncGenerator<{ idx: number; hash: string }, void, undefined> {
  for (let after = -1; ; ) {
    const rows = await db
      .selectFrom('audit_nodes')
      .select(['idx', 'hash'])
      .where('level', '=', level)
      .where('idx', '>', after)
      .orderBy('idx')
      .limit(page)
      .execute();
    for (const row of rows) yield { idx: Number(row.idx), hash: row.hash };
    if (rows.length < page) return;
    after = Number(rows[rows.length - 1]?.idx);
  }
}

async function registeredWitnesses(db: Kysely<Database>): Promise<Map<string, string>> {
  const rows = await db.selectFrom('audit_witnesses').select(['name', 'verifier_key']).execute();
  return new Map(rows.map((r) => [r.name, r.verifier_key]));
}

/** How many of `witnesses` validly cosigned the checkpoint's note. */
export function witnessCount(
  checkpoint: Checkpoint,
  jwks: JSONWebKeySet,
  witnesses: readonly VerifierKey[],
): number {
  if (!checkpoint.note) return 0;
  return checkedNote(checkpoint, jwks, undefined, witnesses).cosignedBy.length;
}

/**
 * The top-level `seq` of a stored entry without parsing it all. Entries are canonical JSON that this log wrote,
 * where only the top level has a `seq` member; any other change to the bytes fails the leaf hash check anyway.
 */
export function seqOf(entry: string): number | undefined {
  const match = /[{,]"seq":(\d{1,16})[,}]/.exec(entry);
  return match ? Number(match[1]) : undefined;
}
