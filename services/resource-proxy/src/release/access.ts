import {
  clientCheck,
  managementAudience,
  resourceProxyAudience,
  type TokenService,
  tokenAudience,
} from '@sangam/auth';
import { DxError } from '@sangam/core';
import type { Database, Kysely } from '@sangam/db';
import { scopeItem } from '@sangam/policy';

/** What a verified access token grants: one consent, for one resource or one group's resources. */
export interface AccessGrant {
  readonly clientId: string;
  readonly organisationId: string;
  readonly consentId: string;
  readonly mou: string;
  /** `ri:<resource>` or `rg:<group>`. */
  readonly scope: string;
  readonly tokenId: string;
  readonly issuedAt: number;
}

const challenge = (error?: string) => ({
  'www-authenticate': `Bearer realm="sangam"${error ? `, error="${error}"` : ''}`,
});

/** The bearer token of a request, verified as an access token for the resource proxy. */
export async function verifyAccess(tokens: TokenService, header: string | undefined): Promise<AccessGrant> {
  const match = header ? /^Bearer\s+([A-Za-z0-9._~+/=-]+)\s*$/i.exec(header) : null;
  if (!match?.[1]) {
    throw new DxError('missingToken', 'Send an access token as "Authorization: Bearer <token>"', {
      headers: challenge(),
    });
  }
  let payload: Awaited<ReturnType<TokenService['verify']>>;
  try {
    payload = await tokens.verify(match[1], resourceProxyAudience);
  } catch (error) {
    if (error instanceof DxError && tokenAudience(error) === managementAudience) {
      // One of ours, signed and in time, but an identity token: say which token the data API takes instead.
      throw new DxError(
        'notAccessToken',
        'This is an identity token (from POST /auth/v1/token). The data API takes an access token: ask POST /auth/v1/access-tokens with {"item", "consent"} and this identity token, then send the access token here',
        { headers: challenge('invalid_token') },
      );
    }
    if (error instanceof DxError) {
      throw new DxError(error.problem, error.detail, { headers: challenge('invalid_token') });
    }
    throw error;
  }
  const { sub, org, cid, mou, iid, jti, iat, token_use: use } = payload as Record<string, unknown>;
  const valid =
    use === 'access' &&
    typeof sub === 'string' &&
    typeof org === 'string' &&
    typeof cid === 'string' &&
    typeof mou === 'string' &&
    typeof jti === 'string' &&
    typeof iat === 'number' &&
    typeof iid === 'string' &&
    scopeItem(iid) !== undefined;
  if (!valid) {
    throw new DxError('notAccessToken', 'The token does not carry a consent and an item scope', {
      headers: challenge('invalid_token'),
    });
  }
  return {
    clientId: sub as string,
    organisationId: org as string,
    consentId: cid as string,
    mou: mou as string,
    scope: iid as string,
    tokenId: jti as string,
    issuedAt: iat as number,
  };
}

/** The client behind an access token must still be active, and its secret not rotated since the token. */
export function accessClientCheck(db: Kysely<Database>): (grant: AccessGrant) => Promise<void> {
  const check = clientCheck(db);
  return (grant) =>
    check({
      clientId: grant.clientId,
      organisationId: grant.organisationId,
      roles: ['consumer'],
      tokenId: grant.tokenId,
      issuedAt: grant.issuedAt,
    });
}
