import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { KeyStore } from '@sangam/auth';
import type { DatabaseHandle } from '@sangam/db';
import { testBackend, testDatabase } from '@sangam/db/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditLog, Checkpoints, verifyStoredLog } from '../src/index.js';

// The child runs the built package, as a deployed gateway would (`pnpm test` builds first).
const appender = resolve(import.meta.dirname, 'support/appender.mjs');

function start(
  url: string,
  count: string,
  inFlight = 20,
): { child: ChildProcessWithoutNullStreams; acked: number[] } {
  const child = spawn(process.execPath, [appender, url, count, String(inFlight)], { stdio: 'pipe' });
  const acked: number[] = [];
  let buffer = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    for (const line of lines) acked.push(Number(line));
  });
  return { child, acked };
}

function exited(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  return new Promise((done) => child.on('exit', (code) => done(code)));
}

async function verifyAll(database: DatabaseHandle) {
  const keys = new KeyStore(database.db);
  await keys.ensureSigningKey();
  const log = new AuditLog(database.db);
  const checkpoints = new Checkpoints(database.db, log, keys, { issuer: 'https://gw.example' });
  await checkpoints.create();
  return verifyStoredLog(database.db, await checkpoints.all(), await keys.jwks());
}

const open: DatabaseHandle[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((d) => d.destroy()));
});

describe(`audit log across processes on ${testBackend()}`, () => {
  it('keeps every acknowledged entry when the appending process is killed', async () => {
    const database = await testDatabase();
    open.push(database);
    const { child, acked } = start(database.url, 'forever');
    const done = exited(child);
    // Kill at a random moment once appends are flowing.
    while (acked.length < 50) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 100 + Math.floor(Math.random() * 700)));
    child.kill('SIGKILL');
    await done;
    expect(acked.length).toBeGreaterThan(50);

    const rows = await database.db.selectFrom('audit_entries').select('seq').orderBy('seq').execute();
    const stored = new Set(rows.map((r) => Number(r.seq)));
    for (const seq of acked) expect(stored.has(seq), `acknowledged entry ${seq}`).toBe(true);
    expect(rows.map((r) => Number(r.seq))).toEqual(Array.from({ length: rows.length }, (_, i) => i + 1));
    const report = await verifyAll(database);
    expect(report).toMatchObject({ ok: true, entries: rows.length });

    // The log goes on where it stopped.
    const next = await new AuditLog(database.db).append({ action: 'auth.token', decision: 'allow' });
    expect(next.seq).toBe(rows.length + 1);
  });

  it('makes one gapless log of two processes appending 5,000 entries each at once', async () => {
    const database = await testDatabase();
    open.push(database);
    const a = start(database.url, '5000', 25);
    const b = start(database.url, '5000', 25);
    expect(await Promise.all([exited(a.child), exited(b.child)])).toEqual([0, 0]);
    expect(a.acked).toHaveLength(5000);
    expect(b.acked).toHaveLength(5000);
    const all = [...a.acked, ...b.acked].sort((x, y) => x - y);
    expect(all).toEqual(Array.from({ length: 10_000 }, (_, i) => i + 1));
    const report = await verifyAll(database);
    expect(report).toMatchObject({ ok: true, entries: 10_000, checkpointSize: 10_000 });
  }, 120_000);
});
