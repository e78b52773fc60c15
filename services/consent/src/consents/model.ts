import type { ReleaseLevel } from '@sangam/core';
import { type AccessType, accessTypes, type ConsentTerms } from '@sangam/policy';

export type { ConsentTerms };

/** What a reader sees: the stored state with time and the MoU applied. */
export type ConsentStatus = 'requested' | 'active' | 'denied' | 'paused' | 'revoked' | 'expired' | 'stopped';

export interface Consent extends ConsentTerms {
  readonly id: string;
  readonly mou: string;
  readonly consumer: string;
  readonly provider: string;
  readonly rateLimit: number;
  readonly validFrom: string;
  readonly validTo: string;
  readonly state: 'requested' | 'active' | 'denied' | 'paused' | 'revoked';
  /** `stopped`: granted, but its MoU is not active now (suspended, terminated or expired). */
  readonly status: ConsentStatus;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface NewConsent {
  readonly mou: string;
  readonly items: readonly string[];
  readonly purpose: string;
  readonly accessTypes: readonly AccessType[];
  readonly attributes: readonly string[];
  readonly releaseLevel: ReleaseLevel;
  readonly dataFrom?: string;
  readonly dataTo?: string;
  readonly rateLimit?: number;
  readonly validFrom?: string;
  readonly validTo: string;
}

/** A provider may grant less than was asked. */
export interface Narrowing {
  readonly accessTypes?: readonly AccessType[];
  readonly attributes?: readonly string[];
  readonly validTo?: string;
  readonly rateLimit?: number;
  readonly reason?: string;
}

const itemId = { type: 'string', pattern: '^[a-z0-9-]{1,64}/[a-z0-9-]{1,64}(/[a-z0-9-]{1,64})?$' };
const attribute = { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]{0,63}$' };

export const newConsentSchema = {
  $id: 'urn:sangam:schema:new-consent',
  type: 'object',
  additionalProperties: false,
  required: ['mou', 'items', 'purpose', 'accessTypes', 'attributes', 'releaseLevel', 'validTo'],
  properties: {
    mou: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' },
    items: { type: 'array', minItems: 1, maxItems: 50, uniqueItems: true, items: itemId },
    purpose: { type: 'string', minLength: 1, maxLength: 300 },
    accessTypes: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: accessTypes } },
    attributes: { type: 'array', maxItems: 200, uniqueItems: true, items: attribute },
    releaseLevel: { enum: ['aggregate', 'anonymised-record'] },
    dataFrom: { type: 'string', format: 'date-time' },
    dataTo: { type: 'string', format: 'date-time' },
    rateLimit: { type: 'integer', minimum: 1, maximum: 100_000, description: 'requests per minute' },
    validFrom: { type: 'string', format: 'date-time' },
    validTo: { type: 'string', format: 'date-time' },
  },
} as const;

export const narrowingSchema = {
  $id: 'urn:sangam:schema:consent-decision',
  type: 'object',
  additionalProperties: false,
  properties: {
    accessTypes: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: accessTypes } },
    attributes: { type: 'array', maxItems: 200, uniqueItems: true, items: attribute },
    validTo: { type: 'string', format: 'date-time' },
    rateLimit: { type: 'integer', minimum: 1, maximum: 100_000 },
    reason: { type: 'string', maxLength: 1000 },
  },
} as const;
