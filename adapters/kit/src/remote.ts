import type { AdapterHealth } from './health.js';
import type { LeaseAnswer } from './lease.js';
import type { PublishTerms } from './runtime.js';

/** The provider's client of the gateway, as an adapter in its own process uses it (`SangamClient`). */
export interface AdapterApiClient {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, json?: unknown): Promise<T>;
  put<T>(path: string, json: unknown): Promise<T>;
  delete(path: string): Promise<unknown>;
}

/** The terms, asked of the gateway before every batch (`GET /adapters/v1/terms`). */
export function httpTerms(
  client: AdapterApiClient,
  adapter: { readonly mou: string | undefined; readonly datasets: readonly string[] },
): () => Promise<PublishTerms> {
  const params = new URLSearchParams({
    datasets: adapter.datasets.join(','),
    ...(adapter.mou ? { mou: adapter.mou } : {}),
  });
  return async () => (await client.get<{ results: PublishTerms }>(`/adapters/v1/terms?${params}`)).results;
}

/** Health reported to the gateway, where every instance answers the status API (`PUT /adapters/v1/status`). */
export function httpHealthStore(client: AdapterApiClient): (health: AdapterHealth) => Promise<void> {
  return async (health) => {
    await client.put(`/adapters/v1/status/${encodeURIComponent(health.name)}`, health);
  };
}

/** Takes or renews this instance's lease on the adapter (`POST /adapters/v1/leases`), kept by the gateway. */
export function httpLease(
  client: AdapterApiClient,
  adapter: string,
  instance: string,
): () => Promise<LeaseAnswer> {
  return async () => {
    const answer = await client.post<{ results: { held: boolean; leaseSeconds: number } }>(
      `/adapters/v1/leases/${encodeURIComponent(adapter)}`,
      { instance },
    );
    return { held: answer.results.held, leaseMs: answer.results.leaseSeconds * 1000 };
  };
}

/** Gives this instance's lease on the adapter up (`DELETE /adapters/v1/leases`), as it stops. */
export function httpReleaseLease(
  client: AdapterApiClient,
  adapter: string,
  instance: string,
): () => Promise<void> {
  return async () => {
    await client.delete(
      `/adapters/v1/leases/${encodeURIComponent(adapter)}?${new URLSearchParams({ instance })}`,
    );
  };
}
