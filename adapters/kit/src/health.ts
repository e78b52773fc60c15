import type { FeedProblem } from './feed.js';

/** What an adapter reports about itself: the answer to "is the city's data from this partner current, and if not, why". */
export interface AdapterHealth {
  readonly name: string;
  readonly kind: string;
  readonly provider: string;
  /**
   * healthy: the last poll succeeded; failing: the feed was read but the gateway refused every record sent (the
   * reason is in `lastError`); stale: the poll failed and the last good data stands; stopped: the release rule
   * lets nothing be published (no MoU in force, the provider no longer a party; why is in `lastError`); starting:
   * no poll yet.
   */
  readonly state: 'starting' | 'healthy' | 'failing' | 'stale' | 'stopped';
  readonly lastAttemptAt?: string;
  readonly lastSuccessAt?: string;
  readonly lastError?: {
    readonly at: string;
    readonly problem: FeedProblem | 'publish' | 'rejected' | 'stopped';
    readonly message: string;
  };
  /** Since when the published data has been stale (the first failure after a success). */
  readonly staleSince?: string;
  /** The feed's own time of its newest data (GBFS `last_updated`). */
  readonly dataTime?: string;
  readonly recordsIn: number;
  readonly recordsOut: number;
  readonly duplicates: number;
  readonly rejected: number;
  readonly cellsSuppressed: number;
  /** Aggregate cells withheld because their ε budget for the day was spent (health saved before has none). */
  readonly cellsOverBudget?: number;
  /** Feed records left out because they do not fit the partner's data model (one bad trip among an hour's). */
  readonly recordsLeftOut: number;
  /** Batches the gateway refused for good, set aside in the dead-letter file. */
  readonly deadLettered: number;
  readonly consecutiveFailures: number;
  readonly circuit: 'closed' | 'open' | 'half-open';
  readonly nextPollAt?: string;
}

export function initialHealth(name: string, kind: string, provider: string): AdapterHealth {
  return {
    name,
    kind,
    provider,
    state: 'starting',
    recordsIn: 0,
    recordsOut: 0,
    duplicates: 0,
    rejected: 0,
    cellsSuppressed: 0,
    cellsOverBudget: 0,
    recordsLeftOut: 0,
    deadLettered: 0,
    consecutiveFailures: 0,
    circuit: 'closed',
  };
}
