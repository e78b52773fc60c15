import { initialiseCity, isInitialised } from '@sangam/consent';
import { createLogger, startServer } from '@sangam/http';
import {
  type DemoAlliance,
  type DemoCredentials,
  demoAlliance,
  demoBanner,
  runDemoAdapters,
  seedDemo,
} from '../demo.js';
import { buildGateway } from '../gateway.js';
import { credentialsBanner } from './admin-init.js';
import { clock, openGateway, say } from './context.js';

/** `sangam start [--no-demo]`: every service in one process on one port. */
export async function start(options: { demo: boolean }): Promise<void> {
  const { config, handle } = await openGateway();
  const logger = createLogger({ level: config.LOG_LEVEL });
  const gateway = await buildGateway(handle.db, config, { logger, clock, reader: handle.reader });

  let newcomer: { alliance: DemoAlliance; consumer: DemoCredentials; auditor: DemoCredentials } | undefined;
  if (options.demo && !(await isInitialised(handle.db))) {
    const { organisation, admin } = await initialiseCity(
      handle.db,
      { name: config.SANGAM_CITY_NAME, city: config.SANGAM_CITY },
      { clock, scryptCost: config.SANGAM_SCRYPT_COST, audit: gateway.consent.audit },
    );
    say('  First start: the city and its administrator were created.');
    say(credentialsBanner(config.SANGAM_ISSUER, organisation, admin));
    try {
      newcomer = await seedDemo(gateway.app, handle.db, admin, {
        city: config.SANGAM_CITY,
        cityOrganisation: organisation.id,
        now: clock.now(),
      });
    } catch (error) {
      // The seed goes through the gateway's API, call by call: what it made stays, and the city's credentials
      // above still work. A half-made alliance is not run.
      say(
        `  The demo alliance could not be seeded (${(error as Error).message}). The gateway runs without it; to seed it afresh, stop it and start again on an empty database (for the embedded default, remove ./data).`,
      );
    }
  }
  const alliance = options.demo ? await demoAlliance(handle.db) : undefined;
  let demo: { stop(): Promise<void> } | undefined;
  if (alliance) {
    try {
      demo = await runDemoAdapters(alliance, { db: handle.db, gateway, logger, stateDir: 'data/adapters' });
    } catch (error) {
      say(
        `  The demo adapters could not start (${(error as Error).message}); the gateway runs without them.`,
      );
    }
  }

  const stopCheckpoints =
    config.SANGAM_CHECKPOINT_INTERVAL_SECONDS > 0
      ? gateway.consent.checkpoints.every(config.SANGAM_CHECKPOINT_INTERVAL_SECONDS * 1000, (error) =>
          logger.error({ err: error }, 'audit checkpoint failed'),
        )
      : () => {};
  const sweep =
    config.SANGAM_RETENTION_SWEEP_SECONDS > 0
      ? setInterval(() => {
          gateway
            .sweepRetention()
            .catch((error: unknown) => logger.warn({ err: error }, 'retention sweep failed'));
        }, config.SANGAM_RETENTION_SWEEP_SECONDS * 1000)
      : undefined;
  sweep?.unref();
  const server = await startServer(gateway.app, { port: config.SANGAM_PORT, hostname: config.SANGAM_HOST });
  say(
    `  Sangam is listening on ${server.url} (health: ${server.url}/health, JWKS: ${server.url}/.well-known/jwks.json)`,
  );
  logger.info({ url: server.url, backend: handle.backend }, 'gateway listening');
  // The one-time credentials are shown whatever became of the adapters.
  if (newcomer) say(demoBanner(server.url, newcomer.alliance, newcomer.consumer, newcomer.auditor));

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    stopCheckpoints();
    if (sweep) clearInterval(sweep);
    await demo?.stop();
    await server.close();
    await gateway.proxy.close();
    await handle.destroy();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}
