// pnpm bench:audit — audit log throughput, proof and verification times on SQLite and PostgreSQL.
// Figures are printed beside baselines measured in the same run on the same database:
//   appends      vs. plain batched inserts of the same rows (no Merkle tree, no lock);
//   verification vs. merely reading every entry and hashing it once.
// BENCH_AUDIT_ENTRIES (default 1,000,000) and BENCH_BACKENDS (default "sqlite,postgres") change the run.

import { performance } from 'node:perf_hooks';
import { AuditLog, Checkpoints, exportEntries, leafHash, verifyStoredLog } from '@sangam/audit';
import { KeyStore } from '@sangam/auth';
import { migrateToLatest } from '@sangam/db';
import { openBenchDatabase } from './backends.mjs';
import { ownCpu, postgresCpu, postgresCpuSince } from './cpu.mjs';

const total = Number(process.env.BENCH_AUDIT_ENTRIES ?? 1_000_000);
const backends = (process.env.BENCH_BACKENDS ?? 'sqlite,postgres').split(',');
const baselineRows = Math.min(total, 200_000);
const wave = 4000;

const event = (i) => ({
  action: i % 3 ? 'resource.query' : 'auth.token',
  decision: i % 11 ? 'allow' : 'deny',
  actor: { client: `cl_${i % 97}`, organisation: `org-${i % 13}` },
  target: { item: `sitilink/buses/positions-${i % 7}`, consent: `cs_${i % 101}` },
  requestId: `req_${i}`,
  resultSize: i % 500,
});

const seconds = (ms) => (ms / 1000).toFixed(2);
const rate = (n, ms) => Math.round((n / ms) * 1000);

async function bench(backend) {
  const { handle, cleanup } = await openBenchDatabase(backend, { poolSize: 4 });
  const { db } = handle;
  try {
    await migrateToLatest(handle);

    // Baseline: the same rows inserted plainly into the same table (same indexes), 4,000 a transaction, with no
    // Merkle tree and no lock; then removed again.
    let t = performance.now();
    for (let start = 0; start < baselineRows; start += wave) {
      const rows = [];
      for (let i = start; i < Math.min(start + wave, baselineRows); i += 1) {
        const e = event(i);
        rows.push({
          seq: i + 1,
          time: new Date().toISOString(),
          action: e.action,
          decision: e.decision,
          actor_client: e.actor.client,
          actor_org: e.actor.organisation,
          provider_org: 'sitilink',
          consumer_org: null,
          target_item: e.target.item,
          target_consent: e.target.consent,
          target_mou: null,
          request_id: e.requestId,
          entry: JSON.stringify({ ...e, seq: i + 1 }),
        });
      }
      await db.transaction().execute(async (trx) => {
        for (let j = 0; j < rows.length; j += 2000)
          await trx
            .insertInto('audit_entries')
            .values(rows.slice(j, j + 2000))
            .execute();
      });
    }
    const baselineMs = performance.now() - t;
    await db.deleteFrom('audit_entries').execute();

    // Appends: many callers at once, grouped into commits; each promise resolves once its entry is durable.
    // A steady stream of callers: `wave` appends in flight at any moment.
    const log = new AuditLog(db);
    const cpu0 = ownCpu();
    const dbCpu0 = backend === 'postgres' ? postgresCpu() : undefined;
    t = performance.now();
    let next = 0;
    const caller = async () => {
      while (next < total) await log.append(event(next++));
    };
    await Promise.all(Array.from({ length: wave }, caller));
    const appendMs = performance.now() - t;
    const appendCpu = (ownCpu() - cpu0) / total;
    const appendDbCpu = dbCpu0 ? postgresCpuSince(dbCpu0) / total : 0;

    const keys = new KeyStore(db);
    await keys.ensureSigningKey();
    const checkpoints = new Checkpoints(db, log, keys, { issuer: 'https://bench.example' });
    await checkpoints.create();

    const times = [];
    for (let i = 0; i < 1000; i += 1) {
      const seq = 1 + Math.floor(Math.random() * total);
      const s = performance.now();
      await log.inclusionProof(seq, total);
      times.push(performance.now() - s);
    }
    times.sort((a, b) => a - b);
    const mean = times.reduce((a, b) => a + b, 0) / times.length;
    const p99 = times[Math.floor(times.length * 0.99)];

    t = performance.now();
    const encoder = new TextEncoder();
    let read = 0;
    for await (const item of exportEntries(db, {}, { all: true })) {
      leafHash(encoder.encode(item.entry));
      read += 1;
    }
    const readMs = performance.now() - t;

    t = performance.now();
    const report = await verifyStoredLog(db, await checkpoints.all(), await keys.jwks());
    const verifyMs = performance.now() - t;
    if (!report.ok || report.entries !== total || read !== total)
      throw new Error(`verification failed: ${JSON.stringify(report)}`);

    // The next checkpoint after 10,000 more entries: checked to extend the last one (its root again, and the new
    // entries hashed from their bytes) before it is signed.
    const more = 10_000;
    next = 0;
    const extra = async () => {
      while (next < more) await log.append(event(total + next++));
    };
    await Promise.all(Array.from({ length: wave }, extra));
    t = performance.now();
    await checkpoints.create();
    const checkpointMs = performance.now() - t;
    const consistency = [];
    for (let i = 0; i < 200; i += 1) {
      const from = 1 + Math.floor(Math.random() * total);
      const s = performance.now();
      await log.consistencyProof(from, total + more);
      consistency.push(performance.now() - s);
    }
    const consistencyMean = consistency.reduce((a, b) => a + b, 0) / consistency.length;

    console.log(`audit bench on ${backend}, ${total.toLocaleString('en')} entries`);
    console.log(
      `  appends (grouped commits)   ${rate(total, appendMs).toLocaleString('en')} entries/s, CPU ${appendCpu.toFixed(1)} µs an entry${backend === 'postgres' ? ` (+ ${appendDbCpu.toFixed(1)} µs in PostgreSQL)` : ''}`,
    );
    console.log(
      `  baseline plain inserts      ${rate(baselineRows, baselineMs).toLocaleString('en')} rows/s  → appends at ${(rate(total, appendMs) / rate(baselineRows, baselineMs)).toFixed(2)}× of plain inserts`,
    );
    console.log(
      `  inclusion proof at ${total.toLocaleString('en')}  mean ${mean.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms`,
    );
    console.log(`  consistency proof           mean ${consistencyMean.toFixed(2)} ms`);
    console.log(
      `  checkpoint after ${more.toLocaleString('en')} more  ${checkpointMs.toFixed(0)} ms (checked to extend the last one)`,
    );
    console.log(
      `  full verification           ${seconds(verifyMs)} s (entries, every column, every subtree, checkpoints)`,
    );
    console.log(
      `  baseline read + hash        ${seconds(readMs)} s  → verification at ${(verifyMs / readMs).toFixed(2)}× of the baseline`,
    );
  } finally {
    await handle.destroy();
    await cleanup();
  }
}

for (const backend of backends) await bench(backend.trim());
