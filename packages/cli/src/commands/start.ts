import { initialiseCity, isInitialised } from '@sangam/consent';
import { createLogger, startServer } from '@sangam/http';
import { buildGateway } from '../gateway.js';
import { credentialsBanner } from './admin-init.js';
import { clock, openGateway, say } from './context.js';

/** `sangam start [--no-demo]`: every service in one process on one port. */
export async function start(options: { demo: boolean }): Promise<void> {
  const { config, handle } = await openGateway();
  const logger = createLogger({ level: config.LOG_LEVEL });
  const gateway = await buildGateway(handle.db, config, { logger, clock });

  if (options.demo && !(await isInitialised(handle.db))) {
    const { organisation, admin } = await initialiseCity(
      handle.db,
      { name: config.SANGAM_CITY_NAME, city: config.SANGAM_CITY },
      { clock, scryptCost: config.SANGAM_SCRYPT_COST, audit: gateway.consent.audit },
    );
    say('  First start: the city and its administrator were created.');
    say(credentialsBanner(config.SANGAM_ISSUER, organisation, admin));
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

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    stopCheckpoints();
    if (sweep) clearInterval(sweep);
    await server.close();
    await gateway.proxy.close();
    await handle.destroy();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}
