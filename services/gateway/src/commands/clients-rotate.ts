import { userInfo } from 'node:os';
import { AuditLog } from '@sangam/audit';
import { replaceClientSecretAtHost } from '@sangam/consent';
import { clock, openGateway, say } from './context.js';

/**
 * `sangam clients rotate ID [--json]`: a new secret for a client, made on the machine that holds the database (for
 * a lost admin secret, when no admin can call the API). The old secret and every token issued before stop at once.
 */
export async function clientsRotate(options: { id: string; json: boolean }): Promise<void> {
  const { config, handle } = await openGateway();
  try {
    const client = await replaceClientSecretAtHost(handle.db, options.id, {
      clock,
      scryptCost: config.SANGAM_SCRYPT_COST,
      audit: new AuditLog(handle.db, { clock }),
      operator: operatorName(),
    });
    if (options.json) {
      process.stdout.write(`${JSON.stringify(client)}\n`);
      return;
    }
    say(
      [
        '',
        `  Client id      ${client.clientId}  (${client.organisation}, ${client.roles.join(', ')})`,
        `  Client secret  ${client.clientSecret}`,
        '',
        '  The old secret and every token issued with it no longer work. This secret is shown only this once.',
        '',
      ].join('\n'),
    );
  } finally {
    await handle.destroy();
  }
}

/** The operating-system user running the command, for the audit log. */
function operatorName(): string {
  try {
    return `${userInfo().username} (operating-system user)`;
  } catch {
    return 'an operating-system user';
  }
}
