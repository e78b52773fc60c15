import {
  type AdapterHealth,
  adapterHealth,
  adapterLeaseName,
  httpLease,
  httpReleaseLease,
  type LeaseAnswer,
  loadAdapterConfig,
  runUnderLease,
} from '@sangam/adapter-kit';
import { SangamClient } from '@sangam/client';
import { parseConfig } from '@sangam/core';
import { databaseSettings, instanceId, releaseLeases, takeLease } from '@sangam/db';
import { createLogger, serverSettings } from '@sangam/http';
import { adapterKinds, type HostedAdapter, hostAdapter, remoteAdapter } from '../adapters.js';
import { buildGateway } from '../gateway.js';
import { CommandError, UsageError } from '../usage.js';
import { clock, openGateway, say } from './context.js';

/**
 * `sangam adapter run [kind] --config FILE [--once]`: polls a partner feed and publishes until stopped. With a
 * `gateway` in its configuration it needs no database: everything goes over HTTP with the provider's client.
 * Otherwise it publishes in-process into the database of `DATABASE_URL`. Either way one instance of an adapter
 * publishes at a time: others wait as standbys under its lease and take over when the holder dies.
 */
export async function adapterRun(options: {
  kind: string | undefined;
  config: string | undefined;
  once: boolean;
}): Promise<void> {
  if (options.kind !== undefined && !(adapterKinds as readonly string[]).includes(options.kind)) {
    throw new UsageError(`unknown adapter kind "${options.kind}"; kinds: ${adapterKinds.join(', ')}`);
  }
  if (!options.config) throw new UsageError('Name the adapter configuration: --config FILE');
  const adapterConfig = loadAdapterConfig(options.config);
  // The kind on the command line, when given, must be the file's: a guard against running the wrong file.
  if (options.kind !== undefined && adapterConfig.kind !== options.kind) {
    throw new UsageError(`${options.config} configures a ${adapterConfig.kind} adapter, not ${options.kind}`);
  }
  const settings = parseConfig(adapterProcessSettings);
  const logger = createLogger({ level: settings.LOG_LEVEL });
  const instance = instanceId();
  let hosted: HostedAdapter;
  let lease: () => Promise<LeaseAnswer>;
  let close: () => Promise<void>;
  if (adapterConfig.gateway) {
    const remote = remoteAdapter(adapterConfig, { clock, logger });
    hosted = remote;
    lease = httpLease(remote.client, adapterConfig.name, instance);
    const gatewayAt = adapterConfig.gateway;
    close = async () => {
      // Stopped first (which closes its client), then the lease given up, so a standby takes over at once.
      await remote.close();
      const client = new SangamClient({
        baseUrl: gatewayAt.url,
        clientId: gatewayAt.clientId,
        clientSecret: gatewayAt.clientSecret,
      });
      await httpReleaseLease(client, adapterConfig.name, instance)()
        .catch((err: unknown) => logger.warn({ err }, 'lease not given up; it lapses on its own'))
        .finally(() => client.close());
    };
  } else {
    const { config, handle } = await openGateway();
    const gateway = await buildGateway(handle, config, { logger, clock });
    const local = hostAdapter(adapterConfig, { db: handle.db, gateway, logger });
    hosted = local;
    const name = adapterLeaseName(adapterConfig.provider, adapterConfig.name);
    const leaseMs = settings.SANGAM_JOB_LEASE_SECONDS * 1000;
    lease = async () => ({
      held: (await takeLease(handle.db, { name, holder: instance, leaseMs }, clock.now())).held,
      leaseMs,
    });
    close = async () => {
      await local.close();
      await releaseLeases(handle.db, [name], instance);
      await gateway.close();
      await handle.destroy();
    };
  }
  if (options.once) {
    // One poll by hand: it runs only if no running instance holds the adapter.
    if (!(await lease()).held) {
      await close();
      throw new CommandError(
        `${adapterConfig.name} is running in another instance; stop it, or wait for its lease to lapse`,
      );
    }
    const health = await hosted.runtime.runOnce();
    await close();
    process.stdout.write(`${JSON.stringify(health)}\n`);
    if (health.state !== 'healthy') process.exitCode = 1;
    return;
  }
  say(`  Adapter ${adapterConfig.name} (${adapterConfig.kind}) polls ${adapterConfig.feed}`);
  const running = runUnderLease(hosted.runtime, {
    lease,
    leaseMs: settings.SANGAM_JOB_LEASE_SECONDS * 1000,
    clock,
    onStandby: () =>
      logger.info(
        { adapter: adapterConfig.name, instance },
        'another instance runs this adapter: standing by',
      ),
    onStart: () => logger.info({ adapter: adapterConfig.name, instance }, 'adapter running'),
    onLost: () => {
      // Another instance publishes now; this one stops, and its supervisor starts it again as a standby.
      logger.error(
        { adapter: adapterConfig.name, instance },
        'lease lost (not renewed in time, or taken by another instance): stopped',
      );
      void close().finally(() => process.exit(1));
    },
    onError: (err) => logger.warn({ err, adapter: adapterConfig.name }, 'lease not renewed'),
  });
  const onSignal = (signal: string) => {
    logger.info({ signal }, 'stopping');
    void running
      .stop()
      .then(close)
      .then(() => process.exit(0));
  };
  process.once('SIGINT', () => onSignal('SIGINT'));
  process.once('SIGTERM', () => onSignal('SIGTERM'));
}

/** What an adapter process reads from its environment besides its configuration file. */
const adapterProcessSettings = {
  LOG_LEVEL: serverSettings.LOG_LEVEL,
  SANGAM_JOB_LEASE_SECONDS: databaseSettings.SANGAM_JOB_LEASE_SECONDS,
};

/** `sangam adapter status [--json]`: every adapter's health as last stored. */
export async function adapterStatus(options: { json: boolean }): Promise<void> {
  const { handle } = await openGateway();
  try {
    const all = await adapterHealth(handle.db);
    if (options.json) {
      process.stdout.write(`${JSON.stringify(all)}\n`);
      return;
    }
    if (all.length === 0) say('  No adapter has reported yet.');
    for (const h of all) say(line(h));
  } finally {
    await handle.destroy();
  }
}

function line(h: AdapterHealth): string {
  const why = h.lastError ? ` — ${h.lastError.problem}: ${h.lastError.message}` : '';
  return `  ${h.name} (${h.kind}, ${h.provider}): ${h.state}, last success ${h.lastSuccessAt ?? 'never'}, ${h.recordsOut} records out, ${h.cellsSuppressed} cells suppressed${h.cellsOverBudget ? `, ${h.cellsOverBudget} over their ε budget` : ''}${h.recordsLeftOut ? `, ${h.recordsLeftOut} feed records left out` : ''}${why}`;
}
