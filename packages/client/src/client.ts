import { Agent, type Dispatcher, request } from 'undici';
import { SangamError } from './error.js';
import { serverSentEvents } from './sse.js';
import type {
  EntityQuery,
  IngestSummary,
  Notification,
  Page,
  Problem,
  ResourceRecord,
  Subscription,
  SubscriptionRequest,
  TemporalQuery,
  UsageRow,
} from './types.js';

export interface ClientOptions {
  /** The gateway, e.g. http://localhost:8080. */
  readonly baseUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** An undici dispatcher (a shared Agent, a proxy); one keep-alive Agent of its own otherwise. */
  readonly dispatcher?: Dispatcher;
  /** Per-request timeout in milliseconds (default 30 s). */
  readonly timeoutMs?: number;
}

interface Held {
  readonly token: string;
  readonly expiresAt: number;
}

/** Renew a token this long before it expires, so none is sent in its last seconds. */
const renewMarginMs = 30_000;
const tokenProblems = ['tokenExpired', 'clientRevoked', 'invalidToken', 'unknownKey'];
/** Problem events after which a stream is resumed where it stopped, rather than ended. */
const resumable = ['streamBehind', 'conflict', 'notReady', 'internalError'];

export interface SubscribeOptions extends SubscriptionRequest {
  /** An existing subscription to follow; a new one is created when absent. */
  readonly subscriptionId?: string;
  /** Resume after this event (a `Notification.eventId` kept from before); from now when absent. */
  readonly lastEventId?: string;
  /** Stops following. */
  readonly signal?: AbortSignal;
  /** The wait before reconnecting a dropped stream (default 1 s; doubled up to 30 s while it fails). */
  readonly reconnectMs?: number;
}

/**
 * A typed client for Sangam. It gets and renews identity tokens (client credentials) and access tokens (per
 * resource and consent) by itself, retries a query once when its access token has just expired, pages and streams
 * query results, and turns every refusal into a `SangamError` carrying the problem.
 */
export class SangamClient {
  readonly #options: ClientOptions;
  readonly #dispatcher: Dispatcher;
  readonly #owned: boolean;
  #identity: Held | undefined;
  readonly #access = new Map<string, Held>();
  /** The event streams being followed, ended by `close`. */
  readonly #streams = new Set<AbortController>();

  constructor(options: ClientOptions) {
    this.#options = { ...options, baseUrl: options.baseUrl.replace(/\/+$/, '') };
    this.#owned = !options.dispatcher;
    this.#dispatcher = options.dispatcher ?? new Agent({ keepAliveTimeout: 10_000 });
  }

  /** An identity token for the management APIs, from the client-credentials grant; cached until near expiry. */
  async identityToken(): Promise<string> {
    if (this.#identity && this.#identity.expiresAt - renewMarginMs > Date.now()) return this.#identity.token;
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: this.#options.clientId,
      client_secret: this.#options.clientSecret,
    }).toString();
    const answer = await this.#call<{ access_token: string; expires_in: number }>('POST', '/auth/v1/token', {
      body,
      contentType: 'application/x-www-form-urlencoded',
    });
    this.#identity = { token: answer.access_token, expiresAt: Date.now() + answer.expires_in * 1000 };
    return answer.access_token;
  }

  /** An access token for one resource (or group) under one consent; cached until near expiry. */
  async accessToken(item: string, consent: string): Promise<string> {
    const key = `${item} ${consent}`;
    const held = this.#access.get(key);
    if (held && held.expiresAt - renewMarginMs > Date.now()) return held.token;
    const answer = await this.#call<{ results: { accessToken: string; expiresIn: number } }>(
      'POST',
      '/auth/v1/access-tokens',
      { json: { item, consent }, token: await this.identityToken() },
    );
    const token = answer.results.accessToken;
    // The token's lifetime, not the gateway's clock reading: the two machines' clocks need not agree.
    this.#access.set(key, { token, expiresAt: Date.now() + answer.results.expiresIn * 1000 });
    return token;
  }

  /** The latest record of each entity of a resource. */
  latest<T extends ResourceRecord = ResourceRecord>(query: EntityQuery): Promise<Page<T>> {
    return this.#query<T>('/ngsi-ld/v1/entities', query, {});
  }

  /** Records of a resource over time. */
  temporal<T extends ResourceRecord = ResourceRecord>(query: TemporalQuery): Promise<Page<T>> {
    const time: Record<string, string> = { timerel: query.timerel, timeAt: query.timeAt };
    if (query.endTimeAt) time.endTimeAt = query.endTimeAt;
    return this.#query<T>('/ngsi-ld/v1/temporal/entities', query, time);
  }

  /** Every page of a query in turn, `limit` records at a time (default 100). */
  async *pages<T extends ResourceRecord = ResourceRecord>(
    query: EntityQuery | TemporalQuery,
  ): AsyncGenerator<Page<T>> {
    let offset = query.offset ?? 0;
    for (;;) {
      const page =
        'timerel' in query
          ? await this.temporal<T>({ ...query, offset })
          : await this.latest<T>({ ...query, offset });
      yield page;
      offset += page.results.length;
      if (page.results.length === 0 || offset >= page.totalHits) return;
    }
  }

  /** Every record of a query, one at a time, fetched page by page as it is consumed. */
  async *records<T extends ResourceRecord = ResourceRecord>(
    query: EntityQuery | TemporalQuery,
  ): AsyncGenerator<T> {
    for await (const page of this.pages<T>(query)) yield* page.results;
  }

  /** Creates a subscription notified to its own event stream, for `subscribe`; its id. */
  async createSubscription(request: SubscriptionRequest): Promise<string> {
    const body = {
      type: 'Subscription',
      entities: [{ id: request.resource }],
      ...(request.q ? { q: request.q } : {}),
      ...(request.geo
        ? {
            geoQ: {
              georel: request.geo.georel,
              geometry: request.geo.geometry,
              coordinates: JSON.stringify(request.geo.coordinates),
            },
          }
        : {}),
      ...(request.throttling !== undefined ? { throttling: request.throttling } : {}),
      notification: {
        ...(request.attrs ? { attributes: request.attrs } : {}),
        endpoint: { uri: 'urn:sangam:sse' },
      },
    };
    const run = async () =>
      this.#call<{ results: Subscription }>('POST', '/ngsi-ld/v1/subscriptions', {
        json: body,
        token: await this.accessToken(request.resource, request.consent),
      });
    try {
      return (await run()).results.id;
    } catch (error) {
      if (!this.#renewable(error, request)) throw error;
      return (await run()).results.id;
    }
  }

  /**
   * The notifications of a subscription as they come. It reconnects after a dropped connection, and when the
   * gateway asks it to resume (a stream that fell behind, a changed subscription, a restart), with the last event
   * id, so nothing is lost or repeated while the gateway retains the records; it ends by throwing a SangamError when
   * the release rule stops the subscription (its consent revoked or paused, its MoU suspended or ended).
   */
  async *subscribe<T extends ResourceRecord = ResourceRecord>(
    options: SubscribeOptions,
  ): AsyncGenerator<Notification<T>> {
    const id = options.subscriptionId ?? (await this.createSubscription(options));
    const stop = new AbortController();
    const ended = () => stop.abort();
    options.signal?.addEventListener('abort', ended, { once: true });
    this.#streams.add(stop);
    try {
      yield* this.#follow<T>(id, options, stop.signal);
    } finally {
      this.#streams.delete(stop);
      options.signal?.removeEventListener('abort', ended);
    }
  }

  async *#follow<T>(
    id: string,
    options: SubscribeOptions,
    signal: AbortSignal,
  ): AsyncGenerator<Notification<T>> {
    let last = options.lastEventId;
    const pause = options.reconnectMs ?? 1000;
    let wait = pause;
    while (!signal.aborted) {
      let response: Dispatcher.ResponseData;
      try {
        const headers: Record<string, string> = {
          accept: 'text/event-stream',
          authorization: `Bearer ${await this.accessToken(options.resource, options.consent)}`,
        };
        if (last !== undefined) headers['last-event-id'] = last;
        response = await request(`${this.#options.baseUrl}/ngsi-ld/v1/subscriptions/${id}/events`, {
          method: 'GET',
          headers,
          dispatcher: this.#dispatcher,
          headersTimeout: this.#options.timeoutMs ?? 30_000,
          // A quiet stream is not a dead one.
          bodyTimeout: 0,
          signal,
        });
      } catch (error) {
        if (signal.aborted) return;
        if (error instanceof SangamError) throw error;
        await sleep(wait, signal);
        wait = Math.min(wait * 2, 30_000);
        continue;
      }
      if (response.statusCode !== 200) {
        const error = problemError(
          response.statusCode,
          await response.body.text(),
          response.headers['retry-after'],
        );
        if (error.status === 401 && this.#renewable(error, options)) continue;
        if (error.status < 500 && error.status !== 429) throw error;
        await sleep(Math.max(wait, (error.retryAfter ?? 0) * 1000), signal);
        wait = Math.min(wait * 2, 30_000);
        continue;
      }
      try {
        for await (const event of serverSentEvents(response.body)) {
          if (event.event === 'notification') {
            const notification = JSON.parse(event.data) as {
              subscriptionId: string;
              notifiedAt: string;
              data: T[];
            };
            if (event.id !== undefined) last = event.id;
            wait = pause;
            yield {
              subscriptionId: notification.subscriptionId,
              eventId: last ?? '',
              notifiedAt: notification.notifiedAt,
              data: notification.data,
            };
          } else if (event.event === 'problem') {
            const problem = JSON.parse(event.data) as Problem;
            if (!resumable.some((name) => problem.type.endsWith(`:${name}`))) throw new SangamError(problem);
          }
        }
      } catch (error) {
        if (error instanceof SangamError) throw error;
        if (signal.aborted) return;
        // The connection dropped: resumed below.
      } finally {
        response.body.destroy();
      }
      await sleep(wait, signal);
    }
  }

  /** Publishes a batch of records (providers and their adapters). */
  async ingest(resource: string, records: readonly object[]): Promise<IngestSummary> {
    const answer = await this.#call<{ results: IngestSummary }>('POST', `/rs/v1/ingest/${resource}`, {
      json: { records },
      token: await this.identityToken(),
    });
    return answer.results;
  }

  /** Usage: a consumer's per consent and day, a provider's per item and consumer. */
  async usage(
    options: { view?: 'consumer' | 'provider'; from?: string; to?: string } = {},
  ): Promise<UsageRow[]> {
    const params = new URLSearchParams(Object.entries(options).filter(([, v]) => v !== undefined));
    const answer = await this.#call<{ results: UsageRow[] }>('GET', `/rs/v1/usage?${params}`, {
      token: await this.identityToken(),
    });
    return answer.results;
  }

  /** Any other management call (consents, MoUs, audit entries), with the identity token. */
  async get<T = unknown>(path: string): Promise<T> {
    return this.#call<T>('GET', path, { token: await this.identityToken() });
  }

  async post<T = unknown>(path: string, json?: unknown): Promise<T> {
    return this.#call<T>('POST', path, {
      token: await this.identityToken(),
      ...(json === undefined ? {} : { json }),
    });
  }

  async put<T = unknown>(path: string, json: unknown): Promise<T> {
    return this.#call<T>('PUT', path, { token: await this.identityToken(), json });
  }

  async delete(path: string): Promise<void> {
    await this.#call<unknown>('DELETE', path, { token: await this.identityToken() });
  }

  /** A management call answered as text (e.g. a checkpoint as a signed note). */
  async getText(path: string): Promise<string> {
    return this.#call<string>('GET', path, {
      token: await this.identityToken(),
      accept: 'text/plain',
      answer: 'text',
    });
  }

  /** A call that sends text (e.g. a witness's cosignature line). */
  async postText<T = unknown>(path: string, text: string): Promise<T> {
    return this.#call<T>('POST', path, {
      token: await this.identityToken(),
      body: text,
      contentType: 'text/plain; charset=utf-8',
    });
  }

  /** The gateway's public keys (no token needed). */
  async jwks(): Promise<{ keys: Record<string, unknown>[] }> {
    return this.#call('GET', '/.well-known/jwks.json', {});
  }

  /** A long answer (an audit export) as a stream of bytes, read as it arrives. */
  async download(path: string): Promise<AsyncIterable<Uint8Array>> {
    const response = await request(`${this.#options.baseUrl}${path}`, {
      method: 'GET',
      headers: { authorization: `Bearer ${await this.identityToken()}` },
      dispatcher: this.#dispatcher,
      headersTimeout: this.#options.timeoutMs ?? 30_000,
      bodyTimeout: this.#options.timeoutMs ?? 30_000,
    });
    if (response.statusCode >= 200 && response.statusCode < 300) return response.body;
    throw problemError(response.statusCode, await response.body.text(), response.headers['retry-after']);
  }

  async close(): Promise<void> {
    for (const stream of this.#streams) stream.abort();
    if (this.#owned) await this.#dispatcher.close();
  }

  async #query<T>(path: string, query: EntityQuery, extra: Record<string, string>): Promise<Page<T>> {
    const params = new URLSearchParams({ id: query.resource, ...extra });
    if (query.attrs) params.set('attrs', query.attrs.join(','));
    if (query.q) params.set('q', query.q);
    if (query.geo) {
      params.set('georel', query.geo.georel);
      params.set('geometry', query.geo.geometry);
      params.set('coordinates', JSON.stringify(query.geo.coordinates));
    }
    if (query.limit !== undefined) params.set('limit', String(query.limit));
    if (query.offset !== undefined) params.set('offset', String(query.offset));
    const run = async () =>
      this.#call<Page<T>>('GET', `${path}?${params}`, {
        token: await this.accessToken(query.resource, query.consent),
      });
    try {
      return await run();
    } catch (error) {
      if (!this.#renewable(error, query)) throw error;
      return run();
    }
  }

  /**
   * Whether a refusal is of a token that expired in flight (or whose client rotated): the tokens held are dropped,
   * to be renewed once.
   */
  #renewable(error: unknown, of: { resource: string; consent: string }): boolean {
    if (!(error instanceof SangamError && tokenProblems.some((p) => error.type.endsWith(`:${p}`))))
      return false;
    this.#access.delete(`${of.resource} ${of.consent}`);
    this.#identity = undefined;
    return true;
  }

  async #call<T>(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    options: {
      token?: string;
      json?: unknown;
      body?: string;
      contentType?: string;
      accept?: string;
      answer?: 'json' | 'text';
    },
  ): Promise<T> {
    const headers: Record<string, string> = { accept: options.accept ?? 'application/json' };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body = options.body;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers['content-type'] = 'application/json';
    } else if (options.contentType) headers['content-type'] = options.contentType;
    const timeout = this.#options.timeoutMs ?? 30_000;
    const response = await request(`${this.#options.baseUrl}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body }),
      dispatcher: this.#dispatcher,
      headersTimeout: timeout,
      bodyTimeout: timeout,
    });
    const text = await response.body.text();
    if (response.statusCode >= 200 && response.statusCode < 300) {
      // A 204 has no body to read.
      if (options.answer === 'text' || text === '')
        return (options.answer === 'text' ? text : undefined) as T;
      return JSON.parse(text) as T;
    }
    throw problemError(response.statusCode, text, response.headers['retry-after']);
  }
}

/** Waits `ms`, or less if `signal` aborts. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}

/** The refusal an answer carries, as a SangamError. */
function problemError(status: number, text: string, retryAfter: string | string[] | undefined): SangamError {
  let problem: Problem;
  try {
    problem = JSON.parse(text) as Problem;
  } catch {
    problem = { type: 'about:blank', title: text.slice(0, 200) || 'No body', status };
  }
  const retry = Number(retryAfter);
  return new SangamError(problem, Number.isFinite(retry) ? retry : undefined);
}
