import { createHash, randomBytes } from 'node:crypto';
import { DxError, roles as knownRoles, newId, type Principal, type Role } from '@sangam/core';
import { type Database, type Kysely, type MemberTable, type Selectable, toDbTime } from '@sangam/db';
import { parseRoles } from '../identity/clients.js';
import {
  auditedChange,
  type Caller,
  changeEvent,
  type IdentityContext,
  requireCityAdmin,
} from '../identity/context.js';
import { hashSecret } from '../identity/secrets.js';

/** A person of an organisation as the console and the API show them: never the password's hash. */
export interface Member {
  readonly memberId: string;
  readonly organisation: string;
  readonly email: string;
  readonly name: string;
  readonly roles: readonly Role[];
  readonly status: 'active' | 'suspended';
  readonly createdAt: string;
}

/** An invitation as its sender sees it; `link` only in the answer that made it. */
export interface Invitation {
  readonly invitationId: string;
  readonly organisation: string;
  readonly email: string;
  readonly name: string;
  readonly roles: readonly Role[];
  readonly expiresAt: string;
  /** The one-time secret of the link, shown once: `/join/{token}` on the console. */
  readonly token?: string;
}

export interface NewInvitation {
  /** The organisation to join: the caller's own unless the city admin names another. */
  readonly organisation?: string;
  readonly email: string;
  readonly name: string;
  readonly roles: readonly Role[];
}

/** How long people's credentials and links live. */
export interface PeopleTerms {
  readonly invitationDays: number;
  readonly sessionIdleMinutes: number;
  readonly sessionHours: number;
}

export const defaultPeopleTerms: PeopleTerms = {
  invitationDays: 7,
  sessionIdleMinutes: 30,
  sessionHours: 12,
};

/** Passwords of people: long enough to resist guessing, short enough never to cost more than a hash. */
export const passwordLength = { min: 12, max: 256 } as const;

export function toMember(row: Selectable<MemberTable>): Member {
  return {
    memberId: row.id,
    organisation: row.organisation_id,
    email: row.email,
    name: row.name,
    roles: parseRoles(row.roles),
    status: row.status,
    createdAt: row.created_at,
  };
}

/** What a signed-in person acts as: the same principal an API client's token gives, with the member as actor. */
export function memberPrincipal(member: Member, session: { id: string; issuedAt: number }): Principal {
  return {
    clientId: member.memberId,
    organisationId: member.organisation,
    roles: member.roles,
    tokenId: session.id,
    issuedAt: session.issuedAt,
  };
}

/** The SHA-256 of a secret from a link or a cookie, as stored: the secret itself is never kept. */
export function secretDigest(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** 256 bits from the CSPRNG, URL-safe. */
export function newSecretToken(): string {
  return randomBytes(32).toString('base64url');
}

const emailPattern =
  /^[^\s@<>()[\]\\,;:"]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)+$/;

/** An e-mail address as stored: trimmed and lower-cased, or a validation error naming the field. */
export function normaliseEmail(value: string, field = '/email'): string {
  const email = value.trim().toLowerCase();
  if (email.length > 254 || !emailPattern.test(email))
    throw DxError.validation([{ field, message: 'is not an e-mail address' }]);
  return email;
}

/** An organisation's admin (a person or an API client with `admin`) manages its members. */
function requireOrganisationAdmin(principal: Principal, organisation: string): void {
  if (principal.organisationId !== organisation || !principal.roles.includes('admin'))
    throw new DxError('forbidden', 'Only an admin of the organisation may manage its members');
}

/**
 * Invites a person with roles: an organisation's admin into their own organisation; the city admin, who onboards
 * the alliance's partners, into any. The link's secret is returned once.
 */
export async function inviteMember(
  ctx: IdentityContext,
  caller: Caller,
  input: NewInvitation,
  terms: PeopleTerms = defaultPeopleTerms,
): Promise<Invitation> {
  const organisation = input.organisation ?? caller.principal.organisationId;
  if (organisation !== caller.principal.organisationId) {
    await requireCityAdmin(ctx, caller.principal);
    const known = await ctx.db
      .selectFrom('organisations')
      .select('id')
      .where('id', '=', organisation)
      .executeTakeFirst();
    if (!known)
      throw DxError.validation([{ field: '/organisation', message: `no organisation "${organisation}"` }]);
  } else requireOrganisationAdmin(caller.principal, organisation);
  const email = normaliseEmail(input.email);
  const name = input.name.trim();
  if (name.length < 1 || name.length > 200)
    throw DxError.validation([{ field: '/name', message: 'must be 1 to 200 characters' }]);
  const roles = [...new Set(input.roles)].filter((r) => knownRoles.includes(r)).sort();
  if (roles.length === 0) throw DxError.validation([{ field: '/roles', message: 'name at least one role' }]);
  const token = newSecretToken();
  const now = ctx.clock.now();
  const expiresAt = toDbTime(new Date(now.getTime() + terms.invitationDays * 86_400_000));
  return auditedChange(ctx, async (trx) => {
    const existing = await trx
      .selectFrom('members')
      .select('id')
      .where('email', '=', email)
      .executeTakeFirst();
    if (existing) throw new DxError('alreadyExists', 'A member with this e-mail address already exists');
    const row = {
      token_hash: secretDigest(token),
      id: newId('inv'),
      organisation_id: organisation,
      email,
      name,
      roles: JSON.stringify(roles),
      invited_by: caller.principal.clientId,
      created_at: toDbTime(now),
      expires_at: expiresAt,
      accepted_at: null,
    };
    await trx.insertInto('member_invitations').values(row).execute();
    return {
      result: { invitationId: row.id, organisation, email, name, roles, expiresAt, token },
      event: changeEvent(caller, 'identity.member.invite', { organisation }, `roles: ${roles.join(' ')}`),
    };
  });
}

/** The invitation a link names, while it can still be accepted; undefined for a used, expired or unknown link. */
export async function openInvitation(
  ctx: IdentityContext,
  token: string,
): Promise<Omit<Invitation, 'token'> | undefined> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
  const row = await ctx.db
    .selectFrom('member_invitations')
    .selectAll()
    .where('token_hash', '=', secretDigest(token))
    .executeTakeFirst();
  if (!row || row.accepted_at !== null || row.expires_at <= toDbTime(ctx.clock.now())) return undefined;
  return {
    invitationId: row.id,
    organisation: row.organisation_id,
    email: row.email,
    name: row.name,
    roles: parseRoles(row.roles),
    expiresAt: row.expires_at,
  };
}

/** Accepts an invitation with the person's password: the member exists from now, the link works no more. */
export async function acceptInvitation(
  ctx: IdentityContext,
  token: string,
  password: string,
  requestId: string,
): Promise<Member> {
  if (password.length < passwordLength.min || password.length > passwordLength.max)
    throw DxError.validation([
      { field: '/password', message: `must be ${passwordLength.min} to ${passwordLength.max} characters` },
    ]);
  const invitation = await openInvitation(ctx, token);
  if (!invitation)
    throw new DxError('notFound', 'This invitation has been used, has expired or does not exist');
  const passwordHash = await hashSecret(password, ctx.scryptCost);
  return auditedChange(ctx, async (trx) => {
    const now = toDbTime(ctx.clock.now());
    // Taken under the audit lock, so two tabs accepting at once make one member.
    const taken = await trx
      .updateTable('member_invitations')
      .set({ accepted_at: now })
      .where('token_hash', '=', secretDigest(token))
      .where('accepted_at', 'is', null)
      .executeTakeFirst();
    if (Number(taken.numUpdatedRows) !== 1)
      throw new DxError('notFound', 'This invitation has been used, has expired or does not exist');
    const existing = await trx
      .selectFrom('members')
      .select('id')
      .where('email', '=', invitation.email)
      .executeTakeFirst();
    if (existing) throw new DxError('alreadyExists', 'A member with this e-mail address already exists');
    const inviter = await trx
      .selectFrom('member_invitations')
      .select('invited_by')
      .where('id', '=', invitation.invitationId)
      .executeTakeFirstOrThrow();
    const row = {
      id: newId('mb'),
      organisation_id: invitation.organisation,
      email: invitation.email,
      name: invitation.name,
      roles: JSON.stringify(invitation.roles),
      password_hash: passwordHash,
      status: 'active' as const,
      created_at: now,
      invited_by: inviter.invited_by,
      suspended_at: null,
    };
    await trx.insertInto('members').values(row).execute();
    const member = toMember(row);
    return {
      result: member,
      event: changeEvent(
        { principal: memberPrincipal(member, { id: invitation.invitationId, issuedAt: 0 }), requestId },
        'identity.member.join',
        { organisation: member.organisation },
        `roles: ${member.roles.join(' ')}`,
      ),
    };
  });
}

/** The members of the caller's organisation (its admins), oldest first. */
export async function listMembers(ctx: IdentityContext, principal: Principal): Promise<Member[]> {
  requireOrganisationAdmin(principal, principal.organisationId);
  const rows = await ctx.db
    .selectFrom('members')
    .selectAll()
    .where('organisation_id', '=', principal.organisationId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toMember);
}

/** Open invitations of the caller's organisation (its admins). */
export async function listInvitations(ctx: IdentityContext, principal: Principal): Promise<Invitation[]> {
  requireOrganisationAdmin(principal, principal.organisationId);
  const rows = await ctx.db
    .selectFrom('member_invitations')
    .selectAll()
    .where('organisation_id', '=', principal.organisationId)
    .where('accepted_at', 'is', null)
    .where('expires_at', '>', toDbTime(ctx.clock.now()))
    .orderBy('created_at')
    .execute();
  return rows.map((r) => ({
    invitationId: r.id,
    organisation: r.organisation_id,
    email: r.email,
    name: r.name,
    roles: parseRoles(r.roles),
    expiresAt: r.expires_at,
  }));
}

/** Suspends a member of the caller's organisation: their sessions end now. An admin cannot suspend themself. */
export async function suspendMember(ctx: IdentityContext, caller: Caller, memberId: string): Promise<Member> {
  requireOrganisationAdmin(caller.principal, caller.principal.organisationId);
  if (memberId === caller.principal.clientId)
    throw new DxError('conflict', 'Ask another admin of the organisation to suspend you');
  return auditedChange(ctx, async (trx) => {
    const row = await memberOf(trx, memberId);
    if (!row || row.organisation_id !== caller.principal.organisationId)
      throw new DxError('notFound', 'No such member');
    const now = toDbTime(ctx.clock.now());
    const updated = await trx
      .updateTable('members')
      .set({ status: 'suspended', suspended_at: now })
      .where('id', '=', memberId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await trx
      .updateTable('member_sessions')
      .set({ ended_at: now })
      .where('member_id', '=', memberId)
      .where('ended_at', 'is', null)
      .execute();
    return {
      result: toMember(updated),
      event: changeEvent(caller, 'identity.member.suspend', {
        client: memberId,
        organisation: updated.organisation_id,
      }),
    };
  });
}

async function memberOf(db: Kysely<Database>, id: string): Promise<Selectable<MemberTable> | undefined> {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) return undefined;
  return db.selectFrom('members').selectAll().where('id', '=', id).executeTakeFirst();
}
