import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '@sangam/core';
import { type Database, daySpending, type Kysely, recordSpending } from '@sangam/db';
import { type DaySpending, type EpsilonSpend, type LedgerStore, toMicro } from '@sangam/privacy';

/**
 * The ε ledger in the gateway's database, for an adapter the gateway hosts and that publishes in-process: read by
 * `GET /rs/v1/privacy/ledger`.
 */
export function databaseLedgerStore(
  db: Kysely<Database>,
  adapter: { readonly name: string; readonly provider: string },
  clock: Clock,
): LedgerStore {
  return {
    spent: (resource, day) => daySpending(db, resource, day),
    add: (spends, budgetPerDay) =>
      recordSpending(
        db,
        adapter,
        spends,
        budgetPerDay === undefined ? null : toMicro(budgetPerDay),
        clock.now().toISOString(),
      ),
  };
}

/** What the HTTP ledger store needs of a client: `@sangam/client`'s management calls. */
export interface LedgerClient {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, json?: unknown): Promise<T>;
}

/**
 * The ε ledger of the gateway an adapter publishes to over HTTP, with the provider's client: the spending is kept
 * where the records go, so its auditor and its provider read it there.
 */
export function httpLedgerStore(client: LedgerClient, adapter: { readonly name: string }): LedgerStore {
  return {
    async spent(resource, day) {
      const params = new URLSearchParams({ resource, day });
      const answer = await client.get<{ results: { spent: Record<string, number>; paid: string[] } }>(
        `/rs/v1/privacy/ledger/spending?${params}`,
      );
      return {
        spent: new Map(Object.entries(answer.results.spent)),
        paid: new Set(answer.results.paid),
      } satisfies DaySpending;
    },
    async add(spends: readonly EpsilonSpend[], budgetPerDay) {
      // In parts the gateway takes in one request.
      for (let i = 0; i < spends.length; i += ledgerBatch) {
        await client.post('/rs/v1/privacy/ledger', {
          adapter: adapter.name,
          spends: spends.slice(i, i + ledgerBatch),
          ...(budgetPerDay !== undefined ? { budgetPerDay } : {}),
        });
      }
    },
  };
}

/** Cells one request of spending holds at most: with their draws' tokens, well inside a request body's limit. */
export const ledgerBatch = 200;

/**
 * The adapter's noise key, kept beside its outbox (readable by its owner only) and made on first use: noise drawn
 * under it for a cell, period and count is the same after a restart, so the same count made again repeats, never
 * re-draws.
 */
export function adapterNoiseKey(stateDir: string, name: string): Buffer {
  const file = join(stateDir, `${name}.noise.key`);
  try {
    const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');
    if (key.length >= 32) return key;
  } catch {
    // None yet.
  }
  mkdirSync(stateDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, `${key.toString('hex')}\n`, { mode: 0o600 });
  return key;
}
