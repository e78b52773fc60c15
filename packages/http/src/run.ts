import { ConfigError } from '@sangam/core';
import type { Logger } from 'pino';
import { createGateway, type ServiceMount } from './gateway.js';
import { limitHeapGrowth } from './heap.js';
import { type RunningServer, startServer } from './server.js';

export interface ServiceProcess {
  readonly name: string;
  readonly logger: Logger;
  readonly services: readonly ServiceMount[];
  readonly ready: () => Promise<boolean>;
  readonly config: {
    readonly SANGAM_PORT: number;
    readonly SANGAM_HOST: string;
    readonly SANGAM_BODY_LIMIT_BYTES: number;
    readonly SANGAM_CORS_ORIGINS: readonly string[];
    readonly SANGAM_HEAP_GROWTH_PERCENT: number;
  };
  /** Background jobs (`BackgroundJobs` of the database package): started once serving, stopped first. */
  readonly jobs?: { start(): void; stop(): Promise<void> };
  /** Runs once on SIGINT or SIGTERM, after the server stopped taking requests (close the database here). */
  readonly onStop: () => Promise<void>;
}

/** Serves services as one process until SIGINT or SIGTERM, then stops cleanly: the `main` of every service. */
export async function runServices(options: ServiceProcess): Promise<RunningServer> {
  limitHeapGrowth(options.config.SANGAM_HEAP_GROWTH_PERCENT);
  const app = createGateway({
    logger: options.logger,
    services: options.services,
    ready: options.ready,
    bodyLimitBytes: options.config.SANGAM_BODY_LIMIT_BYTES,
    corsOrigins: options.config.SANGAM_CORS_ORIGINS,
  });
  const server = await startServer(app, {
    port: options.config.SANGAM_PORT,
    hostname: options.config.SANGAM_HOST,
  });
  options.logger.info({ url: server.url }, `${options.name} listening`);
  options.jobs?.start();
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    options.logger.info({ signal }, 'stopping');
    await options.jobs?.stop();
    await server.close();
    await options.onStop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  return server;
}

/** Runs a `main`; a configuration error exits 2 with its message, anything else exits 1. */
export function runMain(main: () => Promise<unknown>): void {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof ConfigError ? error.message : String(error)}\n`);
    process.exit(error instanceof ConfigError ? 2 : 1);
  });
}
