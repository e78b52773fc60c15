import { AuditLog } from '@sangam/audit';
import { type ClientWithSecret, initialiseCity } from '@sangam/consent';
import { hasControlCharacters, isSlug, type Organisation } from '@sangam/core';
import { UsageError } from '../usage.js';
import { clock, openGateway, say } from './context.js';

export function credentialsBanner(
  issuer: string,
  organisation: Organisation,
  admin: ClientWithSecret,
): string {
  return [
    '',
    `  City organisation    ${organisation.id}  (${organisation.name}, ${organisation.city})`,
    `  Admin client id      ${admin.clientId}`,
    `  Admin client secret  ${admin.clientSecret}`,
    '',
    '  The secret is shown only this once and is stored only as a hash: keep it somewhere safe.',
    '  Get an identity token with:',
    `    curl -s -u '${admin.clientId}:${admin.clientSecret}' -d grant_type=client_credentials ${issuer}/auth/v1/token`,
    '',
  ].join('\n');
}

/** `sangam admin init [--id ID] [--name NAME] [--city CITY] [--json]` */
export async function adminInit(options: {
  id?: string;
  name?: string;
  city?: string;
  json: boolean;
}): Promise<void> {
  if (options.id !== undefined && !isSlug(options.id)) {
    throw new UsageError(
      `--id "${options.id}" is not valid: lower-case letters, digits and inner hyphens, up to 64`,
    );
  }
  for (const [flag, value, max] of [
    ['--name', options.name, 200],
    ['--city', options.city, 100],
  ] as const) {
    if (value !== undefined && (value.trim() === '' || value.length > max || hasControlCharacters(value))) {
      throw new UsageError(`${flag} must be 1 to ${max} printable characters`);
    }
  }
  const { config, handle } = await openGateway({ create: true });
  try {
    const { organisation, admin } = await initialiseCity(
      handle.db,
      {
        name: options.name ?? config.SANGAM_CITY_NAME,
        city: options.city ?? config.SANGAM_CITY,
        ...(options.id ? { id: options.id } : {}),
      },
      { clock, scryptCost: config.SANGAM_SCRYPT_COST, audit: new AuditLog(handle.db, { clock }) },
    );
    if (options.json) {
      process.stdout.write(`${JSON.stringify({ organisation, admin })}\n`);
    } else {
      say(credentialsBanner(config.SANGAM_ISSUER, organisation, admin));
    }
  } finally {
    await handle.destroy();
  }
}
