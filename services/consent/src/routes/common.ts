import { Type } from '@sinclair/typebox';

/** An id of ours in a path: short base32 with a prefix. A path with anything else names nothing (404). */
export const idParams = Type.Object({ id: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }) });

/** A signed artefact. */
export const jwsSchema = Type.Object({
  jws: Type.String({ description: 'A compact JWS signed by the gateway' }),
});

/** The optional `{reason}` of a lifecycle action; an empty body is fine. */
export const reasonSchema = Type.Object(
  { reason: Type.Optional(Type.String({ maxLength: 1000 })) },
  { additionalProperties: false },
);
