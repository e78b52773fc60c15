import { type ReleaseLevel, releaseLevels } from '@sangam/core';
import type { DatasetEntry, MouStatus } from '@sangam/policy';
import { type ArrayOptions, type Static, type TSchema, Type } from '@sinclair/typebox';
import { type Kpi, kpiSchema } from './kpis.js';

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
  /** What the alliance is measured by: metrics with targets, each signed as part of the terms. */
  readonly kpis: readonly Kpi[];
  /** The model MoU's further clauses, where the parties wrote them. */
  readonly clauses?: MouClauses;
}

/** The clauses of the model MoU beyond scope, data and term: each the parties' own text. */
export interface MouClauses {
  readonly roles?: string;
  readonly privacy?: string;
  readonly intellectualProperty?: string;
  readonly grievance?: string;
}

export interface MouParty {
  readonly organisation: string;
  readonly role: 'city' | 'partner';
  readonly signedAt?: string;
  readonly signedBy?: string;
  /** When the partner withdrew from the MoU. */
  readonly leftAt?: string;
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

/** One line of printable text, at most `max` characters. */
const text = (max: number) =>
  Type.String({ minLength: 1, maxLength: max, pattern: '^[^\\u0000-\\u001f\\u007f]*$' });
const list = <T extends TSchema>(max: number, items: T, options: ArrayOptions = {}) =>
  Type.Array(items, { maxItems: max, ...options });
const instant = Type.String({ format: 'date-time' });

/** What every party signs, as a request states it. */
const termsSchema = {
  title: text(300),
  problem: Type.Object(
    { issue: text(5000), beneficiaries: list(50, text(300)), kpis: list(50, text(300)) },
    { additionalProperties: false },
  ),
  areas: list(collaborationAreas.length, Type.Unsafe<CollaborationArea>({ enum: [...collaborationAreas] }), {
    minItems: 1,
    uniqueItems: true,
  }),
  purposes: list(50, text(300), { minItems: 1, uniqueItems: true }),
  datasets: list(
    200,
    Type.Object(
      {
        group: Type.String({
          pattern: '^[a-z0-9-]{1,64}/[a-z0-9-]{1,64}$',
          title: 'a resource group, provider/group',
          examples: ['sitilink/surat-bus-itms'],
        }),
        maxReleaseLevel: Type.Unsafe<ReleaseLevel>({ enum: [...releaseLevels] }),
        personalData: Type.Optional(Type.Boolean()),
        personalDataPurposes: Type.Optional(list(20, text(300))),
        minimumCellCount: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
        epsilonPerDay: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 100 })),
      },
      { additionalProperties: false },
    ),
    { minItems: 1 },
  ),
  confidentiality: Type.Optional(Type.String({ maxLength: 5000 })),
  kpis: Type.Optional(list(20, kpiSchema)),
  clauses: Type.Optional(
    Type.Object(
      {
        roles: Type.Optional(Type.String({ maxLength: 5000 })),
        privacy: Type.Optional(Type.String({ maxLength: 5000 })),
        intellectualProperty: Type.Optional(Type.String({ maxLength: 5000 })),
        grievance: Type.Optional(Type.String({ maxLength: 5000 })),
      },
      { additionalProperties: false },
    ),
  ),
  endsAt: instant,
  noticeDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 3650 })),
  documentSha256: Type.String({
    pattern: '^[0-9a-f]{64}$',
    title: 'a SHA-256 in hex',
    description: 'The SHA-256 of the signed MoU document',
    examples: ['9f2b5c0e7d4a1b3c6e8f0a2d4c6b8e1f3a5c7e9b0d2f4a6c8e0b2d4f6a8c0e2d'],
  }),
};

/** The body of `POST /consent/v1/mous`: the terms, the partners, and when it starts. */
export const newMouSchema = Type.Object(
  {
    ...termsSchema,
    partners: list(
      50,
      Type.String({
        pattern: '^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$',
        title: 'an organisation id',
        examples: ['sitilink'],
      }),
      {
        minItems: 1,
        uniqueItems: true,
      },
    ),
    effectiveFrom: instant,
  },
  { additionalProperties: false },
);
export type NewMou = Static<typeof newMouSchema>;

/**
 * The body of `POST /consent/v1/mous/{id}/amend`: new terms for an MoU in force, the full set; they replace the
 * current ones once every party has signed them. Its parties and start do not change.
 */
export const amendmentSchema = Type.Object(termsSchema, { additionalProperties: false });
export type Amendment = Static<typeof amendmentSchema>;
