import { callerOf, principalOf } from '@sangam/auth';
import { DxError, type Role, slugPattern } from '@sangam/core';
import { type AppEnv, pageParams, queryParams, readJson, success, validator } from '@sangam/http';
import type { Context, Hono } from 'hono';
import {
  createClient,
  getClient,
  listClients,
  revokeClient,
  rotateClientSecret,
} from '../identity/clients.js';
import type { IdentityContext } from '../identity/context.js';
import { idPattern, newClientSchema } from '../schemas.js';

const parseNewClient = validator<{ organisation: string; roles: Role[]; name?: string }>(newClientSchema);
const slug = new RegExp(slugPattern);

function clientId(c: Context<AppEnv>): string {
  const id = c.req.param('id') ?? '';
  if (!idPattern.test(id)) throw new DxError('notFound', 'No such client');
  return id;
}

/** Secrets are in these answers: no cache may keep them. */
const noStore = { 'cache-control': 'no-store' };

export function registerClientRoutes(app: Hono<AppEnv>, ctx: IdentityContext): void {
  app.post('/consent/v1/clients', async (c) => {
    const input = await readJson(c, parseNewClient);
    const client = await createClient(ctx, callerOf(c), input);
    c.header('location', `/consent/v1/clients/${client.clientId}`);
    return c.json(
      success('as', client, { title: 'Client created; the secret is shown only once' }),
      201,
      noStore,
    );
  });

  app.get('/consent/v1/clients', async (c) => {
    const query = queryParams(c, ['organisation', 'limit', 'offset']);
    if (query.organisation !== undefined && !slug.test(query.organisation)) {
      throw DxError.validation(
        [{ field: 'organisation', message: 'is not an organisation id' }],
        'invalidParameter',
      );
    }
    const { clients, total } = await listClients(ctx, principalOf(c), {
      ...pageParams(query),
      ...(query.organisation ? { organisation: query.organisation } : {}),
    });
    return c.json(success('as', clients, { totalHits: total }));
  });

  app.get('/consent/v1/clients/:id', async (c) => {
    return c.json(success('as', await getClient(ctx, principalOf(c), clientId(c))));
  });

  app.post('/consent/v1/clients/:id/rotate', async (c) => {
    const client = await rotateClientSecret(ctx, callerOf(c), clientId(c));
    return c.json(
      success('as', client, { title: 'Secret rotated; the new secret is shown only once' }),
      200,
      noStore,
    );
  });

  app.delete('/consent/v1/clients/:id', async (c) => {
    return c.json(
      success('as', await revokeClient(ctx, callerOf(c), clientId(c)), { title: 'Client revoked' }),
    );
  });
}
