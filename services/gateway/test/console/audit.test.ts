import { cosign, newWitnessKey, parseNote, parseWitnessKey, signatureLine } from '@sangam/audit';
import { testBackend } from '@sangam/db/testing';
import {
  type Alliance,
  launderAuditTree,
  signedInPerson,
  startAlliance,
  textOf,
  Visitor,
} from '@sangam/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Step, verifyCheckpoints, verifyEntry } from '../../src/console/verifier.js';

/** The verifier's fetch, as a signed-in person's browser makes it. */
const fetcherOf = (visitor: Visitor) => async (path: string) => {
  const answer = await visitor.get(path, { accept: 'application/json' });
  if (answer.status !== 200) throw new Error(`${path}: ${answer.status} ${answer.html}`);
  return JSON.parse(answer.html) as unknown;
};
const stepOf = (steps: Step[], name: string) => steps.find((s) => s.step === name);

/** The auditor's workspace: the log with filters and export, and entries and checkpoints verified by the verifier. */
describe(`the auditor's workspace in the console on ${testBackend()}`, () => {
  let a: Alliance;
  let auditor: Visitor;
  let steward: Visitor;
  let seq: number;

  beforeAll(async () => {
    a = await startAlliance();
    auditor = await signedInPerson(a, 'admin', {
      email: 'auditor@surat.example',
      roles: ['auditor'],
    });
    steward = await signedInPerson(a, 'sitilink', {
      email: 'steward@sitilink.example',
      roles: ['admin', 'provider'],
    });
    await a.consent();
    // A witness run by SVNIT cosigns the checkpoint.
    const witness = newWitnessKey('witness.svnit.example');
    const registered = await a.gw.api.post('/audit/v1/witnesses', {
      token: await a.token('admin'),
      json: { organisation: 'svnit', verifierKey: witness.verifierKey },
    });
    expect(registered.status).toBe(201);
    const made = await a.gw.api.post('/audit/v1/checkpoints', { token: await a.token('admin') });
    expect(made.status).toBe(201);
    const size = made.body.results.treeSize as number;
    const note = await a.gw.api.get(`/audit/v1/checkpoints/${size}?format=note`, {
      token: await a.token('admin'),
    });
    const line = signatureLine(
      cosign(
        parseNote(note.text).text,
        parseWitnessKey(witness.privateKey),
        Math.floor(a.clock.now().getTime() / 1000),
      ),
    );
    const cosigned = await a.gw.api.post(`/audit/v1/checkpoints/${size}/cosignatures`, {
      token: await a.token('svnitAdmin'),
      raw: { body: line, contentType: 'text/plain' },
    });
    expect(cosigned.status).toBe(201);
    const grant = await a.gw.database.db
      .selectFrom('audit_entries')
      .select('seq')
      .where('action', '=', 'consent.grant')
      .executeTakeFirstOrThrow();
    seq = Number(grant.seq);
  });
  afterAll(async () => a?.gw.close());

  it('lists the log with filters, pages it and exports what it shows; a partner sees only its own entries', async () => {
    const all = await auditor.get('/audit');
    expect(all.status).toBe(200);
    const text = textOf(all.html);
    expect(text).toContain('consent.grant');
    expect(text).toContain('witness.svnit.example');
    const denied = await auditor.get('/audit?decision=deny&action=consent.grant');
    expect(textOf(denied.html)).toContain('No entry matches.');
    const grants = await auditor.get('/audit?action=consent.grant&organisation=svnit');
    expect(grants.html).toContain(`href="/audit/entries/${seq}"`);
    // A malformed filter is dropped, not sent on.
    expect((await auditor.get('/audit?action=%3Cscript%3E&from=2026-02-31')).status).toBe(200);
    const csv = await auditor.get('/audit/export?format=csv&action=consent.grant');
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.html.trim().split('\n')).toHaveLength(2);
    const jsonl = await auditor.get('/audit/export?format=jsonl&action=consent.grant');
    expect(JSON.parse(jsonl.html.trim()).entry.action).toBe('consent.grant');

    const theirs = textOf((await steward.get('/audit')).html);
    expect(theirs).toContain('consent.grant');
    expect(theirs).not.toContain('identity.client.create');
    const yulu = await signedInPerson(a, 'yulu', { email: 'ops@yulu.example', roles: ['admin'] });
    expect((await yulu.get(`/audit/entries/${seq}`)).status).toBe(404);
    expect((await yulu.get(`/audit/data/entries/${seq}`)).status).toBe(404);
    expect((await new Visitor(a.gw.url).get(`/audit/data/entries/${seq}`)).status).toBe(401);
    expect((await auditor.get('/audit/data/entries/0')).status).toBe(400);
    expect((await auditor.get(`/audit/data/entries/${seq}/proof?treeSize=999999`)).status).toBe(400);
  });

  it('an entry page carries the verifier, which verifies the entry, the checkpoint, its note and the cosignature', async () => {
    const page = await auditor.get(`/audit/entries/${seq}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('<script type="module" src="/console/audit.js">');
    expect(page.html).toContain(`data-seq="${seq}"`);
    const module = await auditor.get('/console/verifier.js');
    expect(module.headers.get('content-type')).toContain('text/javascript');
    expect(module.html).toContain('export async function verifyEntry');
    expect(module.html).not.toMatch(/^import /m);

    const steps = await verifyEntry(fetcherOf(auditor), seq);
    expect(steps.map((s) => [s.step, s.ok])).toEqual([
      ['leaf', true],
      ['signature', true],
      ['note', true],
      ['cosignatures', true],
      ['inclusion', true],
    ]);
    expect(stepOf(steps, 'cosignatures')?.values.names).toBe('witness.svnit.example');
  });

  it('checks consistency between two checkpoints', async () => {
    const first = (await a.gw.api.get('/audit/v1/checkpoints/latest', { token: await a.token('admin') })).body
      .results.treeSize as number;
    await a.consent();
    const second = (await a.gw.api.post('/audit/v1/checkpoints', { token: await a.token('admin') })).body
      .results.treeSize as number;
    const page = await auditor.get(`/audit/consistency?from=${first}&to=${second}`);
    expect(page.status).toBe(200);
    const steps = await verifyCheckpoints(fetcherOf(auditor), first, second);
    expect(stepOf(steps, 'consistency')).toMatchObject({ ok: true, values: { from: first, to: second } });
    expect((await auditor.get(`/audit/consistency?from=${second}&to=${first}`)).status).toBe(400);
  });

  it('a server that answers another checkpoint, hides the note, or passes off another JWS is caught', async () => {
    const sizes = (
      await a.gw.database.db
        .selectFrom('audit_checkpoints')
        .select('tree_size')
        .orderBy('tree_size')
        .execute()
    ).map((r) => Number(r.tree_size));
    const [first, last] = [sizes[0] ?? 0, sizes.at(-1) ?? 0];
    expect(last).toBeGreaterThan(first);
    const honest = fetcherOf(auditor);
    // The older checkpoint asked for, the newer one answered: the roots would be compared at the wrong size.
    const swapped = async (path: string) =>
      honest(path === `/audit/data/checkpoints/${first}` ? `/audit/data/checkpoints/${last}` : path);
    const sizeSteps = await verifyCheckpoints(swapped, first, last);
    expect(stepOf(sizeSteps, 'size')).toMatchObject({ ok: false, values: { asked: first, size: last } });
    expect(stepOf(sizeSteps, 'consistency')).toBeUndefined();

    // The note, where witnesses cosign, left out.
    const noteless = async (path: string) => {
      const answer = (await honest(path)) as Record<string, unknown>;
      if (path.startsWith('/audit/data/checkpoints/')) delete answer.note;
      return answer;
    };
    const noteSteps = await verifyEntry(noteless, seq);
    expect(stepOf(noteSteps, 'note')?.ok).toBe(false);
    expect(stepOf(noteSteps, 'inclusion')).toBeUndefined();

    // A consent's artefact, signed by the same key, served as the checkpoint's JWS.
    const consent = (await a.gw.api.get('/consent/v1/consents', { token: await a.token('admin') })).body
      .results[0].id;
    const artefact = (
      await a.gw.api.get(`/consent/v1/consents/${consent}/artefact`, { token: await a.token('admin') })
    ).body.results.jws as string;
    const forged = async (path: string) => {
      const answer = (await honest(path)) as Record<string, unknown>;
      if (path.startsWith('/audit/data/checkpoints/')) answer.jws = artefact;
      return answer;
    };
    const forgedSteps = await verifyEntry(forged, seq);
    expect(stepOf(forgedSteps, 'signature')).toMatchObject({ ok: false });
    expect(String(stepOf(forgedSteps, 'signature')?.values.why)).toContain('not a checkpoint');
  });

  it('an entry changed behind the gateway, even with the tree recomputed to match, fails at the inclusion step', async () => {
    const db = a.gw.database.db;
    const row = await db
      .selectFrom('audit_entries')
      .select('entry')
      .where('seq', '=', seq)
      .executeTakeFirstOrThrow();
    const forged = row.entry.replace('"decision":"allow"', '"decision":"allow","reason":"nothing to see"');
    expect(forged).not.toBe(row.entry);
    await db.updateTable('audit_entries').set({ entry: forged }).where('seq', '=', seq).execute();
    let steps = await verifyEntry(fetcherOf(auditor), seq);
    expect(stepOf(steps, 'signature')?.ok).toBe(true);
    expect(stepOf(steps, 'inclusion')?.ok).toBe(false);

    await launderAuditTree(db);
    steps = await verifyEntry(fetcherOf(auditor), seq);
    expect(stepOf(steps, 'inclusion')?.ok).toBe(false);
    await db.updateTable('audit_entries').set({ entry: row.entry }).where('seq', '=', seq).execute();
    await launderAuditTree(db);
    steps = await verifyEntry(fetcherOf(auditor), seq);
    expect(steps.every((s) => s.ok)).toBe(true);
  });

  it('verifies an entry of a gateway that signs with ES256 (P-256) just the same', async () => {
    const es = await startAlliance({ env: { SANGAM_KEY_ALGORITHM: 'ES256' } });
    try {
      const person = await signedInPerson(es, 'admin', {
        email: 'auditor@surat.example',
        roles: ['auditor'],
      });
      await es.consent();
      const made = await es.gw.api.post('/audit/v1/checkpoints', { token: await es.token('admin') });
      expect(made.status).toBe(201);
      const steps = await verifyEntry(fetcherOf(person), 2);
      expect(stepOf(steps, 'signature')).toMatchObject({ ok: true, values: { alg: 'ES256' } });
      expect(steps.every((s) => s.ok)).toBe(true);
    } finally {
      await es.gw.close();
    }
  });
});
