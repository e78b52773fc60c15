import { type AuditEvent, changeEvent } from '@sangam/audit';
import type { KeyStore, SigningKey } from '@sangam/auth';
import { type Caller, DxError, newId, type Principal, toInstant } from '@sangam/core';
import {
  type Database,
  type Kysely,
  type MouPartyTable,
  type MouTable,
  type Selectable,
  type Transaction,
  toDbTime,
} from '@sangam/db';
import { isCityAdmin, seesAllAgreements } from '@sangam/policy';
import { auditedChange, type IdentityContext, requireCityAdmin } from '../identity/context.js';
import { signMouArtefact } from './artefact.js';
import { kpiErrors } from './kpis.js';
import { inTerm, type MouAction, type MouClockFacts, mouStatus, nextState } from './lifecycle.js';
import type { Amendment, Mou, MouTerms, NewMou, PendingAmendment } from './model.js';

function pendingSummary(pending: PendingAmendment): { version: number; signedBy: string[] } {
  return { version: pending.version, signedBy: Object.keys(pending.signatures).sort() };
}

/** What MoU operations need: identity's context, and the keys that sign artefacts. */
export interface MouContext extends IdentityContext {
  readonly keys: KeyStore;
  readonly issuer: string;
}

type Row = Selectable<MouTable>;

/** The stored facts time is applied to. */
function clockFacts(row: Row): MouClockFacts {
  return {
    state: row.state,
    effectiveFrom: row.effective_from,
    endsAt: row.ends_at,
    terminatesAt: row.terminates_at,
  };
}
type PartyRow = Selectable<MouPartyTable>;

export function toMou(row: Row, parties: readonly PartyRow[], now: Date): Mou {
  const facts = clockFacts(row);
  // MoUs signed before KPIs were part of the terms name none.
  const terms = { kpis: [], ...(JSON.parse(row.terms) as Partial<MouTerms>) } as MouTerms;
  return {
    id: row.id,
    city: row.city_org,
    title: row.title,
    parties: parties.map((p) => ({
      organisation: p.organisation_id,
      role: p.role,
      ...(p.signed_at ? { signedAt: p.signed_at } : {}),
      ...(p.signed_by ? { signedBy: p.signed_by } : {}),
      ...(p.left_at ? { leftAt: p.left_at } : {}),
    })),
    ...terms,
    effectiveFrom: row.effective_from,
    endsAt: row.ends_at,
    noticeDays: row.notice_days,
    documentSha256: row.document_sha256,
    status: mouStatus(facts, now),
    inTerm: inTerm(facts, now),
    ...(row.terminates_at ? { terminatesAt: row.terminates_at } : {}),
    version: row.version,
    ...(row.pending ? { pendingAmendment: pendingSummary(JSON.parse(row.pending) as PendingAmendment) } : {}),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

async function load(db: Kysely<Database>, id: string): Promise<{ row: Row; parties: PartyRow[] }> {
  const row = /^[A-Za-z0-9_-]{1,64}$/.test(id)
    ? await db.selectFrom('mous').selectAll().where('id', '=', id).executeTakeFirst()
    : undefined;
  if (!row) throw new DxError('notFound', 'No such MoU');
  const parties = await db
    .selectFrom('mou_parties')
    .selectAll()
    .where('mou_id', '=', id)
    .orderBy('role')
    .orderBy('organisation_id')
    .execute();
  return { row, parties };
}

/** The organisations that are parties now: signed up and not withdrawn. */
const currentParties = (parties: readonly PartyRow[]): string[] =>
  parties.filter((p) => !p.left_at).map((p) => p.organisation_id);

/** The city admin, auditors and members of a party may read an MoU; nobody else learns it exists. */
async function requireReader(
  db: Kysely<Database>,
  principal: Principal,
  parties: readonly PartyRow[],
): Promise<void> {
  if (await seesAllAgreements(db, principal)) return;
  if (parties.some((p) => p.organisation_id === principal.organisationId)) return;
  throw new DxError('notFound', 'No such MoU');
}

function mouEvent(caller: Caller, action: string, mouId: string, reason?: string): AuditEvent {
  return changeEvent(caller, action, { mou: mouId }, reason);
}

/** The city admin drafts an MoU between the city and its partners. */
export async function createMou(ctx: MouContext, caller: Caller, input: NewMou): Promise<Mou> {
  if (!(await isCityAdmin(ctx.db, caller.principal))) {
    throw new DxError('forbidden', 'Only the city administrator drafts MoUs');
  }
  const city = caller.principal.organisationId;
  const errors: { field: string; message: string }[] = [];
  for (const field of ['effectiveFrom', 'endsAt'] as const) {
    if (!toInstant(input[field])) errors.push({ field: `/${field}`, message: 'is not a time that exists' });
  }
  if (Date.parse(input.endsAt) <= Date.parse(input.effectiveFrom)) {
    errors.push({ field: '/endsAt', message: 'must be after effectiveFrom' });
  }
  if (input.partners.includes(city))
    errors.push({ field: '/partners', message: 'the city is a party already' });
  const known = await ctx.db
    .selectFrom('organisations')
    .select('id')
    .where('id', 'in', [...input.partners])
    .execute();
  for (const partner of input.partners) {
    if (!known.some((k) => k.id === partner))
      errors.push({ field: '/partners', message: `no organisation "${partner}"` });
  }
  errors.push(...(await termErrors(ctx.db, input, [city, ...input.partners])));
  if (errors.length > 0) throw DxError.validation(errors);
  return insertMou(ctx, caller, city, input);
}

/** Checks of terms against the catalogue and themselves, shared by drafts and amendments. */
async function termErrors(
  db: Kysely<Database>,
  input: Amendment,
  parties: readonly string[],
): Promise<{ field: string; message: string }[]> {
  const errors: { field: string; message: string }[] = [];
  const providers = await providersOf(db, input.datasets);
  input.datasets.forEach((d, i) => {
    const provider = providers.get(d.group);
    if (!provider) {
      errors.push({
        field: `/datasets/${i}/group`,
        message: `no resource group "${d.group}" in the catalogue`,
      });
    } else if (!parties.includes(provider)) {
      // Data flows only from a party that signs: a dataset's provider must be the city or a partner.
      errors.push({
        field: `/datasets/${i}/group`,
        message: `${provider}, which provides it, is not a party`,
      });
    }
    if (d.personalData && !(d.personalDataPurposes ?? []).every((p) => input.purposes.includes(p))) {
      errors.push({
        field: `/datasets/${i}/personalDataPurposes`,
        message: 'must be among the MoU purposes',
      });
    }
  });
  errors.push(...kpiErrors(input.kpis ?? [], input.datasets));
  return errors;
}

/** The provider of each dataset's resource group, as the catalogue lists it now. */
async function providersOf(
  db: Kysely<Database>,
  datasets: readonly { readonly group: string }[],
): Promise<Map<string, string>> {
  if (datasets.length === 0) return new Map();
  const listed = await db
    .selectFrom('catalogue_items')
    .select(['id', 'provider'])
    .where('type', '=', 'resourceGroup')
    .where('id', 'in', [...new Set(datasets.map((d) => d.group))])
    .execute();
  return new Map(listed.map((g) => [g.id, g.provider]));
}

async function insertMou(ctx: MouContext, caller: Caller, city: string, input: NewMou): Promise<Mou> {
  const now = toDbTime(ctx.clock.now());
  const id = newId('mou');
  const terms: MouTerms = {
    problem: input.problem,
    areas: input.areas,
    purposes: input.purposes,
    datasets: input.datasets,
    confidentiality: input.confidentiality ?? '',
    kpis: input.kpis ?? [],
    ...(input.clauses ? { clauses: input.clauses } : {}),
  };
  return auditedChange(ctx, async (trx) => {
    await trx
      .insertInto('mous')
      .values({
        id,
        city_org: city,
        title: input.title,
        terms: JSON.stringify(terms),
        effective_from: new Date(input.effectiveFrom).toISOString(),
        ends_at: new Date(input.endsAt).toISOString(),
        notice_days: input.noticeDays ?? 30,
        document_sha256: input.documentSha256,
        state: 'draft',
        version: 1,
        terminates_at: null,
        artefact: null,
        pending: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await trx
      .insertInto('mou_parties')
      .values([
        { mou_id: id, organisation_id: city, role: 'city', signed_at: null, signed_by: null },
        ...input.partners.map((p) => ({
          mou_id: id,
          organisation_id: p,
          role: 'partner' as const,
          signed_at: null,
          signed_by: null,
        })),
      ])
      .execute();
    const { row, parties } = await load(trx, id);
    return {
      result: toMou(row, parties, ctx.clock.now()),
      event: mouEvent(caller, 'mou.create', id, input.title),
    };
  });
}

export async function getMou(ctx: MouContext, principal: Principal, id: string): Promise<Mou> {
  const { row, parties } = await load(ctx.db, id);
  await requireReader(ctx.db, principal, parties);
  return toMou(row, parties, ctx.clock.now());
}

/** The MoUs a caller may see: all for auditors and the city admin, those of its own organisation otherwise. */
export async function listMous(ctx: MouContext, principal: Principal): Promise<Mou[]> {
  const all = await seesAllAgreements(ctx.db, principal);
  let query = ctx.db.selectFrom('mous').selectAll().orderBy('created_at').orderBy('id');
  if (!all) {
    query = query.where(
      'id',
      'in',
      ctx.db
        .selectFrom('mou_parties')
        .select('mou_id')
        .where('organisation_id', '=', principal.organisationId),
    );
  }
  return withParties(ctx, await query.limit(1000).execute());
}

async function withParties(ctx: Pick<MouContext, 'db' | 'clock'>, rows: readonly Row[]): Promise<Mou[]> {
  if (rows.length === 0) return [];
  const parties = await ctx.db
    .selectFrom('mou_parties')
    .selectAll()
    .where(
      'mou_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('role')
    .orderBy('organisation_id')
    .execute();
  const now = ctx.clock.now();
  return rows.map((r) =>
    toMou(
      r,
      parties.filter((p) => p.mou_id === r.id),
      now,
    ),
  );
}

/**
 * An MoU as the public bulletin shows it: who works with whom, on which problem, for which purposes, with which
 * datasets, until when. Nothing the parties keep between them (confidentiality terms, signers, amendments).
 */
export interface PublicMou {
  readonly id: string;
  readonly title: string;
  readonly status: 'active' | 'suspended' | 'terminated' | 'expired';
  readonly parties: readonly {
    readonly organisation: string;
    readonly name: string;
    readonly role: 'city' | 'partner';
  }[];
  readonly problem: string;
  readonly beneficiaries: readonly string[];
  readonly areas: readonly string[];
  readonly purposes: readonly string[];
  readonly datasets: readonly string[];
  readonly effectiveFrom: string;
  readonly endsAt: string;
  readonly endedAt?: string;
  /** What came of it, as the city recorded it once it ended. */
  readonly outcome?: string;
}

/** Every MoU that all its parties signed, newest first: the bulletin (in force) and the archive (ended). */
export async function publicMous(ctx: Pick<MouContext, 'db' | 'clock'>): Promise<PublicMou[]> {
  const rows = await ctx.db
    .selectFrom('mous')
    .selectAll()
    .orderBy('effective_from', 'desc')
    .orderBy('id')
    .limit(1000)
    .execute();
  const mous = await withParties(ctx, rows);
  const names = new Map(
    (await ctx.db.selectFrom('organisations').select(['id', 'name']).execute()).map((o) => [o.id, o.name]),
  );
  const outcomes = new Map(
    (await ctx.db.selectFrom('mou_outcomes').select(['mou_id', 'outcome']).execute()).map((o) => [
      o.mou_id,
      o.outcome,
    ]),
  );
  const shown: PublicMou[] = [];
  for (const mou of mous) {
    if (mou.status === 'draft' || mou.status === 'awaiting-signatures') continue;
    const ended =
      mou.status === 'terminated' ? mou.terminatesAt : mou.status === 'expired' ? mou.endsAt : undefined;
    shown.push({
      id: mou.id,
      title: mou.title,
      status: mou.status,
      parties: mou.parties
        .filter((p) => p.leftAt === undefined)
        .map((p) => ({
          organisation: p.organisation,
          name: names.get(p.organisation) ?? p.organisation,
          role: p.role,
        })),
      problem: mou.problem.issue,
      beneficiaries: mou.problem.beneficiaries,
      areas: mou.areas,
      purposes: mou.purposes,
      datasets: mou.datasets.map((d) => d.group),
      effectiveFrom: mou.effectiveFrom,
      endsAt: mou.endsAt,
      ...(ended ? { endedAt: ended } : {}),
      ...(outcomes.has(mou.id) ? { outcome: outcomes.get(mou.id) } : {}),
    });
  }
  return shown;
}

const done: Record<MouAction, string> = {
  sign: 'signed',
  suspend: 'suspended',
  resume: 'resumed',
  terminate: 'terminated',
};

const refused = (status: string, action: MouAction) =>
  new DxError('conflict', `An MoU that is ${status} cannot be ${done[action]}`);

/**
 * A party's admin signs. When the last party signs, the MoU becomes active and its artefact is issued. The row is
 * locked (through the audit lock) so two signatures at once cannot both miss being last.
 */
export async function signMou(ctx: MouContext, caller: Caller, id: string): Promise<Mou> {
  // Fetched before the transaction: on SQLite the transaction holds the only connection.
  const key = await ctx.keys.signingKey();
  return auditedChange(ctx, async (trx) => {
    const { row, parties } = await load(trx, id);
    if (row.pending) return signAmendment(ctx, trx, caller, key, row, parties);
    const principal = caller.principal;
    const party = parties.find((p) => p.organisation_id === principal.organisationId);
    if (!party || !principal.roles.includes('admin')) {
      if (!party) await requireReader(trx, principal, parties);
      throw new DxError('forbidden', "Only an admin of a party's organisation signs for it");
    }
    if (party.signed_at) throw new DxError('conflict', `${party.organisation_id} has signed already`);
    const now = ctx.clock.now();
    const status = mouStatus(clockFacts(row), now);
    const allSignedAfter = parties.every((p) => p.signed_at || p.organisation_id === party.organisation_id);
    const state = nextState(status, 'sign', { allSignedAfter, terminating: row.terminates_at !== null });
    if (!state) throw refused(status, 'sign');
    await trx
      .updateTable('mou_parties')
      .set({ signed_at: toDbTime(now), signed_by: principal.clientId })
      .where('mou_id', '=', id)
      .where('organisation_id', '=', party.organisation_id)
      .execute();
    await trx
      .updateTable('mous')
      .set({ state, updated_at: toDbTime(now) })
      .where('id', '=', id)
      .execute();
    const signed = await load(trx, id);
    let mou = toMou(signed.row, signed.parties, now);
    if (state === 'active') {
      const artefact = await signMouArtefact(key, ctx.issuer, mou, now);
      await trx.updateTable('mous').set({ artefact }).where('id', '=', id).execute();
      mou = toMou({ ...signed.row, artefact }, signed.parties, now);
    }
    const reason = state === 'active' ? 'signed; every party has signed, the MoU is active' : 'signed';
    return { result: mou, event: mouEvent(caller, 'mou.sign', id, reason) };
  });
}

/** Suspends, resumes or gives termination notice; suspending and resuming are the city admin's. */
export async function changeMou(
  ctx: MouContext,
  caller: Caller,
  id: string,
  action: Exclude<MouAction, 'sign'>,
  reason: string | undefined,
): Promise<Mou> {
  return auditedChange(ctx, async (trx) => {
    const { row, parties } = await load(trx, id);
    const principal = caller.principal;
    const cityAdmin = await isCityAdmin(trx, principal);
    const partyAdmin =
      principal.roles.includes('admin') &&
      parties.some((p) => p.organisation_id === principal.organisationId);
    if (!cityAdmin && !(action === 'terminate' && partyAdmin)) {
      await requireReader(trx, principal, parties);
      throw new DxError(
        'forbidden',
        action === 'terminate'
          ? 'Only an admin of a party may terminate'
          : `Only the city administrator may ${action}`,
      );
    }
    const now = ctx.clock.now();
    const facts = clockFacts(row);
    const status = mouStatus(facts, now);
    const state = nextState(status, action, {
      allSignedAfter: false,
      terminating: row.terminates_at !== null,
    });
    if (!state) throw refused(status, action);
    const terminatesAt =
      action === 'terminate'
        ? toDbTime(new Date(now.getTime() + row.notice_days * 86_400_000))
        : row.terminates_at;
    await trx
      .updateTable('mous')
      .set({ state, terminates_at: terminatesAt, updated_at: toDbTime(now) })
      .where('id', '=', id)
      .execute();
    const changed = await load(trx, id);
    const note =
      action === 'terminate' ? `notice of ${row.notice_days} days: terminated at ${terminatesAt}` : undefined;
    return {
      result: toMou(changed.row, changed.parties, now),
      event: mouEvent(caller, `mou.${action}`, id, [reason, note].filter(Boolean).join('; ') || undefined),
    };
  });
}

/**
 * A partner's admin withdraws its organisation from an MoU in force: from now on it is not a party, so its consents
 * stop releasing on the next request and it can ask for no more. The city ends an MoU by terminating it instead.
 */
export async function withdrawFromMou(
  ctx: MouContext,
  caller: Caller,
  id: string,
  reason: string | undefined,
): Promise<Mou> {
  return auditedChange(ctx, async (trx) => {
    const { row, parties } = await load(trx, id);
    const principal = caller.principal;
    const party = parties.find((p) => p.organisation_id === principal.organisationId && !p.left_at);
    if (party?.role !== 'partner' || !principal.roles.includes('admin')) {
      if (!party) await requireReader(trx, principal, parties);
      throw new DxError('forbidden', "Only an admin of a partner's organisation withdraws it");
    }
    const now = ctx.clock.now();
    const status = mouStatus(clockFacts(row), now);
    if (status !== 'active' && status !== 'suspended') {
      throw new DxError('conflict', `A partner cannot withdraw from an MoU that is ${status}`);
    }
    await trx
      .updateTable('mou_parties')
      .set({ left_at: toDbTime(now) })
      .where('mou_id', '=', id)
      .where('organisation_id', '=', party.organisation_id)
      .execute();
    await trx
      .updateTable('mous')
      .set({ updated_at: toDbTime(now) })
      .where('id', '=', id)
      .execute();
    const changed = await load(trx, id);
    return {
      result: toMou(changed.row, changed.parties, now),
      event: mouEvent(
        caller,
        'mou.withdraw',
        id,
        [`${party.organisation_id} withdrew`, reason].filter(Boolean).join('; '),
      ),
    };
  });
}

/** The signed artefact (a JWS anyone can verify with the JWKS), once every party has signed. */
export async function mouArtefact(ctx: MouContext, principal: Principal, id: string): Promise<string> {
  const { row, parties } = await load(ctx.db, id);
  await requireReader(ctx.db, principal, parties);
  if (!row.artefact) throw new DxError('notFound', 'The MoU has no artefact until every party has signed');
  return row.artefact;
}

/**
 * The city admin proposes new terms for an MoU in force. They take effect only when every party has signed them;
 * until then the current terms stay in force, and the MoU keeps its status.
 */
export async function amendMou(ctx: MouContext, caller: Caller, id: string, input: Amendment): Promise<Mou> {
  if (!(await isCityAdmin(ctx.db, caller.principal))) {
    throw new DxError('forbidden', 'Only the city administrator proposes amendments');
  }
  return auditedChange(ctx, async (trx) => {
    const { row, parties } = await load(trx, id);
    // Only current parties: a partner that withdrew took its datasets out, and no amendment re-terms them.
    const errors = await termErrors(trx, input, currentParties(parties));
    if (!toInstant(input.endsAt)) errors.push({ field: '/endsAt', message: 'is not a time that exists' });
    const now = ctx.clock.now();
    const status = mouStatus(clockFacts(row), now);
    if (status !== 'active' && status !== 'suspended')
      throw new DxError('conflict', `An MoU that is ${status} cannot be amended`);
    if (row.pending) throw new DxError('conflict', 'An amendment is already being signed');
    if (Date.parse(input.endsAt) <= Date.parse(row.effective_from)) {
      errors.push({ field: '/endsAt', message: 'must be after the effective date' });
    }
    if (errors.length > 0) throw DxError.validation(errors);
    const pending: PendingAmendment = {
      ...input,
      endsAt: new Date(input.endsAt).toISOString(),
      confidentiality: input.confidentiality ?? '',
      kpis: input.kpis ?? [],
      version: row.version + 1,
      signatures: {},
    };
    await trx
      .updateTable('mous')
      .set({ pending: JSON.stringify(pending), updated_at: toDbTime(now) })
      .where('id', '=', id)
      .execute();
    const changed = await load(trx, id);
    return {
      result: toMou(changed.row, changed.parties, now),
      event: mouEvent(caller, 'mou.amend', id, `version ${pending.version} proposed`),
    };
  });
}

async function signAmendment(
  ctx: MouContext,
  trx: Transaction<Database>,
  caller: Caller,
  key: SigningKey,
  row: Row,
  parties: readonly PartyRow[],
): Promise<{ result: Mou; event: AuditEvent }> {
  const principal = caller.principal;
  const party = parties.find((p) => p.organisation_id === principal.organisationId);
  if (!party || !principal.roles.includes('admin')) {
    if (!party) await requireReader(trx, principal, parties);
    throw new DxError('forbidden', "Only an admin of a party's organisation signs for it");
  }
  const pending = JSON.parse(row.pending ?? '{}') as PendingAmendment;
  const current = mouStatus(clockFacts(row), ctx.clock.now());
  // An MoU that ended cannot be brought back by amending it.
  if (current !== 'active' && current !== 'suspended') {
    throw new DxError('conflict', `An MoU that is ${current} cannot be amended`);
  }
  // An amendment proposed before a partner withdrew may name that partner's datasets: it can never come into force.
  const left = new Set(parties.filter((p) => p.left_at).map((p) => p.organisation_id));
  const providers = await providersOf(trx, pending.datasets);
  const stale = pending.datasets.filter((d) => left.has(providers.get(d.group) ?? ''));
  if (stale.length > 0) {
    throw new DxError(
      'conflict',
      `This amendment terms ${stale.map((d) => d.group).join(', ')}, whose provider has withdrawn; the city proposes it again without them`,
    );
  }
  if (pending.signatures[party.organisation_id]) {
    throw new DxError('conflict', `${party.organisation_id} has signed this amendment already`);
  }
  const now = ctx.clock.now();
  const at = toDbTime(now);
  const signatures = { ...pending.signatures, [party.organisation_id]: { at, by: principal.clientId } };
  // A partner that withdrew signs nothing more.
  const complete = parties.every((p) => p.left_at || signatures[p.organisation_id]);
  if (!complete) {
    await trx
      .updateTable('mous')
      .set({ pending: JSON.stringify({ ...pending, signatures }), updated_at: at })
      .where('id', '=', row.id)
      .execute();
  } else {
    const { version, signatures: _s, title, endsAt, noticeDays, documentSha256, ...terms } = pending;
    await trx
      .updateTable('mous')
      .set({
        title,
        terms: JSON.stringify(terms),
        ends_at: endsAt,
        notice_days: noticeDays ?? row.notice_days,
        document_sha256: documentSha256,
        version,
        pending: null,
        updated_at: at,
      })
      .where('id', '=', row.id)
      .execute();
    for (const p of parties) {
      const signature = signatures[p.organisation_id];
      await trx
        .updateTable('mou_parties')
        .set({ signed_at: signature?.at ?? null, signed_by: signature?.by ?? null })
        .where('mou_id', '=', row.id)
        .where('organisation_id', '=', p.organisation_id)
        .execute();
    }
  }
  let signed = await load(trx, row.id);
  let mou = toMou(signed.row, signed.parties, now);
  if (complete) {
    const artefact = await signMouArtefact(key, ctx.issuer, mou, now);
    await trx.updateTable('mous').set({ artefact }).where('id', '=', row.id).execute();
    signed = await load(trx, row.id);
    mou = toMou(signed.row, signed.parties, now);
  }
  const reason = complete
    ? `amendment signed by every party: version ${mou.version} in force`
    : 'amendment signed';
  return { result: mou, event: mouEvent(caller, 'mou.sign', row.id, reason) };
}

/** The city admin records what came of an MoU that has ended (terminated or expired), for the public archive. */
export async function recordOutcome(
  ctx: MouContext,
  caller: Caller,
  id: string,
  outcome: string,
): Promise<void> {
  await requireCityAdmin(ctx, caller.principal);
  const text = outcome.trim();
  if (text.length < 1 || text.length > 5000)
    throw DxError.validation([{ field: '/outcome', message: 'must be 1 to 5000 characters' }]);
  await auditedChange(ctx, async (trx) => {
    const { row, parties } = await load(trx, id);
    const status = toMou(row, parties, ctx.clock.now()).status;
    if (status !== 'terminated' && status !== 'expired')
      throw new DxError('conflict', `An MoU that is ${status} has no outcome yet`);
    const values = {
      mou_id: id,
      outcome: text,
      recorded_by: caller.principal.clientId,
      recorded_at: toDbTime(ctx.clock.now()),
    };
    await trx
      .insertInto('mou_outcomes')
      .values(values)
      .onConflict((oc) =>
        oc
          .column('mou_id')
          .doUpdateSet({ outcome: text, recorded_by: values.recorded_by, recorded_at: values.recorded_at }),
      )
      .execute();
    return { result: undefined, event: mouEvent(caller, 'mou.outcome', id, text.slice(0, 200)) };
  });
}
