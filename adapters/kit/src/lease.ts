import type { Clock } from '@sangam/core';

/** What the holder of the leases answers: whether this instance holds the lease, and for how long it lasts. */
export interface LeaseAnswer {
  readonly held: boolean;
  readonly leaseMs: number;
}

/** An adapter runtime as the lease drives it: started once, stopped for good. */
export interface Runnable {
  start(): void;
  stop(): Promise<void>;
}

export interface LeaseOptions {
  /** Takes or renews this instance's lease: whether it holds it, and how long the lease lasts unrenewed. */
  readonly lease: () => Promise<LeaseAnswer>;
  /** How long a lease lasts unrenewed, until the holder of the lease says otherwise; renewed three times in it. */
  readonly leaseMs: number;
  readonly clock: Clock;
  readonly onStandby?: () => void;
  readonly onStart?: () => void;
  /** The lease went to another instance (this one was cut off longer than a lease): publishing has stopped. */
  readonly onLost?: () => void;
  readonly onError?: (error: unknown) => void;
}

/**
 * Runs an adapter only while this instance holds its lease, so two instances of one adapter never both publish. A
 * second instance waits as a standby and takes over when the holder's lease lapses (it died, or was stopped). A
 * holder that has not renewed by five sixths of its lease, or finds the lease taken, stops for good before anyone
 * else may take over; its supervisor starts it again as a standby.
 */
export function runUnderLease(runtime: Runnable, options: LeaseOptions): { stop(): Promise<void> } {
  // The gateway that keeps the lease says how long it lasts: renewals follow its span, not only this process's.
  let leaseMs = options.leaseMs;
  let started = false;
  let stopped = false;
  let standbySaid = false;
  let timer: NodeJS.Timeout | undefined;
  // Publishing stops before the lease can lapse unrenewed: a slow renewal never overlaps a standby taking over.
  let deadline: NodeJS.Timeout | undefined;

  const lose = async () => {
    if (stopped) return;
    stopped = true;
    if (timer) clearTimeout(timer);
    if (deadline) clearTimeout(deadline);
    await runtime.stop();
    options.onLost?.();
  };
  let askedAt = 0;
  const round = async () => {
    // The lease runs from when it was asked for, not from when the answer came.
    askedAt = options.clock.now().getTime();
    let held: boolean;
    try {
      const answer = await options.lease();
      held = answer.held;
      leaseMs = Math.min(options.leaseMs, answer.leaseMs);
    } catch (error) {
      options.onError?.(error);
      return;
    }
    if (stopped) return;
    if (held) {
      if (deadline) clearTimeout(deadline);
      const left = askedAt + leaseMs - leaseMs / 6 - options.clock.now().getTime();
      deadline = setTimeout(() => void lose(), Math.max(0, left));
      if (!started) {
        started = true;
        runtime.start();
        options.onStart?.();
      }
    } else if (started) {
      await lose();
    } else if (!standbySaid) {
      standbySaid = true;
      options.onStandby?.();
    }
  };
  const loop = () => {
    void round().finally(() => {
      if (!stopped) {
        // Three asks a lease, counted from each ask, so a slow answer does not push the next one back. Not
        // unref'd: a standby has nothing else keeping its process alive.
        const next = askedAt + Math.max(100, Math.floor(leaseMs / 3)) - options.clock.now().getTime();
        timer = setTimeout(loop, Math.max(0, next));
      }
    });
  };
  loop();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (deadline) clearTimeout(deadline);
      if (started) await runtime.stop();
    },
  };
}
