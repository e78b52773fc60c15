import { callerOf, principalOf } from '@sangam/auth';
import { DxError } from '@sangam/core';
import { type AppEnv, queryParams, readJson, success, validator } from '@sangam/http';
import type { Context, Hono } from 'hono';
import { type Amendment, amendmentSchema, type NewMou, newMouSchema } from '../mous/model.js';
import {
  amendMou,
  changeMou,
  createMou,
  getMou,
  listMous,
  type MouContext,
  mouArtefact,
  signMou,
  withdrawFromMou,
} from '../mous/mous.js';
import { mouSummaryHtml } from '../mous/summary.js';

const parseNewMou = validator<NewMou>(newMouSchema);
const parseAmendment = validator<Amendment>(amendmentSchema);
const parseReason = validator<{ reason?: string }>({
  type: 'object',
  additionalProperties: false,
  properties: { reason: { type: 'string', maxLength: 1000 } },
});

/** The optional `{reason}` of a lifecycle action; an empty body is fine. */
async function reasonOf(c: Context<AppEnv>): Promise<string | undefined> {
  if (!c.req.header('content-type') && (c.req.header('content-length') ?? '0') === '0') return undefined;
  return (await readJson(c, parseReason)).reason;
}

export function registerMouRoutes(app: Hono<AppEnv>, ctx: MouContext): void {
  app.post('/consent/v1/mous', async (c) => {
    const mou = await createMou(ctx, callerOf(c), await readJson(c, parseNewMou));
    c.header('location', `/consent/v1/mous/${mou.id}`);
    return c.json(success('as', mou, { title: 'MoU drafted' }), 201);
  });

  app.get('/consent/v1/mous', async (c) => {
    queryParams(c, []);
    const mous = await listMous(ctx, principalOf(c));
    return c.json(success('as', mous, { totalHits: mous.length }));
  });

  app.get('/consent/v1/mous/:id', async (c) =>
    c.json(success('as', await getMou(ctx, principalOf(c), c.req.param('id')))),
  );

  app.post('/consent/v1/mous/:id/sign', async (c) => {
    await reasonOf(c);
    return c.json(success('as', await signMou(ctx, callerOf(c), c.req.param('id')), { title: 'Signed' }));
  });

  for (const action of ['suspend', 'resume', 'terminate'] as const) {
    app.post(`/consent/v1/mous/:id/${action}`, async (c) => {
      const mou = await changeMou(ctx, callerOf(c), c.req.param('id'), action, await reasonOf(c));
      return c.json(success('as', mou));
    });
  }

  app.post('/consent/v1/mous/:id/withdraw', async (c) => {
    const mou = await withdrawFromMou(ctx, callerOf(c), c.req.param('id'), await reasonOf(c));
    return c.json(success('as', mou, { title: 'Withdrawn' }));
  });

  app.post('/consent/v1/mous/:id/amend', async (c) => {
    const mou = await amendMou(ctx, callerOf(c), c.req.param('id'), await readJson(c, parseAmendment));
    return c.json(
      success('as', mou, { title: 'Amendment proposed; it takes effect when every party has signed' }),
    );
  });

  app.get('/consent/v1/mous/:id/artefact', async (c) => {
    const jws = await mouArtefact(ctx, principalOf(c), c.req.param('id'));
    return c.json(success('as', { jws }));
  });

  app.get('/consent/v1/mous/:id/summary', async (c) => {
    const mou = await getMou(ctx, principalOf(c), c.req.param('id'));
    return c.html(mouSummaryHtml(mou), 200, {
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
    });
  });

  app.all('/consent/v1/mous/:id/:action', () => {
    throw new DxError(
      'notFound',
      'MoU actions: sign, amend, suspend, resume, terminate, withdraw; views: artefact, summary',
    );
  });
}
