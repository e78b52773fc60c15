import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Checkpoints } from '@sangam/audit';
import { testBackend } from '@sangam/db/testing';
import {
  clientToken,
  createPartner,
  launderAuditTree,
  position,
  positions,
  startAlliance,
  startTestGateway,
  type TestGateway,
} from '@sangam/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clock, runCli } from './support/run.js';

describe(`witnesses and verification from anywhere on ${testBackend()}`, () => {
  let gw: TestGateway;
  let dir: string;
  let auditor: { clientId: string; clientSecret: string; token: string };
  let witness: { clientId: string; clientSecret: string; token: string };

  beforeAll(async () => {
    gw = await startTestGateway({ clock });
    dir = mkdtempSync(join(tmpdir(), 'sangam-witness-'));
    const admin = await gw.adminToken();
    const made = await gw.api.post('/consent/v1/clients', {
      token: admin,
      json: { organisation: 'surat', roles: ['auditor'], name: 'City auditor' },
    });
    const { clientId, clientSecret } = made.body.results;
    auditor = { clientId, clientSecret, token: await clientToken(gw.api, clientId, clientSecret) };
    const svnit = await createPartner(gw, { id: 'svnit', kind: 'academia', roles: ['consumer'] });
    witness = { ...svnit.client, token: svnit.token };
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await gw.close();
  });

  const checkpoint = async () => {
    const made = await gw.api.post('/audit/v1/checkpoints', { token: auditor.token });
    expect(made.status, made.text).toBe(201);
    return made.body.results as { treeSize: number; rootHash: string };
  };
  const witnessRun = () =>
    runCli(
      [
        'audit',
        'witness',
        '--gateway',
        gw.url,
        '--client',
        witness.clientId,
        '--key',
        join(dir, 'witness.key'),
        '--state',
        join(dir, 'state'),
        '--json',
      ],
      { SANGAM_CLIENT_SECRET: witness.clientSecret },
    );

  it('registers a witness key, cosigns checkpoints that extend what it saw, and catches a laundered log', async () => {
    const key = await runCli(
      [
        'audit',
        'witness-key',
        '--name',
        'svnit.example/witness',
        '--out',
        join(dir, 'witness.key'),
        '--json',
      ],
      {},
    );
    expect(key.code, key.stderr).toBe(0);
    const { verifierKey } = JSON.parse(key.stdout) as { verifierKey: string };
    expect(verifierKey).toMatch(/^svnit\.example\/witness\+[0-9a-f]{8}\+/);

    // Only the city admin registers witness keys.
    const byPartner = await gw.api.post('/audit/v1/witnesses', {
      token: witness.token,
      json: { organisation: 'svnit', verifierKey },
    });
    expect(byPartner.status).toBe(403);
    const registered = await gw.api.post('/audit/v1/witnesses', {
      token: await gw.adminToken(),
      json: { organisation: 'svnit', verifierKey },
    });
    expect(registered.status, registered.text).toBe(201);

    const first = await checkpoint();
    const run1 = await witnessRun();
    expect(run1.code, run1.stderr).toBe(0);
    expect(JSON.parse(run1.stdout)).toMatchObject({
      cosigned: true,
      treeSize: first.treeSize,
      previous: null,
    });
    const served = await gw.api.get('/audit/v1/checkpoints/latest', { token: auditor.token });
    expect(served.body.results.cosignatures).toHaveLength(1);
    expect(served.body.results.note).toContain('\n\u2014 svnit.example/witness ');

    for (let i = 0; i < 3; i += 1) await gw.adminToken();
    const second = await checkpoint();
    const run2 = await witnessRun();
    expect(run2.code, run2.stderr).toBe(0);
    expect(JSON.parse(run2.stdout)).toMatchObject({ treeSize: second.treeSize, previous: first.treeSize });

    // Offline, with the witness's key: the folder fetched over HTTP carries its cosignature.
    const out = join(dir, 'fetched');
    const fetched = await runCli(
      ['audit', 'fetch', '--gateway', gw.url, '--client', auditor.clientId, '--out', out, '--json'],
      { SANGAM_CLIENT_SECRET: auditor.clientSecret },
    );
    expect(fetched.code, fetched.stderr).toBe(0);
    const witnessed = await runCli(
      ['audit', 'verify', '--dir', out, '--witness', verifierKey, '--min-witnesses', '1'],
      {},
    );
    expect(witnessed.code, witnessed.stderr).toBe(0);
    expect(witnessed.stderr).toContain('cosigned by svnit.example/witness');

    // Someone with the database rewrites an early entry, recomputes the tree and deletes every checkpoint.
    const db = gw.database.db;
    const row = await db
      .selectFrom('audit_entries')
      .select('entry')
      .where('seq', '=', 2)
      .executeTakeFirstOrThrow();
    await db
      .updateTable('audit_entries')
      .set({ entry: row.entry.replace('"decision":"allow"', '"decision":"deny"'), decision: 'deny' })
      .where('seq', '=', 2)
      .execute();
    await launderAuditTree(db);
    await db.deleteFrom('audit_cosignatures').execute();
    await db.deleteFrom('audit_checkpoints').execute();

    // The running gateway remembers what it signed and refuses to sign over the rewrite.
    const refused = await gw.api.post('/audit/v1/checkpoints', { token: auditor.token });
    expect(refused.status).toBe(409);
    expect(refused.body.type).toBe('urn:dx:as:logInconsistent');

    // A gateway that forgot (restarted) signs the rewritten log; the witness still refuses it, loudly.
    const forgetful = new Checkpoints(db, gw.gateway.consent.audit, gw.gateway.consent.keys, {
      issuer: gw.gateway.consent.tokens.issuer,
      clock,
    });
    await forgetful.create();
    const caught = await witnessRun();
    expect(caught.code).toBe(3);
    expect(caught.stderr).toMatch(
      /REFUSED: the checkpoint at \d+ does not extend the one at \d+ seen before/,
    );

    // And an auditor requiring the witness rejects what the gateway now serves.
    const again = join(dir, 'after');
    await runCli(['audit', 'fetch', '--gateway', gw.url, '--client', auditor.clientId, '--out', again], {
      SANGAM_CLIENT_SECRET: auditor.clientSecret,
    });
    const rejected = await runCli(
      ['audit', 'verify', '--dir', again, '--witness', verifierKey, '--min-witnesses', '1'],
      {},
    );
    expect(rejected.code).toBe(1);
    expect(rejected.stderr).toContain('FAILED');
    expect(rejected.stderr).toContain('0 cosignatures by the witnesses given, 1 are required');
  }, 60_000);

  it('fetches exactly a checkpointed log over HTTP while adapters ingest, which verifies offline and fails on any changed byte', async () => {
    const alliance = await startAlliance();
    const fresh = alliance.gw;
    const folder = join(dir, 'remote');
    try {
      const admin = await fresh.adminToken();
      const made = await fresh.api.post('/consent/v1/clients', {
        token: admin,
        json: { organisation: 'surat', roles: ['auditor'], name: 'Auditor' },
      });
      const { clientId, clientSecret } = made.body.results;
      const token = await clientToken(fresh.api, clientId, clientSecret);
      await fresh.api.post('/audit/v1/checkpoints', { token });
      // The log keeps growing while it is fetched, as an adapter publishes: the export stops at the checkpoint's
      // size all the same.
      let writing = true;
      const writer = (async () => {
        for (let i = 0; writing; i += 1) {
          const published = await alliance.ingest(positions, [position(alliance.clock, `bus-${i}`, 1)]);
          expect(published.status).toBe(200);
        }
      })();
      const fetched = await runCli(
        ['audit', 'fetch', '--gateway', fresh.url, '--client', clientId, '--out', folder, '--json'],
        { SANGAM_CLIENT_SECRET: clientSecret },
      );
      writing = false;
      await writer;
      expect(fetched.code, fetched.stderr).toBe(0);
      const { entries, treeSize } = JSON.parse(fetched.stdout);
      expect(entries).toBe(treeSize);
      expect((await fresh.gateway.consent.audit.size()) > treeSize).toBe(true);
      const verify = () => runCli(['audit', 'verify', '--dir', folder], {});
      const ok = await verify();
      expect(ok.code, ok.stderr).toBe(0);
      expect(ok.stderr).toContain(`OK: ${treeSize} entries match`);

      // One changed byte anywhere in an entry fails it, naming the entry.
      const file = join(folder, 'entries.jsonl');
      const text = readFileSync(file, 'utf8');
      const at = text.indexOf('"action":"') + '"action":"'.length;
      writeFileSync(file, `${text.slice(0, at)}X${text.slice(at + 1)}`);
      const changed = await verify();
      expect(changed.code).toBe(1);
      expect(changed.stderr).toContain('FAILED: first bad entry 1');

      // `audit export` from anywhere is the same fetch: no database at hand.
      const exported = await runCli(
        [
          'audit',
          'export',
          '--gateway',
          fresh.url,
          '--client',
          clientId,
          '--out',
          join(dir, 'exported'),
          '--json',
        ],
        { SANGAM_CLIENT_SECRET: clientSecret, DATABASE_URL: 'sqlite:/nonexistent/nowhere.db' },
      );
      expect(exported.code, exported.stderr).toBe(0);
      expect((await runCli(['audit', 'verify', '--dir', join(dir, 'exported')], {})).code).toBe(0);

      const beyond = await fresh.api.get(`/audit/v1/export?treeSize=${treeSize + 1_000_000}`, { token });
      expect(beyond.status).toBe(400);
      expect(beyond.body.type).toBe('urn:dx:as:invalidParameter');
    } finally {
      await fresh.close();
    }
  }, 60_000);
});
