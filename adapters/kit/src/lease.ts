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
 * holder that cannot renew for a whole lease, or finds the lease taken, stops for good: another instance may be
 * publishing by then, and its supervisor starts it again as a standby.
 */
export function runUnderLease(runtime: Runnable, options: LeaseOptions): { stop(): Promise<void> } {
  // The gateway that keeps the lease says how long it lasts: renewals follow its span, not only this process's.
  let leaseMs = options.leaseMs;
  let started = false;
  let stopped = false;
  let standbySaid = false;
  let renewedAt = 0;
  let timer: NodeJS.Timeout | undefined;

  const lose = async () => {
    stopped = true;
    await runtime.stop();
    options.onLost?.();
  };
  const round = async () => {
    let held: boolean;
    try {
      const answer = await options.lease();
      held = answer.held;
      leaseMs = Math.min(options.leaseMs, answer.leaseMs);
    } catch (error) {
      options.onError?.(error);
      if (started && options.clock.now().getTime() - renewedAt >= leaseMs) await lose();
      return;
    }
    if (stopped) return;
    if (held) {
      renewedAt = options.clock.now().getTime();
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
        // Not unref'd: a standby has nothing else keeping its process alive.
        timer = setTimeout(loop, Math.max(100, Math.floor(leaseMs / 3)));
      }
    });
  };
  loop();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (started) await runtime.stop();
    },
  };
}
