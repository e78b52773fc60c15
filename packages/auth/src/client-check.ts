import { DxError, type Principal } from '@sangam/core';
import type { Database, Kysely } from '@sangam/db';

/**
 * Refuses tokens of a client that has since been revoked, or whose secret was rotated after the token was issued.
 * Read on every request by every service: no cache may outlive a revocation.
 */
export function clientCheck(db: Kysely<Database>): (principal: Principal) => Promise<void> {
  return async (principal) => {
    const row = await db
      .selectFrom('clients')
      .select(['status', 'secret_rotated_at'])
      .where('id', '=', principal.clientId)
      .executeTakeFirst();
    if (row?.status !== 'active') {
      throw new DxError('clientRevoked', 'The client this token was issued to has been revoked');
    }
    // `iat` is kept to the millisecond: every token issued up to the rotation's instant is stopped by it.
    if (row.secret_rotated_at && principal.issuedAt * 1000 <= Date.parse(row.secret_rotated_at)) {
      throw new DxError('clientRevoked', 'The client secret was rotated after this token was issued');
    }
  };
}
