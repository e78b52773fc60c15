import { type AdapterHealth, adapterHealth, loadAdapterConfig } from '@sangam/adapter-kit';
import { createLogger } from '@sangam/http';
import { adapterKinds, hostAdapter } from '../adapters.js';
import { buildGateway } from '../gateway.js';
import { UsageError } from '../usage.js';
import { clock, openGateway, say } from './context.js';

/** `sangam adapter run <kind> --config FILE [--once]`: polls a partner feed and publishes until stopped. */
export async function adapterRun(options: {
  kind: string | undefined;
  config: string | undefined;
  once: boolean;
}): Promise<void> {
  if (!options.kind || !(adapterKinds as readonly string[]).includes(options.kind)) {
    throw new UsageError(
      `${options.kind ? `unknown adapter kind "${options.kind}"` : 'adapter run needs a kind'}; kinds: ${adapterKinds.join(', ')}`,
    );
  }
  if (!options.config) throw new UsageError('Name the adapter configuration: --config FILE');
  const adapterConfig = loadAdapterConfig(options.config);
  if (adapterConfig.kind !== options.kind) {
    throw new UsageError(`${options.config} configures a ${adapterConfig.kind} adapter, not ${options.kind}`);
  }
  const { config, handle } = await openGateway();
  const logger = createLogger({ level: config.LOG_LEVEL });
  const gateway = await buildGateway(handle, config, { logger, clock });
  const hosted = hostAdapter(adapterConfig, { db: handle.db, gateway, logger });
  const stop = async () => {
    await hosted.close();
    await gateway.close();
    await handle.destroy();
  };
  if (options.once) {
    const health = await hosted.runtime.runOnce();
    await stop();
    process.stdout.write(`${JSON.stringify(health)}\n`);
    if (health.state !== 'healthy') process.exitCode = 1;
    return;
  }
  say(`  Adapter ${adapterConfig.name} (${adapterConfig.kind}) polls ${adapterConfig.feed}`);
  hosted.runtime.start();
  const onSignal = (signal: string) => {
    logger.info({ signal }, 'stopping');
    void stop().then(() => process.exit(0));
  };
  process.once('SIGINT', () => onSignal('SIGINT'));
  process.once('SIGTERM', () => onSignal('SIGTERM'));
}

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
