import { upstreamErrors } from '@sangam/catalogue';
import { DxError } from '@sangam/core';
import { errors, Pool } from 'undici';
import type { StoredRecord } from './records/store.js';
import { instantOf } from './records/time.js';
import type { Resource } from './resources.js';

export interface UpstreamOptions {
  readonly timeoutMs: number;
  readonly maxBytes: number;
  readonly allowHosts: readonly string[];
}

/**
 * Proxy mode: records fetched from a provider's own API, named by the resource's catalogue entry and nowhere else.
 * One keep-alive pool per origin; connect, header, body and overall deadlines; a size cap enforced while reading;
 * redirects are not followed. Every failure is a 502 or 504 problem, and no answer is passed on unvalidated.
 */
export class Upstreams {
  readonly #options: UpstreamOptions;
  readonly #pools = new Map<string, Pool>();

  constructor(options: UpstreamOptions) {
    this.#options = options;
  }

  #pool(origin: string): Pool {
    let pool = this.#pools.get(origin);
    if (!pool) {
      pool = new Pool(origin, {
        connections: 16,
        connect: { timeout: this.#options.timeoutMs },
        headersTimeout: this.#options.timeoutMs,
        bodyTimeout: this.#options.timeoutMs,
        keepAliveTimeout: 10_000,
      });
      this.#pools.set(origin, pool);
    }
    return pool;
  }

  /** The upstream's records, each checked against the key fields and the data model. */
  async fetchRecords(resource: Resource): Promise<StoredRecord[]> {
    const upstream = resource.upstream;
    if (!upstream) throw new Error(`${resource.id} has no upstream`);
    // The catalogue checked the URL on registration; checked again, since the allow-list may have changed since.
    if (upstreamErrors(upstream, this.#options.allowHosts).length > 0) {
      throw new DxError('upstreamUnavailable', `The upstream of ${resource.id} is not on the allow-list`);
    }
    const url = new URL(upstream);
    const text = await this.#get(url);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new DxError('upstreamInvalid', "The provider's API answered with malformed JSON");
    }
    const list = Array.isArray(parsed)
      ? parsed
      : parsed !== null &&
          typeof parsed === 'object' &&
          Array.isArray((parsed as { results?: unknown }).results)
        ? (parsed as { results: unknown[] }).results
        : undefined;
    if (!list)
      throw new DxError('upstreamInvalid', "The provider's API did not answer with a list of records");
    return list.map((record, i) => checked(resource, record, i));
  }

  async #get(url: URL): Promise<string> {
    const { timeoutMs } = this.#options;
    // The per-phase timeouts catch a stall; the overall deadline catches a body that trickles forever. It is
    // cleared once the call is over, so it can never fire into a request that has finished.
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), timeoutMs);
    try {
      return await this.#read(url, deadline.signal);
    } finally {
      clearTimeout(timer);
    }
  }

  async #read(url: URL, signal: AbortSignal): Promise<string> {
    const { maxBytes } = this.#options;
    let response: Awaited<ReturnType<Pool['request']>>;
    try {
      response = await this.#pool(url.origin).request({
        method: 'GET',
        path: `${url.pathname}${url.search}`,
        headers: { accept: 'application/json' },
        signal,
      });
    } catch (error) {
      throw failure(error, signal);
    }
    const { statusCode, headers, body } = response;
    try {
      if (statusCode < 200 || statusCode > 299) {
        throw new DxError('upstreamUnavailable', `The provider's API answered ${statusCode}`);
      }
      const declared = Number(headers['content-length'] ?? Number.NaN);
      if (declared > maxBytes) {
        throw new DxError('upstreamInvalid', `The provider's answer is larger than ${maxBytes} bytes`);
      }
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of body) {
        size += (chunk as Buffer).length;
        if (size > maxBytes) {
          throw new DxError('upstreamInvalid', `The provider's answer is larger than ${maxBytes} bytes`);
        }
        chunks.push(chunk as Buffer);
      }
      return Buffer.concat(chunks).toString('utf8');
    } catch (error) {
      throw failure(error, signal);
    } finally {
      // Whatever was not read is discarded, and the connection with it if the body never ends.
      body.on('error', () => {});
      body.destroy();
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.#pools.values()].map((p) => p.close()));
    this.#pools.clear();
  }
}

function failure(error: unknown, signal: AbortSignal): DxError {
  if (error instanceof DxError) return error;
  if (
    signal.aborted ||
    error instanceof errors.HeadersTimeoutError ||
    error instanceof errors.BodyTimeoutError ||
    error instanceof errors.ConnectTimeoutError
  ) {
    return new DxError('upstreamTimeout', "The provider's API did not answer in time", { cause: error });
  }
  return new DxError('upstreamUnavailable', "The provider's API could not be reached", { cause: error });
}

function checked(resource: Resource, record: unknown, index: number): StoredRecord {
  const fields = record as StoredRecord;
  const observedAt =
    record !== null && typeof record === 'object' && !Array.isArray(record)
      ? instantOf(fields.observedAt)
      : undefined;
  if (!observedAt || typeof fields.id !== 'string' || fields.id.length === 0 || !resource.validate(record)) {
    throw new DxError(
      'upstreamInvalid',
      `Record ${index} from the provider's API does not fit the data model of ${resource.id}`,
    );
  }
  // Canonical time, so time bounds compare as instants whatever offset the provider used.
  return { ...fields, observedAt };
}
