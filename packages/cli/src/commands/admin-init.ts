import { type ClientWithSecret, initialiseCity } from '@sangam/consent';
import type { Organisation } from '@sangam/core';
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
  const { config, handle } = await openGateway();
  try {
    const { organisation, admin } = await initialiseCity(
      handle.db,
      {
        name: options.name ?? config.SANGAM_CITY_NAME,
        city: options.city ?? config.SANGAM_CITY,
        ...(options.id ? { id: options.id } : {}),
      },
      { clock, scryptCost: config.SANGAM_SCRYPT_COST },
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
