import { requestIds } from '@sangam/audit';
import { resourceProxyAudience, type TokenService } from '@sangam/auth';
import { type Caller, DxError } from '@sangam/core';
import { decide, releaseFacts, scopeFor } from '@sangam/policy';
import type { MouContext } from '../mous/mous.js';

/** An access token for the resource proxy, with when it stops. */
export interface AccessToken {
  readonly accessToken: string;
  readonly expiresIn: number;
  readonly expiresAt: string;
}

/** An access token for the resource proxy: issued only while the consent and its MoU allow a release. */
export async function issueAccessToken(
  ctx: MouContext,
  tokens: TokenService,
  caller: Caller,
  request: { item: string; consent: string },
  ttlSeconds: number,
): Promise<AccessToken> {
  const principal = caller.principal;
  const { item, consent: consentId } = request;
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
      ttlSeconds,
    },
  );
  await ctx.audit.append({ ...audited, decision: 'allow', reason: `access token ${issued.jti}` });
  return { accessToken: issued.token, expiresIn: ttlSeconds, expiresAt: issued.expiresAt.toISOString() };
}
