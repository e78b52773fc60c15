import { testBackend } from '@sangam/db/testing';
import { type Alliance, position, positions, startAlliance } from '@sangam/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe(`ingestion and queries on ${testBackend()}`, () => {
  let a: Alliance;
  let consent: string;
  let access: string;
  const get = (path: string, headers: Record<string, string> = {}) =>
    a.gw.api.get(path, { token: access, headers });

  beforeAll(async () => {
    a = await startAlliance();
    // Five buses, each seen at 30, 20 and 10 minutes ago.
    const records = [30, 20, 10].flatMap((m) =>
      ['1', '2', '3', '4', '5'].map((b) => position(a.clock, b, m)),
    );
    const stored = await a.ingest(positions, records);
    expect(stored.status, stored.text).toBe(200);
    expect(stored.body.results.accepted).toBe(15);
    consent = await a.consent();
    access = await a.accessToken(consent);
  });
  afterAll(async () => {
    await a.gw.close();
  });

  it('answers latest with the newest record of each entity, only the granted attributes and a total', async () => {
    const r = await get(`/ngsi-ld/v1/entities?id=${positions}`);
    expect(r.status, r.text).toBe(200);
    expect(r.body.type).toBe('urn:dx:rs:success');
    expect(r.body.totalHits).toBe(5);
    expect(r.headers.get('ngsild-results-count')).toBe('5');
    const first = r.body.results[0];
    expect(first.id).toBe('bus-1');
    expect(first.observedAt).toBe(position(a.clock, '1', 10).observedAt);
    expect(Object.keys(first).sort()).toEqual(['id', 'location', 'observedAt', 'route', 'speed']);
    expect(JSON.stringify(r.body)).not.toContain('GJ05');
  });

  it('projects attrs, filters with q and pages with limit and offset', async () => {
    const attrs = await get(`/ngsi-ld/v1/entities?id=${positions}&attrs=speed`);
    expect(Object.keys(attrs.body.results[0]).sort()).toEqual(['id', 'observedAt', 'speed']);
    const fast = await get(
      `/ngsi-ld/v1/entities?id=${positions}&q=${encodeURIComponent('speed>=23;route!="R0"')}`,
    );
    expect(fast.body.results.map((r: { id: string }) => r.id)).toEqual(['bus-4', 'bus-5']);
    const either = await get(
      `/ngsi-ld/v1/entities?id=${positions}&q=${encodeURIComponent('(route=="R1"|speed==21..22)')}`,
    );
    expect(either.body.results.map((r: { id: string }) => r.id)).toEqual(['bus-1', 'bus-2', 'bus-4']);
    const page = await get(`/ngsi-ld/v1/entities?id=${positions}&limit=2&offset=2`);
    expect(page.body.results.map((r: { id: string }) => r.id)).toEqual(['bus-3', 'bus-4']);
    expect(page.body.totalHits).toBe(5);
    expect(page.body).toMatchObject({ limit: 2, offset: 2 });
    const count = await get(`/ngsi-ld/v1/entities?id=${positions}&limit=0`);
    expect(count.body).toMatchObject({ results: [], totalHits: 5 });
  });

  it('answers geo-queries: near, within and intersects', async () => {
    const near = await get(
      `/ngsi-ld/v1/entities?id=${positions}&georel=${encodeURIComponent('near;maxDistance==150')}&geometry=Point&coordinates=${encodeURIComponent('[72.831,21.17]')}`,
    );
    expect(near.status, near.text).toBe(200);
    expect(near.body.results.map((r: { id: string }) => r.id)).toEqual(['bus-1', 'bus-2']);
    const box = encodeURIComponent('[[72.8325,21.16],[72.8355,21.18]]');
    const within = await get(
      `/ngsi-ld/v1/entities?id=${positions}&georel=within&geometry=bbox&coordinates=${box}`,
    );
    expect(within.body.results.map((r: { id: string }) => r.id)).toEqual(['bus-3', 'bus-4', 'bus-5']);
    const line = encodeURIComponent('[[72.834,21.0],[72.834,21.3]]');
    const crossing = await get(
      `/ngsi-ld/v1/entities?id=${positions}&georel=intersects&geometry=LineString&coordinates=${line}`,
    );
    expect(crossing.status, crossing.text).toBe(200);
    expect(crossing.body.results.map((r: { id: string }) => r.id)).toEqual(['bus-4']);
  });

  it('answers temporal queries before, after and between, in time order', async () => {
    const t = (m: number) => encodeURIComponent(new Date(a.clock.now().getTime() - m * 60_000).toISOString());
    const between = await get(
      `/ngsi-ld/v1/temporal/entities?id=${positions}&timerel=between&timeAt=${t(25)}&endTimeAt=${t(5)}&q=id=="bus-2"`,
    );
    expect(between.status, between.text).toBe(200);
    expect(between.body.results.map((r: { observedAt: string }) => r.observedAt)).toEqual([
      position(a.clock, '2', 20).observedAt,
      position(a.clock, '2', 10).observedAt,
    ]);
    const before = await get(`/ngsi-ld/v1/temporal/entities?id=${positions}&timerel=before&timeAt=${t(25)}`);
    expect(before.body.totalHits).toBe(5);
    const after = await get(`/ngsi-ld/v1/temporal/entities?id=${positions}&timerel=after&timeAt=${t(15)}`);
    expect(after.body.totalHits).toBe(5);
    const all = await get(`/ngsi-ld/v1/temporal/entities?id=${positions}&timerel=after&timeAt=${t(60)}`);
    expect(all.body.totalHits).toBe(15);
    const times = all.body.results.map((r: { observedAt: string }) => r.observedAt);
    expect(times).toEqual([...times].sort());
  });

  it('answers GeoJSON and CSV when asked, and 406 for what it cannot make', async () => {
    const geo = await get(`/ngsi-ld/v1/entities?id=${positions}`, { accept: 'application/geo+json' });
    expect(geo.headers.get('content-type')).toContain('application/geo+json');
    expect(geo.body.type).toBe('FeatureCollection');
    expect(geo.body.features[0]).toMatchObject({
      type: 'Feature',
      id: 'bus-1',
      geometry: { type: 'Point' },
      properties: { route: 'R1', speed: 21 },
    });
    const csv = await get(`/ngsi-ld/v1/entities?id=${positions}&attrs=route,speed`, { accept: 'text/csv' });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.headers.get('content-disposition')).toContain('attachment');
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe('id,observedAt,route,speed');
    expect(lines).toHaveLength(6);
    expect(lines[1]).toBe(`bus-1,${position(a.clock, '1', 10).observedAt},R1,21`);
    const xml = await get(`/ngsi-ld/v1/entities?id=${positions}`, { accept: 'application/xml' });
    expect(xml.status).toBe(406);
    expect(xml.body.type).toBe('urn:dx:rs:notAcceptable');
  });

  it('is idempotent on id and observedAt, reports each record, and never half-writes a batch', async () => {
    const again = await a.ingest(positions, [
      position(a.clock, '1', 10),
      position(a.clock, '1', 10, { speed: 99 }),
      position(a.clock, '6', 1),
      position(a.clock, '6', 1),
      { id: 'bus-7', observedAt: 'yesterday', route: 'R1' },
      { id: 'bus-8', observedAt: a.clock.now().toISOString(), route: 5 },
      position(a.clock, '9', -60),
      position(a.clock, '2', 20, { speed: 99 }),
    ]);
    expect(again.status, again.text).toBe(200);
    const statuses = again.body.results.records.map((r: { status: string }) => r.status);
    expect(statuses).toEqual([
      'duplicate',
      'rejected',
      'accepted',
      'duplicate',
      'rejected',
      'rejected',
      'rejected',
      'rejected',
    ]);
    expect(again.body.results).toMatchObject({ accepted: 1, duplicates: 2, rejected: 5 });
    expect(again.body.results.records[1].errors[0].message).toBe('conflicts with record 0 of this batch');
    expect(again.body.results.records[7].errors[0].message).toContain('different record');
    expect(again.body.results.records[4].errors[0].field).toBe('/records/4/observedAt');
    expect(again.body.results.records[5].errors[0].field).toBe('/records/5/route');
    expect(again.body.results.records[6].errors[0].message).toContain('future');
    const latest = await get(`/ngsi-ld/v1/entities?id=${positions}`);
    expect(latest.body.totalHits).toBe(6);
    const bus1 = latest.body.results.find((r: { id: string }) => r.id === 'bus-1');
    expect(bus1.speed).toBe(21);
    // An older record never replaces a newer one as the latest.
    expect((await a.ingest(positions, [position(a.clock, '6', 50)])).body.results.accepted).toBe(1);
    const six = await get(`/ngsi-ld/v1/entities?id=${positions}&q=id=="bus-6"`);
    expect(six.body.results[0].observedAt).toBe(position(a.clock, '6', 1).observedAt);
  });

  it('refuses malformed batches whole, with a problem naming why', async () => {
    const token = await a.token('sitilinkAdapter');
    const notJson = await a.gw.api.post(`/rs/v1/ingest/${positions}`, {
      token,
      raw: { body: '{"records": [', contentType: 'application/json' },
    });
    expect(notJson.status).toBe(400);
    expect(notJson.body.type).toBe('urn:dx:rs:malformedJson');
    const shape = await a.gw.api.post(`/rs/v1/ingest/${positions}`, { token, json: { items: [] } });
    expect(shape.status).toBe(400);
    const many = await a.gw.api.post(`/rs/v1/ingest/${positions}`, {
      token,
      json: { records: Array.from({ length: 1001 }, (_, i) => position(a.clock, String(i), 1)) },
    });
    expect(many.status).toBe(413);
    const unknown = await a.ingest('sitilink/surat-bus-itms/nothing', [position(a.clock, '1', 1)]);
    expect(unknown.status).toBe(404);
    const upstream = await a.ingest('sitilink/surat-bus-itms/eta', [position(a.clock, '1', 1)]);
    expect(upstream.status).toBe(409);
    const anonymous = await a.gw.api.post(`/rs/v1/ingest/${positions}`, { json: { records: [] } });
    expect(anonymous.status).toBe(401);
  });

  it('meters usage: a consumer sees its consents, a provider its items and consumers', async () => {
    const mine = await a.gw.api.get('/rs/v1/usage', { token: await a.token('svnit') });
    expect(mine.status, mine.text).toBe(200);
    const row = mine.body.results.find((r: { consent: string }) => r.consent === consent);
    expect(row.requests).toBeGreaterThan(5);
    expect(row.records).toBeGreaterThan(10);
    const provided = await a.gw.api.get('/rs/v1/usage?view=provider', { token: await a.token('sitilink') });
    expect(provided.body.results[0]).toMatchObject({ item: positions, consumer: 'svnit' });
    const other = await a.gw.api.get('/rs/v1/usage?view=provider', { token: await a.token('svnit') });
    expect(other.status).toBe(403);
    const yulu = await a.gw.api.get('/rs/v1/usage?view=provider', { token: await a.token('yulu') });
    expect(yulu.body.results).toEqual([]);
    const bad = await a.gw.api.get('/rs/v1/usage?from=2026-13-01', { token: await a.token('svnit') });
    expect(bad.status).toBe(400);
    // A bad end alone (found by the fuzzer: it was a 500) names the end.
    for (const to of ['NaN', '-1', 'xh']) {
      const end = await a.gw.api.get(`/rs/v1/usage?to=${to}`, { token: await a.token('svnit') });
      expect(end.status).toBe(400);
      expect(end.body.errors).toEqual([{ field: 'to', message: 'must be a day, YYYY-MM-DD' }]);
    }
  });

  it('names a bad q once, with what was wrong and where', async () => {
    const r = await get(`/ngsi-ld/v1/entities?id=${positions}&q=${encodeURIComponent('speed>=')}`);
    expect(r.status).toBe(400);
    expect(r.body.errors).toEqual([{ field: 'q', message: 'expected a value at position 8' }]);
    expect(r.text).not.toContain('q q');
  });

  it('commits an allow with the result size to the audit log before answering', async () => {
    const r = await get(`/ngsi-ld/v1/entities?id=${positions}&limit=3`);
    const id = r.headers.get('x-request-id') ?? '';
    const entry = await a.gw.database.db
      .selectFrom('audit_entries')
      .select(['decision', 'entry', 'target_consent'])
      .where('request_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(entry.decision).toBe('allow');
    expect(entry.target_consent).toBe(consent);
    expect(JSON.parse(entry.entry).resultSize).toBe(3);
  });

  it("records the gateway's own request id, with a client's id beside it that no one else's request can take", async () => {
    const r = await get(`/ngsi-ld/v1/entities?id=${positions}&limit=1`, { 'x-request-id': 'uni-trace-7' });
    const id = r.headers.get('x-request-id') ?? '';
    expect(id).not.toBe('uni-trace-7');
    const row = await a.gw.database.db
      .selectFrom('audit_entries')
      .select(['request_id', 'entry'])
      .where('request_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(row.entry)).toMatchObject({ requestId: id, clientRequestId: 'uni-trace-7' });
    // Someone else sending the gateway id of that request gets an id of its own: the entry stays the only one.
    const spoof = await a.gw.api.get(`/ngsi-ld/v1/entities?id=${positions}`, {
      headers: { 'x-request-id': id },
    });
    expect(spoof.headers.get('x-request-id')).not.toBe(id);
    const named = await a.gw.database.db
      .selectFrom('audit_entries')
      .select('seq')
      .where('request_id', '=', id)
      .execute();
    expect(named).toHaveLength(1);
  });
});
