import { KeyStore } from '@sangam/auth';
import type { DatabaseHandle } from '@sangam/db';
import { sql } from '@sangam/db';
import { testBackend, testDatabase } from '@sangam/db/testing';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AuditLog,
  Checkpoints,
  exportEntries,
  jsonlLine,
  verifyExport,
  verifyStoredLog,
} from '../src/index.js';

interface Fixture {
  database: DatabaseHandle;
  keys: KeyStore;
  checkpoints: Checkpoints;
}

const open: DatabaseHandle[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((d) => d.destroy()));
});

/** A log of 50 entries with a signed checkpoint at 50. */
async function fixture(): Promise<Fixture> {
  const database = await testDatabase();
  open.push(database);
  const log = new AuditLog(database.db);
  const keys = new KeyStore(database.db);
  await keys.ensureSigningKey();
  for (let i = 1; i <= 50; i += 1) {
    await log.append({
      action: i % 2 ? 'auth.token' : 'resource.query',
      decision: 'allow',
      actor: { client: `cl_${i}`, organisation: 'svnit' },
      target: { item: 'sitilink/buses/positions' },
      resultSize: i,
    });
  }
  const checkpoints = new Checkpoints(database.db, log, keys, { issuer: 'https://gw.example' });
  await checkpoints.create();
  return { database, keys, checkpoints };
}

async function serverSide(f: Fixture) {
  return verifyStoredLog(f.database.db, await f.checkpoints.all(), await f.keys.jwks());
}

async function offline(f: Fixture) {
  async function* lines() {
    for await (const item of exportEntries(f.database.db, {}, { all: true })) yield jsonlLine(item);
  }
  const checkpoint = await f.checkpoints.latest();
  if (!checkpoint) throw new Error('no checkpoint');
  return verifyExport(lines(), checkpoint, await f.keys.jwks());
}

async function entryText(f: Fixture, seq: number): Promise<string> {
  const row = await f.database.db
    .selectFrom('audit_entries')
    .select('entry')
    .where('seq', '=', seq)
    .executeTakeFirstOrThrow();
  return row.entry;
}

describe(`tamper detection on ${testBackend()}`, () => {
  it('verifies an untouched log, server-side and offline', async () => {
    const f = await fixture();
    expect(await serverSide(f)).toMatchObject({ ok: true, entries: 50, checkpointSize: 50 });
    expect(await offline(f)).toMatchObject({ ok: true, entries: 50, checkpointSize: 50 });
  });

  it('names the entry in which one byte changed', async () => {
    const f = await fixture();
    const text = await entryText(f, 17);
    const at = text.indexOf('"resultSize":17') + '"resultSize":1'.length;
    const changed = `${text.slice(0, at)}8${text.slice(at + 1)}`;
    expect(changed.length).toBe(text.length);
    await f.database.db.updateTable('audit_entries').set({ entry: changed }).where('seq', '=', 17).execute();
    expect(await serverSide(f)).toMatchObject({ ok: false, firstBadSeq: 17 });
    expect(await offline(f)).toMatchObject({ ok: false, firstBadSeq: 17 });
  });

  it('names the first entry changed together with its stored leaf hash', async () => {
    const f = await fixture();
    const text = (await entryText(f, 12)).replace('"decision":"allow"', '"decision":"deny"');
    const { leafHash, toBase64 } = await import('../src/index.js');
    await f.database.db.updateTable('audit_entries').set({ entry: text }).where('seq', '=', 12).execute();
    await f.database.db
      .updateTable('audit_nodes')
      .set({ hash: toBase64(leafHash(new TextEncoder().encode(text))) })
      .where('level', '=', 0)
      .where('idx', '=', 11)
      .execute();
    const report = await serverSide(f);
    expect(report.ok).toBe(false);
    expect(report.firstBadSeq).toBeLessThanOrEqual(12);
    expect((await offline(f)).ok).toBe(false);
  });

  it('names a deleted entry', async () => {
    const f = await fixture();
    await f.database.db.deleteFrom('audit_entries').where('seq', '=', 23).execute();
    expect(await serverSide(f)).toMatchObject({ ok: false, firstBadSeq: 23 });
    expect(await offline(f)).toMatchObject({ ok: false, firstBadSeq: 23 });
  });

  it('names the first of two swapped entries', async () => {
    const f = await fixture();
    const [a, b] = [await entryText(f, 30), await entryText(f, 31)];
    await f.database.db.updateTable('audit_entries').set({ entry: b }).where('seq', '=', 30).execute();
    await f.database.db.updateTable('audit_entries').set({ entry: a }).where('seq', '=', 31).execute();
    expect(await serverSide(f)).toMatchObject({ ok: false, firstBadSeq: 30 });
    expect(await offline(f)).toMatchObject({ ok: false, firstBadSeq: 30 });
  });

  it('names the first missing entry of a truncated log', async () => {
    const f = await fixture();
    await f.database.db.deleteFrom('audit_entries').where('seq', '>', 40).execute();
    await f.database.db.deleteFrom('audit_nodes').where(sql<boolean>`idx * power(2, level) >= 40`).execute();
    await f.database.db.updateTable('audit_head').set({ size: 40 }).execute();
    expect(await serverSide(f)).toMatchObject({ ok: false, firstBadSeq: 41 });
    expect(await offline(f)).toMatchObject({ ok: false, firstBadSeq: 41 });
  });

  it('catches entries removed after the last checkpoint, and a missing stored leaf', async () => {
    const f = await fixture();
    const log = new AuditLog(f.database.db);
    for (let i = 0; i < 5; i += 1) await log.append({ action: 'auth.token', decision: 'allow' });
    await f.database.db.deleteFrom('audit_entries').where('seq', '>', 52).execute();
    expect(await serverSide(f)).toMatchObject({ ok: false, firstBadSeq: 53 });

    const g = await fixture();
    await g.database.db.deleteFrom('audit_nodes').where('level', '=', 0).where('idx', '=', 7).execute();
    expect(await serverSide(g)).toMatchObject({ ok: false, firstBadSeq: 8 });
  });

  it('refuses export lines that no checkpoint vouches for', async () => {
    const f = await fixture();
    const checkpoint = await f.checkpoints.latest();
    if (!checkpoint) throw new Error('no checkpoint');
    await new AuditLog(f.database.db).append({ action: 'auth.token', decision: 'allow' });
    async function* lines() {
      for await (const item of exportEntries(f.database.db, {}, { all: true })) yield jsonlLine(item);
    }
    const report = await verifyExport(lines(), checkpoint, await f.keys.jwks());
    expect(report).toMatchObject({ ok: false, firstBadSeq: 51 });
  });

  it('refuses a checkpoint signed by a key outside the JWKS', async () => {
    const f = await fixture();
    const checkpoint = await f.checkpoints.latest();
    if (!checkpoint) throw new Error('no checkpoint');
    const other = await testDatabase();
    open.push(other);
    const stranger = new KeyStore(other.db);
    await stranger.ensureSigningKey();
    async function* none() {}
    const report = await verifyExport(none(), checkpoint, await stranger.jwks());
    expect(report.ok).toBe(false);
    expect(report.reason).toContain('does not verify with the JWKS');
  });
});
