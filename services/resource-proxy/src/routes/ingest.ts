import { type BearerOptions, bearerAuth, callerOf } from '@sangam/auth';
import { DxError } from '@sangam/core';
import { type AppEnv, readJson, success, validator } from '@sangam/http';
import type { Hono } from 'hono';
import type { ProxyContext } from '../context.js';
import { ingestBatch, requireProvider } from '../records/ingest.js';

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
    const resource = await ctx.resources.get(`${provider}/${group}/${name}`);
    try {
      requireProvider(caller, resource);
    } catch (error) {
      if (error instanceof DxError) {
        await ctx.audit.append({
          action: 'rs.ingest',
          decision: 'deny',
          reason: `${error.problem}: ${error.detail ?? ''}`,
          actor: { client: caller.principal.clientId, organisation: caller.principal.organisationId },
          target: { item: resource.id, provider: resource.provider },
          requestId: caller.requestId,
        });
      }
      throw error;
    }
    const { records } = await readJson(c, parseBatch);
    const max = ctx.config.SANGAM_INGEST_MAX_RECORDS;
    if (records.length > max) {
      throw new DxError(
        'payloadTooLarge',
        `A batch holds at most ${max} records; this one holds ${records.length}`,
      );
    }
    const summary = await ingestBatch(ctx, caller, resource, records);
    return c.json(success('rs', summary, { title: `${summary.accepted} accepted` }), 200);
  });
}
