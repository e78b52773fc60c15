import { authSettings, requireSharedIdentity } from '@sangam/auth';
import { catalogueSettings } from '@sangam/catalogue';
import { consentSettings } from '@sangam/consent';
import { type ConfigOf, env, parseConfig } from '@sangam/core';
import { databaseSettings } from '@sangam/db';
import { serverSettings } from '@sangam/http';
import { proxySettings } from '@sangam/resource-proxy';

/** Settings of the all-in-one gateway (`sangam start`): every service's settings, plus the city to seed. */
export const gatewaySettings = {
  ...serverSettings,
  ...databaseSettings,
  ...authSettings,
  ...consentSettings,
  ...catalogueSettings,
  ...proxySettings,
  SANGAM_CITY_NAME: env.string({
    default: 'Surat Municipal Corporation',
    accepts: 'a name of 1 to 200 characters',
    pattern: /^.{1,200}$/,
    description: 'Name of the city organisation that `sangam admin init` and the first start create',
  }),
  SANGAM_CITY: env.string({
    default: 'Surat',
    accepts: 'a city name of 1 to 100 characters',
    pattern: /^.{1,100}$/,
    description: 'The city of the alliance',
  }),
};

export type GatewayConfig = ConfigOf<typeof gatewaySettings>;

export function loadGatewayConfig(source: Record<string, string | undefined> = process.env): GatewayConfig {
  const config = parseConfig(gatewaySettings, source);
  requireSharedIdentity(config, source);
  // Unset, the issuer follows the port, so tokens name the gateway that issued them.
  if (!source.SANGAM_ISSUER?.trim() && config.SANGAM_PORT !== 8080 && config.SANGAM_PORT !== 0) {
    return { ...config, SANGAM_ISSUER: `http://localhost:${config.SANGAM_PORT}` };
  }
  return config;
}
