import { createServer } from 'node:net';
import { isInitialised } from '@sangam/consent';
import type { DatabaseHandle } from '@sangam/db';
import { createLogger, type RunningServer, startServer } from '@sangam/http';
import type { Logger } from 'pino';
import { type GatewayConfig, loadGatewayConfig } from '../config.js';
import { buildGateway, type Gateway } from '../gateway.js';
import { clock, openGateway, say } from './context.js';

/** A started gateway, as something run beside it in the same process (the demo) sees it. */
export interface StartedGateway {
  readonly server: RunningServer;
  readonly gateway: Gateway;
  readonly handle: DatabaseHandle;
  readonly config: GatewayConfig;
  readonly logger: Logger;
  /** What the person who started it is told at the end of the start, or when it is stopped before then. */
  readonly lines: string[];
  /** True once a signal asked the process to stop. */
  stopping(): boolean;
  /** What to stop before the gateway when the process is asked to stop (adapters it started, say). */
  onStop(stop: () => Promise<void>): void;
}

/** What runs beside the gateway in its process (the demo's seed and adapters), started once it listens. */
export interface GatewayExtension {
  started(gateway: StartedGateway): Promise<void>;
}

/**
 * `sangam start`: every service in one process on one port. A port in use stops it before anything is made. It
 * then runs its extension, if any (the demo), starts the background jobs it shares with the other gateways on the
 * database, and prints what a person needs last, after the start-up logs, saying only what happened. Stopped
 * early, it still prints what it has to say (one-time credentials among it).
 */
export async function start(options: { extension?: GatewayExtension } = {}): Promise<void> {
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

  // What the person must see, said once: at the end of the start, or when the process is stopped before it.
  const lines: string[] = [];
  let said = false;
  const sayAll = () => {
    if (said) return;
    said = true;
    for (const line of lines) say(line);
  };
  const stopFirst: (() => Promise<void>)[] = [];
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    sayAll();
    logger.info({ signal }, 'stopping');
    for (const stopOne of stopFirst) await stopOne();
    await server.close();
    await gateway.close();
    await handle.destroy();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));

  if (options.extension) {
    await options.extension.started({
      server,
      gateway,
      handle,
      config,
      logger,
      lines,
      stopping: () => stopping,
      onStop: (stopOne) => stopFirst.push(stopOne),
    });
  } else if (!(await isInitialised(handle.db))) {
    lines.push(
      '',
      '  This gateway has no city yet: create the city and its first administrator with `sangam admin init` (`pnpm sangam admin init` in a checkout; it may run while the gateway does).',
    );
  }

  // Checkpoints and the retention sweep, once per period across every gateway on this database.
  if (!stopping) gateway.jobs.start();
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
