import { DxError, problems, problemType } from '@sangam/core';
import type { ProxyContext } from '../context.js';
import { auditStop, decideDelivery, nextDelivery, type Subscriber, type Verdict } from './delivery.js';
import type { FeedWindows } from './feed.js';
import type { FeedCursor } from './model.js';

export interface StreamOptions {
  /** Records read and released per step. */
  readonly batch: number;
  /** Unread bytes a stream may hold for its consumer before it is closed with `streamBehind`. */
  readonly maxQueuedBytes: number;
  /** How often each stream looks for new records and a changed consent without being told. */
  readonly pollMs: number;
  /** Where a stream that fails says why (the consumer gets a problem event either way). */
  readonly onError?: (error: unknown, subscription: string) => void;
}

const encoder = new TextEncoder();

/** One consumer's open event stream of one subscription. */
class LiveStream {
  readonly subscriber: Subscriber;
  cursor: FeedCursor;
  controller!: ReadableStreamDefaultController<Uint8Array>;
  /** When it may notify next (throttling, a full rate window), in the clock's milliseconds. */
  notBefore = 0;
  timer: NodeJS.Timeout | undefined;
  mou: string | undefined;
  /**
   * When the release rule was last decided for it (by a delivery or a check), on the monotonic clock the poll keeps
   * (a poll interval is the machine's time, not the alliance's).
   */
  decidedAt = 0;
  /** The alliance's clock when it was last decided (a test's clock moves by leaps: a leap makes it stale). */
  decidedClock = 0;
  /** That decision, while it allows: deliveries until the next select and render by it (each commit decides again). */
  verdict: Verdict | undefined;
  running = false;
  again = false;
  closed = false;

  constructor(subscriber: Subscriber, cursor: FeedCursor) {
    this.subscriber = subscriber;
    this.cursor = cursor;
  }

  get queued(): number {
    return -(this.controller.desiredSize ?? 0);
  }
}

/**
 * The event streams open in this process. A stream is woken by a notice of new records of its resource (from any
 * process on the database), by its own poll, and when its throttle or rate window lets it; each wake-up delivers
 * what is new through the release rule. A notice that the policy changed (a consent, an MoU, a client) makes each
 * affected stream decide again at once, and every poll decides every stream again (a consent or MoU run out by the
 * clock, a change heard by no notice): refused, a stream gets a final problem event and closes.
 */
export class StreamHub {
  readonly #ctx: ProxyContext;
  readonly #feeds: FeedWindows;
  readonly #options: StreamOptions;
  readonly #byResource = new Map<string, Set<LiveStream>>();
  readonly #all = new Set<LiveStream>();
  readonly #stops: (() => void)[] = [];
  readonly #ticker: NodeJS.Timeout;

  constructor(ctx: ProxyContext, feeds: FeedWindows, options: StreamOptions) {
    this.#ctx = ctx;
    this.#feeds = feeds;
    this.#options = options;
    this.#stops.push(
      ctx.notices.listen('sangam_records', (payload) => {
        const { resource, version } = payload as { resource?: unknown; version?: unknown };
        if (typeof resource !== 'string') return;
        feeds.touch(resource, typeof version === 'number' ? version : undefined);
        for (const stream of this.#byResource.get(resource) ?? []) this.#wake(stream);
      }),
      ctx.notices.listen('sangam_policy', (payload) => this.#policyChanged(payload)),
    );
    // The poll: a lost notice costs at most this long; a consent that ran out by the clock is cut within it.
    this.#ticker = setInterval(() => this.#tick(), options.pollMs);
    this.#ticker.unref();
  }

  /** Streams open now. */
  get size(): number {
    return this.#all.size;
  }

  /**
   * Opens a stream of `subscriber` from `cursor`, decided already (`decided`: its MoU, whose notices concern it): its
   * events as a response body.
   */
  open(
    subscriber: Subscriber,
    cursor: FeedCursor,
    decided: Verdict & { readonly mou: string },
  ): ReadableStream<Uint8Array> {
    const stream = new LiveStream(subscriber, cursor);
    stream.mou = decided.mou;
    if (decided.allow) this.#decided(stream, decided);
    return new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          stream.controller = controller;
          // The reconnection delay a consumer's EventSource waits, and a first line that flushes the headers.
          controller.enqueue(encoder.encode(`retry: 2000\n: ${subscriber.row.id}\n\n`));
          this.#all.add(stream);
          const peers = this.#byResource.get(subscriber.row.resource_id) ?? new Set();
          peers.add(stream);
          this.#byResource.set(subscriber.row.resource_id, peers);
          this.#wake(stream);
        },
        cancel: () => this.#forget(stream),
      },
      { highWaterMark: this.#options.maxQueuedBytes, size: (chunk) => chunk.byteLength },
    );
  }

  /** Ends every stream of a subscription (deleted, or ended) with `error`. */
  async end(subscriptionId: string, error: DxError): Promise<void> {
    for (const stream of this.#all) {
      if (stream.subscriber.row.id === subscriptionId) this.#finish(stream, error);
    }
  }

  close(): void {
    clearInterval(this.#ticker);
    for (const stop of this.#stops) stop();
    for (const stream of this.#all) {
      this.#finish(
        stream,
        new DxError('notReady', 'The gateway is shutting down; reconnect with Last-Event-ID'),
      );
    }
  }

  /**
   * The poll: every stream looks for new records and decides again (reads of one consent shared), so a lost notice,
   * a change made by a process that does not share this one's notices (SQLite), or a consent or MoU run out by the
   * clock, closes a stream within about one poll.
   */
  #tick(): void {
    this.#feeds.touch();
    // Every stream but one decided a moment ago (it opened, or was told of a change): a stream the last poll decided
    // is decided again now, so its decision never runs out between polls and no delivery waits on a check.
    const due = performance.now() - this.#options.pollMs / 10;
    for (const stream of this.#all) {
      if (stream.decidedAt <= due) void this.#check(stream, true).then(() => this.#wake(stream));
      else this.#wake(stream);
    }
  }

  #policyChanged(payload: unknown): void {
    const {
      consents = [],
      mous = [],
      clients = [],
      organisations = [],
    } = payload as Record<string, unknown[]>;
    const touched = (s: LiveStream) => {
      const row = s.subscriber.row;
      return (
        consents.includes(row.consent_id) ||
        (s.mou !== undefined && mous.includes(s.mou)) ||
        clients.includes(row.client_id) ||
        organisations.includes(row.consumer_org)
      );
    };
    for (const stream of this.#all) {
      if (!touched(stream)) continue;
      // No delivery selects by the decision from before the change (its commit would refuse it anyway).
      stream.verdict = undefined;
      void this.#check(stream);
    }
  }

  /**
   * Decides again without records: a refusal is committed and closes the stream. A check told of a change reads
   * the rule on its own (`shared` false), so it sees that change.
   */
  async #check(stream: LiveStream, shared = false): Promise<void> {
    if (stream.closed) return;
    try {
      const now = this.#ctx.clock.now();
      const verdict = await decideDelivery(this.#ctx, stream.subscriber, now, { shared });
      if (verdict.allow) {
        this.#decided(stream, verdict);
        return;
      }
      stream.verdict = undefined;
      if (stream.closed) return;
      await auditStop(this.#ctx, stream.subscriber, verdict.error, { ...verdict, now });
      this.#finish(stream, verdict.error);
    } catch (error) {
      this.#fail(stream, error);
    }
  }

  #decided(stream: LiveStream, verdict: Extract<Verdict, { allow: true }>): void {
    stream.verdict = verdict;
    stream.mou = verdict.mou;
    stream.decidedAt = performance.now();
    stream.decidedClock = this.#ctx.clock.now().getTime();
  }

  /**
   * The stream's allowing decision while it is younger than a poll and a half by both clocks (the poll renews it
   * every poll; the half is the poll's own reading time), otherwise none.
   */
  #recent(stream: LiveStream): Verdict | undefined {
    const limit = this.#options.pollMs * 1.5;
    const age = this.#ctx.clock.now().getTime() - stream.decidedClock;
    if (!stream.verdict || performance.now() - stream.decidedAt > limit || age < 0 || age > limit)
      return undefined;
    return stream.verdict;
  }

  #wake(stream: LiveStream): void {
    if (stream.closed) return;
    if (stream.running) {
      stream.again = true;
      return;
    }
    stream.running = true;
    void this.#pump(stream).finally(() => {
      stream.running = false;
      if (stream.again && !stream.closed) {
        stream.again = false;
        this.#wake(stream);
      }
    });
  }

  /** Delivers what is new, batch by batch, while the consumer keeps up and the release rule allows. */
  async #pump(stream: LiveStream): Promise<void> {
    const throttleMs = (stream.subscriber.spec.throttling ?? 0) * 1000;
    try {
      for (;;) {
        if (stream.closed) return;
        if (stream.queued > this.#options.maxQueuedBytes) {
          this.#finish(
            stream,
            new DxError(
              'streamBehind',
              `More than ${this.#options.maxQueuedBytes} bytes wait unread; reconnect with Last-Event-ID to resume`,
            ),
          );
          return;
        }
        const wait = stream.notBefore - this.#ctx.clock.now().getTime();
        if (wait > 0) {
          this.#later(stream, wait);
          return;
        }
        // Decided again at most a poll and a half ago (or now): what is selected and rendered by; each commit decides
        // anew.
        if (!this.#recent(stream)) await this.#check(stream, true);
        if (stream.closed) return;
        const step = await nextDelivery(
          this.#ctx,
          this.#feeds,
          stream.subscriber,
          stream.cursor,
          this.#options.batch,
          this.#recent(stream),
        );
        if (stream.closed) return;
        switch (step.kind) {
          case 'idle':
            return;
          case 'skipped':
            stream.cursor = step.cursor;
            if (!step.more) return;
            break;
          case 'wait':
            stream.notBefore = this.#ctx.clock.now().getTime() + step.ms;
            break;
          case 'stopped':
            this.#finish(stream, step.error);
            return;
          case 'records': {
            stream.cursor = step.cursor;
            const row = stream.subscriber.row;
            // The records' JSON is shared by every stream that sends the same ones; the envelope is this one's.
            const id = `${step.cursor.version}-${step.cursor.position}`;
            const envelope = JSON.stringify({
              id: `urn:ngsi-ld:Notification:${row.id}:${id}`,
              type: 'Notification',
              subscriptionId: row.id,
              notifiedAt: this.#ctx.clock.now().toISOString(),
            });
            stream.controller.enqueue(
              encoder.encode(
                `id: ${id}\nevent: notification\ndata: ${envelope.slice(0, -1)},"data":${step.json}}\n\n`,
              ),
            );
            if (throttleMs > 0) stream.notBefore = this.#ctx.clock.now().getTime() + throttleMs;
            if (!step.more) return;
          }
        }
      }
    } catch (error) {
      this.#fail(stream, error);
    }
  }

  /**
   * Where a closing stream got to becomes where the subscription stands, for a consumer that reconnects without
   * Last-Event-ID: written once per stream, never per notification, and only ever forwards.
   */
  async #keep(stream: LiveStream): Promise<void> {
    const { version, position } = stream.cursor;
    try {
      await this.#ctx.db
        .updateTable('subscriptions')
        .set({ cursor_version: version, cursor_position: position })
        .where('id', '=', stream.subscriber.row.id)
        .where((eb) => eb(eb.refTuple('cursor_version', 'cursor_position'), '<', eb.tuple(version, position)))
        .execute();
    } catch (error) {
      this.#options.onError?.(error, stream.subscriber.row.id);
    }
  }

  #later(stream: LiveStream, ms: number): void {
    if (stream.timer) return;
    stream.timer = setTimeout(
      () => {
        stream.timer = undefined;
        this.#wake(stream);
      },
      Math.min(ms, 60_000),
    );
    stream.timer.unref();
  }

  #fail(stream: LiveStream, error: unknown): void {
    this.#options.onError?.(error, stream.subscriber.row.id);
    this.#finish(
      stream,
      new DxError('internalError', 'The stream failed; reconnect with Last-Event-ID to resume'),
    );
  }

  /** The final problem event, then the end of the stream. */
  #finish(stream: LiveStream, error: DxError): void {
    if (stream.closed) return;
    const problem = {
      type: problemType('rs', error.problem),
      title: problems[error.problem].title,
      status: error.status,
      ...(error.detail ? { detail: error.detail } : {}),
    };
    try {
      stream.controller.enqueue(encoder.encode(`event: problem\ndata: ${JSON.stringify(problem)}\n\n`));
      stream.controller.close();
    } catch {
      // The consumer has gone already.
    }
    this.#forget(stream);
  }

  #forget(stream: LiveStream): void {
    if (!stream.closed) void this.#keep(stream);
    stream.closed = true;
    if (stream.timer) clearTimeout(stream.timer);
    this.#all.delete(stream);
    const peers = this.#byResource.get(stream.subscriber.row.resource_id);
    peers?.delete(stream);
    if (peers?.size === 0) this.#byResource.delete(stream.subscriber.row.resource_id);
    if (peers?.size === 0) this.#feeds.drop(stream.subscriber.row.resource_id);
  }
}
