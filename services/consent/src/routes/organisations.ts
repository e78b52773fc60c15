import { callerOf, principalOf } from '@sangam/auth';
import type { OrganisationKind } from '@sangam/core';
import { type AppEnv, pageParams, queryParams, readJson, success, validator } from '@sangam/http';
import type { Hono } from 'hono';
import type { IdentityContext } from '../identity/context.js';
import { createOrganisation, getOrganisation, listOrganisations } from '../identity/organisations.js';
import { newOrganisationSchema } from '../schemas.js';

const parseNewOrganisation = validator<{ id?: string; name: string; kind: OrganisationKind; city: string }>(
  newOrganisationSchema,
);

export function registerOrganisationRoutes(app: Hono<AppEnv>, ctx: IdentityContext): void {
  app.post('/consent/v1/organisations', async (c) => {
    const input = await readJson(c, parseNewOrganisation);
    const organisation = await createOrganisation(ctx, callerOf(c), input);
    c.header('location', `/consent/v1/organisations/${organisation.id}`);
    return c.json(success('as', organisation, { title: 'Organisation created' }), 201);
  });

  app.get('/consent/v1/organisations', async (c) => {
    const page = pageParams(queryParams(c, ['limit', 'offset']));
    const { organisations, total } = await listOrganisations(ctx, principalOf(c), page);
    return c.json(success('as', organisations, { totalHits: total }));
  });

  app.get('/consent/v1/organisations/:id', async (c) => {
    const organisation = await getOrganisation(ctx, principalOf(c), c.req.param('id'));
    return c.json(success('as', organisation));
  });
}
