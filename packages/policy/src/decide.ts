import { type ProblemName, type ReleaseLevel, toInstant } from '@sangam/core';
import { covers } from './coverage.js';
import { groupOf } from './item-id.js';
import { levelRank } from './levels.js';
import { type MouClockFacts, mouStatus } from './mou-status.js';
import { type AccessType, type ConsentState, type DatasetEntry, kOf } from './terms.js';

/** A consent as the decision reads it. */
export interface ConsentFacts {
  readonly state: ConsentState;
  readonly consumer: string;
  /** The organisation whose items the consent covers. */
  readonly provider: string;
  /** What the data is for; it must stay among the MoU's purposes. */
  readonly purpose?: string;
  /** Resource ids, or group ids that cover every resource of the group. */
  readonly items: readonly string[];
  readonly accessTypes: readonly AccessType[];
  readonly attributes: readonly string[];
  readonly releaseLevel: ReleaseLevel;
  /** The time range of data the consumer may see (either end open). */
  readonly dataFrom: string | null;
  readonly dataTo: string | null;
  readonly validFrom: string;
  readonly validTo: string;
}

export interface MouFacts extends MouClockFacts {
  readonly parties: readonly string[];
  /** The datasets the MoU covers now (after any amendment); a consent never reaches beyond them. */
  readonly datasets?: readonly DatasetEntry[];
  /** The purposes the MoU names now (after any amendment). */
  readonly purposes?: readonly string[];
}

/** What is true of the requested item now, whatever it was when the consent was granted. */
export interface ItemFacts {
  /** The item, or a resource of the group, is PII now (its access policy may have changed since). */
  readonly personalData: boolean;
}

/** What a request asks for. */
export interface ReleaseRequest {
  readonly consumer: string;
  readonly item: string;
  readonly accessType: AccessType;
  readonly attributes: readonly string[];
  readonly releaseLevel: ReleaseLevel;
  readonly dataFrom?: string;
  readonly dataTo?: string;
}

export type ReleaseDecision =
  | {
      readonly allow: true;
      /** k: the release drops every aggregate cell behind fewer individuals (the consumer's MoU entry's). */
      readonly minimumCellCount: number;
    }
  | { readonly allow: false; readonly problem: ProblemName; readonly reason: string };

const deny = (problem: ProblemName, reason: string): ReleaseDecision => ({ allow: false, problem, reason });

/**
 * The release rule of DESIGN.md §5 (points 3 to 5) over the current state: the consent is active and valid now,
 * its MoU is active, in term and still has the consumer as a party, and the request stays inside the consent.
 * Pure: the caller reads the state fresh for every request, so nothing outlives a revocation.
 */
export function decide(
  consent: ConsentFacts,
  mou: MouFacts,
  request: ReleaseRequest,
  now: Date,
  item: ItemFacts = { personalData: false },
): ReleaseDecision {
  const at = now.toISOString();
  if (consent.consumer !== request.consumer)
    return deny('itemOutsideConsent', 'the consent belongs to another consumer');
  switch (consent.state) {
    case 'requested':
      return deny('consentRequested', 'the consent has not been granted');
    case 'denied':
      return deny('consentDenied', 'the consent was denied');
    case 'revoked':
      return deny('consentRevoked', 'the consent was revoked');
    case 'paused':
      return deny('consentPaused', 'the consent is paused');
    case 'active':
      break;
  }
  const status = mouStatus(mou, now);
  if (status === 'draft' || status === 'awaiting-signatures')
    return deny('mouNotActive', 'the MoU is not signed yet');
  if (status === 'suspended') return deny('mouSuspended', 'the MoU is suspended');
  if (status === 'terminated') return deny('mouTerminated', 'the MoU has been terminated');
  if (status === 'expired') return deny('mouExpired', 'the MoU has expired');
  if (at < mou.effectiveFrom) return deny('mouNotInTerm', `the MoU is in force from ${mou.effectiveFrom}`);
  if (!mou.parties.includes(request.consumer))
    return deny('notParty', 'the consumer is no longer a party to the MoU');
  // A party that withdrew takes its datasets out of the MoU: nothing of theirs flows under it any more.
  if (!mou.parties.includes(consent.provider))
    return deny(
      'providerNotParty',
      `${consent.provider}, whose data this is, is no longer a party to the MoU`,
    );
  const dataset = mou.datasets?.find((d) => d.group === groupOf(request.item));
  if (mou.datasets) {
    if (!dataset)
      return deny('itemOutsideConsent', `${groupOf(request.item)} is no longer covered by the MoU`);
    if (levelRank[request.releaseLevel] > levelRank[dataset.maxReleaseLevel]) {
      return deny('releaseLevelAboveConsent', `the MoU now allows ${dataset.maxReleaseLevel} at most`);
    }
  }
  const purpose = consent.purpose ?? '';
  if (mou.purposes && !mou.purposes.includes(purpose)) {
    return deny('purposeNotInMou', `the MoU no longer names the purpose "${purpose}"`);
  }
  // After the MoU: a consent's validity lies inside its MoU's term, so when the MoU ends the MoU is named.
  if (at >= consent.validTo) return deny('consentExpired', `the consent ended at ${consent.validTo}`);
  if (at < consent.validFrom) return deny('consentNotYetValid', `the consent starts at ${consent.validFrom}`);

  if (!covers(consent.items, request.item))
    return deny('itemOutsideConsent', `${request.item} is not in the consent`);
  // Personal data is checked on every release, not once at the request: an item turned PII since, or an
  // amendment that took personal data (or this purpose) out of the entry, stops it.
  if (item.personalData) {
    if (!(dataset?.personalData && (dataset.personalDataPurposes ?? []).includes(purpose))) {
      return deny(
        'personalDataNotAllowed',
        `${request.item} holds personal data, which the MoU does not allow for the purpose "${purpose}"`,
      );
    }
  }
  if (!consent.accessTypes.includes(request.accessType)) {
    return deny('accessTypeNotGranted', `${request.accessType} access is not granted`);
  }
  const outside = request.attributes.filter((a) => !consent.attributes.includes(a));
  if (outside.length > 0) return deny('attributeNotGranted', `not granted: ${outside.join(', ')}`);
  if (levelRank[request.releaseLevel] > levelRank[consent.releaseLevel]) {
    return deny('releaseLevelAboveConsent', `the consent allows ${consent.releaseLevel} only`);
  }
  // Compared as instants: a request may name its range with any offset.
  const from = request.dataFrom === undefined ? undefined : toInstant(request.dataFrom);
  const to = request.dataTo === undefined ? undefined : toInstant(request.dataTo);
  if (consent.dataFrom !== null && (from === undefined || from < consent.dataFrom)) {
    return deny('timeRangeOutsideConsent', `data before ${consent.dataFrom} is not granted`);
  }
  if (consent.dataTo !== null && (to === undefined || to > consent.dataTo)) {
    return deny('timeRangeOutsideConsent', `data after ${consent.dataTo} is not granted`);
  }
  return { allow: true, minimumCellCount: kOf(dataset) };
}
