import SwaggerParser from '@apidevtools/swagger-parser';
import { cosign, newWitnessKey, parseNote, parseWitnessKey, signatureLine } from '@sangam/audit';
import { testBackend } from '@sangam/db/testing';
import { type Alliance, Contract, type OpenApiDocument, positions, startAlliance } from '@sangam/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The consent service's document is a contract: every operation it lists is called here with a request built from
 * its schema (the example the document shows, with the ids at hand given), and each answer's status and body are checked against what the document says of that operation.
 */
describe(`the consent service's OpenAPI document on ${testBackend()}`, () => {
  let a: Alliance;
  let document: OpenApiDocument;
  let contract: Contract;

  beforeAll(async () => {
    a = await startAlliance();
    const r = await a.gw.api.get('/consent/v1/openapi.json');
    expect(r.status).toBe(200);
    document = r.body;
    contract = new Contract(a.gw.api, document);
  });
  afterAll(async () => {
    await a.gw.close();
  });

  /** Calls an operation as `who` (a client of the alliance, or anyone) and checks the answer against the document. */
  const call = async (
    operationId: string,
    who: string,
    options: {
      params?: Record<string, string>;
      json?: object;
      example?: object;
      query?: string;
      form?: Record<string, string>;
      text?: string;
    } = {},
  ) => contract.call(operationId, { ...options, ...(who === 'anyone' ? {} : { token: await a.token(who) }) });

  it('is a valid OpenAPI 3.1 document naming who may call each operation', async () => {
    await SwaggerParser.validate(structuredClone(document) as never);
    expect(contract.operationIds.length).toBeGreaterThanOrEqual(40);
    // The gateway's own document holds every one of them, the same.
    const gateway = await a.gw.api.get('/openapi.json');
    for (const [path, methods] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        expect(
          Object.keys(operation.responses).some((s) => s.startsWith('2')),
          operation.operationId,
        ).toBe(true);
        expect(gateway.body.paths[path]?.[method], `${method} ${path}`).toEqual(operation);
      }
    }
  });

  it('answers every operation as documented, on the happy path and on refusals', async () => {
    // Identity: an organisation and a client of it.
    const org = await call('createOrganisation', 'admin', {
      example: { id: 'bus-union', kind: 'community' },
    });
    expect(org.status).toBe(201);
    expect((await call('listOrganisations', 'admin', { query: '?limit=5' })).status).toBe(200);
    expect((await call('getOrganisation', 'admin', { params: { id: 'bus-union' } })).status).toBe(200);
    expect((await call('getOrganisation', 'admin', { params: { id: 'nobody' } })).status).toBe(404);
    const client = await call('createClient', 'admin', {
      example: { organisation: 'bus-union', roles: ['consumer'] },
    });
    expect(client.status).toBe(201);
    const clientId = client.body.results.clientId as string;
    expect((await call('listClients', 'admin', { query: '?organisation=bus-union' })).status).toBe(200);
    expect((await call('listClients', 'admin', { query: '?limit=0' })).status).toBe(400);
    expect((await call('getClient', 'admin', { params: { id: clientId } })).status).toBe(200);
    expect((await call('rotateClientSecret', 'admin', { params: { id: clientId } })).status).toBe(200);
    expect((await call('revokeClient', 'svnit', { params: { id: clientId } })).status).toBe(403);
    expect((await call('revokeClient', 'admin', { params: { id: clientId } })).status).toBe(200);

    // People: an invitation, a person who joins through its link, the list, a suspension.
    const invited = await call('inviteMember', 'svnitAdmin', { example: { email: 'steward@svnit.example' } });
    expect(invited.status).toBe(201);
    expect((await call('inviteMember', 'svnit', { example: {} })).status).toBe(403);
    expect((await call('inviteMember', 'svnitAdmin', { json: { email: 'x' } })).status).toBe(400);
    const joined = await fetch(`${a.gw.url}/join/${invited.body.results.token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: a.gw.url },
      body: 'password=correct+horse+battery',
    });
    expect(joined.status).toBe(200);
    const members = await call('listMembers', 'svnitAdmin');
    expect(members.status).toBe(200);
    const steward = members.body.results.find((m: { email: string }) => m.email === 'steward@svnit.example');
    expect((await call('suspendMember', 'sitilink', { params: { id: steward.memberId } })).status).toBe(404);
    expect((await call('suspendMember', 'svnitAdmin', { params: { id: steward.memberId } })).status).toBe(
      200,
    );

    // MoUs: drafted, signed, amended, suspended, resumed, left and terminated.
    const day = 86_400_000;
    // The schema's example names the demo's bus data; the dates are the alliance's own.
    const endsAt = new Date(a.clock.now().getTime() + 200 * day).toISOString();
    const drafted = await call('draftMou', 'admin', {
      example: {
        endsAt,
        partners: ['sitilink', 'svnit'],
        effectiveFrom: a.clock.now().toISOString(),
        kpis: [{ metric: 'consents-granted', target: 1, direction: 'at-least', reviewBy: '2027-06-30' }],
      },
    });
    expect(drafted.status).toBe(201);
    const mou = drafted.body.results.id as string;
    expect((await call('draftMou', 'admin', { json: { title: 'x' } })).status).toBe(400);
    expect((await call('listMous', 'svnitAdmin')).status).toBe(200);
    expect((await call('getMou', 'svnitAdmin', { params: { id: mou } })).status).toBe(200);
    for (const who of ['admin', 'sitilink', 'svnitAdmin']) {
      expect((await call('signMou', who, { params: { id: mou } })).status).toBe(200);
    }
    expect((await call('mouArtefact', 'sitilink', { params: { id: mou } })).status).toBe(200);
    expect((await call('mouSummary', 'sitilink', { params: { id: mou } })).status).toBe(200);
    const kpis = await call('mouKpis', 'sitilink', { params: { id: mou } });
    expect(kpis.status).toBe(200);
    expect(kpis.body.results.length).toBeGreaterThan(0);
    expect((await call('amendMou', 'admin', { params: { id: mou }, example: { endsAt } })).status).toBe(200);
    expect(
      (await call('suspendMou', 'admin', { params: { id: mou }, example: { reason: 'audit' } })).status,
    ).toBe(200);
    expect((await call('resumeMou', 'admin', { params: { id: mou } })).status).toBe(200);
    expect((await call('withdrawFromMou', 'svnitAdmin', { params: { id: mou } })).status).toBe(200);
    expect((await call('terminateMou', 'sitilink', { params: { id: mou } })).status).toBe(200);

    // Consents under the alliance's MoU, their decisions, and an access token.
    const ask = (purpose = 'transit research') =>
      call('requestConsent', 'svnit', {
        example: {
          mou: a.mou,
          items: [positions],
          purpose,
          releaseLevel: 'anonymised-record',
          validTo: new Date(a.clock.now().getTime() + 30 * day).toISOString(),
        },
      });
    const asked = await ask();
    expect(asked.status).toBe(201);
    const consent = asked.body.results.id as string;
    expect((await ask('advertising')).status).toBe(403);
    expect((await call('listConsents', 'svnit')).status).toBe(200);
    expect((await call('getConsent', 'sitilink', { params: { id: consent } })).status).toBe(200);
    expect(
      (await call('grantConsent', 'sitilink', { params: { id: consent }, example: { rateLimit: 60 } }))
        .status,
    ).toBe(200);
    expect((await call('consentArtefact', 'svnit', { params: { id: consent } })).status).toBe(200);
    expect((await call('issueAccessToken', 'svnit', { example: { consent } })).status).toBe(200);
    expect((await call('issueAccessToken', 'yulu', { example: { consent } })).status).toBe(404);
    expect((await call('pauseConsent', 'sitilink', { params: { id: consent } })).status).toBe(200);
    expect((await call('resumeConsent', 'sitilink', { params: { id: consent } })).status).toBe(200);
    expect((await call('revokeConsent', 'svnit', { params: { id: consent } })).status).toBe(200);
    const other = (await ask()).body.results.id as string;
    expect(
      (await call('denyConsent', 'sitilink', { params: { id: other }, example: { reason: 'no' } })).status,
    ).toBe(200);
    expect((await call('denyConsent', 'sitilink', { params: { id: other } })).status).toBe(409);

    // Identity tokens and the keys that verify them.
    expect((await call('jwks', 'anyone')).status).toBe(200);
    const city = (await call('listOrganisations', 'admin')).body.results.find(
      (o: { kind: string }) => o.kind === 'government',
    );
    const auditor = await call('createClient', 'admin', {
      example: { organisation: city.id, roles: ['auditor'] },
    });
    const credentials = {
      clientId: auditor.body.results.clientId,
      clientSecret: auditor.body.results.clientSecret,
    };
    a.wallet.set('auditor', credentials);
    // A token URL may carry the client's own query (RFC 6749 §3.2): the endpoint does not read it.
    const signIn = await call('issueIdentityToken', 'anyone', {
      query: '?app=field-survey',
      form: {
        grant_type: 'client_credentials',
        client_id: credentials.clientId,
        client_secret: credentials.clientSecret,
      },
    });
    expect(signIn.status).toBe(200);
    expect(
      (
        await call('issueIdentityToken', 'anyone', {
          form: { grant_type: 'client_credentials', client_id: 'cl_x', client_secret: 'no' },
        })
      ).status,
    ).toBe(401);

    // The audit log: entries, proofs, checkpoints, witnesses, export and verification.
    const entries = await call('listAuditEntries', 'auditor', { query: '?limit=3&decision=allow' });
    expect(entries.status).toBe(200);
    expect((await call('listAuditEntries', 'auditor', { query: '?from=yesterday' })).status).toBe(400);
    const seq = String(entries.body.results[0].seq);
    expect((await call('getAuditEntry', 'auditor', { params: { seq } })).status).toBe(200);
    expect((await call('getAuditEntry', 'auditor', { params: { seq: '0' } })).status).toBe(404);
    expect((await call('auditInclusionProof', 'auditor', { params: { seq } })).status).toBe(200);
    expect((await call('auditConsistencyProof', 'auditor', { query: '?from=1' })).status).toBe(200);
    expect((await call('auditConsistencyProof', 'auditor')).status).toBe(400);
    const checkpoint = await call('createCheckpoint', 'auditor');
    expect(checkpoint.status).toBe(201);
    const treeSize = String(checkpoint.body.results.treeSize);
    expect((await call('latestCheckpoint', 'auditor', { query: '?from=1' })).status).toBe(200);
    expect((await call('getCheckpoint', 'auditor', { params: { treeSize } })).status).toBe(200);
    const note = await call('getCheckpoint', 'auditor', { params: { treeSize }, query: '?format=note' });
    expect(note.status).toBe(200);
    const witness = newWitnessKey('witness.svnit.example');
    expect(
      (
        await call('registerWitness', 'svnitAdmin', {
          example: { verifierKey: witness.verifierKey },
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await call('registerWitness', 'admin', {
          example: { verifierKey: witness.verifierKey },
        })
      ).status,
    ).toBe(201);
    expect((await call('listWitnesses', 'svnit')).status).toBe(200);
    const line = signatureLine(
      cosign(
        parseNote(note.text).text,
        parseWitnessKey(witness.privateKey),
        Math.floor(a.clock.now().getTime() / 1000),
      ),
    );
    expect((await call('cosignCheckpoint', 'svnitAdmin', { params: { treeSize }, text: line })).status).toBe(
      201,
    );
    const exported = await call('exportAudit', 'auditor', { query: `?treeSize=${treeSize}` });
    expect(exported.status).toBe(200);
    expect(exported.text.trim().split('\n')).toHaveLength(Number(treeSize));
    const verified = await call('verifyAudit', 'auditor');
    expect(verified.body.results.ok).toBe(true);
    expect((await call('verifyAudit', 'svnit')).status).toBe(403);

    // Every operation the document lists was called.
    expect(contract.uncalled()).toEqual([]);
  });
});
