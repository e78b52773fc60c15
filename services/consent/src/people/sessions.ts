import { DxError, type Principal } from '@sangam/core';
import { toDbTime } from '@sangam/db';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { IdentityContext } from '../identity/context.js';
import { CredentialGate } from '../identity/gate.js';
import { verifyAgainstDecoy, verifySecret } from '../identity/secrets.js';
import {
  defaultPeopleTerms,
  type Member,
  memberPrincipal,
  newSecretToken,
  type PeopleTerms,
  passwordLength,
  secretDigest,
  toMember,
} from './members.js';
import { memberOfAssertion, type RelyingParty } from './passkeys.js';

/** A signed-in person: who they are, what they act as, and the token every change they send must carry. */
export interface Session {
  readonly member: Member;
  readonly principal: Principal;
  readonly csrfToken: string;
  readonly expiresAt: string;
}

/** A session just opened: `secret` goes into the cookie and nowhere else. */
export interface OpenedSession extends Session {
  readonly secret: string;
}

/** Last-seen times are written at most this often: a session's idle end moves by the minute, not per request. */
const touchEveryMs = 60_000;

/** People's sign-in and sessions. One per process: the failed attempts it counts are this process's. */
export class Sessions {
  readonly #ctx: IdentityContext;
  readonly #terms: PeopleTerms;
  readonly #gate: CredentialGate;

  constructor(ctx: IdentityContext, options: { terms?: PeopleTerms; lockedOutHoldMs?: number } = {}) {
    this.#ctx = ctx;
    this.#terms = options.terms ?? defaultPeopleTerms;
    this.#gate = new CredentialGate({
      holdMs: options.lockedOutHoldMs ?? 1000,
      lockedOut: 'Too many failed sign-ins for this address; try again later',
    });
  }

  get terms(): PeopleTerms {
    return this.#terms;
  }

  /**
   * Signs a person in by e-mail and password from `source`. Unknown addresses, wrong passwords and suspended
   * members get the same refusal in about the same time.
   */
  async signIn(input: {
    email: string;
    password: string;
    source: string;
    requestId: string;
  }): Promise<OpenedSession> {
    const ctx = this.#ctx;
    const email = input.email.trim().toLowerCase().slice(0, 254);
    const password = input.password.slice(0, passwordLength.max);
    const now = ctx.clock.now();
    const member = await this.#gate.check(email, input.source, now.getTime(), async () => {
      const row = await ctx.db
        .selectFrom('members')
        .selectAll()
        .where('email', '=', email)
        .executeTakeFirst();
      if (!row) return verifyAgainstDecoy(password, ctx.scryptCost).then(() => undefined);
      const matches = await verifySecret(password, row.password_hash);
      return matches && row.status === 'active' ? toMember(row) : undefined;
    });
    if (!member) {
      ctx.audit.uncredentialed.count('identity.member.signin', 'invalidCredentials');
      throw new DxError('invalidCredentials', 'The e-mail address or the password is not right');
    }
    return this.#open(member, input.source, input.requestId, 'password');
  }

  /** Signs a person in by a passkey assertion; failures count per (passkey, source) as passwords' do. */
  async signInWithPasskey(input: {
    challengeId: string;
    response: AuthenticationResponseJSON;
    rp: RelyingParty;
    source: string;
    requestId: string;
  }): Promise<OpenedSession> {
    const ctx = this.#ctx;
    const key = `passkey:${typeof input.response?.id === 'string' ? input.response.id.slice(0, 200) : ''}`;
    const member = await this.#gate.check(key, input.source, ctx.clock.now().getTime(), () =>
      memberOfAssertion(ctx, input, input.rp),
    );
    if (!member) {
      ctx.audit.uncredentialed.count('identity.member.signin', 'invalidCredentials');
      throw new DxError('invalidCredentials', 'The passkey was not accepted');
    }
    return this.#open(member, input.source, input.requestId, 'passkey');
  }

  /** A new session for a member who proved who they are, audited with them as actor. */
  async #open(
    member: Member,
    source: string,
    requestId: string,
    how: 'password' | 'passkey',
  ): Promise<OpenedSession> {
    const ctx = this.#ctx;
    const now = ctx.clock.now();
    const secret = newSecretToken();
    const csrfToken = newSecretToken();
    const expiresAt = toDbTime(new Date(now.getTime() + this.#terms.sessionHours * 3_600_000));
    const idHash = secretDigest(secret);
    await ctx.db.transaction().execute(async (trx) => {
      await ctx.audit.lock(trx);
      await trx
        .insertInto('member_sessions')
        .values({
          id_hash: idHash,
          member_id: member.memberId,
          csrf_token: csrfToken,
          source: source.slice(0, 64),
          created_at: toDbTime(now),
          last_seen_at: toDbTime(now),
          expires_at: expiresAt,
          ended_at: null,
        })
        .execute();
      await ctx.audit.appendWithin(trx, [
        {
          action: 'identity.member.signin',
          decision: 'allow',
          actor: { client: member.memberId, organisation: member.organisation },
          reason: `by ${how}`,
          requestId,
        },
      ]);
    });
    return {
      member,
      principal: memberPrincipal(member, {
        id: idHash.slice(0, 32),
        issuedAt: Math.floor(now.getTime() / 1000),
      }),
      csrfToken,
      expiresAt,
      secret,
    };
  }

  /** The session a cookie's secret names, while it is neither ended, idle too long, past its end, nor suspended. */
  async resume(secret: string): Promise<Session | undefined> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(secret)) return undefined;
    const ctx = this.#ctx;
    const idHash = secretDigest(secret);
    const row = await ctx.db
      .selectFrom('member_sessions as s')
      .innerJoin('members as m', 'm.id', 's.member_id')
      .selectAll('m')
      .select([
        's.csrf_token',
        's.created_at as session_created',
        's.last_seen_at',
        's.expires_at',
        's.ended_at',
      ])
      .where('s.id_hash', '=', idHash)
      .executeTakeFirst();
    if (!row || row.ended_at !== null || row.status !== 'active') return undefined;
    const now = ctx.clock.now().getTime();
    const lastSeen = Date.parse(row.last_seen_at);
    if (now >= Date.parse(row.expires_at) || now - lastSeen >= this.#terms.sessionIdleMinutes * 60_000)
      return undefined;
    if (now - lastSeen >= touchEveryMs) {
      await ctx.db
        .updateTable('member_sessions')
        .set({ last_seen_at: toDbTime(new Date(now)) })
        .where('id_hash', '=', idHash)
        .execute();
    }
    const member = toMember(row);
    return {
      member,
      principal: memberPrincipal(member, {
        id: idHash.slice(0, 32),
        issuedAt: Math.floor(Date.parse(row.session_created) / 1000),
      }),
      csrfToken: row.csrf_token,
      expiresAt: row.expires_at,
    };
  }

  /** Ends the session a cookie's secret names; audited with the person as actor. */
  async signOut(secret: string, requestId: string): Promise<void> {
    const session = await this.resume(secret);
    if (!session) return;
    const ctx = this.#ctx;
    await ctx.db.transaction().execute(async (trx) => {
      await ctx.audit.lock(trx);
      await trx
        .updateTable('member_sessions')
        .set({ ended_at: toDbTime(ctx.clock.now()) })
        .where('id_hash', '=', secretDigest(secret))
        .execute();
      await ctx.audit.appendWithin(trx, [
        {
          action: 'identity.member.signout',
          decision: 'allow',
          actor: { client: session.member.memberId, organisation: session.member.organisation },
          requestId,
        },
      ]);
    });
  }
}
