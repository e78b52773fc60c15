import { type Checkpoints, changeEvent, parseVerifierKey } from '@sangam/audit';
import { callerOf, principalOf } from '@sangam/auth';
import { DxError, slugPattern } from '@sangam/core';
import { toDbTime } from '@sangam/db';
import { type AppEnv, readJson, success, validator } from '@sangam/http';
import type { Hono } from 'hono';
import { auditedChange, type IdentityContext, requireCityAdmin } from '../identity/context.js';

const parseNewWitness = validator<{ organisation: string; verifierKey: string }>({
  $id: 'urn:sangam:schema:new-witness',
  type: 'object',
  additionalProperties: false,
  required: ['organisation', 'verifierKey'],
  properties: {
    organisation: { type: 'string', pattern: slugPattern },
    verifierKey: { type: 'string', minLength: 10, maxLength: 400 },
  },
});

/** A cosignature line is short: a key name and 76 bytes of base64. */
const maxCosignatureBytes = 512;

/**
 * Witnesses (C2SP tlog-witness, run by any party with `sangam audit witness`): the city admin registers a witness
 * key per organisation; a witness posts its cosignature of a checkpoint it checked, and the gateway keeps it with
 * the checkpoint.
 */
export function registerWitnessRoutes(
  app: Hono<AppEnv>,
  ctx: IdentityContext,
  checkpoints: Checkpoints,
): void {
  app.get('/audit/v1/witnesses', async (c) => {
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
  });

  app.post('/audit/v1/witnesses', async (c) => {
    const caller = callerOf(c);
    await requireCityAdmin(ctx, caller.principal);
    const input = await readJson(c, parseNewWitness);
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
  });

  app.post('/audit/v1/checkpoints/:treeSize/cosignatures', async (c) => {
    const caller = callerOf(c);
    const raw = c.req.param('treeSize');
    if (!/^[1-9]\d{0,14}$/.test(raw)) throw new DxError('notFound', `No checkpoint at tree size ${raw}`);
    const type = c.req.header('content-type') ?? '';
    if (!/^text\/plain\s*(;|$)/i.test(type)) {
      throw new DxError('unsupportedMediaType', 'Send the cosignature line as text/plain');
    }
    const body = await c.req.text();
    if (Buffer.byteLength(body) > maxCosignatureBytes) {
      throw new DxError('payloadTooLarge', `A cosignature line is at most ${maxCosignatureBytes} bytes`);
    }
    const cosignature = await checkpoints.addCosignature(Number(raw), body, principalOf(c).organisationId);
    await ctx.audit.append(
      changeEvent(
        caller,
        'audit.checkpoint.cosign',
        { organisation: caller.principal.organisationId },
        `witness ${cosignature.witness} cosigned tree size ${raw}`,
      ),
    );
    return c.json(success('as', cosignature, { title: 'Cosignature stored' }), 201);
  });
}
