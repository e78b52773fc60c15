import { GbfsAdapter, type GbfsOptions } from '@sangam/adapter-gbfs';
import { ItmsAdapter, type ItmsOptions } from '@sangam/adapter-itms';
import {
  type AdapterConfig,
  type AdapterLogic,
  AdapterRuntime,
  databaseLedgerStore,
  healthStore,
  httpHealthStore,
  httpLedgerStore,
  httpPublisher,
  httpTerms,
  inProcessPublisher,
  publishTerms,
  type RuntimeOptions,
} from '@sangam/adapter-kit';
import { MdsAdapter, type MdsOptions } from '@sangam/adapter-mds';
import { SangamClient } from '@sangam/client';
import type { Clock } from '@sangam/core';
import type { Database, Kysely } from '@sangam/db';
import { groupOf as datasetOf } from '@sangam/policy';
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

/** An adapter runtime and how to stop it. */
export interface HostedAdapter {
  readonly runtime: AdapterRuntime;
  close(): Promise<void>;
}

/**
 * An adapter runtime as the gateway hosts it: publishing in-process, k from its MoU, health stored in the database
 * for the status API; or, when its configuration names a gateway, wholly over HTTP as `remoteAdapter` runs it.
 */
export function hostAdapter(
  config: AdapterConfig,
  host: { db: Kysely<Database>; gateway: Gateway; logger: Logger; retry?: RuntimeOptions['retry'] },
): HostedAdapter {
  if (config.gateway) {
    return remoteAdapter(config, {
      clock: host.gateway.clock,
      logger: host.logger,
      ...(host.retry ? { retry: host.retry } : {}),
    });
  }
  const clock = host.gateway.clock;
  const runtime = new AdapterRuntime({
    config,
    logic: logicFor(config),
    publisher: inProcessPublisher(
      (caller, resource, records) => host.gateway.proxy.ingest(caller, resource, records),
      config,
    ),
    // The release rule sets the terms: only under an MoU in force that covers the dataset and has the provider
    // as a party, whose entry sets k and whether records (not only aggregates) may be published.
    terms: () =>
      publishTerms(
        host.db,
        { mou: config.mou, provider: config.provider, datasets: datasetsOf(config) },
        clock.now(),
      ),
    onHealth: healthStore(host.db, clock),
    ledger: databaseLedgerStore(host.db, config, clock),
    clock,
    log: (event, detail, level) => host.logger[level](detail, event),
    ...(host.retry ? { retry: host.retry } : {}),
  });
  return { runtime, close: () => runtime.stop() };
}

/**
 * An adapter in a process of its own, with no database: it publishes with its provider's client to the gateway its
 * configuration names, asks that gateway for its terms before every batch, and reports its health and ε spending
 * there, so it runs from an installed package or the image as well as from a checkout.
 */
export function remoteAdapter(
  config: AdapterConfig,
  host: { clock: Clock; logger: Logger; retry?: RuntimeOptions['retry'] },
): HostedAdapter & { readonly client: SangamClient } {
  const gateway = config.gateway;
  if (!gateway) throw new Error(`${config.name} names no gateway to publish to`);
  const client = new SangamClient({
    baseUrl: gateway.url,
    clientId: gateway.clientId,
    clientSecret: gateway.clientSecret,
  });
  const runtime = new AdapterRuntime({
    config,
    logic: logicFor(config),
    publisher: httpPublisher(client),
    terms: httpTerms(client, { mou: config.mou, datasets: datasetsOf(config) }),
    onHealth: httpHealthStore(client),
    // The ledger is kept where the records go.
    ledger: httpLedgerStore(client, config),
    clock: host.clock,
    log: (event, detail, level) => host.logger[level](detail, event),
    ...(host.retry ? { retry: host.retry } : {}),
    onStop: async () => {
      await client.close();
    },
  });
  return { runtime, client, close: () => runtime.stop() };
}
