import type { ReleaseLevel } from '@sangam/core';
import { type AccessType, accessTypes, type ConsentTerms } from '@sangam/policy';
import { type ArrayOptions, type Static, type TSchema, Type } from '@sinclair/typebox';

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

const itemId = Type.String({
  pattern: '^[a-z0-9-]{1,64}/[a-z0-9-]{1,64}(/[a-z0-9-]{1,64})?$',
  description: 'A resource group or resource: <provider>/<group>[/<resource>]',
  examples: ['sitilink/surat-bus-itms/positions'],
});
const attribute = Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]{0,63}$', examples: ['speed'] });
const accessType = Type.Unsafe<AccessType>({ enum: [...accessTypes] });
const instant = Type.String({ format: 'date-time' });
const readonlyArray = <T extends TSchema>(items: T, options: ArrayOptions) =>
  Type.Readonly(Type.Array(items, options));

/** The body of `POST /consent/v1/consents`: what a consumer asks for, under which MoU. */
export const newConsentSchema = Type.Object(
  {
    mou: Type.String({
      pattern: '^[A-Za-z0-9_-]{1,64}$',
      description: 'The active MoU the consent is under',
      examples: ['mou_8f1c2a7d9e'],
    }),
    items: readonlyArray(itemId, { minItems: 1, maxItems: 50, uniqueItems: true }),
    purpose: Type.String({
      minLength: 1,
      maxLength: 300,
      description: 'One of the purposes the MoU names (GET /consent/v1/mous/{id} lists them)',
    }),
    accessTypes: readonlyArray(accessType, { minItems: 1, uniqueItems: true }),
    attributes: readonlyArray(attribute, { maxItems: 200, uniqueItems: true }),
    releaseLevel: Type.Unsafe<ReleaseLevel>({ enum: ['aggregate', 'anonymised-record'] }),
    dataFrom: Type.Optional(instant),
    dataTo: Type.Optional(instant),
    rateLimit: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 100_000, description: 'requests per minute' }),
    ),
    validFrom: Type.Optional(instant),
    validTo: instant,
  },
  { additionalProperties: false },
);
export type NewConsent = Static<typeof newConsentSchema>;

/** The optional body of a decision: a grant may narrow what was asked; any decision may give a reason. */
export const narrowingSchema = Type.Object(
  {
    accessTypes: Type.Optional(readonlyArray(accessType, { minItems: 1, uniqueItems: true })),
    attributes: Type.Optional(readonlyArray(attribute, { maxItems: 200, uniqueItems: true })),
    validTo: Type.Optional(instant),
    rateLimit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
    reason: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);
export type Narrowing = Static<typeof narrowingSchema>;

/** A consent as readers get it (documented; `Consent` above is what the code builds). */
export const consentSchema = Type.Object({
  id: Type.String(),
  mou: Type.String(),
  consumer: Type.String(),
  provider: Type.String(),
  items: Type.Array(itemId),
  purpose: Type.String(),
  accessTypes: Type.Array(accessType),
  attributes: Type.Array(Type.String()),
  releaseLevel: Type.Unsafe<ReleaseLevel>({ enum: ['aggregate', 'anonymised-record'] }),
  dataFrom: Type.Union([instant, Type.Null()]),
  dataTo: Type.Union([instant, Type.Null()]),
  rateLimit: Type.Integer(),
  validFrom: instant,
  validTo: instant,
  state: Type.Unsafe<Consent['state']>({ enum: ['requested', 'active', 'denied', 'paused', 'revoked'] }),
  status: Type.Unsafe<ConsentStatus>({
    enum: ['requested', 'active', 'denied', 'paused', 'revoked', 'expired', 'stopped'],
  }),
  createdAt: instant,
  updatedAt: instant,
});
