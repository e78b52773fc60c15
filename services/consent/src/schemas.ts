import { type OrganisationKind, organisationKinds, type Role, roles, slugPattern } from '@sangam/core';
import { type Static, Type } from '@sinclair/typebox';

/** The body of `POST /consent/v1/organisations`: a partner (or the city) joining the alliance. */
export const newOrganisationSchema = Type.Object(
  {
    id: Type.Optional(
      Type.String({
        pattern: slugPattern,
        title: 'a readable id: lower-case letters, digits and hyphens',
        description: 'Readable id; derived from the name when absent',
      }),
    ),
    name: Type.String({ minLength: 1, maxLength: 200, examples: ['Sardar Vallabhbhai NIT'] }),
    kind: Type.Unsafe<OrganisationKind>({ enum: [...organisationKinds] }),
    city: Type.String({ minLength: 1, maxLength: 100, examples: ['Surat'] }),
  },
  { additionalProperties: false },
);
export type NewOrganisation = Static<typeof newOrganisationSchema>;

/** The body of `POST /consent/v1/clients`: an API client of an organisation, with its roles. */
export const newClientSchema = Type.Object(
  {
    organisation: Type.String({ pattern: slugPattern, title: 'an organisation id', examples: ['svnit'] }),
    roles: Type.Array(Type.Unsafe<Role>({ enum: [...roles] }), {
      minItems: 1,
      maxItems: roles.length,
      uniqueItems: true,
    }),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type NewClient = Static<typeof newClientSchema>;

/** The body of `POST /consent/v1/members/invitations`: a person to join an organisation. */
export const newInvitationSchema = Type.Object(
  {
    organisation: Type.Optional(
      Type.String({
        pattern: slugPattern,
        title: 'an organisation id',
        description: "The organisation to join: the caller's own by default; the city admin may name any",
      }),
    ),
    email: Type.String({ minLength: 3, maxLength: 254, format: 'email', examples: ['steward@svnit.ac.in'] }),
    name: Type.String({ minLength: 1, maxLength: 200, examples: ['Asha Patel'] }),
    roles: Type.Array(Type.Unsafe<Role>({ enum: [...roles] }), {
      minItems: 1,
      maxItems: roles.length,
      uniqueItems: true,
    }),
  },
  { additionalProperties: false },
);
export type NewInvitationBody = Static<typeof newInvitationSchema>;
