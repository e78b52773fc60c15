import { organisationKinds, roles, slugPattern } from '@sangam/core';

/** Request bodies of the identity API; the same schemas validate requests and document the API. */
export const newOrganisationSchema = {
  $id: 'urn:sangam:schema:new-organisation',
  type: 'object',
  additionalProperties: false,
  required: ['name', 'kind', 'city'],
  properties: {
    id: {
      type: 'string',
      pattern: slugPattern,
      description: 'Readable id; derived from the name when absent',
    },
    name: { type: 'string', minLength: 1, maxLength: 200 },
    kind: { enum: organisationKinds },
    city: { type: 'string', minLength: 1, maxLength: 100 },
  },
} as const;

export const newClientSchema = {
  $id: 'urn:sangam:schema:new-client',
  type: 'object',
  additionalProperties: false,
  required: ['organisation', 'roles'],
  properties: {
    organisation: { type: 'string', pattern: slugPattern },
    roles: { type: 'array', items: { enum: roles }, minItems: 1, maxItems: roles.length, uniqueItems: true },
    name: { type: 'string', minLength: 1, maxLength: 200 },
  },
} as const;

/** Opaque ids in paths: our own ids are short base32 with a prefix. */
export const idPattern = /^[A-Za-z0-9_-]{1,64}$/;
