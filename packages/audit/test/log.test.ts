import { KeyStore } from '@sangam/auth';
import type { DatabaseHandle } from '@sangam/db';
import { testBackend, testDatabase } from '@sangam/db/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AuditLog,
  Checkpoints,
  leafHash,
  rootOfLeaves,
  toBase64,
  verifyCheckpoint,
  verifyConsistency,
  verifyInclusion,
} from '../src/index.js';

describe(`audit log storage on ${testBackend()}`, () => {
  let database: DatabaseHandle;
  let log: AuditLog;
  let keys: KeyStore;
  const leaves: Uint8Array[] = [];

  beforeAll(async () => {
    database = await testDatabase();
    log = new AuditLog(database.db, { maxBatch: 50 });
    keys = new KeyStore(database.db);
    await keys.ensureSigningKey();
    // 300 entries, appended concurrently so they are grouped into several commits.
    const appended = await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        log.append({
          action: 'resource.query',
          decision: i % 7 === 0 ? 'deny' : 'allow',
          actor: { client: `cl_${i % 5}`, organisation: `org-${i % 3}` },
          target: { item: `sitilink/buses/positions-${i % 4}` },
          requestId: `req_${i}`,
        }),
      ),
    );
    expect(appended.map((e) => e.seq)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    const rows = await database.db
      .selectFrom('audit_entries')
      .select(['seq', 'entry'])
      .orderBy('seq')
      .execute();
    for (const row of rows) leaves.push(leafHash(new TextEncoder().encode(row.entry)));
  });
  afterAll(async () => {
    await database.destroy();
  });

  it('numbers entries from 1 without gaps and stores canonical JSON', async () => {
    expect(await log.size()).toBe(300);
    const row = await database.db
      .selectFrom('audit_entries')
      .selectAll()
      .where('seq', '=', 7)
      .executeTakeFirstOrThrow();
    expect(
      row.entry.startsWith('{"action":"resource.query","actor":{"client":"cl_1","organisation":"org-0"}'),
    ).toBe(true);
    expect(JSON.parse(row.entry)).toMatchObject({ seq: 7, decision: 'allow', requestId: 'req_6' });
    expect(row.provider_org).toBe('sitilink');
  });

  it('answers the root at any size from stored subtrees, equal to the RFC root of the leaves', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 300 }), async (size) => {
        expect(toBase64(await log.rootAt(size))).toBe(toBase64(rootOfLeaves(leaves.slice(0, size))));
      }),
      { numRuns: 40 },
    );
  });

  it('gives inclusion proofs that verify, and fail for any other leaf or size', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .integer({ min: 1, max: 300 })
          .chain((size) => fc.tuple(fc.integer({ min: 1, max: size }), fc.constant(size))),
        async ([seq, size]) => {
          const { leafHash: leaf, proof, root } = await log.inclusionProof(seq, size);
          expect(toBase64(leaf)).toBe(toBase64(leaves[seq - 1] as Uint8Array));
          expect(verifyInclusion(seq - 1, size, leaf, proof, root)).toBe(true);
          const other = leaves[seq % size] as Uint8Array;
          if (size > 1) expect(verifyInclusion(seq - 1, size, other, proof, root)).toBe(false);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('gives consistency proofs that verify between any two sizes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .integer({ min: 1, max: 300 })
          .chain((to) => fc.tuple(fc.integer({ min: 1, max: to }), fc.constant(to))),
        async ([from, to]) => {
          const { proof, fromRoot, toRoot } = await log.consistencyProof(from, to);
          expect(verifyConsistency(from, to, fromRoot, toRoot, proof)).toBe(true);
          if (from < to) expect(verifyConsistency(from, to, toRoot, fromRoot, proof)).toBe(false);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('signs checkpoints that verify with the JWKS and not after a change', async () => {
    const checkpoints = new Checkpoints(database.db, log, keys, { issuer: 'https://gw.example' });
    const checkpoint = await checkpoints.create();
    expect(checkpoint.treeSize).toBe(300);
    expect(checkpoint.rootHash).toBe(toBase64(rootOfLeaves(leaves)));
    const jwks = await keys.jwks();
    await expect(verifyCheckpoint(checkpoint, jwks)).resolves.toMatchObject({ treeSize: 300 });
    await expect(verifyCheckpoint({ ...checkpoint, treeSize: 299 }, jwks)).rejects.toThrow();
    const [h, p, s] = checkpoint.jws.split('.');
    const forged = JSON.parse(Buffer.from(p ?? '', 'base64url').toString());
    forged.treeSize = 301;
    await expect(
      verifyCheckpoint(
        { jws: `${h}.${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${s}` },
        jwks,
      ),
    ).rejects.toThrow();
    expect((await checkpoints.create()).jws).toBe(checkpoint.jws);
    expect((await checkpoints.latest())?.treeSize).toBe(300);
  });

  it('writes nothing when the transaction it joined rolls back', async () => {
    const before = await log.size();
    await expect(
      database.db.transaction().execute(async (trx) => {
        await log.appendWithin(trx, [{ action: 'identity.client.create', decision: 'allow' }]);
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await log.size()).toBe(before);
    const entry = await database.db
      .transaction()
      .execute((trx) => log.appendWithin(trx, [{ action: 'identity.client.create', decision: 'allow' }]));
    expect(entry[0]?.seq).toBe(before + 1);
  });

  it('refuses a malformed event on its own, without failing the others committed with it', async () => {
    const before = await log.size();
    const results = await Promise.allSettled([
      log.append({ action: 'resource.query', decision: 'allow', resultSize: 1 }),
      log.append({ action: 'resource.query', decision: 'allow', resultSize: Number.NaN }),
      log.append({ action: 'resource.query', decision: 'maybe' as 'allow' }),
      log.append({ action: 'resource.query', decision: 'deny', reason: 'over the rate limit' }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect(await log.size()).toBe(before + 2);
  });
});
