import { releaseLevels } from '@sangam/core';
import type { DatasetEntry, MouStatus } from '@sangam/policy';

/** The closed list of areas an MoU may cover. */
export const collaborationAreas = [
  'data-sharing',
  'dashboards-and-analysis',
  'analytical-support',
  'technical-assistance',
  'capacity-building',
  'manpower',
  'domain-support',
  'strategy',
] as const;
export type CollaborationArea = (typeof collaborationAreas)[number];

export { type ReleaseLevel, releaseLevels } from '@sangam/core';

/** A dataset (resource group) the MoU covers: its entry in the MoU's terms, as the release rule reads it. */
export type CoveredDataset = DatasetEntry;

/** What every party signs. */
export interface MouTerms {
  readonly problem: {
    readonly issue: string;
    readonly beneficiaries: readonly string[];
    readonly kpis: readonly string[];
  };
  readonly areas: readonly CollaborationArea[];
  readonly purposes: readonly string[];
  readonly datasets: readonly CoveredDataset[];
  readonly confidentiality: string;
}

export interface MouParty {
  readonly organisation: string;
  readonly role: 'city' | 'partner';
  readonly signedAt?: string;
  readonly signedBy?: string;
  /** When the partner withdrew from the MoU. */
  readonly leftAt?: string;
}

/** New terms for an MoU in force; they replace the current ones once every party has signed them. */
export interface Amendment extends MouTerms {
  readonly title: string;
  readonly endsAt: string;
  readonly noticeDays?: number;
  readonly documentSha256: string;
}

export interface PendingAmendment extends Amendment {
  readonly version: number;
  readonly signatures: Readonly<Record<string, { readonly at: string; readonly by: string }>>;
}

export interface Mou extends MouTerms {
  readonly id: string;
  readonly city: string;
  readonly title: string;
  readonly parties: readonly MouParty[];
  readonly effectiveFrom: string;
  readonly endsAt: string;
  readonly noticeDays: number;
  readonly documentSha256: string;
  readonly status: MouStatus;
  /** Whether now is inside the MoU's term (an active MoU may not be effective yet). */
  readonly inTerm: boolean;
  readonly terminatesAt?: string;
  readonly version: number;
  /** An amendment being signed, if any: who has signed it so far. */
  readonly pendingAmendment?: { readonly version: number; readonly signedBy: readonly string[] };
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface NewMou extends MouTerms {
  readonly title: string;
  readonly partners: readonly string[];
  readonly effectiveFrom: string;
  readonly endsAt: string;
  readonly noticeDays?: number;
  readonly documentSha256: string;
}

const text = (max: number) => ({
  type: 'string',
  minLength: 1,
  maxLength: max,
  pattern: '^[^\\u0000-\\u001f\\u007f]*$',
});
const list = (max: number, items: object) => ({ type: 'array', maxItems: max, items });

/** The body of `POST /consent/v1/mous/{id}/amend`: the full new terms. */
export const amendmentSchema = {
  $id: 'urn:sangam:schema:mou-amendment',
  type: 'object',
  additionalProperties: false,
  required: ['title', 'problem', 'areas', 'purposes', 'datasets', 'endsAt', 'documentSha256'],
  properties: {} as Record<string, unknown>,
};

/** The body of `POST /consent/v1/mous`. */
export const newMouSchema = {
  $id: 'urn:sangam:schema:new-mou',
  type: 'object',
  additionalProperties: false,
  required: [
    'title',
    'partners',
    'problem',
    'areas',
    'purposes',
    'datasets',
    'effectiveFrom',
    'endsAt',
    'documentSha256',
  ],
  properties: {
    title: text(300),
    partners: {
      ...list(50, { type: 'string', pattern: '^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$' }),
      minItems: 1,
      uniqueItems: true,
    },
    problem: {
      type: 'object',
      additionalProperties: false,
      required: ['issue', 'beneficiaries', 'kpis'],
      properties: { issue: text(5000), beneficiaries: list(50, text(300)), kpis: list(50, text(300)) },
    },
    areas: {
      ...list(collaborationAreas.length, { enum: collaborationAreas }),
      minItems: 1,
      uniqueItems: true,
    },
    purposes: { ...list(50, text(300)), minItems: 1, uniqueItems: true },
    datasets: {
      ...list(200, {
        type: 'object',
        additionalProperties: false,
        required: ['group', 'maxReleaseLevel'],
        properties: {
          group: { type: 'string', pattern: '^[a-z0-9-]{1,64}/[a-z0-9-]{1,64}$' },
          maxReleaseLevel: { enum: releaseLevels },
          personalData: { type: 'boolean' },
          personalDataPurposes: list(20, text(300)),
          minimumCellCount: { type: 'integer', minimum: 1, maximum: 1000 },
          epsilonPerDay: { type: 'number', exclusiveMinimum: 0, maximum: 100 },
        },
      }),
      minItems: 1,
    },
    confidentiality: { type: 'string', maxLength: 5000 },
    effectiveFrom: { type: 'string', format: 'date-time' },
    endsAt: { type: 'string', format: 'date-time' },
    noticeDays: { type: 'integer', minimum: 0, maximum: 3650 },
    documentSha256: { type: 'string', pattern: '^[0-9a-f]{64}$' },
  },
} as const;

// An amendment takes the same fields as a new MoU, except its parties and start.
for (const [name, schema] of Object.entries(newMouSchema.properties)) {
  if (name !== 'partners' && name !== 'effectiveFrom') amendmentSchema.properties[name] = schema;
}
