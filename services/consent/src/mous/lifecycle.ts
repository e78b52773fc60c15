import type { MouState } from '@sangam/db';
import { inTerm, type MouClockFacts, type MouStatus, mouStatus } from '@sangam/policy';

// The MoU's status at an instant belongs to the release rule; the lifecycle's transitions stay here.
export { inTerm, type MouClockFacts, type MouStatus, mouStatus };

export type MouAction = 'sign' | 'suspend' | 'resume' | 'terminate';

/**
 * The stored state an action leads to from a status, or undefined when the lifecycle does not allow it
 * (`draft → awaiting-signatures → active ⇄ suspended → terminated | expired`). Terminating keeps the state: the
 * notice runs, and the city may still suspend at once.
 */
export function nextState(
  status: MouStatus,
  action: MouAction,
  facts: { allSignedAfter: boolean; terminating: boolean },
): MouState | undefined {
  switch (action) {
    case 'sign':
      if (status !== 'draft' && status !== 'awaiting-signatures') return undefined;
      return facts.allSignedAfter ? 'active' : 'awaiting-signatures';
    case 'suspend':
      return status === 'active' ? 'suspended' : undefined;
    case 'resume':
      return status === 'suspended' ? 'active' : undefined;
    case 'terminate':
      return (status === 'active' || status === 'suspended') && !facts.terminating ? status : undefined;
  }
}
