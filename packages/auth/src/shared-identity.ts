import { ConfigError } from '@sangam/core';

/** Hosts that reach only this machine: a process bound to one of these cannot be one of several behind a balancer. */
const loopback = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|localhost)$/i;

/**
 * Several gateways on one PostgreSQL database are one alliance only if they name the same issuer (a token from one
 * is checked by another) and seal keys with the same secret (a key made by one is opened by all). Unset, the
 * issuer defaults per port and keys are kept unsealed: fine for one process on this machine, wrong for a fleet.
 * So a process on PostgreSQL that binds beyond loopback needs both set; the error names each one missing.
 */
export function requireSharedIdentity(
  config: { readonly DATABASE_URL: string; readonly SANGAM_HOST: string },
  source: Readonly<Record<string, string | undefined>>,
): void {
  if (!/^postgres(ql)?:/i.test(config.DATABASE_URL) || loopback.test(config.SANGAM_HOST)) return;
  const why = `when DATABASE_URL is PostgreSQL and SANGAM_HOST=${config.SANGAM_HOST} serves beyond this machine (every instance on the database must share it; see deploy/README.md)`;
  const problems = [
    ...(source.SANGAM_ISSUER?.trim()
      ? []
      : [
          `SANGAM_ISSUER is required ${why}: the public base URL of the gateway, such as https://data.city.example`,
        ]),
    ...(source.SANGAM_KEY_ENCRYPTION_SECRET?.trim()
      ? []
      : [`SANGAM_KEY_ENCRYPTION_SECRET is required ${why}: a secret of at least 16 characters`]),
  ];
  if (problems.length > 0) throw new ConfigError(problems);
}
