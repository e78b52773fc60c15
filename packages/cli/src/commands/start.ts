import { createServer } from 'node:net';
import { initialiseCity, isInitialised } from '@sangam/consent';
import type { Database, Kysely } from '@sangam/db';
import { createLogger, type RunningServer, startServer } from '@sangam/http';
import { loadGatewayConfig } from '../config.js';
import {
  adapterReport,
  type DemoNewcomer,
  demoAlliance,
  demoBanner,
  runDemoAdapters,
  seedDemo,
} from '../demo.js';
import { buildGateway } from '../gateway.js';
import { credentialsBanner } from './admin-init.js';
import { clock, openGateway, say } from './context.js';

/** How long the banner waits for the demo adapters' first poll before it says they are still at it. */
const firstPollWaitMs = 60_000;

/**
 * `sangam start [--no-demo]`: every service in one process on one port. A port in use stops it before anything is
 * made; it then seeds and runs the demo, and prints what a newcomer needs last, after the start-up logs, saying
 * only what happened. Stopped early, it still prints the one-time credentials it made.
 */
export async function start(options: { demo: boolean }): Promise<void> {
  const settings = loadGatewayConfig();
  await ensurePortFree(settings.SANGAM_PORT, settings.SANGAM_HOST);
  const { config, handle } = await openGateway({ create: true });
  const logger = createLogger({ level: config.LOG_LEVEL, pretty: process.stdout.isTTY === true });
  const gateway = await buildGateway(handle, config, { logger, clock });
  let server: RunningServer;
  try {
    server = await startServer(gateway.app, { port: config.SANGAM_PORT, hostname: config.SANGAM_HOST });
  } catch (error) {
    await gateway.close();
    await handle.destroy();
    throw error;
  }
  logger.info({ url: server.url, backend: handle.backend }, 'gateway listening');

  // What the newcomer must see, said once: at the end of the start, or when the process is stopped before it.
  const lines: string[] = [];
  let said = false;
  const sayAll = () => {
    if (said) return;
    said = true;
    for (const line of lines) say(line);
  };
  let demo: Awaited<ReturnType<typeof runDemoAdapters>> | undefined;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    sayAll();
    logger.info({ signal }, 'stopping');
    await demo?.stop();
    await server.close();
    await gateway.close();
    await handle.destroy();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));

  let newcomer: DemoNewcomer | undefined;
  if (options.demo && !(await isInitialised(handle.db))) {
    const { organisation, admin } = await initialiseCity(
      handle.db,
      { name: config.SANGAM_CITY_NAME, city: config.SANGAM_CITY },
      { clock, scryptCost: config.SANGAM_SCRYPT_COST, audit: gateway.consent.audit },
    );
    lines.push('', '  First start: the city and its administrator were created.');
    lines.push(credentialsBanner(server.url, organisation, admin));
    try {
      newcomer = await seedDemo(gateway.app, handle.db, admin, {
        city: config.SANGAM_CITY,
        cityOrganisation: organisation.id,
        now: clock.now(),
      });
    } catch (error) {
      // The seed goes through the gateway's API, call by call: what it made stays, and the city's credentials
      // above still work. A half-made alliance is not run.
      lines.push(
        `  The demo alliance could not be seeded (${(error as Error).message}). The gateway runs without it; to seed it afresh, stop it and start again on an empty database (for the embedded default, remove ./data).`,
      );
    }
  }
  if (!options.demo && !(await isInitialised(handle.db))) {
    lines.push(
      '',
      '  This gateway has no city yet: create the city and its first administrator with `pnpm sangam admin init` (it may run while the gateway does).',
    );
  }
  const alliance = options.demo ? await demoAlliance(handle.db) : undefined;
  let report: string[] = [];
  if (alliance && !stopping) {
    try {
      demo = await runDemoAdapters(alliance, { db: handle.db, gateway, logger, stateDir: 'data/adapters' });
      const polled = await firstPolls(demo.adapters);
      const resources = demo.adapters.flatMap((a) => Object.values(a.config.resources));
      report = adapterReport(polled, demo.failed, await storedPerResource(handle.db, resources));
    } catch (error) {
      report = [
        `    The demo adapters could not start (${(error as Error).message}); the gateway runs without them.`,
      ];
    }
  }

  // Checkpoints and the retention sweep, once per period across every gateway on this database.
  if (!stopping) gateway.jobs.start();

  // The one-time credentials are shown whatever became of the adapters.
  if (newcomer) lines.push(demoBanner(server.url, newcomer, report));
  else if (report.length > 0) lines.push('', '  The demo adapters, at their first poll:', ...report, '');
  lines.push(
    `  Sangam is listening on ${server.url} (health: ${server.url}/health, JWKS: ${server.url}/.well-known/jwks.json)`,
  );
  sayAll();
}

/** Fails as the server would (EADDRINUSE) when the port is taken, before any database is opened or created. */
async function ensurePortFree(port: number, host: string): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

/** Each adapter's health after its first poll, or as it stands once the wait is over. */
async function firstPolls(adapters: Awaited<ReturnType<typeof runDemoAdapters>>['adapters']) {
  let timer: NodeJS.Timeout | undefined;
  const waited = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, firstPollWaitMs);
  });
  try {
    return await Promise.all(
      adapters.map(async (a) => {
        await Promise.race([a.runtime.cycleDone(), waited]);
        return { config: a.config, health: a.runtime.health };
      }),
    );
  } finally {
    clearTimeout(timer);
  }
}

/** How many records each resource holds now. */
async function storedPerResource(db: Kysely<Database>, resources: string[]): Promise<Map<string, number>> {
  if (resources.length === 0) return new Map();
  const rows = await db
    .selectFrom('records')
    .select((eb) => ['resource_id', eb.fn.countAll<number>().as('n')])
    .where('resource_id', 'in', resources)
    .groupBy('resource_id')
    .execute();
  return new Map(rows.map((r) => [r.resource_id, Number(r.n)]));
}
