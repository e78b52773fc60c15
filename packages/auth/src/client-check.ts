import { DxError, type Principal } from '@sangam/core';
import type { Database, Kysely } from '@sangam/db';
import { clientRefusal } from '@sangam/policy';

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
    const refusal = clientRefusal(
      row && { status: row.status, secretRotatedAt: row.secret_rotated_at },
      principal.issuedAt,
    );
    if (refusal) throw new DxError('clientRevoked', refusal);
  };
}
