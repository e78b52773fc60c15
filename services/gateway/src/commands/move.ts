import { copyFileSync, existsSync, renameSync, rmSync } from 'node:fs';
import { AuditLog, Checkpoints, type StoredLogReport, verifyStoredLog } from '@sangam/audit';
import { KeyStore } from '@sangam/auth';
import {
  backendOf,
  backupSqlite,
  copyDatabase,
  createDatabase,
  type Database,
  type DatabaseHandle,
  foldWal,
  type Kysely,
  migrateToLatest,
  sqliteFileOf,
} from '@sangam/db';
import { loadGatewayConfig } from '../config.js';
import { CommandError, UsageError } from '../usage.js';
import { clock, say } from './context.js';

/**
 * The audit log of a database, verified as an auditor would (`GET /audit/v1/verify`): every entry, subtree,
 * checkpoint and cosignature, against the keys stored with it. Opening the keys needs the same
 * `SANGAM_KEY_ENCRYPTION_SECRET` as the gateway's.
 */
async function verifiedLog(db: Kysely<Database>, where: string): Promise<StoredLogReport> {
  const config = loadGatewayConfig();
  const keys = new KeyStore(db, {
    clock,
    cacheMs: 0,
    encryptionSecret: config.SANGAM_KEY_ENCRYPTION_SECRET,
  });
  const checkpoints = new Checkpoints(db, new AuditLog(db, { clock }), keys, {
    issuer: config.SANGAM_ISSUER,
    clock,
  });
  const report = await verifyStoredLog(db, await checkpoints.all(), await keys.jwks());
  if (!report.ok) {
    throw new CommandError(`the audit log of ${where} does not verify: ${JSON.stringify(report)}`);
  }
  return report;
}

/** An existing database, opened and brought to this version's schema. */
async function openExisting(url: string, what: string): Promise<DatabaseHandle> {
  const file = sqliteFileOf(url);
  if (file && !existsSync(file)) throw new CommandError(`there is no ${what} database at ${file}`);
  const handle = createDatabase(url, { poolSize: 4 });
  try {
    await migrateToLatest(handle);
  } catch (error) {
    await handle.destroy();
    throw error;
  }
  return handle;
}

/**
 * `sangam db copy --from sqlite:FILE --to postgres://…`: moves an embedded gateway (stopped) to PostgreSQL. The
 * source's audit log is verified first, every table copied in one transaction into an empty database, and the
 * target's log verified after, to the same size and root. Signing keys and client secrets move with it, so tokens
 * and credentials keep working on gateways that share the source's issuer and key secret.
 */
export async function dbCopy(options: { from?: string; to?: string; json: boolean }): Promise<void> {
  if (!options.from || !options.to) {
    throw new UsageError('db copy needs --from sqlite:FILE and --to postgres://USER@HOST:PORT/DATABASE');
  }
  if (backendOf(options.from) !== 'sqlite' || !sqliteFileOf(options.from)) {
    throw new UsageError(`--from must name an embedded database file (sqlite:FILE), not ${options.from}`);
  }
  if (backendOf(options.to) !== 'postgres')
    throw new UsageError('--to must be a PostgreSQL URL (postgres://…)');
  const source = await openExisting(options.from, 'source');
  try {
    // One snapshot of the source for the check and the copy. The target is touched only once the source verifies,
    // and the copy is checked before it commits.
    const { tables, entries } = await source.db.transaction().execute(async (snapshot) => {
      const before = await verifiedLog(snapshot, 'the source');
      const target = await openExisting(options.to as string, 'target');
      try {
        const copied = await copyDatabase({ db: snapshot, backend: source.backend }, target, {
          check: async (copy) => {
            const after = await verifiedLog(copy, 'the copy');
            if (after.entries !== before.entries || after.checkpointSize !== before.checkpointSize) {
              throw new CommandError(
                `the copy's audit log differs: ${after.entries} entries to the source's ${before.entries}`,
              );
            }
          },
        });
        return { tables: copied, entries: before.entries };
      } finally {
        await target.destroy();
      }
    });
    const rows = tables.reduce((n, t) => n + t.rows, 0);
    if (options.json) process.stdout.write(`${JSON.stringify({ tables, auditEntries: entries })}\n`);
    else {
      say(`  Copied ${rows} rows in ${tables.length} tables; the audit log verifies: ${entries} entries.`);
      say(
        '  Start the gateways on the new database with the same SANGAM_ISSUER and SANGAM_KEY_ENCRYPTION_SECRET.',
      );
    }
  } finally {
    await source.destroy();
  }
}

/**
 * `sangam backup --out FILE`: a consistent copy of the embedded database while the gateway runs, its audit log
 * verified. PostgreSQL has its own tools, which the command names.
 */
export async function backup(options: { out?: string; json: boolean }): Promise<void> {
  const config = loadGatewayConfig();
  const file = sqliteFileOf(config.DATABASE_URL);
  if (!file) {
    throw new CommandError(
      'on PostgreSQL, back up with pg_dump --format=custom (consistent while the gateways run) or continuous WAL archiving; see deploy/README.md',
    );
  }
  if (!options.out) throw new UsageError('backup needs --out FILE');
  if (!existsSync(file)) throw new CommandError(`there is no database at ${file}`);
  if (existsSync(options.out)) throw new CommandError(`${options.out} exists: name a new file`);
  await backupSqlite(file, options.out);
  const copy = createDatabase(`sqlite:${options.out}`);
  try {
    const report = await verifiedLog(copy.db, options.out);
    if (options.json)
      process.stdout.write(`${JSON.stringify({ out: options.out, auditEntries: report.entries })}\n`);
    else say(`  Backed up to ${options.out}; its audit log verifies: ${report.entries} entries.`);
  } catch (error) {
    rmSync(options.out, { force: true });
    throw error;
  } finally {
    await copy.destroy();
  }
}

/**
 * `sangam restore --from FILE`: puts a backup in place of the embedded database, with the gateway stopped. The
 * backup's audit log is verified before anything is replaced, and the database it replaces is kept beside it.
 */
export async function restore(options: { from?: string; json: boolean }): Promise<void> {
  const config = loadGatewayConfig();
  const file = sqliteFileOf(config.DATABASE_URL);
  if (!file) {
    throw new CommandError(
      'on PostgreSQL, restore with pg_restore --clean --if-exists; see deploy/README.md',
    );
  }
  if (!options.from) throw new UsageError('restore needs --from FILE');
  if (!existsSync(options.from)) throw new CommandError(`there is no backup at ${options.from}`);
  const backupCopy = createDatabase(`sqlite:${options.from}`);
  let report: StoredLogReport;
  try {
    report = await verifiedLog(backupCopy.db, options.from);
  } finally {
    await backupCopy.destroy();
  }
  // The database replaced is kept whole (a snapshot of it with its log), then the backup is copied beside it and
  // moved into its place by one rename: at every moment the path holds one whole database, old or new.
  const kept = existsSync(file)
    ? `${file}.before-restore-${clock.now().toISOString().replace(/[:.]/g, '-')}`
    : '';
  if (kept) {
    await backupSqlite(file, kept);
    // Its log folded into it and emptied, so no log of the old database is left to be read against the new one.
    foldWal(file);
    for (const side of ['-wal', '-shm']) rmSync(`${file}${side}`, { force: true });
  }
  const incoming = `${file}.restoring`;
  copyFileSync(options.from, incoming);
  renameSync(incoming, file);
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ restored: file, auditEntries: report.entries, kept })}\n`);
  } else {
    say(`  Restored ${file} from ${options.from}; its audit log verifies: ${report.entries} entries.`);
    if (kept) say(`  The database it replaced is kept as ${kept}.`);
  }
}
