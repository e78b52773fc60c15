import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stationAvailabilityModel, vehicleAvailabilityModel } from '@sangam/adapter-gbfs';
import { busPositionModel, fromIudxItms, routeOccupancyModel } from '@sangam/adapter-itms';
import { parseAdapterConfig } from '@sangam/adapter-kit';
import { anonymisedTripModel, odMatrixModel } from '@sangam/adapter-mds';
import { type Checkpoint, verifyExport } from '@sangam/audit';
import { type Notification, type ResourceRecord, SangamClient, type SangamError } from '@sangam/client';
import { ShiftedClock } from '@sangam/core';
import { sql } from '@sangam/db';
import { testBackend } from '@sangam/db/testing';
import { type FeedServer, startFeedServer, syntheticTrips } from '@sangam/feeds';
import { hostAdapter } from '@sangam/gateway';
import { createLogger } from '@sangam/http';
import { Pseudonymiser, pseudonymKey } from '@sangam/privacy';
import {
  clientToken,
  nextUtcHour,
  startTestGateway,
  type TestGateway,
  testEpoch,
  waitFor,
} from '@sangam/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The seed's story, over HTTP only: a city, its bus operator and a micro-mobility operator share data with a
 * university under MoUs; adapters publish; the university queries; a provider revokes; an auditor verifies it all.
 */
const mdsToken = 'the-provider-api-token-of-yulu';
const pseudonymSecret = 'the-alliance-pseudonym-secret-32-chars!';
const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

const fleet = { devices: 300, tripsPerHour: 400, seed: 8 };

describe(`the alliance end to end on ${testBackend()}`, () => {
  let gw: TestGateway;
  let feeds: FeedServer;
  const credentials = new Map<string, { clientId: string; clientSecret: string }>();
  const token = (who: string) => {
    const c = credentials.get(who);
    if (!c) throw new Error(who);
    return clientToken(gw.api, c.clientId, c.clientSecret);
  };
  const ok = async <T>(response: Promise<{ status: number; text: string; body: T }>, status = 200) => {
    const r = await response;
    expect(r.status, r.text).toBe(status);
    return r.body;
  };

  beforeAll(async () => {
    // The gateway starts as `sangam admin init` leaves it: the city and its administrator, nothing else. Its
    // clock runs from the test epoch, and the partners' feeds keep the same time.
    // It runs from 13:00 UTC on the epoch's day or the next, so the hours its MDS adapter reads are the synthetic
    // fleet's afternoon in Surat, busy enough for cells of k vehicles, whatever the date.
    // The university's webhook listens on this machine, which the gateway is told to reach.
    gw = await startTestGateway({
      clock: new ShiftedClock(nextUtcHour(testEpoch(), 13)),
      env: { SANGAM_UPSTREAM_ALLOW_HOSTS: '127.0.0.1' },
    });
    feeds = await startFeedServer({ clock: gw.gateway.clock });
    feeds.city('surat', { stations: 30, vehicles: 6000, seed: 8 });
    feeds.fleet('yulu', fleet, mdsToken);
    credentials.set('admin', gw.admin);
  });
  afterAll(async () => {
    await gw.close();
    await feeds.close();
  });

  it('runs from the first organisation to an offline-verified audit log', async () => {
    const admin = await token('admin');
    // Organisations and clients.
    for (const [id, kind] of [
      ['sitilink', 'industry'],
      ['yulu', 'startup'],
      ['svnit', 'academia'],
    ]) {
      await ok(
        gw.api.post('/consent/v1/organisations', {
          token: admin,
          json: { id, name: id, kind, city: 'Surat' },
        }),
        201,
      );
    }
    const client = async (name: string, organisation: string, roles: string[]) => {
      const body = await ok(
        gw.api.post('/consent/v1/clients', { token: admin, json: { organisation, roles } }),
        201,
      );
      credentials.set(name, body.results);
    };
    await client('sitilink', 'sitilink', ['admin', 'provider']);
    await client('yulu', 'yulu', ['admin', 'provider']);
    await client('svnitAdmin', 'svnit', ['admin']);
    await client('university', 'svnit', ['consumer']);
    await client('auditor', gw.city.id, ['auditor']);

    // Providers register their items.
    const item = async (who: string, json: object) =>
      ok(gw.api.post('/cat/v1/items', { token: await token(who), json }), 201);
    await item('yulu', { type: 'provider', id: 'yulu', name: 'Yulu' });
    await item('yulu', { type: 'resourceGroup', id: 'yulu/bikes', name: 'Yulu bikes', description: 'GBFS' });
    await item('sitilink', { type: 'provider', id: 'sitilink', name: 'Sitilink' });
    await item('sitilink', {
      type: 'resourceGroup',
      id: 'sitilink/buses',
      name: 'Buses',
      description: 'ITMS',
    });
    const resource = (id: string, dataModel: object, releaseLevel: string, adapter: string) => ({
      type: 'resource',
      id,
      name: id,
      description: id,
      dataModel,
      accessPolicy: 'SECURE',
      releaseLevel,
      source: { adapter },
    });
    await item(
      'yulu',
      resource('yulu/bikes/stations', stationAvailabilityModel, 'anonymised-record', 'gbfs'),
    );
    await item('yulu', resource('yulu/bikes/vehicles', vehicleAvailabilityModel, 'aggregate', 'gbfs'));
    await item('yulu', resource('yulu/bikes/od', odMatrixModel, 'aggregate', 'mds'));
    await item('yulu', resource('yulu/bikes/trips', anonymisedTripModel, 'anonymised-record', 'mds'));
    await item('sitilink', resource('sitilink/buses/live', busPositionModel, 'anonymised-record', 'itms'));
    await item('sitilink', resource('sitilink/buses/occupancy', routeOccupancyModel, 'aggregate', 'itms'));
    const found = await ok(gw.api.get('/cat/v1/search?q=bikes'));
    expect(found.totalHits).toBeGreaterThan(0);

    // The city drafts an MoU; every party signs.
    const now = gw.gateway.clock.now().getTime();
    const draft = await ok(
      gw.api.post('/consent/v1/mous', {
        token: admin,
        json: {
          title: 'Mobility data for research',
          partners: ['yulu', 'sitilink', 'svnit'],
          problem: { issue: 'Last mile', beneficiaries: ['commuters'], kpis: ['trips'] },
          areas: ['data-sharing'],
          purposes: ['transit research'],
          datasets: [
            { group: 'yulu/bikes', maxReleaseLevel: 'anonymised-record', minimumCellCount: 10 },
            { group: 'sitilink/buses', maxReleaseLevel: 'anonymised-record' },
          ],
          effectiveFrom: new Date(now).toISOString(),
          endsAt: new Date(now + 365 * 86_400_000).toISOString(),
          documentSha256: 'e'.repeat(64),
        },
      }),
      201,
    );
    const mou = draft.results.id as string;
    for (const who of ['admin', 'yulu', 'sitilink', 'svnitAdmin']) {
      await ok(gw.api.post(`/consent/v1/mous/${mou}/sign`, { token: await token(who) }));
    }
    expect((await ok(gw.api.get(`/consent/v1/mous/${mou}`, { token: admin }))).results.status).toBe('active');

    // The university asks; each provider grants.
    const asked = await ok(
      gw.api.post('/consent/v1/consents', {
        token: await token('university'),
        json: {
          mou,
          items: ['yulu/bikes'],
          purpose: 'transit research',
          accessTypes: ['latest', 'temporal'],
          attributes: [
            'vehiclesAvailable',
            'location',
            'available',
            'vehicleType',
            'cell',
            'name',
            'origin',
            'destination',
            'trips',
            'meanDuration',
            'meanDistance',
            'k',
            'endBucket',
            'bucketMinutes',
            'originResolution',
            'destinationResolution',
            'durationFrom',
            'durationTo',
            'distanceFrom',
            'distanceTo',
            'epsilon',
          ],
          releaseLevel: 'anonymised-record',
          validTo: new Date(now + 30 * 86_400_000).toISOString(),
        },
      }),
      201,
    );
    const consent = asked.results.id as string;
    await ok(gw.api.post(`/consent/v1/consents/${consent}/grant`, { token: await token('yulu') }));
    const busAsked = await ok(
      gw.api.post('/consent/v1/consents', {
        token: await token('university'),
        json: {
          mou,
          items: ['sitilink/buses'],
          purpose: 'transit research',
          accessTypes: ['latest', 'temporal'],
          attributes: ['routeId', 'tripId', 'speed', 'location', 'vehicles', 'observations'],
          releaseLevel: 'anonymised-record',
          validTo: new Date(now + 30 * 86_400_000).toISOString(),
        },
      }),
      201,
    );
    const busConsent = busAsked.results.id as string;
    await ok(gw.api.post(`/consent/v1/consents/${busConsent}/grant`, { token: await token('sitilink') }));

    // The university follows the live buses over a server-sent-event stream, and the bikes with a webhook of its own.
    const university = new SangamClient({
      baseUrl: gw.url,
      ...(credentials.get('university') ?? { clientId: '', clientSecret: '' }),
    });
    const streamed: ResourceRecord[] = [];
    let busStreamEnd: unknown;
    const busStream = university.subscribe({
      resource: 'sitilink/buses/live',
      consent: busConsent,
      reconnectMs: 100,
    });
    const following = (async (stream: AsyncGenerator<Notification<ResourceRecord>>) => {
      try {
        for await (const n of stream) streamed.push(...n.data);
      } catch (error) {
        busStreamEnd = error;
      }
    })(busStream);
    const hooked: { data: { id: string }[] }[] = [];
    const hook = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        hooked.push(JSON.parse(body));
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    const bikeAccess = (
      await ok(
        gw.api.post('/auth/v1/access-tokens', {
          token: await token('university'),
          json: { item: 'yulu/bikes', consent },
        }),
      )
    ).results.accessToken as string;
    const webhook = await ok(
      gw.api.post('/ngsi-ld/v1/subscriptions', {
        token: bikeAccess,
        json: {
          type: 'Subscription',
          entities: [{ id: 'yulu/bikes/stations' }],
          notification: {
            endpoint: { uri: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/bikes` },
          },
        },
      }),
      201,
    );
    // The stream is made and connected before anything is published (its first pull makes the subscription).
    await new Promise((r) => setTimeout(r, 500));

    // The three adapters publish over HTTP, each with its provider's client.
    const stateDir = mkdtempSync(join(tmpdir(), 'sangam-e2e-'));
    const host = { db: gw.database.db, gateway: gw.gateway, logger: createLogger({ level: 'silent' }) };
    const over = (who: string) => {
      const c = credentials.get(who) ?? { clientId: '', clientSecret: '' };
      return { url: gw.url, clientId: c.clientId, clientSecret: c.clientSecret };
    };
    const adapters = [
      hostAdapter(
        parseAdapterConfig({
          name: 'yulu-gbfs',
          kind: 'gbfs',
          feed: feeds.gbfs('3.0', 'surat'),
          allowHosts: ['127.0.0.1'],
          provider: 'yulu',
          mou,
          resources: { stations: 'yulu/bikes/stations', vehicles: 'yulu/bikes/vehicles' },
          stateDir,
          gateway: over('yulu'),
        }),
        host,
      ),
      hostAdapter(
        parseAdapterConfig({
          name: 'yulu-mds',
          kind: 'mds',
          feed: `${feeds.url}/mds/yulu`,
          allowHosts: ['127.0.0.1'],
          provider: 'yulu',
          mou,
          resources: { od: 'yulu/bikes/od', trips: 'yulu/bikes/trips' },
          // Trips beside their OD matrix: the matrix carries noise, paid for from the ε ledger.
          privacy: { h3Resolution: 7, bucketMinutes: 15, epsilon: 1 },
          stateDir,
          gateway: over('yulu'),
          options: {
            token: mdsToken,
            // From the start of yesterday: a whole day, over, whose trips are released as k-anonymous records.
            startHour: new Date(Math.floor(now / 86_400_000) * 86_400_000 - 86_400_000)
              .toISOString()
              .slice(0, 13),
            maxHoursPerPoll: 48,
          },
        }),
        host,
      ),
      hostAdapter(
        parseAdapterConfig({
          name: 'sitilink-itms',
          kind: 'itms',
          feed: `${feeds.url}/itms/iudx.json`,
          allowHosts: ['127.0.0.1'],
          provider: 'sitilink',
          mou,
          resources: { positions: 'sitilink/buses/live', occupancy: 'sitilink/buses/occupancy' },
          stateDir,
          gateway: over('sitilink'),
          options: { format: 'iudx-json', pseudonymSecret },
        }),
        host,
      ),
    ];
    for (const adapter of adapters) {
      const health = await adapter.runtime.runOnce();
      await adapter.close();
      expect(health.state, JSON.stringify(health.lastError)).toBe('healthy');
      expect(health.recordsOut, health.name).toBeGreaterThan(0);
    }

    // The university queries: latest, temporal, GeoJSON.
    const access = (
      await ok(
        gw.api.post('/auth/v1/access-tokens', {
          token: await token('university'),
          json: { item: 'yulu/bikes', consent },
        }),
      )
    ).results.accessToken as string;
    const latest = await ok(gw.api.get('/ngsi-ld/v1/entities?id=yulu/bikes/stations', { token: access }));
    expect(latest.totalHits).toBe(30);
    const since = encodeURIComponent(new Date(now - 3_600_000).toISOString());
    const temporal = await ok(
      gw.api.get(`/ngsi-ld/v1/temporal/entities?id=yulu/bikes/vehicles&timerel=after&timeAt=${since}`, {
        token: access,
      }),
    );
    expect(temporal.totalHits).toBeGreaterThan(0);
    expect(temporal.results.every((r: { available: number }) => r.available >= 10)).toBe(true);
    const geo = await gw.api.get('/ngsi-ld/v1/entities?id=yulu/bikes/vehicles', {
      token: access,
      headers: { accept: 'application/geo+json' },
    });
    expect(geo.status).toBe(200);
    expect(geo.body.type).toBe('FeatureCollection');
    expect(geo.body.features[0].geometry.type).toBe('Point');

    // Trips between cells, and anonymised trips: no vehicle or trip id of the operator's reaches the university.
    const od = await ok(gw.api.get('/ngsi-ld/v1/entities?id=yulu/bikes/od&limit=1000', { token: access }));
    expect(od.totalHits).toBeGreaterThan(0);
    expect(od.results.every((c: { k: number; epsilon: number }) => c.k === 10 && c.epsilon === 1)).toBe(true);
    const trips = await ok(
      gw.api.get(
        `/ngsi-ld/v1/temporal/entities?id=yulu/bikes/trips&timerel=after&timeAt=${encodeURIComponent(new Date(now - 48 * 3_600_000).toISOString())}&limit=1000`,
        {
          token: access,
        },
      ),
    );
    expect(trips.totalHits).toBeGreaterThan(100);
    expect(JSON.stringify([od.results, trips.results])).not.toMatch(uuid);

    // The buses, under their own consent: live positions as GeoJSON, without a plate.
    const busAccess = (
      await ok(
        gw.api.post('/auth/v1/access-tokens', {
          token: await token('university'),
          json: { item: 'sitilink/buses', consent: busConsent },
        }),
      )
    ).results.accessToken as string;
    const buses = await gw.api.get('/ngsi-ld/v1/entities?id=sitilink/buses/live', {
      token: busAccess,
      headers: { accept: 'application/geo+json' },
    });
    expect(buses.status).toBe(200);
    expect(buses.body.features.length).toBeGreaterThan(0);
    expect(buses.body.features[0].properties.routeId).toEqual(expect.any(String));
    expect(buses.text).not.toMatch(/GJ05/);

    // What the adapters published reached the subscribers as released: the bus stream every live position (without
    // a plate), the webhook every station.
    const live = await ok(
      gw.api.get('/ngsi-ld/v1/entities?id=sitilink/buses/live&limit=1000', { token: busAccess }),
    );
    const liveIds = new Set((live.results as ResourceRecord[]).map((r) => r.id));
    await waitFor('the buses on the stream', () => new Set(streamed.map((r) => r.id)).size >= liveIds.size);
    expect(new Set(streamed.map((r) => r.id))).toEqual(liveIds);
    expect(JSON.stringify(streamed)).not.toMatch(/GJ05/);
    await waitFor('the stations at the webhook', () => hooked.flatMap((n) => n.data).length >= 30);
    expect(new Set(hooked.flatMap((n) => n.data.map((r) => r.id))).size).toBe(30);

    // The provider revokes; the next query is refused.
    await ok(gw.api.post(`/consent/v1/consents/${consent}/revoke`, { token: await token('yulu') }));
    const refused = await gw.api.get('/ngsi-ld/v1/entities?id=yulu/bikes/stations', { token: access });
    expect(refused.status).toBe(403);
    expect(refused.body.type).toBe('urn:dx:rs:consentRevoked');
    // One consent's end is not another's: the buses still flow.
    expect(
      (await gw.api.get('/ngsi-ld/v1/entities?id=sitilink/buses/live', { token: busAccess })).status,
    ).toBe(200);
    // The bikes' webhook ends with its consent; the bus stream with its own, when Sitilink revokes it.
    await waitFor('the webhook subscription to end', async () => {
      const read = await gw.api.get(`/ngsi-ld/v1/subscriptions/${webhook.results.id}`, { token: bikeAccess });
      return read.body.results.status === 'ended';
    });
    await ok(gw.api.post(`/consent/v1/consents/${busConsent}/revoke`, { token: await token('sitilink') }));
    await following;
    expect((busStreamEnd as SangamError).type).toBe('urn:dx:rs:consentRevoked');
    await university.close();
    hook.close();

    // The auditor exports the log and verifies it offline against a checkpoint, trusting only the JWKS.
    const auditor = await token('auditor');
    const checkpoint = (await ok(gw.api.post('/audit/v1/checkpoints', { token: auditor }), 201))
      .results as Checkpoint;
    const exported = await gw.api.get('/audit/v1/export?format=jsonl', { token: auditor });
    expect(exported.status).toBe(200);
    const jwks = await ok(gw.api.get('/.well-known/jwks.json'));
    const lines = exported.text.split('\n').filter(Boolean).slice(0, checkpoint.treeSize);
    async function* each() {
      yield* lines;
    }
    const report = await verifyExport(each(), checkpoint, jwks as never);
    expect(report, JSON.stringify(report)).toMatchObject({ ok: true, entries: checkpoint.treeSize });

    // Every step of the story is in it.
    type Entry = { action: string; decision: string; reason?: string; target?: { consent?: string } };
    const entries = lines.map((l) => (JSON.parse(l) as { entry: Entry }).entry);
    const actions = new Set(entries.map((e) => e.action));
    for (const action of [
      'identity.init',
      'identity.organisation.create',
      'identity.client.create',
      'catalogue.item.create',
      'mou.create',
      'consent.request',
      'consent.grant',
      'consent.revoke',
      'mou.sign',
      'auth.access-token',
      'rs.ingest',
      'rs.query.latest',
      'rs.query.temporal',
      'rs.subscription.create',
      'rs.subscription.notify',
    ]) {
      expect(actions, action).toContain(action);
    }
    expect(
      entries.some(
        (e) =>
          e.action === 'rs.query.latest' && e.decision === 'deny' && e.reason?.startsWith('consentRevoked'),
      ),
    ).toBe(true);
    expect(
      entries.some(
        (e) => e.action === 'rs.query.latest' && e.decision === 'allow' && e.target?.consent === consent,
      ),
    ).toBe(true);

    // A scan of everything stored, every table: no device or trip id of the operator's, and no plate.
    const raw = new Set<string>();
    const end = gw.gateway.clock.now().getTime();
    for (let hour = Math.floor(end / 86_400_000) * 86_400_000 - 86_400_000; hour < end; hour += 3_600_000) {
      for (const t of syntheticTrips(fleet, hour)) raw.add(t.device_id).add(t.trip_id);
    }
    expect(raw.size).toBeGreaterThan(1000);
    const db = gw.database.db;
    const tables = (
      testBackend() === 'sqlite'
        ? await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(db)
        : await sql<{
            name: string;
          }>`select table_name as name from information_schema.tables where table_schema = current_schema()`.execute(
            db,
          )
    ).rows.map((r) => r.name);
    expect(tables).toContain('records');
    let stored = '';
    for (const table of tables)
      stored += JSON.stringify(
        await db
          .selectFrom(table as never)
          .selectAll()
          .execute(),
      );
    const ids = [...stored.matchAll(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g)].map(
      (m) => m[0],
    );
    expect(ids.filter((id) => raw.has(id))).toEqual([]);
    expect(stored).not.toMatch(/GJ05/);
    // Nor a GBFS vehicle id or rental URI, nor a bus's label.
    expect(stored).not.toMatch(/veh-[0-9a-z]+-[0-9a-z]{6}/);
    expect(stored).not.toContain('rent.example');
    const observed = fromIudxItms(await (await fetch(`${feeds.url}/itms/iudx.json`)).json());
    const labels = [...new Set(observed.map((o) => o.label))];
    expect(labels.length).toBeGreaterThan(1);
    for (const label of labels) {
      expect(stored).not.toContain(`"${label}"`);
      expect(stored).not.toContain(`\\"${label}\\"`);
    }

    // Without the key, no pseudonym maps back to a bus: not under any secret-like text the database holds.
    const positions = (
      await db.selectFrom('records').select('body').where('resource_id', '=', 'sitilink/buses/live').execute()
    ).map((r) => JSON.parse(r.body) as { id: string; observedAt: string });
    expect(positions.length).toBeGreaterThan(0);
    // Pseudonyms change daily (UTC here): one per label and day seen.
    const days = [
      ...new Set(positions.map((p) => Math.floor(Date.parse(p.observedAt) / 86_400_000) * 86_400_000)),
    ];
    const mappedBack = (secret: string) => {
      const pseudonyms = new Pseudonymiser(pseudonymKey(secret, 'sitilink-itms', 'vehicle'));
      const known = new Set(days.flatMap((day) => labels.map((label) => pseudonyms.pseudonym(label, day))));
      return positions.filter((p) => known.has(p.id)).length;
    };
    // With the key the mapping is there to find: the check would see one.
    expect(mappedBack(pseudonymSecret)).toBe(positions.length);
    const candidates = [...new Set(stored.match(/[A-Za-z0-9+/=_.-]{32,}/g) ?? [])].slice(0, 3000);
    expect(candidates.length).toBeGreaterThan(10);
    expect(candidates.filter((c) => mappedBack(c) > 0)).toEqual([]);
  });
});
