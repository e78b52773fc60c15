import type { Database, Kysely } from '@sangam/db';
import { adapterTerms } from '@sangam/policy';
import type { PublishTerms } from './runtime.js';

/**
 * The terms an adapter feeding several datasets publishes under: every dataset must be allowed by the MoU, and the
 * strictest k, release level and ε budget of them apply. Read before every batch, wherever the adapter runs.
 */
export async function publishTerms(
  db: Kysely<Database>,
  adapter: {
    readonly mou: string | undefined;
    readonly provider: string;
    readonly datasets: readonly string[];
  },
  now: Date,
): Promise<PublishTerms> {
  const all = await Promise.all(
    adapter.datasets.map((group) =>
      adapterTerms(db, { mou: adapter.mou, provider: adapter.provider, group }, now),
    ),
  );
  if (all.length === 0) return { publish: false, reason: 'the adapter names no dataset' };
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
}

/** The lease of one adapter: per provider, so no provider can take or hold another's adapter name. */
export function adapterLeaseName(provider: string, adapter: string): string {
  return `adapter:${provider}:${adapter}`;
}
