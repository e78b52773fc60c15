import { copyFileSync, existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabase, type DatabaseHandle, migrateToLatest, sql } from '@sangam/db';
import { testPostgresDatabase } from '@sangam/db/testing';
import { type DemoNewcomer, seedDemo } from '@sangam/demo';
import { Api, clientToken, startSangamProcess, startTestGateway, type TestGateway } from '@sangam/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clock, clockEnv, runCli } from './support/run.js';

/** What the gateways on both sides share: a token issued by one is checked by the other. */
const shared = {
  SANGAM_ISSUER: 'http://sangam.surat.test',
  SANGAM_KEY_ENCRYPTION_SECRET: 'a-secret-every-instance-shares-0123',
};

/** An embedded gateway's database file with the demo alliance seeded through the API, and its newcomer. */
async function embeddedDemo(): Promise<{ file: string; newcomer: DemoNewcomer; token: string }> {
  const file = join(mkdtempSync(join(tmpdir(), 'sangam-move-')), 'sangam.db');
  const database = createDatabase(`sqlite:${file}`);
  await migrateToLatest(database);
  const gw = await startTestGateway({ database, env: shared, clock });
  try {
    const newcomer = await seedDemo(gw.gateway.app, database.db, gw.admin, {
      city: 'Surat',
      cityOrganisation: gw.city.id,
      now: clock.now(),
    });
    // A token issued before the move, to show it still works after.
    const token = await clientToken(gw.api, newcomer.consumer.clientId, newcomer.consumer.clientSecret);
    return { file, newcomer, token };
  } finally {
    await gw.close();
    await database.destroy();
  }
}

/** Rows of every table the copy names, on one side. */
async function counts(db: DatabaseHandle['db'], tables: readonly string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of tables) {
    const { rows } = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(table)}`.execute(
      db,
    );
    out[table] = Number(rows[0]?.n ?? 0);
  }
  return out;
}

// The copy needs PostgreSQL as its target and the backups SQLite as their subject, whatever the backend under test.
describe('sangam db copy, from the embedded SQLite to PostgreSQL', () => {
  let target: DatabaseHandle;
  let demo: Awaited<ReturnType<typeof embeddedDemo>>;
  beforeAll(async () => {
    demo = await embeddedDemo();
    target = await testPostgresDatabase();
  }, 120_000);
  afterAll(async () => {
    await target.destroy();
  });

  it("moves the demo's every row, with a log that verifies and tokens that keep working", async () => {
    const env = { ...shared, ...clockEnv() };
    const copy = await runCli(
      ['db', 'copy', '--from', `sqlite:${demo.file}`, '--to', target.url, '--json'],
      env,
    );
    expect(copy.code, copy.stderr).toBe(0);
    const report = JSON.parse(copy.stdout) as {
      tables: { table: string; rows: number }[];
      auditEntries: number;
    };
    const tables = report.tables.map((t) => t.table);
    for (const table of ['audit_entries', 'audit_nodes', 'signing_keys', 'clients', 'mous', 'consents']) {
      expect(tables).toContain(table);
    }
    // Every row of every table is there.
    const source = createDatabase(`sqlite:${demo.file}`);
    try {
      expect(await counts(target.db, tables)).toEqual(await counts(source.db, tables));
      const entries = (db: DatabaseHandle['db']) =>
        db.selectFrom('audit_entries').select(['seq', 'action', 'entry']).orderBy('seq').execute();
      const [before, after] = [await entries(source.db), await entries(target.db)];
      expect(after.map((e) => ({ ...e, seq: Number(e.seq) }))).toEqual(before);
      expect(report.auditEntries).toBe(before.length);
    } finally {
      await source.destroy();
    }

    // A gateway on PostgreSQL with the same issuer and secret: the old token and the old secrets work.
    const gateway = await startSangamProcess({
      cwd: mkdtempSync(join(tmpdir(), 'sangam-moved-')),
      env: { ...env, DATABASE_URL: target.url, LOG_LEVEL: 'warn' },
    });
    try {
      const api = new Api(gateway.url);
      const consents = await api.get('/consent/v1/consents', { token: demo.token });
      expect(consents.status).toBe(200);
      expect(consents.body.results.map((c: { id: string }) => c.id)).toContain(
        demo.newcomer.alliance.busConsent,
      );
      const auditor = await clientToken(
        api,
        demo.newcomer.auditor.clientId,
        demo.newcomer.auditor.clientSecret,
      );
      const verified = await api.get('/audit/v1/verify', { token: auditor });
      // The copied log, and the entries the new gateway appended to it since (the auditor's own token).
      expect(verified.body.results.ok).toBe(true);
      expect(verified.body.results.entries).toBeGreaterThan(report.auditEntries);
    } finally {
      gateway.child.kill('SIGTERM');
    }

    // A second copy into the now filled database is refused, and changes nothing.
    const again = await runCli(['db', 'copy', '--from', `sqlite:${demo.file}`, '--to', target.url], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('the target database is not empty');
  }, 120_000);

  it('refuses a source whose audit log does not verify, and copies nothing', async () => {
    const tampered = join(mkdtempSync(join(tmpdir(), 'sangam-tampered-')), 'sangam.db');
    copyFileSync(demo.file, tampered);
    const handle = createDatabase(`sqlite:${tampered}`);
    await handle.db
      .updateTable('audit_entries')
      .set({ action: 'nothing.happened' })
      .where('seq', '=', 3)
      .execute();
    await handle.destroy();
    const empty = await testPostgresDatabase();
    try {
      const copy = await runCli(['db', 'copy', '--from', `sqlite:${tampered}`, '--to', empty.url], {
        ...shared,
        ...clockEnv(),
      });
      expect(copy.code).toBe(1);
      expect(copy.stderr).toContain('the audit log of the source does not verify');
      const { rows } = await sql<{ n: string }>`
        select count(*) as n from information_schema.tables where table_schema = current_schema()`.execute(
        empty.db,
      );
      expect(Number(rows[0]?.n)).toBe(0);
    } finally {
      await empty.destroy();
    }
  });
});

describe('sangam backup and restore of the embedded database', () => {
  let gw: TestGateway | undefined;
  let database: DatabaseHandle;
  let dir: string;
  let file: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sangam-backup-'));
    file = join(dir, 'sangam.db');
    database = createDatabase(`sqlite:${file}`);
    await migrateToLatest(database);
    gw = await startTestGateway({ database, env: shared, clock });
  });
  afterAll(async () => {
    await gw?.close();
    await database.destroy();
  });

  const entries = async (db: DatabaseHandle['db']) =>
    Number(
      (
        await db
          .selectFrom('audit_entries')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirst()
      )?.n,
    );

  it('backs up while the gateway serves, and restores that copy in place, verified, keeping what it replaced', async () => {
    const env = { ...shared, ...clockEnv(), DATABASE_URL: `sqlite:${file}` };
    await gw?.adminToken();
    const backup = join(dir, 'backup.db');
    const made = await runCli(['backup', '--out', backup, '--json'], env);
    expect(made.code, made.stderr).toBe(0);
    const saved = JSON.parse(made.stdout).auditEntries as number;
    expect(saved).toBeGreaterThan(0);
    // The gateway serves on; its log grows past the backup.
    await gw?.adminToken();
    expect(await entries(database.db)).toBeGreaterThan(saved);
    expect((await runCli(['backup', '--out', backup], env)).stderr).toContain('exists');

    await gw?.close();
    gw = undefined;
    await database.destroy();
    const restored = await runCli(['restore', '--from', backup, '--json'], env);
    expect(restored.code, restored.stderr).toBe(0);
    const result = JSON.parse(restored.stdout) as { auditEntries: number; kept: string };
    expect(result.auditEntries).toBe(saved);
    expect(existsSync(result.kept)).toBe(true);
    database = createDatabase(`sqlite:${file}`);
    expect(await entries(database.db)).toBe(saved);
    expect(readdirSync(dir).filter((f) => f.startsWith('sangam.db.before-restore-')).length).toBeGreaterThan(
      0,
    );
  });

  it('refuses a backup whose audit log does not verify, and leaves the database as it was', async () => {
    const bad = join(dir, 'tampered.db');
    copyFileSync(join(dir, 'backup.db'), bad);
    const handle = createDatabase(`sqlite:${bad}`);
    await handle.db
      .updateTable('audit_entries')
      .set({ action: 'nothing.happened' })
      .where('seq', '=', 1)
      .execute();
    await handle.destroy();
    const before = await entries(database.db);
    const refused = await runCli(['restore', '--from', bad], {
      ...shared,
      ...clockEnv(),
      DATABASE_URL: `sqlite:${file}`,
    });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('does not verify');
    expect(await entries(database.db)).toBe(before);
  });

  it('points PostgreSQL to its own tools', async () => {
    const run = await runCli(['backup', '--out', join(dir, 'x.db')], {
      ...shared,
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test',
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('pg_dump');
  });
});
