import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { testBackend } from '@sangam/db/testing';
import { type FeedServer, startFeedServer } from '@sangam/feeds';
import { type Alliance, startAlliance } from '@sangam/testkit';
import { sharedFixturesDir } from '@sangam/testkit/fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gbfsAlliance, gbfsRuntime, stations, vehicles } from './support.js';

// The feed server serves the official GBFS fixtures; what the adapter publishes is checked against them.
const fixturesDir = sharedFixturesDir();

describe(`the GBFS adapter on the fixtures on ${testBackend()}`, () => {
  let a: Alliance;
  let feeds: FeedServer;
  let mou: string;

  beforeAll(async () => {
    a = await startAlliance();
    feeds = await startFeedServer({ clock: a.clock });
    // The fixtures hold a handful of vehicles: k = 1 here lets them through; suppression has its own tests.
    mou = await gbfsAlliance(a, 1);
  });
  afterAll(async () => {
    await a.gw.close();
    await feeds.close();
  });

  it.each(['2.3', '3.0'] as const)(
    'reads GBFS %s and publishes what a consumer can query under a consent',
    async (version) => {
      a.clock.advance(60_000);
      const runtime = gbfsRuntime(a, feeds.gbfs(version), mou);
      const health = await runtime.runOnce();
      await runtime.stop();
      expect(health.lastError, JSON.stringify(health.lastError)).toBeUndefined();
      expect(health.state).toBe('healthy');
      expect(health.recordsOut).toBeGreaterThan(0);

      const consent = await a.consent(
        {
          items: ['yulu/bikes'],
          attributes: ['vehiclesAvailable', 'location', 'available', 'vehicleType', 'cell'],
          mou,
        },
        { mou, provider: 'yulu' },
      );
      const station = await a.gw.api.get(`/ngsi-ld/v1/entities?id=${stations}`, {
        token: await a.accessToken(consent, 'yulu/bikes'),
      });
      expect(station.status, station.text).toBe(200);
      const status = JSON.parse(
        readFileSync(join(fixturesDir, 'gbfs', `v${version}_station_status.json`), 'utf8'),
      );
      const ids = status.data.stations.map((s: { station_id: string }) => s.station_id).sort();
      expect(station.body.results.map((r: { id: string }) => r.id).sort()).toEqual(
        expect.arrayContaining(ids),
      );

      const cells = await a.gw.api.get(`/ngsi-ld/v1/entities?id=${vehicles}`, {
        token: await a.accessToken(consent, 'yulu/bikes'),
      });
      expect(cells.status, cells.text).toBe(200);
      const raw = JSON.parse(
        readFileSync(
          join(
            fixturesDir,
            'gbfs',
            version === '3.0' ? 'v3.0_vehicle_status.json' : 'v2.3_free_bike_status.json',
          ),
          'utf8',
        ),
      );
      const list = raw.data[version === '3.0' ? 'vehicles' : 'bikes'] as Record<string, unknown>[];
      const available = list.filter(
        (v) => !v.is_reserved && !v.is_disabled && typeof v.lat === 'number',
      ).length;
      const mine = cells.body.results.filter((r: { vehicleType: string }) =>
        list.some((v) => (v.vehicle_type_id ?? 'unspecified') === r.vehicleType),
      );
      expect(mine.reduce((n: number, r: { available: number }) => n + r.available, 0)).toBe(available);
      // Nothing that could follow a vehicle is stored, let alone published.
      const stored = JSON.stringify(
        await a.gw.database.db
          .selectFrom('records')
          .select('body')
          .where('resource_id', '=', vehicles)
          .execute(),
      );
      for (const v of list) {
        for (const secret of [v.vehicle_id, v.bike_id, ...Object.values((v.rental_uris ?? {}) as object)]) {
          if (typeof secret === 'string') expect(stored).not.toContain(secret);
        }
      }
      // Each cell's vehicles are kept beside it for the release-time k, never in what is released.
      const rows = await a.gw.database.db
        .selectFrom('latest_records')
        .select(['body', 'individuals'])
        .where('resource_id', '=', vehicles)
        .execute();
      expect(rows).toHaveLength(cells.body.results.length);
      for (const row of rows) expect(Number(row.individuals)).toBe(JSON.parse(row.body).available);
      expect(cells.text).not.toContain('individuals');
    },
  );

  it('shows its health to the city admin and the provider, and as Prometheus metrics', async () => {
    const admin = await a.gw.api.get('/adapters/v1/status', { token: await a.token('admin') });
    expect(admin.status, admin.text).toBe(200);
    expect(admin.body.results[0]).toMatchObject({ name: 'yulu-gbfs', provider: 'yulu', state: 'healthy' });
    const own = await a.gw.api.get('/adapters/v1/status', { token: await a.token('yulu') });
    expect(own.body.results).toHaveLength(1);
    const other = await a.gw.api.get('/adapters/v1/status', { token: await a.token('sitilink') });
    expect(other.body.results).toEqual([]);
    const consumer = await a.gw.api.get('/adapters/v1/status', { token: await a.token('svnit') });
    expect(consumer.status).toBe(403);
    const metrics = await fetch(`${a.gw.url}/metrics`);
    const text = await metrics.text();
    expect(text).toContain('sangam_adapter_records_out_total{adapter="yulu-gbfs"');
  });
});

describe(`the GBFS adapter publishing over HTTP on ${testBackend()}`, () => {
  let a: Alliance;
  let feeds: FeedServer;

  beforeAll(async () => {
    a = await startAlliance();
    feeds = await startFeedServer({ clock: a.clock });
    feeds.city('slow-ttl', { stations: 20, vehicles: 2000, seed: 2, ttl: 2 });
  });
  afterAll(async () => {
    await a.gw.close();
    await feeds.close();
  });

  it('publishes with the provider client through the ingestion API, notes ε beside noisy counts, and keeps to the ttl', async () => {
    const mou = await gbfsAlliance(a);
    const client = await a.gw.api.post('/consent/v1/clients', {
      token: await a.gw.adminToken(),
      json: { organisation: 'yulu', roles: ['provider'] },
    });
    const { clientId, clientSecret } = client.body.results;
    const runtime = gbfsRuntime(a, feeds.gbfs('3.0', 'slow-ttl'), mou, {
      gateway: { url: a.gw.url, clientId, clientSecret },
      pollSeconds: 0.05,
      privacy: { h3Resolution: 7, bucketMinutes: 15, epsilon: 1 },
    });
    runtime.start();
    await runtime.cycleDone();
    // Were the ttl ignored, the next poll would follow within 50 ms: a window six times that shows none does.
    await new Promise((r) => setTimeout(r, 300));
    const health = runtime.health;
    await runtime.stop();
    expect(health.state, JSON.stringify(health.lastError)).toBe('healthy');
    expect(health.recordsOut).toBeGreaterThan(20);
    // The feed says its data lives 2 s: the adapter polls no sooner, though configured for every 50 ms.
    expect(
      Date.parse(health.nextPollAt ?? '') - Date.parse(health.lastAttemptAt ?? ''),
    ).toBeGreaterThanOrEqual(1900);
    expect(feeds.requests.filter((p) => p.endsWith('/gbfs.json'))).toHaveLength(1);
    const audit = await a.gw.database.db
      .selectFrom('audit_entries')
      .select('actor_client')
      .where('action', '=', 'rs.ingest')
      .execute();
    expect(audit.map((e) => e.actor_client)).toContain(clientId);
    const cells = await a.gw.database.db
      .selectFrom('records')
      .select('body')
      .where('resource_id', '=', vehicles)
      .execute();
    expect(cells.length).toBeGreaterThan(0);
    expect(cells.every((c) => JSON.parse(c.body).epsilon === 1)).toBe(true);
  });
});
