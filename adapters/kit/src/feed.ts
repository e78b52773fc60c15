import { type BoundedFetchError, boundedGet, outsideOnlyConnector } from '@sangam/http';
import { Agent, type Dispatcher } from 'undici';

/** Why a poll brought no new data, as health reports it. */
export type FeedProblem = 'down' | 'timeout' | 'http-error' | 'too-large' | 'malformed' | 'invalid' | 'stale';

export class FeedError extends Error {
  readonly problem: FeedProblem;

  constructor(problem: FeedProblem, message: string) {
    super(message);
    this.name = 'FeedError';
    this.problem = problem;
  }
}

export type FeedAnswer =
  | { readonly changed: true; readonly json: unknown; readonly bytes: number }
  | { readonly changed: false };

/**
 * Fetches a partner feed's JSON documents politely: keep-alive, bounded (timeouts, size cap), and conditional —
 * each URL's ETag and Last-Modified are sent back, so an unchanged document costs a 304 and no parsing.
 */
export class FeedClient {
  readonly #dispatcher: Dispatcher;
  readonly #timeoutMs: number;
  readonly #maxBytes: number;
  readonly #validators = new Map<string, { etag?: string; lastModified?: string }>();

  constructor(options: {
    timeoutMs: number;
    maxBytes: number;
    dispatcher?: Dispatcher;
    /** Hosts that may be inside (this machine, a private network); every other feed must be out in the world. */
    allowHosts?: readonly string[];
  }) {
    this.#timeoutMs = options.timeoutMs;
    this.#maxBytes = options.maxBytes;
    this.#dispatcher =
      options.dispatcher ??
      new Agent({
        connect: outsideOnlyConnector({ allowHosts: options.allowHosts ?? [], timeoutMs: options.timeoutMs }),
        keepAliveTimeout: 30_000,
        connections: 8,
      });
  }

  /** The JSON document at `url`, or `changed: false` when the server says it has not changed since the last fetch. */
  async fetchJson(url: string): Promise<FeedAnswer> {
    const answer = await this.fetchBytes(url);
    if (!answer.changed) return answer;
    try {
      return { changed: true, json: JSON.parse(answer.body.toString('utf8')), bytes: answer.body.length };
    } catch (error) {
      throw new FeedError('malformed', `${shownUrl(url)} sent malformed JSON: ${(error as Error).message}`);
    }
  }

  /** The bytes at `url` (a protobuf feed), or `changed: false` as for `fetchJson`. */
  async fetchBytes(url: string): Promise<{ changed: true; body: Buffer } | { changed: false }> {
    const known = this.#validators.get(url);
    const headers: Record<string, string> = {};
    if (known?.etag) headers['if-none-match'] = known.etag;
    if (known?.lastModified) headers['if-modified-since'] = known.lastModified;
    const answer = await this.#read(url, headers);
    if (answer.status === 304) return { changed: false };
    if (answer.status < 200 || answer.status > 299) {
      throw new FeedError('http-error', `${shownUrl(url)} answered HTTP ${answer.status}`);
    }
    const etag = header(answer.headers.etag);
    const lastModified = header(answer.headers['last-modified']);
    if (etag || lastModified) {
      this.#validators.set(url, { ...(etag ? { etag } : {}), ...(lastModified ? { lastModified } : {}) });
    }
    return { changed: true, body: answer.body };
  }

  /**
   * A GET with the caller's own headers (an API's version and token), answered with whatever status came back: for
   * provider APIs whose 202 or 404 mean something. Only a missing answer throws.
   */
  async get(url: string, headers: Record<string, string>): Promise<{ status: number; body: Buffer }> {
    const answer = await this.#read(url, headers);
    return { status: answer.status, body: answer.body };
  }

  /** One bounded GET; a missing answer becomes the FeedError health reports. */
  async #read(url: string, headers: Record<string, string>): Promise<Awaited<ReturnType<typeof boundedGet>>> {
    try {
      return await boundedGet(this.#dispatcher, new URL(url), {
        timeoutMs: this.#timeoutMs,
        maxBytes: this.#maxBytes,
        headers,
      });
    } catch (error) {
      const failure = (error as BoundedFetchError).failure;
      if (failure === 'timeout')
        throw new FeedError('timeout', `${shownUrl(url)} did not answer in ${this.#timeoutMs} ms`);
      if (failure === 'too-large')
        throw new FeedError('too-large', `${shownUrl(url)} sent more than ${this.#maxBytes} bytes`);
      throw new FeedError('down', `${shownUrl(url)} could not be reached: ${(error as Error).message}`);
    }
  }

  /** Forgets the validators, so the next fetch of every URL reads the whole document. */
  forget(): void {
    this.#validators.clear();
  }

  async close(): Promise<void> {
    await this.#dispatcher.close();
  }
}

const header = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** A feed URL as health and logs show it: without its query, which may carry a partner's key. */
export function shownUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}${u.search ? '?…' : ''}`;
  } catch {
    return '(not a URL)';
  }
}
