import { type ClientWithSecret, initialiseCity } from '@sangam/consent';
import type { Clock, Organisation, Role } from '@sangam/core';
import type { DatabaseHandle } from '@sangam/db';
import { testDatabase } from '@sangam/db/testing';
import { buildGateway, type Gateway, loadGatewayConfig } from '@sangam/gateway';
import { createLogger, type RunningServer, startServer } from '@sangam/http';
import type { DestinationStream } from 'pino';
import { Api } from './api.js';
import { runningTestClock } from './epoch.js';

export interface TestGateway {
  readonly url: string;
  readonly api: Api;
  readonly database: DatabaseHandle;
  readonly gateway: Gateway;
  readonly city: Organisation;
  readonly admin: ClientWithSecret;
  /** An identity token of the city admin. */
  adminToken(): Promise<string>;
  close(): Promise<void>;
}

export interface TestGatewayOptions {
  readonly clock?: Clock;
  readonly env?: Record<string, string>;
  /** Where the gateway's log lines go; silent when absent. */
  readonly logDestination?: DestinationStream;
  /** Reuse a database (e.g. to restart a gateway on the same data); a fresh one otherwise. */
  readonly database?: DatabaseHandle;
}

/** The whole gateway on an ephemeral port over a fresh, initialised database on the backend under test. */
export async function startTestGateway(options: TestGatewayOptions = {}): Promise<TestGateway> {
  const clock = options.clock ?? runningTestClock();
  const database = options.database ?? (await testDatabase());
  const config = loadGatewayConfig({ SANGAM_SCRYPT_COST: '14', ...options.env });
  const logger = createLogger(
    options.logDestination ? { level: 'info', destination: options.logDestination } : { level: 'silent' },
  );
  const gateway = await buildGateway(database, config, { logger, clock });
  const { organisation: city, admin } = await initialiseCity(
    database.db,
    { id: 'surat', name: 'Surat Municipal Corporation', city: 'Surat' },
    { clock, scryptCost: config.SANGAM_SCRYPT_COST, audit: gateway.consent.audit },
  );
  const server: RunningServer = await startServer(gateway.app, { port: 0 });
  const api = new Api(server.url);
  return {
    url: server.url,
    api,
    database,
    gateway,
    city,
    admin,
    adminToken: () => clientToken(api, admin.clientId, admin.clientSecret),
    async close() {
      await server.close();
      await gateway.close();
      if (!options.database) await database.destroy();
    },
  };
}

/** An identity token for a client, by the client-credentials grant. */
export async function clientToken(
  api: Api,
  clientId: string,
  secret: string,
  scope?: string,
): Promise<string> {
  const response = await api.post('/auth/v1/token', {
    form: {
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: secret,
      ...(scope ? { scope } : {}),
    },
  });
  if (response.status !== 200) throw new Error(`token request failed: ${response.status} ${response.text}`);
  return response.body.access_token as string;
}

/** An organisation with one client of the given roles, made through the API by the city admin. */
export async function createPartner(
  gw: TestGateway,
  input: { id: string; kind: Organisation['kind']; roles: Role[]; name?: string },
): Promise<{ organisation: Organisation; client: ClientWithSecret; token: string }> {
  const admin = await gw.adminToken();
  const org = await gw.api.post('/consent/v1/organisations', {
    token: admin,
    json: { id: input.id, name: input.name ?? input.id, kind: input.kind, city: 'Surat' },
  });
  if (org.status !== 201) throw new Error(`organisation create failed: ${org.status} ${org.text}`);
  const client = await gw.api.post('/consent/v1/clients', {
    token: admin,
    json: { organisation: input.id, roles: input.roles },
  });
  if (client.status !== 201) throw new Error(`client create failed: ${client.status} ${client.text}`);
  const created = client.body.results as ClientWithSecret;
  return {
    organisation: org.body.results as Organisation,
    client: created,
    token: await clientToken(gw.api, created.clientId, created.clientSecret),
  };
}

/**
 * Client credentials kept by name, each use minting a fresh identity token: for tests that move the clock further
 * than a token lives.
 */
export class Wallet {
  readonly #api: Api;
  readonly #clients = new Map<string, { clientId: string; clientSecret: string }>();

  constructor(api: Api) {
    this.#api = api;
  }

  set(name: string, client: { clientId: string; clientSecret: string }): void {
    this.#clients.set(name, client);
  }

  /** The client id and secret kept under `name`, for a client SDK to sign in with. */
  credentials(name: string): { clientId: string; clientSecret: string } {
    const client = this.#clients.get(name);
    if (!client) throw new Error(`no client ${name}`);
    return client;
  }

  token(name: string): Promise<string> {
    const client = this.#clients.get(name);
    if (!client) throw new Error(`no client ${name}`);
    return clientToken(this.#api, client.clientId, client.clientSecret);
  }
}
