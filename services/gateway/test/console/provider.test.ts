import { healthStore } from '@sangam/adapter-kit';
import { testBackend } from '@sangam/db/testing';
import {
  type Alliance,
  position,
  positions,
  signedInPerson,
  startAlliance,
  textOf,
  type Visitor,
} from '@sangam/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** A provider's people at work in the console: items registered, edited with their ETag, retired; usage seen. */
describe(`providers in the console on ${testBackend()}`, () => {
  let a: Alliance;
  let steward: Visitor;

  const person = (who: string, email: string, roles: string[]) => signedInPerson(a, who, { email, roles });

  const stops = {
    type: 'resource',
    id: 'sitilink/surat-bus-itms/shelters',
    name: 'Bus shelters',
    description: 'Where the shelters are',
    dataModel: { type: 'object', properties: { shelter: { type: 'string', description: 'Its name' } } },
    accessPolicy: 'SECURE',
    releaseLevel: 'aggregate',
    source: { adapter: 'provider' },
  };

  beforeAll(async () => {
    a = await startAlliance();
    steward = await person('sitilink', 'steward@sitilink.example', ['provider']);
  });
  afterAll(async () => {
    await a.gw.close();
  });

  it('registers an item from its JSON document, checked as the catalogue API checks it', async () => {
    const page = await steward.get('/items');
    expect(page.status).toBe(200);
    expect(textOf(page.html)).toContain(positions);

    const broken = await steward.post('/items', { document: '{"type": "resource",' }, { page: page.html });
    expect(broken.status).toBe(400);
    expect(textOf(broken.html)).toContain('This is not well-formed JSON');
    const invalid = await steward.post(
      '/items',
      { document: JSON.stringify({ ...stops, dataModel: undefined }) },
      { page: page.html },
    );
    expect(invalid.status).toBe(400);
    expect(textOf(invalid.html)).toContain('dataModel');
    const deep = await steward.post(
      '/items',
      { document: `${'['.repeat(100)}${']'.repeat(100)}` },
      { page: page.html },
    );
    expect(deep.status).toBe(400);
    const foreign = await steward.post(
      '/items',
      { document: JSON.stringify({ ...stops, id: 'yulu/bikes/mine' }) },
      { page: page.html },
    );
    expect(foreign.status).toBe(403);

    const made = await steward.post('/items', { document: JSON.stringify(stops) }, { page: page.html });
    expect(made.status).toBe(303);
    const item = await a.gw.api.get(`/cat/v1/items/${stops.id}`);
    expect(item.status).toBe(200);
    expect(item.body.results.name).toBe('Bus shelters');
  });

  it('edits with the ETag it read: a change made meanwhile is shown, never overwritten', async () => {
    const edit = await steward.get(`/items/edit?id=${encodeURIComponent(stops.id)}`);
    expect(edit.status).toBe(200);
    expect(edit.html).toContain('name="etag" value="&quot;r1&quot;"');
    // Someone else changes it through the API meanwhile.
    const changed = await a.gw.api.request('PUT', `/cat/v1/items/${stops.id}`, {
      token: await a.token('sitilink'),
      json: { ...stops, name: 'Shelters, changed by the API' },
      headers: { 'if-match': '"r1"' },
    });
    expect(changed.status).toBe(200);
    const stale = await steward.post(
      '/items/edit',
      { id: stops.id, etag: '"r1"', document: JSON.stringify({ ...stops, name: 'Mine' }) },
      { page: edit.html },
    );
    expect(stale.status).toBe(409);
    expect(textOf(stale.html)).toContain('Someone changed this item since you opened it');
    expect(stale.html).toContain('Shelters, changed by the API');
    const current = await steward.post(
      '/items/edit',
      { id: stops.id, etag: '"r2"', document: JSON.stringify({ ...stops, name: 'Shelters of Surat' }) },
      { page: edit.html },
    );
    expect(current.status).toBe(303);
    expect((await a.gw.api.get(`/cat/v1/items/${stops.id}`)).body.results.name).toBe('Shelters of Surat');
    // Another organisation's item is not there to edit.
    expect((await steward.get('/items/edit?id=yulu%2Fbikes')).status).toBe(404);
    // Nor can its form change or retire one, whatever it is made to say.
    const foreignEdit = await steward.post(
      '/items/edit',
      {
        id: 'yulu/bikes',
        etag: '"r1"',
        document: JSON.stringify({ type: 'resourceGroup', id: 'yulu/bikes', name: 'Mine', description: 'x' }),
      },
      { page: edit.html },
    );
    expect(foreignEdit.status).toBe(403);
    const foreignRetire = await steward.post(
      '/items/retire',
      { id: 'yulu/bikes', etag: '"r1"' },
      { page: edit.html },
    );
    expect(foreignRetire.status).toBe(403);
    expect((await a.gw.api.get('/cat/v1/items/yulu/bikes')).body.results.name).toBe('Bikes');
  });

  it('retires an item', async () => {
    const page = await steward.get('/items');
    const retired = await steward.post('/items/retire', { id: stops.id, etag: '"r3"' }, { page: page.html });
    expect(retired.status).toBe(303);
    expect((await a.gw.api.get(`/cat/v1/items/${stops.id}`)).body.results.status).toBe('retired');
  });

  it("shows the health of the provider's adapters, and no one else's", async () => {
    const store = healthStore(a.gw.database.db, a.clock);
    const health = {
      kind: 'itms',
      state: 'stale' as const,
      lastSuccessAt: a.clock.now().toISOString(),
      lastError: {
        at: a.clock.now().toISOString(),
        problem: 'http-error' as const,
        message: 'feed answered 503',
      },
      recordsIn: 1200,
      recordsOut: 1100,
      duplicates: 0,
      rejected: 0,
      cellsSuppressed: 7,
      recordsLeftOut: 0,
      deadLettered: 0,
      consecutiveFailures: 2,
      circuit: 'closed' as const,
    };
    await store({ ...health, name: 'sitilink-itms', provider: 'sitilink' });
    await store({ ...health, name: 'yulu-gbfs', kind: 'gbfs', provider: 'yulu' });
    const page = textOf((await steward.get('/items')).html);
    expect(page).toContain('sitilink-itms (itms)');
    expect(page).toContain('stale');
    expect(page).toContain('feed answered 503');
    expect(page).toContain('1,200 / 1,100');
    expect(page).not.toContain('yulu-gbfs');
  });

  it("shows usage of the provider's data per consumer and day, and a consumer's own", async () => {
    const consent = await a.consent();
    await a.ingest(positions, [position(a.clock, '1', 1)]);
    const token = await a.accessToken(consent);
    for (let i = 0; i < 3; i++)
      expect((await a.gw.api.get(`/ngsi-ld/v1/entities?id=${positions}`, { token })).status).toBe(200);
    const usage = await steward.get('/usage');
    expect(usage.status).toBe(200);
    const text = textOf(usage.html);
    expect(text).toContain('Usage of your data');
    expect(text).toContain('svnit');
    expect(usage.html).toMatch(/<svg class="chart"[^>]*role="img"/);
    expect(usage.html).toMatch(/<rect class="bar"/);
    const researcher = await person('svnitAdmin', 'researcher@svnit.example', ['consumer']);
    const own = await researcher.get('/usage');
    expect(own.status).toBe(200);
    expect(textOf(own.html)).toContain(consent);
    // Per item and consumer (the provider's) and per consent (the consumer's), each a chart of its own.
    const today = a.clock.now().toISOString().slice(0, 10);
    expect(textOf(usage.html)).toContain(`${positions} · svnit · 3 records`);
    expect(textOf(own.html)).toContain(`${consent} · 3 records`);
    const day = await steward.get(`/usage?from=${today}&to=${today}`);
    expect(day.html.match(/<rect class="bar"/g)).toHaveLength(2);
    expect((await steward.get('/usage?from=2026-02-30')).status).toBe(400);
    // An organisation that provides and consumes switches between its two views.
    const yulu = await person('yulu', 'ops@yulu.example', ['provider', 'consumer']);
    expect(textOf((await yulu.get('/usage')).html)).toContain('Usage of your data');
    expect(textOf((await yulu.get('/usage?view=consumer')).html)).toContain('Your usage');
    // A consumer has no items to manage.
    expect((await researcher.get('/items')).status).toBe(403);
  });
});
