import type { KeySealer } from '@sangam/auth';
import { DxError } from '@sangam/core';
import type { Database, Kysely } from '@sangam/db';
import {
  type BoundedAnswer,
  type BoundedFetchError,
  boundedGet,
  maxJsonDepth,
  nestingBeyond,
  outsideOnlyConnector,
  upstreamErrors,
} from '@sangam/http';
import { Pool } from 'undici';
import type { StoredRecord } from './records/store.js';
import { instantOf } from './records/time.js';
import type { Resource } from './resources.js';

export interface UpstreamOptions {
  readonly timeoutMs: number;
  readonly maxBytes: number;
  readonly allowHosts: readonly string[];
  readonly credentials?: UpstreamCredentials;
}

/** The credentials providers set for their upstreams (kept by the catalogue, sealed), read for each call. */
export class UpstreamCredentials {
  readonly #db: Kysely<Database>;
  readonly #sealer: KeySealer;

  constructor(db: Kysely<Database>, sealer: KeySealer) {
    this.#db = db;
    this.#sealer = sealer;
  }

  /**
   * The header to send to `resource`'s upstream at `origin`, if its provider set one. Read afresh: a rotated key
   * applies at once. A credential set for another origin is never sent: an upstream changed since points elsewhere.
   */
  async headerFor(resource: string, origin: string): Promise<Record<string, string>> {
    const row = await this.#db
      .selectFrom('upstream_credentials')
      .select(['origin', 'header', 'value'])
      .where('item_id', '=', resource)
      .executeTakeFirst();
    if (!row) return {};
    if (row.origin !== origin) {
      // Said without either origin: the consumer reading this answer may not see the provider's upstream.
      throw new DxError(
        'upstreamUnavailable',
        "The provider's credential was set for another upstream than its API's now; the provider sets it again",
      );
    }
    let value: string;
    try {
      value = this.#sealer.open(row.value);
    } catch (error) {
      throw new DxError(
        'upstreamUnavailable',
        `The credential for the provider's API cannot be opened here`,
        {
          cause: error,
        },
      );
    }
    return { [row.header.toLowerCase()]: value };
  }
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
        // Only the outside world: no loopback, private or metadata address, however the URL spells it.
        connect: outsideOnlyConnector({
          allowHosts: this.#options.allowHosts,
          timeoutMs: this.#options.timeoutMs,
        }),
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
    if (upstreamErrors(upstream, this.#options.allowHosts, { refuseCredentials: false }).length > 0) {
      throw new DxError('upstreamUnavailable', `The upstream of ${resource.id} is not on the allow-list`);
    }
    const url = new URL(upstream);
    const headers = (await this.#options.credentials?.headerFor(resource.id, url.origin)) ?? {};
    const text = await this.#get(url, headers);
    if (nestingBeyond(text, maxJsonDepth)) {
      throw new DxError(
        'upstreamInvalid',
        `The provider's API answered with JSON nested deeper than ${maxJsonDepth}`,
      );
    }
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

  async #get(url: URL, headers: Record<string, string>): Promise<string> {
    let answer: BoundedAnswer;
    try {
      answer = await boundedGet(this.#pool(url.origin), url, {
        timeoutMs: this.#options.timeoutMs,
        maxBytes: this.#options.maxBytes,
        headers,
      });
    } catch (error) {
      const failure = (error as BoundedFetchError).failure;
      if (failure === 'timeout') {
        throw new DxError('upstreamTimeout', "The provider's API did not answer in time", { cause: error });
      }
      if (failure === 'too-large') {
        throw new DxError(
          'upstreamInvalid',
          `The provider's answer is larger than ${this.#options.maxBytes} bytes`,
        );
      }
      throw new DxError('upstreamUnavailable', "The provider's API could not be reached", { cause: error });
    }
    if (answer.status < 200 || answer.status > 299) {
      throw new DxError('upstreamUnavailable', `The provider's API answered ${answer.status}`);
    }
    return answer.body.toString('utf8');
  }

  async close(): Promise<void> {
    await Promise.all([...this.#pools.values()].map((p) => p.close()));
    this.#pools.clear();
  }
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
