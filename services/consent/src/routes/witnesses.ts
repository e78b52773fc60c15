import { type Checkpoints, changeEvent, parseVerifierKey } from '@sangam/audit';
import { callerOf, principalOf } from '@sangam/auth';
import { DxError, slugPattern } from '@sangam/core';
import { toDbTime } from '@sangam/db';
import { type RouteDeclaration, route, success } from '@sangam/http';
import { Type } from '@sinclair/typebox';
import { auditedChange, type IdentityContext, requireCityAdmin } from '../identity/context.js';

const newWitnessSchema = Type.Object(
  {
    organisation: Type.String({
      pattern: slugPattern,
      description: 'The organisation running the witness',
      examples: ['svnit'],
    }),
    verifierKey: Type.String({
      minLength: 10,
      maxLength: 400,
      description:
        'A C2SP cosignature/v1 verifier key (name+id+key), as `sangam audit witness-key` prints it',
      examples: ['witness.svnit.example+138abadd+BMW0OPx0pF3rDCONl7FadgeCA4qMLX/Hpy0uPjYT68i5'],
    }),
  },
  { additionalProperties: false },
);
const witnessSchema = Type.Object({
  name: Type.String(),
  organisation: Type.String(),
  verifierKey: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
});
const cosignatureSchema = Type.Object({ witness: Type.String() });

/** A cosignature line is short: a key name and 76 bytes of base64. */
const maxCosignatureBytes = 512;

/**
 * Witnesses (C2SP tlog-witness, run by any party with `sangam audit witness`): the city admin registers a witness
 * key per organisation; a witness posts its cosignature of a checkpoint it checked, and the gateway keeps it with
 * the checkpoint.
 */
export function witnessRoutes(ctx: IdentityContext, checkpoints: Checkpoints): RouteDeclaration[] {
  return [
    route({
      method: 'get',
      path: '/audit/v1/witnesses',
      operationId: 'listWitnesses',
      summary: 'The witnesses registered, with their verifier keys',
      tag: 'Audit',
      security: 'identity',
      query: Type.Object({}),
      responses: { 200: { description: 'Witnesses', schema: Type.Array(witnessSchema) } },
      refusals: [400, 401],
      handle: async (c) => {
        const rows = await ctx.db.selectFrom('audit_witnesses').selectAll().orderBy('name').execute();
        return c.json(
          success(
            'as',
            rows.map((r) => ({
              name: r.name,
              organisation: r.organisation,
              verifierKey: r.verifier_key,
              createdAt: r.created_at,
            })),
          ),
        );
      },
    }),
    route({
      method: 'post',
      path: '/audit/v1/witnesses',
      operationId: 'registerWitness',
      summary: "Register an organisation's witness key (the city admin)",
      tag: 'Audit',
      security: 'identity',
      roles: ['admin'],
      audit: 'audit.witness.register',
      // The city admin only, settled before the body is read.
      middleware: [
        async (c, next) => {
          await requireCityAdmin(ctx, principalOf(c));
          await next();
        },
      ],
      body: newWitnessSchema,
      responses: { 201: { description: 'The witness', schema: witnessSchema } },
      refusals: [400, 401, 403, 404, 409, 413, 415],
      handle: async (c, { body: input }) => {
        const caller = callerOf(c);
        let name: string;
        try {
          const key = parseVerifierKey(input.verifierKey);
          if (key.type !== 0x04) throw new TypeError('a witness key is a cosignature/v1 key (type 0x04)');
          name = key.name;
        } catch (error) {
          throw DxError.validation(
            [{ field: 'verifierKey', message: (error as Error).message }],
            'invalidPayload',
          );
        }
        const witness = await auditedChange(ctx, async (trx) => {
          const organisation = await trx
            .selectFrom('organisations')
            .select('id')
            .where('id', '=', input.organisation)
            .executeTakeFirst();
          if (!organisation) throw new DxError('notFound', `No organisation ${input.organisation}`);
          const taken = await trx
            .selectFrom('audit_witnesses')
            .select('name')
            .where('name', '=', name)
            .executeTakeFirst();
          if (taken) throw new DxError('alreadyExists', `A witness named ${name} is registered already`);
          const row = {
            name,
            organisation: input.organisation,
            verifier_key: input.verifierKey.trim(),
            created_at: toDbTime(ctx.clock.now()),
          };
          await trx.insertInto('audit_witnesses').values(row).execute();
          return {
            result: row,
            event: changeEvent(
              caller,
              'audit.witness.register',
              { organisation: input.organisation },
              `witness ${name}`,
            ),
          };
        });
        c.header('location', `/audit/v1/witnesses/${encodeURIComponent(name)}`);
        return c.json(
          success(
            'as',
            {
              name: witness.name,
              organisation: witness.organisation,
              verifierKey: witness.verifier_key,
              createdAt: witness.created_at,
            },
            { title: 'Witness registered' },
          ),
          201,
        );
      },
    }),
    route({
      method: 'post',
      path: '/audit/v1/checkpoints/{treeSize}/cosignatures',
      operationId: 'cosignCheckpoint',
      summary: "A witness's cosignature of a checkpoint it checked (its organisation)",
      tag: 'Audit',
      security: 'identity',
      audit: 'audit.checkpoint.cosign',
      params: Type.Object({ treeSize: Type.String({ pattern: '^[1-9]\\d{0,14}$' }) }),
      otherBody: {
        required: true,
        content: { 'text/plain': { type: 'string', description: 'One C2SP tlog-cosignature line' } },
      },
      responses: { 201: { description: 'The cosignature stored', schema: cosignatureSchema } },
      refusals: [400, 401, 403, 404, 409, 413, 415],
      handle: async (c, { params }) => {
        const caller = callerOf(c);
        const raw = params.treeSize;
        const type = c.req.header('content-type') ?? '';
        if (!/^text\/plain\s*(;|$)/i.test(type)) {
          throw new DxError('unsupportedMediaType', 'Send the cosignature line as text/plain');
        }
        const body = await c.req.text();
        if (Buffer.byteLength(body) > maxCosignatureBytes) {
          throw new DxError('payloadTooLarge', `A cosignature line is at most ${maxCosignatureBytes} bytes`);
        }
        const cosignature = await checkpoints.addCosignature(
          Number(raw),
          body,
          principalOf(c).organisationId,
        );
        await ctx.audit.append(
          changeEvent(
            caller,
            'audit.checkpoint.cosign',
            { organisation: caller.principal.organisationId },
            `witness ${cosignature.witness} cosigned tree size ${raw}`,
          ),
        );
        return c.json(success('as', cosignature, { title: 'Cosignature stored' }), 201);
      },
    }),
  ];
}
