import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stationAvailabilityModel, vehicleAvailabilityModel } from '@sangam/adapter-gbfs';
import { busPositionModel, routeOccupancyModel } from '@sangam/adapter-itms';
import {
  type AdapterConfig,
  type AdapterHealth,
  type AdapterRuntime,
  parseAdapterConfig,
} from '@sangam/adapter-kit';
import { anonymisedTripModel, cellEventsModel, cellVehiclesModel, odMatrixModel } from '@sangam/adapter-mds';
import type { Database, Kysely } from '@sangam/db';
import type { FeedServer } from '@sangam/feeds';
import { type Gateway, hostAdapter } from '@sangam/gateway';
import type { AppEnv } from '@sangam/http';
import { utcOffset } from '@sangam/privacy';
import type { Hono } from 'hono';
import type { Logger } from 'pino';

/** What the demo alliance keeps between starts, in the database: no secret (its pseudonym key is in a file). */
export interface DemoAlliance {
  readonly busMou: string;
  readonly bikeMou: string;
  readonly busConsent: string;
  readonly bikeConsent: string;
}

/** One client's credentials, shown to the newcomer only at the first start. */
export interface DemoCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
}

/** What a newcomer needs once: the university's, the providers' and the city auditor's credentials. */
export interface DemoNewcomer {
  readonly alliance: DemoAlliance;
  readonly consumer: DemoCredentials;
  readonly auditor: DemoCredentials;
  /** The bus operator's and the micro-mobility operator's admin clients: they grant, pause and revoke consents. */
  readonly providers: { readonly sitilink: DemoCredentials; readonly yulu: DemoCredentials };
  /** One-time secrets of the invitations of the city's data officer, Sitilink's steward and an SVNIT researcher. */
  readonly people: { readonly city: string; readonly sitilink: string; readonly svnit: string };
}

const demoSetting = 'demo_alliance';
const day = 86_400_000;

type Json = Record<string, unknown>;

/** The gateway's own API, called in-process: the demo is seeded exactly as a person would, and audited the same. */
function caller(app: Hono<AppEnv>) {
  return async (
    method: string,
    path: string,
    options: { token?: string; json?: unknown; form?: Json } = {},
  ) => {
    const headers: Record<string, string> = {};
    let body: string | undefined;
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    } else if (options.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(options.form as Record<string, string>).toString();
    }
    const response = await app.request(path, { method, headers, ...(body ? { body } : {}) });
    const answer = (await response.json()) as Json;
    if (!response.ok)
      throw new Error(`demo alliance: ${method} ${path} → ${response.status} ${String(answer.detail)}`);
    return answer;
  };
}

/**
 * Seeds the demo alliance of the README's first command: Surat's bus operator (Sitilink) and a micro-mobility
 * operator (Yulu) share data with a university (SVNIT) under one MoU each, signed by every party; the university holds
 * an active consent for each dataset. Everything goes through the gateway's API as the city admin and each partner.
 */
export async function seedDemo(
  app: Hono<AppEnv>,
  db: Kysely<Database>,
  admin: { clientId: string; clientSecret: string },
  options: { city: string; cityOrganisation: string; now: Date },
): Promise<DemoNewcomer> {
  const call = caller(app);
  const token = async (client: { clientId: string; clientSecret: string }) =>
    (
      await call('POST', '/auth/v1/token', {
        form: {
          grant_type: 'client_credentials',
          client_id: client.clientId,
          client_secret: client.clientSecret,
        },
      })
    ).access_token as string;
  const city = await token(admin);
  const organisation = (id: string, name: string, kind: string) =>
    call('POST', '/consent/v1/organisations', { token: city, json: { id, name, kind, city: options.city } });
  const client = async (organisation: string, roles: string[]) =>
    (await call('POST', '/consent/v1/clients', { token: city, json: { organisation, roles } }))
      .results as DemoCredentials;
  await organisation('sitilink', 'Surat Sitilink (city buses)', 'industry');
  await organisation('yulu', 'Yulu (bikes and scooters)', 'startup');
  await organisation('svnit', 'SVNIT Surat (university)', 'academia');
  const providers = {
    sitilink: await client('sitilink', ['admin', 'provider']),
    yulu: await client('yulu', ['admin', 'provider']),
  };
  const sitilink = await token(providers.sitilink);
  const yulu = await token(providers.yulu);
  const svnitAdmin = await token(await client('svnit', ['admin']));
  const consumer = await client('svnit', ['consumer']);
  // The city's auditor sees every entry of the log, whoever the parties, and can verify it.
  const auditor = await client(options.cityOrganisation, ['auditor']);
  const university = await token(consumer);

  const item = (who: string, json: Json) => call('POST', '/cat/v1/items', { token: who, json });
  const surat = {
    type: 'Polygon',
    coordinates: [
      [
        [72.7, 21.1],
        [72.95, 21.1],
        [72.95, 21.26],
        [72.7, 21.26],
        [72.7, 21.1],
      ],
    ],
  };
  await item(sitilink, { type: 'provider', id: 'sitilink', name: 'Surat Sitilink', city: options.city });
  await item(sitilink, {
    type: 'resourceGroup',
    id: 'sitilink/surat-bus-itms',
    name: 'Surat bus ITMS',
    description:
      'Live positions and occupancy of the city buses, from the intelligent transit management system',
    tags: ['transit', 'bus', 'itms'],
    city: options.city,
    location: surat,
    accessPolicy: 'SECURE',
    licence: 'Surat data alliance MoU',
  });
  const resource = (
    id: string,
    name: string,
    description: string,
    dataModel: object,
    releaseLevel: string,
    adapter: string,
    updateInterval = 'PT15S',
  ) => ({
    type: 'resource',
    id,
    name,
    description,
    city: options.city,
    location: surat,
    dataModel,
    accessPolicy: 'SECURE',
    releaseLevel,
    source: { adapter },
    updateInterval,
  });
  await item(
    sitilink,
    resource(
      'sitilink/surat-bus-itms/live',
      'Bus positions, live',
      'Every bus, under a pseudonym that changes daily; no plates',
      busPositionModel,
      'anonymised-record',
      'itms',
    ),
  );
  await item(
    sitilink,
    resource(
      'sitilink/surat-bus-itms/occupancy',
      'Occupancy per route',
      'Buses seen and how full, per route and 15 minutes',
      routeOccupancyModel,
      'aggregate',
      'itms',
      'PT15M',
    ),
  );
  await item(yulu, { type: 'provider', id: 'yulu', name: 'Yulu', city: options.city });
  await item(yulu, {
    type: 'resourceGroup',
    id: 'yulu/bikes',
    name: 'Yulu bikes and scooters',
    description: 'Station availability, and vehicle availability per H3 cell, from the GBFS feed',
    tags: ['micromobility', 'gbfs', 'bikes'],
    city: options.city,
    location: surat,
    accessPolicy: 'SECURE',
  });
  await item(
    yulu,
    resource(
      'yulu/bikes/stations',
      'Station availability',
      'Vehicles and docks available at each station',
      stationAvailabilityModel,
      'anonymised-record',
      'gbfs',
    ),
  );
  await item(
    yulu,
    resource(
      'yulu/bikes/od',
      'Trips between cells, hourly',
      'Origin-destination matrix of H3 cells per hour: trips, mean duration and distance; cells under k withheld',
      odMatrixModel,
      'aggregate',
      'mds',
      'PT1H',
    ),
  );
  await item(
    yulu,
    resource(
      'yulu/bikes/trips',
      'Trips, anonymised',
      'k-anonymous trips, a day at a time: no device or trip id; ends, times, duration and distance generalised until k devices share each',
      anonymisedTripModel,
      'anonymised-record',
      'mds',
      'PT1H',
    ),
  );
  await item(
    yulu,
    resource(
      'yulu/bikes/events',
      'Fleet events per cell, hourly',
      'Trip starts, trip ends and other MDS events per H3 cell and hour; cells under k withheld',
      cellEventsModel,
      'aggregate',
      'mds',
      'PT1H',
    ),
  );
  await item(
    yulu,
    resource(
      'yulu/bikes/fleet-states',
      'Fleet states per cell',
      'Vehicles per H3 cell and MDS state, every 15 minutes; cells under k withheld',
      cellVehiclesModel,
      'aggregate',
      'mds',
      'PT15M',
    ),
  );
  await item(
    yulu,
    resource(
      'yulu/bikes/vehicles',
      'Vehicle availability per cell',
      'Available vehicles per H3 cell, 15 minutes and type; cells under k withheld',
      vehicleAvailabilityModel,
      'aggregate',
      'gbfs',
      'PT15M',
    ),
  );

  const now = options.now;
  const reviewBy = new Date(now.getTime() + 182 * day).toISOString().slice(0, 10);
  const mou = async (title: string, partners: string[], dataset: Json, signers: string[]) => {
    const created = await call('POST', '/consent/v1/mous', {
      token: city,
      json: {
        title,
        partners,
        problem: {
          issue: 'Buses bunch and last-mile options are unknown',
          beneficiaries: ['commuters'],
          kpis: ['headway', 'first and last mile'],
        },
        areas: ['data-sharing', 'dashboards-and-analysis'],
        purposes: ['transit research'],
        datasets: [dataset],
        effectiveFrom: now.toISOString(),
        endsAt: new Date(now.getTime() + 365 * day).toISOString(),
        documentSha256: createHash('sha256').update(title).digest('hex'),
        // What the city reviews the alliance by in six months, measured by the gateway from its own records.
        kpis: [
          { metric: 'records-released-per-week', target: 1000, direction: 'at-least', reviewBy },
          { metric: 'active-consumers', target: 1, direction: 'at-least', reviewBy },
          { metric: 'adapter-freshness-minutes', target: 5, direction: 'at-most', reviewBy },
          { metric: 'datasets-delivered-percent', target: 100, direction: 'at-least', reviewBy },
        ],
      },
    });
    const id = (created.results as Json).id as string;
    for (const signer of signers) await call('POST', `/consent/v1/mous/${id}/sign`, { token: signer });
    return id;
  };
  const busMou = await mou(
    'Bus data for transit research',
    ['sitilink', 'svnit'],
    { group: 'sitilink/surat-bus-itms', maxReleaseLevel: 'anonymised-record' },
    [city, sitilink, svnitAdmin],
  );
  const bikeMou = await mou(
    'Micro-mobility data for last-mile research',
    ['yulu', 'svnit'],
    { group: 'yulu/bikes', maxReleaseLevel: 'anonymised-record', minimumCellCount: 10 },
    [city, yulu, svnitAdmin],
  );
  const consent = async (mouId: string, group: string, attributes: string[], provider: string) => {
    const asked = await call('POST', '/consent/v1/consents', {
      token: university,
      json: {
        mou: mouId,
        items: [group],
        purpose: 'transit research',
        accessTypes: ['latest', 'temporal', 'download'],
        attributes,
        releaseLevel: 'anonymised-record',
        validTo: new Date(now.getTime() + 90 * day).toISOString(),
        rateLimit: 600,
      },
    });
    const id = (asked.results as Json).id as string;
    await call('POST', `/consent/v1/consents/${id}/grant`, { token: provider });
    return id;
  };
  const busConsent = await consent(
    busMou,
    'sitilink/surat-bus-itms',
    [
      'routeId',
      'tripId',
      'tripDirection',
      'tripDelay',
      'speed',
      'location',
      'lastStopId',
      'vehicles',
      'observations',
      'occupancy',
    ],
    sitilink,
  );
  const bikeConsent = await consent(
    bikeMou,
    'yulu/bikes',
    [
      'name',
      'location',
      'vehiclesAvailable',
      'docksAvailable',
      'isRenting',
      'isReturning',
      'cell',
      'vehicleType',
      'available',
      'origin',
      'destination',
      'trips',
      'meanDuration',
      'meanDistance',
      'endBucket',
      'bucketMinutes',
      'originResolution',
      'destinationResolution',
      'durationFrom',
      'durationTo',
      'distanceFrom',
      'distanceTo',
      'eventType',
      'events',
      'state',
      'vehicles',
      // How noisy a count is: a consumer needs it to read the count.
      'epsilon',
    ],
    yulu,
  );

  const alliance: DemoAlliance = {
    busMou,
    bikeMou,
    busConsent,
    bikeConsent,
  };
  await db
    .insertInto('settings')
    .values({ name: demoSetting, value: JSON.stringify(alliance) })
    .execute();
  // People, for the console: one invitation each, whose one-time link the newcomer opens in a browser.
  const invite = async (who: string, email: string, name: string, roles: string[]) =>
    (
      (await call('POST', '/consent/v1/members/invitations', { token: who, json: { email, name, roles } }))
        .results as Json
    ).token as string;
  const people = {
    city: await invite(city, 'officer@surat.example', 'City data officer', ['admin', 'auditor']),
    sitilink: await invite(sitilink, 'steward@sitilink.example', 'Sitilink data steward', [
      'admin',
      'provider',
    ]),
    svnit: await invite(svnitAdmin, 'researcher@svnit.example', 'SVNIT researcher', ['admin', 'consumer']),
  };
  return { alliance, consumer, auditor, providers, people };
}

/** The demo alliance seeded at an earlier start, if any. */
export async function demoAlliance(db: Kysely<Database>): Promise<DemoAlliance | undefined> {
  const row = await db
    .selectFrom('settings')
    .select('value')
    .where('name', '=', demoSetting)
    .executeTakeFirst();
  return row ? (JSON.parse(row.value) as DemoAlliance) : undefined;
}

/**
 * The demo's partner feeds (a synthetic Surat: its bikes, its MDS fleet and its buses, made in the project and
 * served in-process) and its adapters, publishing in-process.
 */
export async function runDemoAdapters(
  alliance: DemoAlliance,
  host: {
    db: Kysely<Database>;
    gateway: Gateway;
    logger: Logger;
    stateDir: string;
    /** The adapters to run, by name; all of them when absent. */
    only?: readonly string[];
  },
): Promise<{
  feeds: FeedServer;
  adapters: readonly DemoAdapter[];
  failed: readonly { name: string; reason: string }[];
  stop(): Promise<void>;
}> {
  const pseudonymSecret = await demoPseudonymSecret(host.db, host.stateDir);
  const { startFeedServer } = await import('@sangam/feeds');
  const feeds = await startFeedServer({ clock: host.gateway.clock });
  feeds.city('surat', { stations: 60, vehicles: 10_000, seed: 2026, centre: [72.83, 21.17] });
  // Twelve buses a route: occupancy per route is published only where k (10) distinct buses ran it.
  feeds.buses('surat', { buses: 96, routes: 8, seed: 2026, centre: [72.83, 21.17] });
  // The MDS provider API wants a token; the demo's is made afresh at each start.
  const mdsToken = randomBytes(24).toString('base64url');
  feeds.fleet('yulu', { devices: 1500, tripsPerHour: 900, seed: 2026, centre: [72.83, 21.17] }, mdsToken);
  const configs: Record<string, unknown>[] = [
    {
      name: 'yulu-gbfs',
      kind: 'gbfs',
      feed: feeds.gbfs('3.0', 'surat'),
      allowHosts: ['127.0.0.1'],
      provider: 'yulu',
      mou: alliance.bikeMou,
      resources: { stations: 'yulu/bikes/stations', vehicles: 'yulu/bikes/vehicles' },
      pollSeconds: 15,
      stateDir: host.stateDir,
    },
    {
      name: 'yulu-mds',
      kind: 'mds',
      feed: `${feeds.url}/mds/yulu`,
      allowHosts: ['127.0.0.1'],
      provider: 'yulu',
      mou: alliance.bikeMou,
      resources: {
        od: 'yulu/bikes/od',
        trips: 'yulu/bikes/trips',
        events: 'yulu/bikes/events',
        vehicles: 'yulu/bikes/fleet-states',
      },
      pollSeconds: 60,
      // Surat's days end at its midnight (18:30 UTC): anonymised trips are released a day at a time.
      // Fleet states, and trips beside their OD matrix and events, are released with noise (ε 1 a count), every
      // draw entered in the ledger (`GET /rs/v1/privacy/ledger`).
      privacy: { h3Resolution: 7, bucketMinutes: 15, timeZone: 'Asia/Kolkata', epsilon: 1 },
      stateDir: host.stateDir,
      options: {
        token: mdsToken,
        // From the start of yesterday in Surat: the first poll reads a whole day (released as k-anonymous trips)
        // and busy hours of today, so trips between cells are there from the first poll.
        startHour: new Date(startOfYesterday(host.gateway.clock.now(), 'Asia/Kolkata'))
          .toISOString()
          .slice(0, 13),
        maxHoursPerPoll: 48,
      },
    },
    {
      name: 'sitilink-itms',
      kind: 'itms',
      feed: `${feeds.url}/itms/surat/iudx.json`,
      allowHosts: ['127.0.0.1'],
      provider: 'sitilink',
      mou: alliance.busMou,
      resources: {
        positions: 'sitilink/surat-bus-itms/live',
        occupancy: 'sitilink/surat-bus-itms/occupancy',
      },
      pollSeconds: 15,
      privacy: { timeZone: 'Asia/Kolkata' },
      stateDir: host.stateDir,
      options: { format: 'iudx-json', pseudonymSecret },
    },
  ];
  // Each adapter on its own: one that cannot start is named with its reason, and the others run.
  const adapters: (DemoAdapter & { close(): Promise<void> })[] = [];
  const failed: { name: string; reason: string }[] = [];
  for (const raw of configs) {
    if (host.only && !host.only.includes(String(raw.name))) continue;
    try {
      const config = parseAdapterConfig(raw);
      adapters.push({ config, ...hostAdapter(config, host) });
    } catch (error) {
      failed.push({ name: String(raw.name), reason: (error as Error).message });
    }
  }
  for (const a of adapters) a.runtime.start();
  return {
    feeds,
    adapters,
    failed,
    async stop() {
      for (const a of adapters) await a.close();
      await feeds.close();
    },
  };
}

/** A demo adapter as the gateway runs it: its configuration and its runtime. */
export interface DemoAdapter {
  readonly config: AdapterConfig;
  readonly runtime: AdapterRuntime;
}

/** What each demo adapter did at its first poll, for the banner: only what happened is claimed. */
export function adapterReport(
  adapters: readonly { config: AdapterConfig; health: AdapterHealth }[],
  failed: readonly { name: string; reason: string }[],
  /** Records stored per resource once the first polls are done. */
  stored: ReadonlyMap<string, number>,
): string[] {
  const lines = adapters.map(({ config, health }) => {
    const name = config.name.padEnd(14);
    if (health.state === 'starting' && !health.lastError) return `    ${name}still on its first poll`;
    if (health.state !== 'healthy') {
      const why = health.lastError
        ? `${health.lastError.problem}: ${health.lastError.message}`
        : health.state;
      return `    ${name}could not publish (${why}); /adapters/v1/status says when it recovers`;
    }
    const minutes = config.privacy.bucketMinutes;
    const counts = Object.entries(config.resources).map(([role, resource]) => {
      const n = stored.get(resource) ?? 0;
      const label = resource.split('/').at(-1);
      if (n > 0) return `${label} ${n.toLocaleString('en')}`;
      if (config.kind === 'itms' && role === 'occupancy') {
        const ends =
          Math.ceil(Date.parse(health.lastAttemptAt ?? '') / (minutes * 60_000)) * minutes * 60_000;
        return `${label} none yet (once its first ${minutes}-minute bucket has ended, after ${new Date(ends).toISOString().slice(11, 16)} UTC)`;
      }
      return `${label} none yet`;
    });
    const when =
      config.kind === 'mds'
        ? 'from the hours before the start, then each hour shortly after it ends'
        : `every ${config.pollSeconds} s`;
    return `    ${name}${counts.join(', ')}; ${when}`;
  });
  return [...lines, ...failed.map((f) => `    ${f.name.padEnd(14)}could not start: ${f.reason}`)];
}

/** The few commands that take a newcomer from the demo's credentials to live data, and what the adapters did. */
export function demoBanner(url: string, newcomer: DemoNewcomer, adapters: readonly string[]): string {
  const { alliance, consumer, auditor, providers, people } = newcomer;
  const json = (path: string) => `node -p 'JSON.parse(require("fs").readFileSync(0)).${path}'`;
  return [
    '',
    '  The demo alliance: Surat, its bus operator (sitilink), a micro-mobility operator (yulu) and a university',
    '  (svnit), with a signed MoU per partner and an active consent each. Its adapters, at their first poll:',
    '',
    ...adapters,
    '',
    '  As the university, in a shell:',
    '',
    `    ID='${consumer.clientId}'; SECRET='${consumer.clientSecret}'`,
    `    TOKEN=$(curl -s -u "$ID:$SECRET" -d grant_type=client_credentials ${url}/auth/v1/token | ${json('access_token')})`,
    `    ACCESS=$(curl -s -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' -d '{"item":"sitilink/surat-bus-itms","consent":"${alliance.busConsent}"}' ${url}/auth/v1/access-tokens | ${json('results.accessToken')})`,
    `    curl -s -H "authorization: Bearer $ACCESS" '${url}/ngsi-ld/v1/entities?id=sitilink/surat-bus-itms/live'`,
    '',
    '  The same last line reads id=sitilink/surat-bus-itms/occupancy.',
    `  Bikes: the same with {"item":"yulu/bikes","consent":"${alliance.bikeConsent}"} and id=yulu/bikes/vehicles, stations, od, trips, events or fleet-states.`,
    '',
    "  As the providers, who grant, pause and revoke consents on their data (the university's are",
    `  ${alliance.busConsent} and ${alliance.bikeConsent}), e.g. POST ${url}/consent/v1/consents/{id}/pause:`,
    '',
    `    SITILINK_ID='${providers.sitilink.clientId}'; SITILINK_SECRET='${providers.sitilink.clientSecret}'`,
    `    YULU_ID='${providers.yulu.clientId}'; YULU_SECRET='${providers.yulu.clientSecret}'`,
    '',
    "  As the city's auditor, who sees every decision: the university's first steps, and the log's own check:",
    '',
    `    AUDITOR_ID='${auditor.clientId}'; AUDITOR_SECRET='${auditor.clientSecret}'`,
    `    AUDIT=$(curl -s -u "$AUDITOR_ID:$AUDITOR_SECRET" -d grant_type=client_credentials ${url}/auth/v1/token | ${json('access_token')})`,
    `    curl -s -H "authorization: Bearer $AUDIT" '${url}/audit/v1/entries?organisation=svnit&limit=5'`,
    `    curl -s -H "authorization: Bearer $AUDIT" '${url}/audit/v1/verify'`,
    '',
    `  People use the console at ${url}/ (the alliances, the catalogue, sign-in). Each link below makes one person`,
    '  of an organisation, who then signs in with the e-mail address shown on it (each works once, for a week):',
    '',
    `    the city's data officer:  ${url}/join/${people.city}`,
    `    Sitilink's data steward:  ${url}/join/${people.sitilink}`,
    `    an SVNIT researcher:      ${url}/join/${people.svnit}`,
    '',
    `  Adapter health, with the admin's token: ${url}/adapters/v1/status. These secrets are shown only this once.`,
    '',
  ].join('\n');
}

/** The start of the day before `now`'s in a time zone, floored to a whole UTC hour (an MDS hour). */
function startOfYesterday(now: Date, timeZone: string): number {
  const offset = utcOffset(timeZone)(now.getTime());
  const day = 86_400_000;
  const today = Math.floor((now.getTime() + offset) / day) * day - offset;
  return Math.floor((today - day) / 3_600_000) * 3_600_000;
}

/**
 * The demo's pseudonym secret, kept in a file of its data folder that only its owner may read: whoever reads the
 * database cannot map a pseudonym back to a bus. A demo seeded before kept one in the database: that one was
 * readable there (and may live on in old pages and backups), so it is deleted and never used again.
 */
export async function demoPseudonymSecret(db: Kysely<Database>, stateDir: string): Promise<string> {
  const file = join(stateDir, 'pseudonym.key');
  const row = await db
    .selectFrom('settings')
    .select('value')
    .where('name', '=', demoSetting)
    .executeTakeFirst();
  const { pseudonymSecret: exposed, ...alliance } = row
    ? (JSON.parse(row.value) as DemoAlliance & { pseudonymSecret?: string })
    : { pseudonymSecret: undefined };
  if (exposed !== undefined) {
    await db
      .updateTable('settings')
      .set({ value: JSON.stringify(alliance) })
      .where('name', '=', demoSetting)
      .execute();
  }
  mkdirSync(stateDir, { recursive: true });
  try {
    const kept = readFileSync(file, 'utf8').trim();
    if (kept && kept !== exposed) return kept;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const secret = randomBytes(32).toString('base64url');
  try {
    // Written whole under another name, then moved into place: a reader never sees half a key.
    const fresh = `${file}.${process.pid}`;
    writeFileSync(fresh, `${secret}\n`, { mode: 0o600 });
    renameSync(fresh, file);
  } catch (error) {
    throw new Error(`the demo's pseudonym key cannot be written to ${file}: ${(error as Error).message}`);
  }
  return secret;
}
