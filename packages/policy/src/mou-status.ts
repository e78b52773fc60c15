import type { MouState } from '@sangam/db';

/** What a reader sees: the stored state with time applied (expiry and the end of a notice need no job). */
export type MouStatus = 'draft' | 'awaiting-signatures' | 'active' | 'suspended' | 'terminated' | 'expired';

export interface MouClockFacts {
  readonly state: MouState;
  readonly effectiveFrom: string;
  readonly endsAt: string;
  /** Set when termination was given; the MoU keeps its state (active or suspended) until then. */
  readonly terminatesAt: string | null;
}

/** The MoU's status at `now`. Termination takes effect when its notice runs out; expiry at the end date. */
export function mouStatus(mou: MouClockFacts, now: Date): MouStatus {
  const at = now.toISOString();
  if (mou.state === 'draft' || mou.state === 'awaiting-signatures') return mou.state;
  if (mou.state === 'terminated' || (mou.terminatesAt !== null && at >= mou.terminatesAt))
    return 'terminated';
  if (at >= mou.endsAt) return 'expired';
  return mou.state === 'suspended' ? 'suspended' : 'active';
}

/** True while now is inside the MoU's term: from its effective date (inclusive) to its end date (exclusive). */
export function inTerm(mou: MouClockFacts, now: Date): boolean {
  const at = now.toISOString();
  return at >= mou.effectiveFrom && at < mou.endsAt;
}
