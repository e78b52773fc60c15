import { GbfsAdapter, type GbfsOptions } from '@sangam/adapter-gbfs';
import { ItmsAdapter, type ItmsOptions } from '@sangam/adapter-itms';
import {
  type AdapterConfig,
  type AdapterLogic,
  AdapterRuntime,
  databaseLedgerStore,
  healthStore,
  httpLedgerStore,
  httpPublisher,
  inProcessPublisher,
  type Publisher,
  type RuntimeOptions,
} from '@sangam/adapter-kit';
import { MdsAdapter, type MdsOptions } from '@sangam/adapter-mds';
import { SangamClient } from '@sangam/client';
import type { Database, Kysely } from '@sangam/db';
import { adapterTerms, groupOf as datasetOf } from '@sangam/policy';
import type { Logger } from 'pino';
import type { Gateway } from './gateway.js';

/** The feed families this gateway has adapters for. */
export const adapterKinds = ['gbfs', 'itms', 'mds'] as const;

function logicFor(config: AdapterConfig): AdapterLogic {
  switch (config.kind) {
    case 'gbfs':
      return new GbfsAdapter(config.options as GbfsOptions);
    case 'itms':
      return new ItmsAdapter({
        ...(config.options as unknown as ItmsOptions),
        timeZone: config.privacy.timeZone,
        adapterName: config.name,
      });
    case 'mds':
      return new MdsAdapter({ ...(config.options as MdsOptions), timeZone: config.privacy.timeZone });
    default:
      throw new Error(`No adapter for "${config.kind}" yet; adapters: ${adapterKinds.join(', ')}`);
  }
}

/** The groups (datasets) of the adapter's resources, whose MoU entries give its terms. */
function datasetsOf(config: AdapterConfig): string[] {
  return [...new Set(Object.values(config.resources).map((r) => datasetOf(r)))];
}

/**
 * An adapter runtime as the gateway hosts it: publishing in-process (or over HTTP when the configuration names a
 * gateway), k from its MoU, health stored in the database for the status API.
 */
export function hostAdapter(
  config: AdapterConfig,
  host: { db: Kysely<Database>; gateway: Gateway; logger: Logger; retry?: RuntimeOptions['retry'] },
): { runtime: AdapterRuntime; close(): Promise<void> } {
  let client: SangamClient | undefined;
  let publisher: Publisher;
  if (config.gateway) {
    client = new SangamClient({
      baseUrl: config.gateway.url,
      clientId: config.gateway.clientId,
      clientSecret: config.gateway.clientSecret,
    });
    publisher = httpPublisher(client);
  } else {
    publisher = inProcessPublisher(
      (caller, resource, records) => host.gateway.proxy.ingest(caller, resource, records),
      config,
    );
  }
  const runtime = new AdapterRuntime({
    config,
    logic: logicFor(config),
    publisher,
    // The release rule sets the terms: only under an MoU in force that covers the dataset and has the provider
    // as a party, whose entry sets k and whether records (not only aggregates) may be published.
    terms: async () => {
      // Every dataset the adapter feeds must be allowed; the strictest k and release level of them apply.
      const now = host.gateway.clock.now();
      const all = await Promise.all(
        datasetsOf(config).map((group) =>
          adapterTerms(host.db, { mou: config.mou, provider: config.provider, group }, now),
        ),
      );
      const refused = all.find((t) => !t.publish);
      if (refused) return refused;
      const allowed = all.filter((t) => t.publish);
      const budgets = allowed.flatMap((t) => (t.epsilonPerDay !== undefined ? [t.epsilonPerDay] : []));
      return {
        publish: true,
        k: Math.max(...allowed.map((t) => t.k)),
        recordsAllowed: allowed.every((t) => t.recordsAllowed),
        ...(budgets.length > 0 ? { epsilonPerDay: Math.min(...budgets) } : {}),
      };
    },
    onHealth: healthStore(host.db, host.gateway.clock),
    // The ledger is kept where the records go: over HTTP too when the adapter publishes to another gateway.
    ledger: client
      ? httpLedgerStore(client, config)
      : databaseLedgerStore(host.db, config, host.gateway.clock),
    clock: host.gateway.clock,
    log: (event, detail, level) => host.logger[level](detail, event),
    ...(host.retry ? { retry: host.retry } : {}),
    onStop: async () => {
      await client?.close();
    },
  });
  return { runtime, close: () => runtime.stop() };
}
