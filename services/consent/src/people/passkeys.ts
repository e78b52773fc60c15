import { type Caller, DxError, newId } from '@sangam/core';
import { toDbTime } from '@sangam/db';
import {
  type AuthenticationResponseJSON,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import { auditedChange, changeEvent, type IdentityContext } from '../identity/context.js';
import { type Member, toMember } from './members.js';

/** The relying party a ceremony is for: the gateway as the person's browser reached it. */
export interface RelyingParty {
  /** The host name, e.g. `data.surat.gov.in` (WebAuthn takes no port and no IP address). */
  readonly id: string;
  readonly name: string;
  /** The origin the browser signs, e.g. `https://data.surat.gov.in`. */
  readonly origin: string;
}

export interface Passkey {
  readonly id: string;
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
}

/** A ceremony's challenge lives five minutes and is used once. */
const challengeMs = 5 * 60_000;

async function keepChallenge(
  ctx: IdentityContext,
  challenge: string,
  memberId: string | null,
): Promise<string> {
  const id = newId('wc');
  const now = ctx.clock.now().getTime();
  // Spent and expired challenges go as new ones come: the table holds only live ceremonies.
  await ctx.db
    .deleteFrom('webauthn_challenges')
    .where('expires_at', '<', toDbTime(new Date(now)))
    .execute();
  await ctx.db
    .insertInto('webauthn_challenges')
    .values({ id, challenge, member_id: memberId, expires_at: toDbTime(new Date(now + challengeMs)) })
    .execute();
  return id;
}

/** Takes a challenge once: the row is deleted by whoever reads it first. */
async function takeChallenge(ctx: IdentityContext, id: string, memberId: string | null): Promise<string> {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(id))
    throw new DxError('invalidCredentials', 'The passkey ceremony has expired');
  const row = await ctx.db
    .deleteFrom('webauthn_challenges')
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  if (!row || row.expires_at <= toDbTime(ctx.clock.now()) || row.member_id !== memberId)
    throw new DxError('invalidCredentials', 'The passkey ceremony has expired; start it again');
  return row.challenge;
}

export async function listPasskeys(ctx: IdentityContext, memberId: string): Promise<Passkey[]> {
  const rows = await ctx.db
    .selectFrom('member_passkeys')
    .select(['id', 'created_at', 'last_used_at'])
    .where('member_id', '=', memberId)
    .orderBy('created_at')
    .execute();
  return rows.map((r) => ({ id: r.id, createdAt: r.created_at, lastUsedAt: r.last_used_at }));
}

/** Options for a signed-in person's browser to make a passkey, and the id of the challenge they carry. */
export async function passkeyRegistration(
  ctx: IdentityContext,
  member: Member,
  rp: RelyingParty,
): Promise<{ options: PublicKeyCredentialCreationOptionsJSON; challengeId: string }> {
  const existing = await listPasskeys(ctx, member.memberId);
  const options = await generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userName: member.email,
    userDisplayName: member.name,
    userID: new TextEncoder().encode(member.memberId),
    attestationType: 'none',
    excludeCredentials: existing.map((p) => ({ id: p.id })),
    authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
  });
  return { options, challengeId: await keepChallenge(ctx, options.challenge, member.memberId) };
}

/** Keeps the passkey the person's browser made, once its attestation verifies against the challenge. */
export async function addPasskey(
  ctx: IdentityContext,
  caller: Caller,
  member: Member,
  input: { challengeId: string; response: RegistrationResponseJSON },
  rp: RelyingParty,
): Promise<Passkey> {
  const challenge = await takeChallenge(ctx, input.challengeId, member.memberId);
  const verified = await verifyRegistrationResponse({
    response: input.response,
    expectedChallenge: challenge,
    expectedOrigin: rp.origin,
    expectedRPID: rp.id,
    requireUserVerification: true,
  }).catch((error: unknown) => {
    throw DxError.validation([{ field: '/response', message: (error as Error).message.slice(0, 200) }]);
  });
  if (!verified.verified)
    throw DxError.validation([{ field: '/response', message: 'the passkey did not verify' }]);
  const credential = verified.registrationInfo.credential;
  const now = toDbTime(ctx.clock.now());
  return auditedChange(ctx, async (trx) => {
    await trx
      .insertInto('member_passkeys')
      .values({
        id: credential.id,
        member_id: member.memberId,
        public_key: Buffer.from(credential.publicKey).toString('base64url'),
        counter: credential.counter,
        transports: JSON.stringify(credential.transports ?? []),
        created_at: now,
        last_used_at: null,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    return {
      result: { id: credential.id, createdAt: now, lastUsedAt: null },
      event: changeEvent(caller, 'identity.member.passkey.add', { organisation: member.organisation }),
    };
  });
}

/** Options for any browser to sign in with a passkey it holds (discoverable), and the challenge's id. */
export async function passkeySignInOptions(
  ctx: IdentityContext,
  rp: RelyingParty,
): Promise<{ options: PublicKeyCredentialRequestOptionsJSON; challengeId: string }> {
  const options = await generateAuthenticationOptions({ rpID: rp.id, userVerification: 'required' });
  return { options, challengeId: await keepChallenge(ctx, options.challenge, null) };
}

/**
 * The member a passkey assertion proves, if it verifies against the challenge, its signature counter moved on, and
 * the member is active; undefined otherwise.
 */
export async function memberOfAssertion(
  ctx: IdentityContext,
  input: { challengeId: string; response: AuthenticationResponseJSON },
  rp: RelyingParty,
): Promise<Member | undefined> {
  const challenge = await takeChallenge(ctx, input.challengeId, null);
  const id = typeof input.response?.id === 'string' ? input.response.id.slice(0, 1400) : '';
  const row = await ctx.db
    .selectFrom('member_passkeys as p')
    .innerJoin('members as m', 'm.id', 'p.member_id')
    .selectAll('m')
    .select(['p.id as passkey_id', 'p.public_key', 'p.counter', 'p.transports'])
    .where('p.id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  const verified = await verifyAuthenticationResponse({
    response: input.response,
    expectedChallenge: challenge,
    expectedOrigin: rp.origin,
    expectedRPID: rp.id,
    requireUserVerification: true,
    credential: {
      id: row.passkey_id,
      publicKey: new Uint8Array(Buffer.from(row.public_key, 'base64url')),
      counter: Number(row.counter),
      transports: JSON.parse(row.transports) as never[],
    },
  }).catch(() => ({ verified: false as const, authenticationInfo: undefined }));
  if (!verified.verified || row.status !== 'active') return undefined;
  await ctx.db
    .updateTable('member_passkeys')
    .set({ counter: verified.authenticationInfo.newCounter, last_used_at: toDbTime(ctx.clock.now()) })
    .where('id', '=', row.passkey_id)
    .execute();
  return toMember(row);
}
