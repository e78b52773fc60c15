import { type AuditEvent, canonicalJson, changeEvent } from '@sangam/audit';
import { hasRole, type SigningKey } from '@sangam/auth';
import { type Caller, DxError, type FieldError, newId, type Principal, toInstant } from '@sangam/core';
import { type ConsentTable, type Database, type Kysely, type Selectable, toDbTime } from '@sangam/db';
import {
  actsForProvider,
  atMost,
  currentFacts,
  decide,
  itemFacts,
  type MouFacts,
  mouStatus,
  seesAllAgreements,
} from '@sangam/policy';
import { CompactSign } from 'jose';
import { auditedChange } from '../identity/context.js';
import type { CoveredDataset, MouTerms } from '../mous/model.js';
import type { MouContext } from '../mous/mous.js';
import type { Consent, ConsentStatus, ConsentTerms, Narrowing, NewConsent } from './model.js';

type Row = Selectable<ConsentTable>;

export const consentArtefactType = 'sangam-consent+jws';

type MouFactsWithTerms = MouFacts & { terms: MouTerms };

async function mouFacts(db: Kysely<Database>, mouId: string): Promise<MouFactsWithTerms | undefined> {
  return (await mouFactsOf(db, [mouId])).get(mouId);
}

/** The facts of several MoUs in two queries, whatever their number: a list of consents names many. */
async function mouFactsOf(
  db: Kysely<Database>,
  mouIds: readonly string[],
): Promise<Map<string, MouFactsWithTerms>> {
  const facts = new Map<string, MouFactsWithTerms>();
  if (mouIds.length === 0) return facts;
  const rows = await db
    .selectFrom('mous')
    .selectAll()
    .where('id', 'in', [...mouIds])
    .execute();
  const parties = await db
    .selectFrom('mou_parties')
    .select(['mou_id', 'organisation_id'])
    .where('mou_id', 'in', [...mouIds])
    .where('left_at', 'is', null)
    .execute();
  for (const row of rows) {
    const terms = JSON.parse(row.terms) as MouTerms;
    facts.set(row.id, {
      state: row.state,
      effectiveFrom: row.effective_from,
      endsAt: row.ends_at,
      terminatesAt: row.terminates_at,
      parties: parties.filter((p) => p.mou_id === row.id).map((p) => p.organisation_id),
      terms,
      datasets: terms.datasets,
    });
  }
  return facts;
}

function statusOf(row: Row, mou: MouFacts | undefined, now: Date): ConsentStatus {
  if (row.state === 'requested' || row.state === 'denied' || row.state === 'revoked') return row.state;
  if (now.toISOString() >= row.valid_to) return 'expired';
  // An MoU that is not in force, or that one side of the consent has left, stops it.
  const left = mou && !(mou.parties.includes(row.consumer_org) && mou.parties.includes(row.provider_org));
  if (row.state === 'active' && (!mou || mouStatus(mou, now) !== 'active' || left)) return 'stopped';
  return row.state;
}

export function toConsent(row: Row, mou: MouFacts | undefined, now: Date): Consent {
  return {
    id: row.id,
    mou: row.mou_id,
    consumer: row.consumer_org,
    provider: row.provider_org,
    ...(JSON.parse(row.terms) as ConsentTerms),
    rateLimit: row.rate_limit,
    validFrom: row.valid_from,
    validTo: row.valid_to,
    state: row.state,
    status: statusOf(row, mou, now),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function event(
  caller: Caller,
  action: string,
  row: Pick<Row, 'id' | 'mou_id' | 'consumer_org' | 'provider_org'>,
  reason?: string,
): AuditEvent {
  const target = { consent: row.id, mou: row.mou_id, provider: row.provider_org, consumer: row.consumer_org };
  return changeEvent(caller, action, target, reason);
}

/** The signed consent: terms, parties and validity as canonical JSON in a JWS anyone can verify with the JWKS. */
async function consentArtefact(key: SigningKey, issuer: string, consent: Consent, at: Date): Promise<string> {
  const { status: _status, updatedAt: _updated, ...granted } = consent;
  const payload = canonicalJson({ ...granted, iss: issuer, issuedAt: at.toISOString() });
  return new CompactSign(new TextEncoder().encode(payload))
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: consentArtefactType })
    .sign(key.privateKey);
}

/** Attribute names a resource's data model declares (top-level properties). */
function attributesOf(document: string): string[] {
  const item = JSON.parse(document) as { dataModel?: { properties?: Record<string, unknown> } };
  return Object.keys(item.dataModel?.properties ?? {});
}

/**
 * A consumer asks for access under an MoU it is party to. Checked now: the items are in the MoU's datasets, the
 * release level is within the MoU's for each, the attributes exist in the data models, the validity is within the
 * MoU's term, personal data only where the MoU allows it for this purpose. OPEN items are granted at once.
 */
export async function requestConsent(ctx: MouContext, caller: Caller, input: NewConsent): Promise<Consent> {
  const principal = caller.principal;
  if (!hasRole(principal, 'consumer'))
    throw new DxError('forbidden', 'Only a consumer client requests consents');
  const consumer = principal.organisationId;
  const mou = await mouFacts(ctx.db, input.mou);
  if (!mou?.parties.includes(consumer))
    throw new DxError('notParty', 'The consumer is not a party to this MoU');
  const now = ctx.clock.now();
  if (mouStatus(mou, now) !== 'active')
    throw new DxError('mouNotActive', 'Consents are requested under an active MoU');

  const rows = await ctx.db
    .selectFrom('catalogue_items')
    .select(['id', 'type', 'provider', 'group_id', 'access_policy', 'status', 'document'])
    .where('id', 'in', [...input.items])
    .execute();
  const invalid: FieldError[] = [];
  const forbidden: FieldError[] = [];
  // Every time as canonical UTC, so comparisons as text are comparisons in time whatever offset was sent.
  const instant = (field: string, value: string | undefined): string | undefined => {
    if (value === undefined) return undefined;
    const at = toInstant(value);
    if (!at) invalid.push({ field: `/${field}`, message: 'is not a time that exists' });
    return at;
  };
  const validFrom = instant('validFrom', input.validFrom) ?? now.toISOString();
  const validTo = instant('validTo', input.validTo) ?? validFrom;
  const dataFrom = instant('dataFrom', input.dataFrom) ?? null;
  const dataTo = instant('dataTo', input.dataTo) ?? null;
  if (validTo <= validFrom) invalid.push({ field: '/validTo', message: 'must be after validFrom' });
  if (dataFrom && dataTo && dataTo <= dataFrom)
    invalid.push({ field: '/dataTo', message: 'must be after dataFrom' });
  if (validFrom < mou.effectiveFrom || validTo > mou.endsAt) {
    forbidden.push({
      field: '/validTo',
      message: `the validity must lie within the MoU's term (${mou.effectiveFrom} to ${mou.endsAt})`,
    });
  }
  const providers = new Set(rows.map((r) => r.provider));
  const attributes = new Set<string>();
  let allOpen = true;
  input.items.forEach((id, i) => {
    const row = rows.find((r) => r.id === id);
    if (row?.status !== 'live' || row.type === 'provider') {
      invalid.push({ field: `/items/${i}`, message: `no live resource or resource group "${id}"` });
      return;
    }
    const group = row.type === 'resource' ? (row.group_id ?? '') : row.id;
    const dataset: CoveredDataset | undefined = mou.terms.datasets.find((d) => d.group === group);
    if (!dataset) {
      forbidden.push({ field: `/items/${i}`, message: `${id} is not in a dataset this MoU covers` });
      return;
    }
    if (!atMost(input.releaseLevel, dataset.maxReleaseLevel)) {
      forbidden.push({
        field: '/releaseLevel',
        message: `the MoU allows ${dataset.maxReleaseLevel} at most for ${group}`,
      });
    }
    if (
      row.access_policy === 'PII' &&
      !(dataset.personalData && (dataset.personalDataPurposes ?? []).includes(input.purpose))
    ) {
      forbidden.push({
        field: `/items/${i}`,
        message: `${id} holds personal data, which the MoU does not allow for this purpose`,
      });
    }
    if (row.access_policy !== 'OPEN') allOpen = false;
    for (const a of attributesOf(row.document)) attributes.add(a);
  });
  if (rows.length > 0 && row0Type(rows) === 'resourceGroup') {
    // A group covers every resource in it: each one's policy counts, not only the group's own.
    const resources = await ctx.db
      .selectFrom('catalogue_items')
      .select(['id', 'group_id', 'access_policy', 'document'])
      .where(
        'group_id',
        'in',
        rows.filter((r) => r.type === 'resourceGroup').map((r) => r.id),
      )
      .execute();
    for (const r of resources) {
      for (const a of attributesOf(r.document)) attributes.add(a);
      if (r.access_policy !== 'OPEN') allOpen = false;
      const dataset = mou.terms.datasets.find((d) => d.group === r.group_id);
      if (
        r.access_policy === 'PII' &&
        !(dataset?.personalData && (dataset.personalDataPurposes ?? []).includes(input.purpose))
      ) {
        forbidden.push({
          field: '/items',
          message: `${r.id} holds personal data, which the MoU does not allow for this purpose`,
        });
      }
    }
  }
  input.attributes.forEach((a, i) => {
    if (!attributes.has(a))
      invalid.push({ field: `/attributes/${i}`, message: `"${a}" is not in the data model` });
  });
  const purposeNamed = mou.terms.purposes.includes(input.purpose);
  if (!purposeNamed) {
    forbidden.push({
      field: '/purpose',
      message: `must be one of the purposes the MoU names: ${mou.terms.purposes.map((p) => JSON.stringify(p)).join(', ')}`,
    });
  }
  if (providers.size > 1)
    invalid.push({ field: '/items', message: 'a consent covers the items of one provider' });
  if (invalid.length > 0) throw DxError.validation(invalid);
  if (!purposeNamed && forbidden.length === 1) {
    // The MoU is the rule: say what it allows, and how to get another purpose in.
    throw new DxError(
      'purposeNotInMou',
      `"${input.purpose}" is not a purpose of MoU ${input.mou}, which names ${mou.terms.purposes.map((p) => JSON.stringify(p)).join(', ')}. Ask under one of those, or ask the city to amend the MoU`,
      { extensions: { errors: forbidden, allowedPurposes: mou.terms.purposes } },
    );
  }
  if (forbidden.length > 0) {
    throw new DxError('forbidden', forbidden.map((f) => f.message).join('; '), {
      extensions: { errors: forbidden },
    });
  }

  const provider = [...providers][0] as string;
  if (!mou.parties.includes(provider)) {
    throw new DxError(
      'providerNotParty',
      `${provider}, whose items these are, is no longer a party to this MoU`,
    );
  }
  const key = allOpen ? await ctx.keys.signingKey() : undefined;
  const id = newId('cs');
  const terms: ConsentTerms = {
    items: input.items,
    purpose: input.purpose,
    accessTypes: input.accessTypes,
    attributes: input.attributes,
    releaseLevel: input.releaseLevel,
    dataFrom,
    dataTo,
  };
  return auditedChange(ctx, async (trx) => {
    const at = toDbTime(now);
    const row: Row = {
      id,
      mou_id: input.mou,
      consumer_org: consumer,
      provider_org: provider,
      terms: JSON.stringify(terms),
      rate_limit: input.rateLimit ?? 60,
      valid_from: validFrom,
      valid_to: validTo,
      state: allOpen ? 'active' : 'requested',
      artefact: null,
      created_at: at,
      updated_at: at,
    };
    const consent = toConsent(row, mou, now);
    if (key) row.artefact = await consentArtefact(key, ctx.issuer, consent, now);
    await trx.insertInto('consents').values(row).execute();
    return {
      result: consent,
      events: [
        event(caller, 'consent.request', row, input.purpose),
        ...(allOpen
          ? [event(caller, 'consent.grant', row, 'open data: granted under the MoU without the provider')]
          : []),
      ],
    };
  });
}

function row0Type(rows: readonly { type: string }[]): string {
  return rows.some((r) => r.type === 'resourceGroup') ? 'resourceGroup' : 'resource';
}

export type ConsentAction = 'grant' | 'deny' | 'pause' | 'resume' | 'revoke';

const doneOf: Record<ConsentAction, string> = {
  grant: 'granted',
  deny: 'denied',
  pause: 'paused',
  resume: 'resumed',
  revoke: 'revoked',
};

const transitions: Record<ConsentAction, { from: readonly Row['state'][]; to: Row['state'] }> = {
  grant: { from: ['requested'], to: 'active' },
  deny: { from: ['requested'], to: 'denied' },
  pause: { from: ['active'], to: 'paused' },
  resume: { from: ['paused'], to: 'active' },
  revoke: { from: ['active', 'paused'], to: 'revoked' },
};

async function loadRow(db: Kysely<Database>, id: string): Promise<Row> {
  const row = /^[A-Za-z0-9_-]{1,64}$/.test(id)
    ? await db.selectFrom('consents').selectAll().where('id', '=', id).executeTakeFirst()
    : undefined;
  if (!row) throw new DxError('notFound', 'No such consent');
  return row;
}

/** The provider (or its delegate) decides; the consumer may revoke its own. Others learn nothing. */
async function requireDecider(
  db: Kysely<Database>,
  principal: Principal,
  row: Row,
  action: ConsentAction,
): Promise<void> {
  const provider = actsForProvider(principal, row.provider_org);
  const consumer = principal.organisationId === row.consumer_org && action === 'revoke';
  if (provider || consumer) return;
  if (await canRead(db, principal, row)) {
    throw new DxError(
      'forbidden',
      `Only the provider of the items (or its delegate) may ${action} this consent`,
    );
  }
  throw new DxError('notFound', 'No such consent');
}

async function canRead(db: Kysely<Database>, principal: Principal, row: Row): Promise<boolean> {
  return (
    principal.organisationId === row.consumer_org ||
    principal.organisationId === row.provider_org ||
    (await seesAllAgreements(db, principal))
  );
}

/**
 * A lifecycle step: `requested → active | denied`, `active ⇄ paused`, `active | paused → revoked`. A grant may
 * narrow what was asked. Serialised by the audit lock, so a grant and a revoke at once leave one valid state.
 */
export async function decideConsent(
  ctx: MouContext,
  caller: Caller,
  id: string,
  action: ConsentAction,
  narrowing: Narrowing = {},
): Promise<Consent> {
  const key = action === 'grant' ? await ctx.keys.signingKey() : undefined;
  return auditedChange(ctx, async (trx) => {
    const row = await loadRow(trx, id);
    await requireDecider(trx, caller.principal, row, action);
    const step = transitions[action];
    const mouNow = await mouFacts(trx, row.mou_id);
    if (statusOf(row, mouNow, ctx.clock.now()) === 'expired') {
      throw new DxError('conflict', 'An expired consent cannot change any more');
    }
    if (!step.from.includes(row.state)) {
      throw new DxError('conflict', `A consent that is ${row.state} cannot be ${doneOf[action]}`);
    }
    const now = ctx.clock.now();
    const mou = await mouFacts(trx, row.mou_id);
    let terms = JSON.parse(row.terms) as ConsentTerms;
    let validTo = row.valid_to;
    let rateLimit = row.rate_limit;
    if (action === 'grant') {
      if (mou && mouStatus(mou, now) !== 'active') throw new DxError('mouNotActive', 'The MoU is not active');
      const errors: FieldError[] = [];
      if (narrowing.accessTypes?.some((a) => !terms.accessTypes.includes(a))) {
        errors.push({
          field: '/accessTypes',
          message: 'a grant may narrow the access types, not widen them',
        });
      }
      if (narrowing.accessTypes?.length === 0) {
        errors.push({ field: '/accessTypes', message: 'a grant gives at least one access type' });
      }
      if (narrowing.attributes?.some((a) => !terms.attributes.includes(a))) {
        errors.push({ field: '/attributes', message: 'a grant may narrow the attributes, not widen them' });
      }
      const narrowedTo = narrowing.validTo === undefined ? undefined : toInstant(narrowing.validTo);
      if (narrowing.validTo !== undefined && !narrowedTo) {
        errors.push({ field: '/validTo', message: 'is not a time that exists' });
      } else if (narrowedTo && (narrowedTo > row.valid_to || narrowedTo <= row.valid_from)) {
        errors.push({ field: '/validTo', message: 'a grant may shorten the validity, not lengthen it' });
      }
      if (narrowing.rateLimit && narrowing.rateLimit > row.rate_limit) {
        errors.push({ field: '/rateLimit', message: 'a grant may lower the rate limit, not raise it' });
      }
      if (errors.length > 0) throw DxError.validation(errors);
      terms = {
        ...terms,
        ...(narrowing.accessTypes ? { accessTypes: narrowing.accessTypes } : {}),
        ...(narrowing.attributes ? { attributes: narrowing.attributes } : {}),
      };
      validTo = narrowedTo ?? validTo;
      rateLimit = narrowing.rateLimit ?? rateLimit;
    }
    if (action === 'grant' || action === 'resume') {
      // Granting and resuming open releases to come: the rule must allow each item as things stand now (both
      // sides still parties, the purpose still named, personal data still allowed for it, the levels inside).
      const facts = await currentFacts(trx, row.id);
      // A grant may come before the MoU's term begins: the releases it opens are judged as of then.
      const from =
        facts && facts.mou.effectiveFrom > now.toISOString() ? new Date(facts.mou.effectiveFrom) : now;
      for (const item of terms.items) {
        const verdict = facts
          ? decide(
              { ...facts.consent, ...terms, state: 'active', validFrom: from.toISOString(), validTo },
              facts.mou,
              {
                consumer: row.consumer_org,
                item,
                accessType: terms.accessTypes[0] ?? 'latest',
                attributes: terms.attributes,
                releaseLevel: terms.releaseLevel,
                ...(terms.dataFrom ? { dataFrom: terms.dataFrom } : {}),
                ...(terms.dataTo ? { dataTo: terms.dataTo } : {}),
              },
              from,
              await itemFacts(trx, item),
            )
          : ({ allow: false, problem: 'notFound', reason: 'no such consent' } as const);
        if (!verdict.allow) throw new DxError(verdict.problem, `Cannot ${action}: ${verdict.reason}`);
      }
    }
    const updated: Row = {
      ...row,
      terms: JSON.stringify(terms),
      valid_to: validTo,
      rate_limit: rateLimit,
      state: step.to,
      updated_at: toDbTime(now),
    };
    const consent = toConsent(updated, mou, now);
    if (key) updated.artefact = await consentArtefact(key, ctx.issuer, consent, now);
    await trx
      .updateTable('consents')
      .set({
        terms: updated.terms,
        valid_to: updated.valid_to,
        rate_limit: updated.rate_limit,
        state: updated.state,
        artefact: updated.artefact,
        updated_at: updated.updated_at,
      })
      .where('id', '=', id)
      .where('state', '=', row.state)
      .executeTakeFirst()
      .then((result) => {
        if (Number(result.numUpdatedRows) !== 1)
          throw new DxError('conflict', 'The consent changed meanwhile');
      });
    return { result: consent, event: event(caller, `consent.${action}`, row, narrowing.reason) };
  });
}

export async function getConsent(ctx: MouContext, principal: Principal, id: string): Promise<Consent> {
  const row = await loadRow(ctx.db, id);
  if (!(await canRead(ctx.db, principal, row))) throw new DxError('notFound', 'No such consent');
  return toConsent(row, await mouFacts(ctx.db, row.mou_id), ctx.clock.now());
}

/** Consumers see their own consents, providers those on their items, the city admin and auditors all. */
export async function listConsents(
  ctx: MouContext,
  principal: Principal,
  options: { readonly mou?: string } = {},
): Promise<Consent[]> {
  let query = ctx.db.selectFrom('consents').selectAll().orderBy('created_at').orderBy('id');
  if (options.mou !== undefined) query = query.where('mou_id', '=', options.mou);
  if (!(await seesAllAgreements(ctx.db, principal))) {
    const org = principal.organisationId;
    query = query.where((eb) => eb.or([eb('consumer_org', '=', org), eb('provider_org', '=', org)]));
  }
  const rows = await query.limit(1000).execute();
  const now = ctx.clock.now();
  const mous = await mouFactsOf(ctx.db, [...new Set(rows.map((r) => r.mou_id))]);
  return rows.map((r) => toConsent(r, mous.get(r.mou_id), now));
}

export async function consentArtefactOf(ctx: MouContext, principal: Principal, id: string): Promise<string> {
  const row = await loadRow(ctx.db, id);
  if (!(await canRead(ctx.db, principal, row))) throw new DxError('notFound', 'No such consent');
  if (!row.artefact) throw new DxError('notFound', 'The consent has no artefact until it is granted');
  return row.artefact;
}
