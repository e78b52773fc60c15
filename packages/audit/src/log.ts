import { type Clock, systemClock } from '@sangam/core';
import {
  type Database,
  isSqlite,
  type Kysely,
  preparedInsert,
  sql,
  type Transaction,
  toDbTime,
} from '@sangam/db';
import { type AuditEntry, type AuditEvent, entryColumns, entryJson } from './entry.js';
import {
  consistencyPath,
  fromBase64,
  frontierNodes,
  type Hash,
  inclusionPath,
  leafHashOfText,
  RootBuilder,
  type SubtreeSource,
  toBase64,
  treeRoot,
} from './merkle.js';
import { UncredentialedTally } from './tally.js';
import { type GroupModule, type WriterOptions, WriterThread } from './writer.js';

type Db = Kysely<Database> | Transaction<Database>;

/** The log's right edge at a size: what the next append builds on. */
interface Tip {
  readonly size: number;
  /** Holds the frontier: cloned before it is built on, so a commit that fails leaves it as it was. */
  readonly builder: RootBuilder;
  readonly lastTime: string;
}

export interface AuditLogOptions {
  readonly clock?: Clock;
  /** Most entries written in one commit. */
  readonly maxBatch?: number;
  /**
   * Commit appends in a writer thread of their own, on this database opened there again, so a commit never stalls
   * the event loop. Appends inside a caller's transaction (`appendWithin`) stay on the caller's connection.
   */
  readonly writer?: WriterOptions;
  /** Told of every commit of grouped appends: how long it took (seconds) and how many entries it wrote. */
  readonly onCommit?: (seconds: number, entries: number) => void;
  /** Told of a failure no caller awaits (a minute's counts of uncredentialed requests that could not be written). */
  readonly onError?: (error: unknown) => void;
}

/**
 * Decides the events of several appends inside one commit, with the log's lock held: `decide` may read and write in
 * the transaction, and runs serialised with every other append of every process sharing the database. Appends of
 * one group in one commit are decided together, so their reads and writes are made once per commit.
 */
export interface EventGroup<T> {
  decide(trx: Transaction<Database>, items: readonly T[]): Promise<AuditEvent[]>;
  /**
   * The module that exports this group, and the export's name, for a writer thread to load it (its items are then
   * plain data, copied to the thread). A group without one is decided in the event loop.
   */
  readonly module?: GroupModule;
}

interface Pending {
  readonly event: AuditEvent | { readonly group: EventGroup<unknown>; readonly item: unknown };
  resolve(entry: AuditEntry): void;
  reject(error: unknown): void;
}

const insertEntries = preparedInsert<Database, 'audit_entries'>(
  'audit_entries',
  [
    'seq',
    'time',
    'action',
    'decision',
    'actor_client',
    'actor_org',
    'provider_org',
    'consumer_org',
    'target_item',
    'target_consent',
    'target_mou',
    'request_id',
    'entry',
  ],
  1,
);
const insertNodes = preparedInsert<Database, 'audit_nodes'>('audit_nodes', ['level', 'idx', 'hash'], 1);

/**
 * Writes a commit's entries and subtree hashes and moves the head. On PostgreSQL that is one statement (each
 * column an array, unnested), so a commit of any size costs one round trip here; SQLite runs prepared
 * statements in process, where round trips cost nothing.
 */
async function writeRows(
  trx: Transaction<Database>,
  entries: readonly Database['audit_entries'][],
  nodes: readonly Database['audit_nodes'][],
  size: number,
): Promise<void> {
  if (isSqlite(trx)) {
    await insertEntries(trx, entries);
    await insertNodes(trx, nodes);
    await trx.updateTable('audit_head').set({ size }).where('id', '=', 1).execute();
    return;
  }
  const column = <K extends keyof Database['audit_entries']>(k: K) => entries.map((e) => e[k]);
  await sql`with entries as (
      insert into audit_entries (seq, time, action, decision, actor_client, actor_org, provider_org, consumer_org,
        target_item, target_consent, target_mou, request_id, entry)
      select * from unnest(${column('seq')}::bigint[], ${column('time')}::text[], ${column('action')}::text[],
        ${column('decision')}::text[], ${column('actor_client')}::text[], ${column('actor_org')}::text[],
        ${column('provider_org')}::text[], ${column('consumer_org')}::text[], ${column('target_item')}::text[],
        ${column('target_consent')}::text[], ${column('target_mou')}::text[], ${column('request_id')}::text[],
        ${column('entry')}::text[])
    ), nodes as (
      insert into audit_nodes (level, idx, hash)
      select * from unnest(${nodes.map((n) => n.level)}::int[], ${nodes.map((n) => n.idx)}::bigint[],
        ${nodes.map((n) => n.hash)}::text[])
    )
    update audit_head set size = ${size} where id = 1`.execute(trx);
}

/**
 * The append-only audit log. Appends are grouped into commits for throughput, but a caller's promise resolves only
 * once its entry is committed. Sequence numbers come from one locked head row, so appends from several processes
 * sharing one database form one log without gaps or duplicates.
 */
export class AuditLog {
  readonly #db: Kysely<Database>;
  readonly #clock: Clock;
  readonly #maxBatch: number;
  readonly #pending: Pending[] = [];
  #draining: Promise<void> | undefined;
  /**
   * The log's right edge after the last commit this process made: its size, frontier and last time. A commit
   * whose lock finds the same size (no other writer moved the head) starts from it instead of reading them again.
   */
  #tip: Tip | undefined;
  /** The size the lock found, per transaction that holds it: the head is read once a commit. */
  readonly #locked = new WeakMap<Transaction<Database>, number>();
  /** The edge a transaction's appends lead to, kept as the tip once (and only if) it commits. */
  readonly #written = new WeakMap<Transaction<Database>, Tip>();

  readonly #thread: WriterThread | undefined;
  readonly #onCommit: ((seconds: number, entries: number) => void) | undefined;
  /** Requests without a valid token: counted, and recorded as one entry a minute. */
  readonly uncredentialed: UncredentialedTally;

  constructor(db: Kysely<Database>, options: AuditLogOptions = {}) {
    this.#db = db;
    this.#clock = options.clock ?? systemClock;
    this.#maxBatch = options.maxBatch ?? 4000;
    this.#thread = options.writer ? new WriterThread(options.writer, this.#maxBatch) : undefined;
    this.#onCommit = options.onCommit;
    this.uncredentialed = new UncredentialedTally(
      (event) => this.append(event),
      this.#clock,
      options.onError ??
        ((error) =>
          process.emitWarning(`the audit log could not record a minute's counts: ${String(error)}`)),
    );
  }

  /** Appends one event; resolves with its entry once it is durable. */
  append(event: AuditEvent): Promise<AuditEntry> {
    // A malformed event fails its own caller here, not every caller grouped into the same commit.
    const problem = eventProblem(event);
    if (problem) return Promise.reject(new TypeError(`audit event: ${problem}`));
    if (this.#thread?.alive)
      return this.#thread.send({ kind: 'event', at: this.#clock.now().getTime(), event });
    return new Promise((resolve, reject) => {
      this.#pending.push({ event, resolve, reject });
      this.#schedule();
    });
  }

  /**
   * Appends the event its group decides for `item` inside the commit, under the lock: for a check that must hold
   * across processes (a rate limit) and be recorded in the same commit as the decision it leads to. Resolves with
   * the entry once durable.
   */
  appendInGroup<T>(group: EventGroup<T>, item: T): Promise<AuditEntry> {
    if (group.module && this.#thread?.alive) {
      return this.#thread.send({
        kind: 'group',
        at: this.#clock.now().getTime(),
        module: group.module,
        item,
      });
    }
    return new Promise((resolve, reject) => {
      this.#pending.push({ event: { group: group as EventGroup<unknown>, item }, resolve, reject });
      this.#schedule();
    });
  }

  /** Lets every append in flight be committed, and stops the writer thread if there is one. */
  async close(): Promise<void> {
    await this.uncredentialed.close();
    await this.#thread?.close();
    await this.#draining;
  }

  #schedule(): void {
    if (this.#draining) return;
    this.#draining = this.#drain().finally(() => {
      this.#draining = undefined;
      // An append that arrived while the last commit was finishing starts the next one.
      if (this.#pending.length > 0) this.#schedule();
    });
  }

  /** Appends inside the caller's transaction, so a change and its audit entry commit together or not at all. */
  async appendWithin(trx: Transaction<Database>, events: readonly AuditEvent[]): Promise<AuditEntry[]> {
    return this.#write(trx, events);
  }

  async #drain(): Promise<void> {
    // Let the appends of this tick gather into the first commit.
    await new Promise((r) => setImmediate(r));
    while (this.#pending.length > 0) {
      const batch = this.#pending.splice(0, this.#maxBatch);
      // A group whose decision fails (or decides a malformed event) fails its own callers only. No savepoint per
      // group (two round trips a commit): a group that throws rolls the commit back (PostgreSQL aborts the whole
      // transaction on an error anyway), and the commit is made again without it.
      const failed = new Map<Pending, unknown>();
      for (;;) {
        const written: Pending[] = [];
        let transaction: Transaction<Database> | undefined;
        const started = performance.now();
        try {
          const entries = await this.#db.transaction().execute(async (trx) => {
            transaction = trx;
            const decided = new Map<Pending, AuditEvent>();
            const groups = new Map<EventGroup<unknown>, Pending[]>();
            for (const p of batch) {
              if (!('group' in p.event) || failed.has(p)) continue;
              const members = groups.get(p.event.group);
              if (members) members.push(p);
              else groups.set(p.event.group, [p]);
            }
            if (groups.size > 0) await this.lock(trx);
            for (const [group, members] of groups) {
              let events: AuditEvent[];
              try {
                events = await group.decide(
                  trx,
                  members.map((p) => (p.event as { item: unknown }).item),
                );
              } catch (error) {
                for (const p of members) failed.set(p, error);
                throw new GroupFailed();
              }
              members.forEach((p, i) => {
                const event = events[i];
                const problem = event ? eventProblem(event) : 'no event decided';
                if (problem || !event) failed.set(p, new TypeError(`audit event: ${problem}`));
                else decided.set(p, event);
              });
            }
            const events: AuditEvent[] = [];
            for (const p of batch) {
              const event = 'group' in p.event ? decided.get(p) : p.event;
              if (!event || failed.has(p)) continue;
              events.push(event);
              written.push(p);
            }
            return this.#write(trx, events);
          });
          this.#onCommit?.((performance.now() - started) / 1000, entries.length);
          // Committed: its edge is the log's now, as far as this process knows.
          const edge = transaction && this.#written.get(transaction);
          if (edge) this.#tip = edge;
          written.forEach((p, i) => {
            p.resolve(entries[i] as AuditEntry);
          });
          for (const [p, error] of failed) p.reject(error);
        } catch (error) {
          // Rolled back for a failed group: again, without its appends.
          if (error instanceof GroupFailed) continue;
          for (const p of batch) p.reject(failed.get(p) ?? error);
        }
        break;
      }
    }
  }

  /**
   * Takes the log's lock inside a transaction, held until it ends: a row lock on PostgreSQL, the write lock on
   * SQLite. Writing first (rather than reading) avoids a read-to-write upgrade that SQLite may refuse.
   */
  async lock(trx: Transaction<Database>): Promise<void> {
    if (this.#locked.has(trx)) return;
    // One statement takes the lock and reads the head.
    const head = await trx
      .updateTable('audit_head')
      .set((eb) => ({ size: eb.ref('size') }))
      .where('id', '=', 1)
      .returning('size')
      .executeTakeFirstOrThrow();
    this.#locked.set(trx, Number(head.size));
  }

  /** The log's edge at `size`: from this process's last commit if no one moved it since, else read. */
  async #edge(trx: Transaction<Database>, size: number): Promise<Tip> {
    if (this.#tip?.size === size) return this.#tip;
    const frontier = await this.#nodes(trx, frontierNodes(size));
    const builder = RootBuilder.fromFrontier(
      size,
      frontierNodes(size).map((n) => frontier.get(key(n.level, n.index)) as Hash),
    );
    const last =
      size > 0
        ? await trx.selectFrom('audit_entries').select('time').where('seq', '=', size).executeTakeFirst()
        : undefined;
    return { size, builder, lastTime: last?.time ?? '' };
  }

  async #write(trx: Transaction<Database>, events: readonly AuditEvent[]): Promise<AuditEntry[]> {
    if (events.length === 0) return [];
    await this.lock(trx);
    // The head as this transaction's lock found it, moved on by any appends of the same transaction since.
    const size = this.#written.get(trx)?.size ?? (this.#locked.get(trx) as number);
    const edge = this.#written.get(trx) ?? (await this.#edge(trx, size));
    const builder = edge.builder.clone();

    // Time never decreases along seq, even across processes whose clocks differ a little: time filters rely on it.
    const now = toDbTime(this.#clock.now());
    // biome-ignore lint/complexity/useMathMinMax: times are text here, which Math.max would turn into NaN
    const time = edge.lastTime > now ? edge.lastTime : now;
    const entries: AuditEntry[] = [];
    const entryRows: Database['audit_entries'][] = [];
    const nodeRows: Database['audit_nodes'][] = [];
    events.forEach((event, i) => {
      const entry: AuditEntry = { ...event, seq: size + i + 1, time };
      const json = entryJson(entry);
      entries.push(entry);
      entryRows.push({ ...entryColumns(entry), entry: json });
      for (const node of builder.push(leafHashOfText(json))) {
        nodeRows.push({ level: node.level, idx: node.index, hash: toBase64(node.hash) });
      }
    });
    await writeRows(trx, entryRows, nodeRows, size + events.length);
    this.#written.set(trx, { size: size + events.length, builder, lastTime: time });
    return entries;
  }

  /** The number of committed entries. */
  async size(db: Db = this.#db): Promise<number> {
    const head = await db
      .selectFrom('audit_head')
      .select('size')
      .where('id', '=', 1)
      .executeTakeFirstOrThrow();
    return Number(head.size);
  }

  /** The root hash at any size up to the current one: O(log n) stored subtree hashes. */
  async rootAt(size: number): Promise<Hash> {
    return this.#withSubtrees((source) => treeRoot(source, size));
  }

  /** The inclusion proof of entry `seq` in the tree of `treeSize` entries: O(log n) reads. */
  async inclusionProof(
    seq: number,
    treeSize: number,
  ): Promise<{ leafHash: Hash; proof: Hash[]; root: Hash }> {
    return this.#withSubtrees((source) => ({
      leafHash: source.node(0, seq - 1),
      proof: inclusionPath(source, seq - 1, treeSize),
      root: treeRoot(source, treeSize),
    }));
  }

  /**
   * The root at `to` computed from the stored subtrees at `from` and the entries after it, hashed from their bytes:
   * what a checkpoint at `to` would sign if every entry since `from` is as written.
   */
  async rootFromEntries(from: number, to: number): Promise<Hash> {
    const coordinates = frontierNodes(from);
    const frontier = await this.#nodes(this.#db, coordinates);
    const builder = RootBuilder.fromFrontier(
      from,
      coordinates.map((n) => {
        const hash = frontier.get(key(n.level, n.index));
        if (!hash) throw new Error(`audit subtree ${n.level}/${n.index} is missing`);
        return hash;
      }),
    );
    for (let after = from; after < to; ) {
      const rows = await this.#db
        .selectFrom('audit_entries')
        .select(['seq', 'entry'])
        .where('seq', '>', after)
        .where('seq', '<=', to)
        .orderBy('seq')
        .limit(5000)
        .execute();
      if (rows.length === 0) throw new Error(`audit entry ${after + 1} is missing`);
      for (const row of rows) {
        after += 1;
        if (Number(row.seq) !== after) throw new Error(`audit entry ${after} is missing`);
        builder.add(leafHashOfText(row.entry));
      }
    }
    return builder.root();
  }

  /** The consistency proof between two sizes: O(log n) reads. */
  async consistencyProof(from: number, to: number): Promise<{ proof: Hash[]; fromRoot: Hash; toRoot: Hash }> {
    return this.#withSubtrees((source) => ({
      proof: consistencyPath(source, from, to),
      fromRoot: treeRoot(source, from),
      toRoot: treeRoot(source, to),
    }));
  }

  /**
   * Runs a pure computation over stored subtrees with one read: a first pass records which subtrees it touches
   * (the access pattern of the RFC's recursion does not depend on hash values), one query fetches them.
   */
  async #withSubtrees<T>(compute: (source: SubtreeSource) => T): Promise<T> {
    const wanted = new Map<string, { level: number; index: number }>();
    const zero = new Uint8Array(32);
    compute({
      node(level, index) {
        wanted.set(key(level, index), { level, index });
        return zero;
      },
    });
    const found = await this.#nodes(this.#db, [...wanted.values()]);
    return compute({
      node(level, index) {
        const hash = found.get(key(level, index));
        if (!hash) throw new Error(`audit subtree ${level}/${index} is missing`);
        return hash;
      },
    });
  }

  async #nodes(db: Db, coordinates: readonly { level: number; index: number }[]): Promise<Map<string, Hash>> {
    const found = new Map<string, Hash>();
    if (coordinates.length === 0) return found;
    const rows = await db
      .selectFrom('audit_nodes')
      .select(['level', 'idx', 'hash'])
      .where((eb) =>
        eb.or(coordinates.map((c) => eb.and([eb('level', '=', c.level), eb('idx', '=', c.index)]))),
      )
      .execute();
    for (const row of rows) found.set(key(row.level, Number(row.idx)), fromBase64(row.hash));
    return found;
  }
}

const optionalText = (value: unknown) => value === undefined || typeof value === 'string';

/** Why an event cannot be an entry (wrong types that canonical JSON would refuse), or undefined. */
export function eventProblem(event: AuditEvent): string | undefined {
  if (typeof event.action !== 'string' || event.action.length === 0) return 'action must be text';
  if (event.decision !== 'allow' && event.decision !== 'deny') return 'decision must be allow or deny';
  if (!optionalText(event.reason) || !optionalText(event.requestId) || !optionalText(event.clientRequestId))
    return 'reason, requestId and clientRequestId must be text';
  if (event.resultSize !== undefined && !Number.isFinite(event.resultSize))
    return 'resultSize must be a finite number';
  for (const part of [event.actor, event.target]) {
    if (part !== undefined && (typeof part !== 'object' || !Object.values(part).every(optionalText))) {
      return 'actor and target hold text only';
    }
  }
  return undefined;
}

/** A group's decision failed: the commit is rolled back and made again without the group's appends. */
class GroupFailed extends Error {}

function key(level: number, index: number): string {
  return `${level}:${index}`;
}
