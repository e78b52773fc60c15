import { requestIds } from '@sangam/audit';
import { callerOf, principalOf, resourceProxyAudience, type TokenService } from '@sangam/auth';
import { DxError } from '@sangam/core';
import { type AppEnv, queryParams, readJson, success, validator } from '@sangam/http';
import { decide, releaseFacts, scopeFor } from '@sangam/policy';
import type { Context, Hono } from 'hono';
import {
  type ConsentAction,
  consentArtefactOf,
  decideConsent,
  getConsent,
  listConsents,
  requestConsent,
} from '../consents/consents.js';
import { type Narrowing, type NewConsent, narrowingSchema, newConsentSchema } from '../consents/model.js';
import type { MouContext } from '../mous/mous.js';

const parseNewConsent = validator<NewConsent>(newConsentSchema);
const parseNarrowing = validator<Narrowing>(narrowingSchema);
const parseAccessRequest = validator<{ item: string; consent: string }>({
  type: 'object',
  additionalProperties: false,
  required: ['item', 'consent'],
  properties: {
    item: { type: 'string', pattern: '^[a-z0-9-]{1,64}/[a-z0-9-]{1,64}(/[a-z0-9-]{1,64})?$' },
    consent: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' },
  },
});

/** The audience of access tokens: only the resource proxy accepts them. */

async function optionalBody<T>(c: Context<AppEnv>, parse: (v: unknown) => T): Promise<T | undefined> {
  if (!c.req.header('content-type') && (c.req.header('content-length') ?? '0') === '0') return undefined;
  return readJson(c, parse);
}

export function registerConsentRoutes(
  app: Hono<AppEnv>,
  ctx: MouContext,
  tokens: TokenService,
  options: { accessTokenTtlSeconds: number },
): void {
  app.post('/consent/v1/consents', async (c) => {
    const consent = await requestConsent(ctx, callerOf(c), await readJson(c, parseNewConsent));
    c.header('location', `/consent/v1/consents/${consent.id}`);
    return c.json(
      success('as', consent, { title: consent.state === 'active' ? 'Consent granted' : 'Consent requested' }),
      201,
    );
  });

  app.get('/consent/v1/consents', async (c) => {
    queryParams(c, []);
    const consents = await listConsents(ctx, principalOf(c));
    return c.json(success('as', consents, { totalHits: consents.length }));
  });

  app.get('/consent/v1/consents/:id', async (c) =>
    c.json(success('as', await getConsent(ctx, principalOf(c), c.req.param('id')))),
  );

  app.get('/consent/v1/consents/:id/artefact', async (c) =>
    c.json(success('as', { jws: await consentArtefactOf(ctx, principalOf(c), c.req.param('id')) })),
  );

  for (const action of [
    'grant',
    'deny',
    'pause',
    'resume',
    'revoke',
  ] as const satisfies readonly ConsentAction[]) {
    app.post(`/consent/v1/consents/:id/${action}`, async (c) => {
      const narrowing = (await optionalBody(c, parseNarrowing)) ?? {};
      if (
        action !== 'grant' &&
        (narrowing.accessTypes || narrowing.attributes || narrowing.validTo || narrowing.rateLimit)
      ) {
        throw DxError.validation([
          { field: '/', message: `only a grant narrows a consent; ${action} takes a reason` },
        ]);
      }
      return c.json(
        success('as', await decideConsent(ctx, callerOf(c), c.req.param('id'), action, narrowing)),
      );
    });
  }

  app.all('/consent/v1/consents/:id/:action', () => {
    throw new DxError('notFound', 'Consent actions: grant, deny, pause, resume, revoke; view: artefact');
  });

  /** An access token for the resource proxy: issued only while the consent and its MoU allow a release. */
  app.post('/auth/v1/access-tokens', async (c) => {
    const caller = callerOf(c);
    const principal = caller.principal;
    const { item, consent: consentId } = await readJson(c, parseAccessRequest);
    const facts = await releaseFacts(ctx.db, consentId, item);
    const refuse = async (problem: 'notFound', reason: string, detail: string): Promise<never> => {
      // Refused before any consent is known to be the caller's: the entry names what was asked, and no party.
      await ctx.audit.append({
        action: 'auth.access-token',
        actor: { client: principal.clientId, organisation: principal.organisationId },
        target: { item },
        decision: 'deny',
        reason,
        ...requestIds(caller),
      });
      throw new DxError(problem, detail);
    };
    if (
      !facts ||
      facts.row.consumer_org !== principal.organisationId ||
      !principal.roles.includes('consumer')
    ) {
      return refuse(
        'notFound',
        `no consent ${consentId.slice(0, 64)} for this consumer`,
        'No such consent for this consumer',
      );
    }
    // The request the token stands for: this item at its own release level (a group's least revealing, so a
    // token for a group reaches its aggregates), through the consent's first access type with none of its
    // attributes beyond the consent's; each query is decided again, in full, by the proxy.
    const catalogued = await ctx.db
      .selectFrom('catalogue_items')
      .select(['type', 'release_level', 'status'])
      .where('id', '=', item)
      .executeTakeFirst();
    if (catalogued?.status !== 'live' || catalogued.type === 'provider') {
      return refuse('notFound', `no live item ${item}`, `No live resource or resource group "${item}"`);
    }
    const now = ctx.clock.now();
    const decision = decide(
      facts.consent,
      facts.mou,
      {
        consumer: principal.organisationId,
        item,
        accessType: facts.consent.accessTypes[0] ?? 'latest',
        attributes: facts.consent.attributes,
        releaseLevel:
          catalogued.type === 'resource' && catalogued.release_level === 'anonymised-record'
            ? 'anonymised-record'
            : 'aggregate',
        // A token is for the consent's whole data range; each query's own range is checked by the proxy.
        ...(facts.consent.dataFrom ? { dataFrom: facts.consent.dataFrom } : {}),
        ...(facts.consent.dataTo ? { dataTo: facts.consent.dataTo } : {}),
      },
      now,
      facts.item,
    );
    const audited = {
      action: 'auth.access-token',
      actor: { client: principal.clientId, organisation: principal.organisationId },
      target: {
        item,
        consent: consentId,
        mou: facts.row.mou_id,
        provider: facts.row.provider_org,
        consumer: facts.row.consumer_org,
      },
      ...requestIds(caller),
    };
    if (!decision.allow) {
      await ctx.audit.append({ ...audited, decision: 'deny', reason: decision.reason });
      throw new DxError(decision.problem, decision.reason);
    }
    const scope = scopeFor(item);
    const issued = await tokens.issue(
      {
        org: principal.organisationId,
        roles: ['consumer'],
        token_use: 'access',
        iid: scope,
        cons: { accessTypes: facts.consent.accessTypes, attributes: facts.consent.attributes },
        cid: consentId,
        mou: facts.row.mou_id,
      },
      {
        subject: principal.clientId,
        audience: resourceProxyAudience,
        ttlSeconds: options.accessTokenTtlSeconds,
      },
    );
    await ctx.audit.append({ ...audited, decision: 'allow', reason: `access token ${issued.jti}` });
    return c.json(
      success('as', {
        accessToken: issued.token,
        expiresIn: options.accessTokenTtlSeconds,
        expiresAt: issued.expiresAt.toISOString(),
      }),
      200,
      { 'cache-control': 'no-store' },
    );
  });
}
