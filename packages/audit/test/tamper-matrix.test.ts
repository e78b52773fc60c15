import { KeyStore } from '@sangam/auth';
import { ManualClock } from '@sangam/core';
import type { Database, DatabaseHandle, Kysely } from '@sangam/db';
import { testBackend, testDatabase } from '@sangam/db/testing';
import { launderAuditTree } from '@sangam/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AuditLog,
  Checkpoints,
  cosign,
  newWitnessKey,
  parseNote,
  parseVerifierKey,
  parseWitnessKey,
  type SeenCheckpoint,
  signatureLine,
  verifyStoredLog,
  witnessRefusal,
} from '../src/index.js';

/**
 * Every way to change what the audit tables hold, alone and with the evidence hidden as well as one can with the
 * database in hand: the Merkle tree recomputed over the changed entries, the checkpoints deleted, or new ones signed
 * with the gateway's own key by a gateway that forgot what it signed. A witness that cosigned the newest checkpoint
 * before the change is on watch. Every case must be caught, and the catch must name an entry or a checkpoint.
 */

const tables = [
  'audit_head',
  'audit_entries',
  'audit_nodes',
  'audit_checkpoints',
  'audit_cosignatures',
] as const;
type Table = (typeof tables)[number];
type Rows = { [T in Table]: Record<string, unknown>[] };
type Db = Kysely<Database>;

const issuer = 'https://gw.example';
const witnessName = 'svnit.example/witness';

let database: DatabaseHandle;
let log: AuditLog;
let keys: KeyStore;
let snapshot: Rows;
let seen: SeenCheckpoint;
let witnessKey: ReturnType<typeof parseVerifierKey>;

/** 50 entries, a checkpoint at 30 and one at 50, each cosigned by the witness, which saw 50 last. */
beforeAll(async () => {
  database = await testDatabase();
  const db = database.db;
  // Entries a second apart, so every entry's time is its own.
  const clock = new ManualClock(new Date('2026-03-01T08:00:00Z'));
  log = new AuditLog(db, { clock });
  keys = new KeyStore(db);
  await keys.ensureSigningKey();
  const key = newWitnessKey(witnessName);
  witnessKey = parseVerifierKey(key.verifierKey);
  const signer = parseWitnessKey(key.privateKey);
  await db
    .insertInto('audit_witnesses')
    .values({ name: witnessName, organisation: 'svnit', verifier_key: key.verifierKey, created_at: 'x' })
    .execute();
  const checkpoints = new Checkpoints(db, log, keys, { issuer });
  const append = async (from: number, to: number) => {
    for (let i = from; i <= to; i += 1) {
      clock.advance(1000);
      await log.append({
        action: i % 2 ? 'rs.query.latest' : 'consent.grant',
        decision: i % 3 ? 'allow' : 'deny',
        reason: `reason ${i}`,
        actor: { client: `cl_${i}`, organisation: i % 2 ? 'svnit' : 'sitilink' },
        target: {
          item: `sitilink/buses-${i}/positions`,
          consent: `cns_${i}`,
          mou: `mou_${i}`,
          consumer: `consumer-${i}`,
          provider: `provider-${i}`,
        },
        requestId: `req_${i}`,
        resultSize: i,
      });
    }
  };
  const cosigned = async () => {
    const checkpoint = await checkpoints.create();
    const text = parseNote(checkpoint.note ?? '').text;
    await checkpoints.addCosignature(
      checkpoint.treeSize,
      signatureLine(cosign(text, signer, 1_700_000_000)),
      'svnit',
    );
    return checkpoint;
  };
  await append(1, 30);
  await cosigned();
  await append(31, 50);
  const newest = await cosigned();
  seen = { origin: checkpoints.origin, treeSize: newest.treeSize, rootHash: newest.rootHash };
  snapshot = {} as Rows;
  for (const table of tables) snapshot[table] = await db.selectFrom(table).selectAll().execute();
}, 60_000);

afterAll(async () => {
  await database.destroy();
});

async function restore(): Promise<void> {
  await database.db.transaction().execute(async (trx) => {
    for (const table of tables) {
      await trx.deleteFrom(table).execute();
      const rows = snapshot[table];
      for (let i = 0; i < rows.length; i += 500) {
        await trx
          .insertInto(table)
          .values(rows.slice(i, i + 500) as never)
          .execute();
      }
    }
  });
}

/**
 * Looks for the change as an auditor (server-side verification, the witness's key required), then as the gateway
 * and the witness do at the next checkpoint. Returns what caught it and the report, or undefined.
 */
async function detect(db: Db): Promise<{ by: string; report: string; firstBadSeq?: number } | undefined> {
  const jwks = await keys.jwks();
  const auditor = await verifyStoredLog(db, await new Checkpoints(db, log, keys, { issuer }).all(), jwks, {
    witnesses: [witnessKey],
    minWitnesses: 1,
  });
  if (!auditor.ok) {
    const named =
      auditor.firstBadSeq !== undefined
        ? `entry ${auditor.firstBadSeq}`
        : `checkpoint ${auditor.firstBadCheckpoint}`;
    return {
      by: 'verify',
      report: `${named}: ${auditor.reason}`,
      ...(auditor.firstBadSeq !== undefined ? { firstBadSeq: auditor.firstBadSeq } : {}),
    };
  }
  // The next scheduled checkpoint, by a gateway that remembers nothing but what the tables say.
  const gateway = new Checkpoints(db, new AuditLog(db), keys, { issuer });
  try {
    await gateway.create();
  } catch (error) {
    return { by: 'gateway', report: (error as Error).message };
  }
  const latest = await gateway.latest();
  const refusal = await witnessRefusal(
    seen,
    latest && { origin: gateway.origin, treeSize: latest.treeSize, rootHash: latest.rootHash },
    async (from, to) => (await new AuditLog(db).consistencyProof(from, to)).proof,
  );
  return refusal ? { by: 'witness', report: refusal } : undefined;
}

const flip = (text: string) => {
  const i = Math.floor(text.length / 2);
  return `${text.slice(0, i)}${text[i] === 'A' ? 'B' : 'A'}${text.slice(i + 1)}`;
};

async function update(db: Db, table: Table, where: Record<string, unknown>, set: Record<string, unknown>) {
  let q = db.updateTable(table as 'audit_entries').set(set as never);
  for (const [column, value] of Object.entries(where)) q = q.where(column as never, '=', value as never);
  await q.execute();
}

async function read(db: Db, table: Table, where: Record<string, unknown>, column: string): Promise<unknown> {
  let q = db.selectFrom(table as 'audit_entries').select(column as never);
  for (const [c, value] of Object.entries(where)) q = q.where(c as never, '=', value as never);
  const row = (await q.executeTakeFirstOrThrow()) as Record<string, unknown>;
  return row[column];
}

async function swap(
  db: Db,
  table: Table,
  a: Record<string, unknown>,
  b: Record<string, unknown>,
  column: string,
) {
  const [x, y] = [await read(db, table, a, column), await read(db, table, b, column)];
  await update(db, table, a, { [column]: y });
  await update(db, table, b, { [column]: x });
}

interface Mutation {
  readonly table: Table;
  readonly name: string;
  /** The entry it changes, when a verification of the stored log must name exactly that one. */
  readonly entry?: number;
  apply(db: Db): Promise<void>;
}

const changed = (value: unknown): unknown =>
  typeof value === 'number' || typeof value === 'bigint' || /^\d+$/.test(String(value))
    ? Number(value) + 100_000
    : value === 'allow'
      ? 'deny'
      : value === 'deny'
        ? 'allow'
        : flip(String(value));

function mutations(): Mutation[] {
  const list: Mutation[] = [];
  const at5 = { seq: 5 };
  const at6 = { seq: 6 };
  const nullable = [
    'actor_client',
    'actor_org',
    'provider_org',
    'consumer_org',
    'target_item',
    'target_consent',
    'target_mou',
    'request_id',
  ];
  const entryColumns = ['time', 'action', 'decision', 'entry', ...nullable];
  for (const column of entryColumns) {
    list.push({
      table: 'audit_entries',
      name: `change ${column} of entry 5`,
      entry: 5,
      apply: async (db) =>
        update(db, 'audit_entries', at5, { [column]: changed(await read(db, 'audit_entries', at5, column)) }),
    });
    list.push({
      table: 'audit_entries',
      name: `swap ${column} of entries 5 and 6`,
      entry: 5,
      apply: (db) => swap(db, 'audit_entries', at5, at6, column),
    });
    if (nullable.includes(column)) {
      list.push({
        table: 'audit_entries',
        name: `delete ${column} of entry 5`,
        entry: 5,
        apply: (db) => update(db, 'audit_entries', at5, { [column]: null }),
      });
    }
  }
  list.push(
    {
      table: 'audit_entries',
      name: 'change seq of entry 5',
      entry: 5,
      apply: (db) => update(db, 'audit_entries', at5, { seq: 100_005 }),
    },
    {
      table: 'audit_entries',
      name: 'swap seq of entries 5 and 6',
      entry: 5,
      apply: async (db) => {
        await update(db, 'audit_entries', at5, { seq: -5 });
        await update(db, 'audit_entries', at6, { seq: 5 });
        await update(db, 'audit_entries', { seq: -5 }, { seq: 6 });
      },
    },
    {
      table: 'audit_entries',
      name: 'delete entry 5',
      entry: 5,
      apply: async (db) => {
        await db.deleteFrom('audit_entries').where('seq', '=', 5).execute();
      },
    },
    {
      table: 'audit_entries',
      name: 'truncate the entries after 40',
      entry: 41,
      apply: async (db) => {
        await db.deleteFrom('audit_entries').where('seq', '>', 40).execute();
      },
    },
  );
  const leaf = { level: 0, idx: 4 };
  const inner = { level: 2, idx: 1 };
  for (const [where, what] of [
    [leaf, 'leaf 0/4'],
    [inner, 'subtree 2/1'],
  ] as const) {
    for (const column of ['level', 'idx', 'hash']) {
      list.push({
        table: 'audit_nodes',
        name: `change ${column} of ${what}`,
        apply: async (db) =>
          update(db, 'audit_nodes', where, {
            [column]:
              column === 'hash'
                ? flip(String(await read(db, 'audit_nodes', where, column)))
                : column === 'idx'
                  ? where.idx + 100_000
                  : 40 + where.level,
          }),
      });
    }
    list.push({
      table: 'audit_nodes',
      name: `swap hash of ${what} and its neighbour`,
      apply: (db) => swap(db, 'audit_nodes', where, { level: where.level, idx: where.idx + 1 }, 'hash'),
    });
    list.push({
      table: 'audit_nodes',
      name: `delete ${what}`,
      apply: async (db) => {
        await db
          .deleteFrom('audit_nodes')
          .where('level', '=', where.level)
          .where('idx', '=', where.idx)
          .execute();
      },
    });
  }
  list.push({
    table: 'audit_nodes',
    name: 'truncate the leaves after 40',
    apply: async (db) => {
      await db.deleteFrom('audit_nodes').where('level', '=', 0).where('idx', '>=', 40).execute();
    },
  });
  for (const delta of [1, -1, -10]) {
    list.push({
      table: 'audit_head',
      name: `change the head's size by ${delta}`,
      apply: (db) => update(db, 'audit_head', { id: 1 }, { size: 50 + delta }),
    });
  }
  list.push(
    {
      table: 'audit_head',
      name: "change the head's id",
      apply: (db) => update(db, 'audit_head', { id: 1 }, { id: 2 }),
    },
    {
      table: 'audit_head',
      name: 'delete the head',
      apply: async (db) => {
        await db.deleteFrom('audit_head').execute();
      },
    },
  );
  for (const column of ['tree_size', 'root_hash', 'timestamp', 'jws', 'note']) {
    for (const size of [30, 50]) {
      list.push({
        table: 'audit_checkpoints',
        name: `change ${column} of checkpoint ${size}`,
        apply: async (db) =>
          update(
            db,
            'audit_checkpoints',
            { tree_size: size },
            {
              [column]:
                column === 'tree_size'
                  ? size + 1
                  : column === 'root_hash'
                    ? flip(String(await read(db, 'audit_checkpoints', { tree_size: size }, column)))
                    : flip(String(await read(db, 'audit_checkpoints', { tree_size: size }, column))),
            },
          ),
      });
    }
    if (column !== 'tree_size') {
      list.push({
        table: 'audit_checkpoints',
        name: `swap ${column} of checkpoints 30 and 50`,
        apply: (db) => swap(db, 'audit_checkpoints', { tree_size: 30 }, { tree_size: 50 }, column),
      });
    }
  }
  list.push(
    {
      table: 'audit_checkpoints',
      name: 'change note of checkpoint 50 to none',
      apply: (db) => update(db, 'audit_checkpoints', { tree_size: 50 }, { note: null }),
    },
    {
      table: 'audit_checkpoints',
      name: 'change note of checkpoint 30 to none',
      apply: (db) => update(db, 'audit_checkpoints', { tree_size: 30 }, { note: null }),
    },
    {
      table: 'audit_checkpoints',
      name: 'delete checkpoint 50',
      apply: async (db) => {
        await db.deleteFrom('audit_checkpoints').where('tree_size', '=', 50).execute();
      },
    },
    {
      table: 'audit_checkpoints',
      name: 'delete checkpoint 30',
      apply: async (db) => {
        await db.deleteFrom('audit_checkpoints').where('tree_size', '=', 30).execute();
      },
    },
    {
      table: 'audit_checkpoints',
      name: 'truncate the checkpoints',
      apply: async (db) => {
        await db.deleteFrom('audit_checkpoints').execute();
      },
    },
  );
  for (const column of ['tree_size', 'witness', 'signature']) {
    list.push({
      table: 'audit_cosignatures',
      name: `change ${column} of the cosignature of 50`,
      apply: async (db) =>
        update(
          db,
          'audit_cosignatures',
          { tree_size: 50 },
          {
            [column]:
              column === 'tree_size'
                ? 51
                : flip(String(await read(db, 'audit_cosignatures', { tree_size: 50 }, column))),
          },
        ),
    });
    if (column !== 'tree_size' && column !== 'witness') {
      list.push({
        table: 'audit_cosignatures',
        name: `swap ${column} of the cosignatures of 30 and 50`,
        apply: (db) => swap(db, 'audit_cosignatures', { tree_size: 30 }, { tree_size: 50 }, column),
      });
    }
  }
  list.push(
    {
      table: 'audit_cosignatures',
      name: 'change tree_size of the cosignature of 30',
      apply: (db) => update(db, 'audit_cosignatures', { tree_size: 30 }, { tree_size: 29 }),
    },
    {
      table: 'audit_cosignatures',
      name: 'delete the cosignature of 50',
      apply: async (db) => {
        await db.deleteFrom('audit_cosignatures').where('tree_size', '=', 50).execute();
      },
    },
    {
      table: 'audit_cosignatures',
      name: 'truncate the cosignatures',
      apply: async (db) => {
        await db.deleteFrom('audit_cosignatures').execute();
      },
    },
  );
  return list;
}

/** How the change is hidden: nothing more, the tree recomputed, and the checkpoints deleted or signed anew. */
const concealments = [
  'alone',
  'tree recomputed',
  'tree recomputed, checkpoints deleted',
  'tree recomputed, checkpoints re-signed',
] as const;
type Concealment = (typeof concealments)[number];

async function tamper(mutation: Mutation, how: Concealment): Promise<void> {
  const db = database.db;
  const entriesOrCheckpoints = mutation.table === 'audit_entries';
  // The tree is recomputed over changed entries; a change to the tree or the head is made after recomputing it.
  if (how !== 'alone' && !entriesOrCheckpoints) await launderAuditTree(db);
  await mutation.apply(db);
  if (how !== 'alone' && entriesOrCheckpoints) await launderAuditTree(db);
  if (how === 'tree recomputed, checkpoints deleted' || how === 'tree recomputed, checkpoints re-signed') {
    await db.deleteFrom('audit_cosignatures').execute();
    await db.deleteFrom('audit_checkpoints').execute();
  }
  if (how === 'tree recomputed, checkpoints re-signed') {
    // With the gateway's key (it is in the same database), by a gateway that remembers nothing.
    await new Checkpoints(db, new AuditLog(db), keys, { issuer }).create().catch(() => undefined);
  }
}

/** Deleting or re-signing checkpoints would erase a change made to the checkpoint or cosignature tables itself. */
function applies(mutation: Mutation, how: Concealment): boolean {
  const signed = mutation.table === 'audit_checkpoints' || mutation.table === 'audit_cosignatures';
  return !signed || how === 'alone' || how === 'tree recomputed';
}

const cases = mutations().flatMap((mutation) =>
  concealments.filter((how) => applies(mutation, how)).map((how) => ({ mutation, how })),
);

describe(`the audit tamper matrix on ${testBackend()}`, () => {
  it('covers every column of every audit table, several ways each', () => {
    expect(cases.length).toBeGreaterThan(150);
    const names = cases.map((c) => c.mutation.name).join('\n');
    for (const column of [
      'seq',
      'time',
      'action',
      'decision',
      'entry',
      'request_id',
      'level',
      'idx',
      'hash',
      'size',
      'root_hash',
      'jws',
      'note',
      'signature',
      'witness',
    ]) {
      expect(names, column).toContain(column);
    }
  });

  it('finds nothing in the untouched log', async () => {
    await restore();
    expect(await detect(database.db)).toBeUndefined();
  });

  it('catches every change, and names the entry or checkpoint', async () => {
    const missed: string[] = [];
    const unnamed: string[] = [];
    for (const { mutation, how } of cases) {
      await restore();
      await tamper(mutation, how);
      const found = await detect(database.db);
      const name = `${mutation.name} (${how})`;
      if (!found) {
        missed.push(name);
        continue;
      }
      if (!/\b(entry|checkpoint|entries)\b.*\d|\d.*\b(entry|checkpoint)\b/.test(found.report))
        unnamed.push(`${name}: ${found.report}`);
      // Left in place, a changed entry is named exactly by the stored log's verification.
      if (how === 'alone' && mutation.entry !== undefined) {
        expect(found.by, name).toBe('verify');
        expect(found.firstBadSeq, `${name}: ${found.report}`).toBe(mutation.entry);
      }
    }
    expect(missed).toEqual([]);
    expect(unnamed).toEqual([]);
  }, 300_000);
});
