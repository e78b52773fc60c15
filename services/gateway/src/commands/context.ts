import { existsSync } from 'node:fs';
import { type KeyStore, keysAndTokens } from '@sangam/auth';
import { type Clock, parseConfig, processClock } from '@sangam/core';
import { type DatabaseHandle, openDatabase, sqliteFileOf } from '@sangam/db';
import { serverSettings } from '@sangam/http';
import { type GatewayConfig, loadGatewayConfig } from '../config.js';
import { CommandError } from '../usage.js';

/**
 * Configuration and a migrated database, as every command starts. Only the commands that make a gateway (`start`,
 * `admin init`) may create the SQLite file; the others refuse a file that is not there, since an empty database
 * made by mistake would answer "nothing" where the user meant another file.
 */
export async function openGateway(
  options: { create?: boolean } = {},
): Promise<{ config: GatewayConfig; handle: DatabaseHandle }> {
  const config = loadGatewayConfig();
  const file = sqliteFileOf(config.DATABASE_URL);
  if (file && !options.create && !existsSync(file)) {
    throw new CommandError(
      `there is no database at ${file} (DATABASE_URL=${config.DATABASE_URL}); start the gateway there first, or point DATABASE_URL at its database`,
    );
  }
  return { config, handle: await openDatabase(config) };
}

let processWide: Clock | undefined;

/**
 * The one clock of every command: the machine's, unless `SANGAM_CLOCK_EPOCH` starts it at another instant. Read at
 * first use, so a bad value is reported like any other setting.
 */
export const clock: Clock = {
  now() {
    processWide ??= processClock(parseConfig(clockSettings).SANGAM_CLOCK_EPOCH);
    return processWide.now();
  },
};

const clockSettings = { SANGAM_CLOCK_EPOCH: serverSettings.SANGAM_CLOCK_EPOCH };

/** Output for people on stderr, so stdout carries only logs or `--json` results. */
export function say(text: string): void {
  process.stderr.write(`${text}\n`);
}

/** The gateway's key store as configured, with its first key made if there is none. */
export async function openKeys(handle: DatabaseHandle, config: GatewayConfig): Promise<KeyStore> {
  return (await keysAndTokens(handle.db, config, clock)).keys;
}
