import type { Problem } from './types.js';

/** A refusal or failure from Sangam, carrying its problem (`type` names the reason, e.g. urn:dx:rs:consentRevoked). */
export class SangamError extends Error {
  readonly problem: Problem;
  /** Seconds to wait before retrying, when the gateway said so (rate limits). */
  readonly retryAfter?: number;

  constructor(problem: Problem, retryAfter?: number) {
    super(`${problem.status} ${problem.type}: ${problem.detail ?? problem.title}`);
    this.name = 'SangamError';
    this.problem = problem;
    if (retryAfter !== undefined) this.retryAfter = retryAfter;
  }

  get type(): string {
    return this.problem.type;
  }

  get status(): number {
    return this.problem.status;
  }
}
