import type { ReleaseLevel } from '@sangam/core';
import type { ItemId } from './item-id.js';

/** How a consumer may reach data (DESIGN.md §4). */
export type AccessType = 'latest' | 'temporal' | 'subscription' | 'download';
export const accessTypes: readonly AccessType[] = ['latest', 'temporal', 'subscription', 'download'];

/** A consent's stored state (time and its MoU applied on top make its status). */
export type ConsentState = 'requested' | 'active' | 'denied' | 'paused' | 'revoked';

/** What a consent allows. */
export interface ConsentTerms {
  readonly items: readonly ItemId[];
  readonly purpose: string;
  readonly accessTypes: readonly AccessType[];
  readonly attributes: readonly string[];
  readonly releaseLevel: ReleaseLevel;
  readonly dataFrom: string | null;
  readonly dataTo: string | null;
}

/** A dataset (resource group) an MoU covers: its entry in the MoU's signed terms. */
export interface DatasetEntry {
  readonly group: ItemId;
  /** The most revealing release level allowed for it. */
  readonly maxReleaseLevel: ReleaseLevel;
  /** Whether personal data (PII items) may flow, and then only for these purposes. */
  readonly personalData?: boolean;
  readonly personalDataPurposes?: readonly string[];
  /** k: no released aggregate cell of this dataset counts fewer individuals (default 10). */
  readonly minimumCellCount?: number;
  /**
   * ε an adapter may spend on the noisy counts of one released cell of the dataset in one local day. With a budget,
   * counts are noisy; a cell whose budget is spent is withheld for the rest of the day.
   */
  readonly epsilonPerDay?: number;
}

/** The k of an entry that names none (as MDS reports use). */
export const defaultMinimumCellCount = 10;

/** The k of a dataset entry: its `minimumCellCount`, 10 when it names none. */
export function kOf(entry: DatasetEntry | undefined): number {
  return entry?.minimumCellCount ?? defaultMinimumCellCount;
}
