import { type BearerOptions, bearerAuth, callerOf } from '@sangam/auth';
import { type AppEnv, readJson, success, validator } from '@sangam/http';
import type { Hono } from 'hono';
import type { ProxyContext } from '../context.js';
import { authoriseIngest, checkBatchSize, ingestBatch } from '../records/ingest.js';

export const ingestBatchSchema = {
  $id: 'urn:sangam:schema:ingest-batch',
  type: 'object',
  additionalProperties: false,
  required: ['records'],
  properties: { records: { type: 'array', minItems: 1 } },
} as const;

const parseBatch = validator<{ records: unknown[] }>(ingestBatchSchema);

/** `POST /rs/v1/ingest/{resourceId}`: a provider (or its adapter) publishes a batch of records. */
export function registerIngestRoutes(app: Hono<AppEnv>, ctx: ProxyContext, auth: BearerOptions): void {
  app.post('/rs/v1/ingest/:provider/:group/:name', bearerAuth(auth), async (c) => {
    const caller = callerOf(c);
    const { provider, group, name } = c.req.param();
    const id = `${provider}/${group}/${name}`;
    // Who may publish is settled before the body is read: nothing of a refused caller's data is parsed.
    const resource = await authoriseIngest(ctx, caller, id);
    const { records } = await readJson(c, parseBatch);
    checkBatchSize(ctx, records);
    const summary = await ingestBatch(ctx, caller, resource, records);
    return c.json(success('rs', summary, { title: `${summary.accepted} accepted` }), 200);
  });
}
