#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { ConfigError, DxError } from '@sangam/core';
import { adapterRun, adapterStatus } from './commands/adapter.js';
import { adminInit } from './commands/admin-init.js';
import { auditExport, auditVerify } from './commands/audit.js';
import { keysRotate } from './commands/keys-rotate.js';
import { start } from './commands/start.js';
import { UsageError } from './usage.js';

const usage = `Usage: sangam <command> [options]

Commands:
  start [--no-demo]                     run every service on one port (default 8080)
  admin init [--id ID] [--name NAME] [--city CITY] [--json]
                                        create the city organisation and its first admin client
  keys rotate [--json]                  make a new signing key; the previous one stays in the JWKS
  audit export --out DIR [--json]       a fresh checkpoint, and entries.jsonl, checkpoint.json, jwks.json up to it
  audit verify --export FILE --checkpoint FILE --jwks FILE [--json]
                                        verify an export offline against a signed checkpoint; exit 1 if it fails
  adapter run <kind> --config FILE [--once]
                                        poll a partner feed (kind: gbfs, itms, mds) and publish its anonymised result
  adapter status [--json]               every adapter's health as last reported

Configuration comes from environment variables; see README.md.`;

async function main(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'no-demo': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      id: { type: 'string' },
      name: { type: 'string' },
      city: { type: 'string' },
      out: { type: 'string' },
      export: { type: 'string' },
      checkpoint: { type: 'string' },
      jwks: { type: 'string' },
      config: { type: 'string' },
      once: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const command =
    positionals[0] === 'adapter' && positionals[1] === 'run' ? 'adapter run' : positionals.join(' ');
  if (values.help || command === '' || command === 'help') {
    process.stdout.write(`${usage}\n`);
    return;
  }
  switch (command) {
    case 'start':
      return start({ demo: !values['no-demo'] });
    case 'admin init':
      return adminInit({
        json: values.json,
        ...(values.id ? { id: values.id } : {}),
        ...(values.name ? { name: values.name } : {}),
        ...(values.city ? { city: values.city } : {}),
      });
    case 'keys rotate':
      return keysRotate({ json: values.json });
    case 'audit export':
      return auditExport({ json: values.json, ...(values.out ? { out: values.out } : {}) });
    case 'audit verify': {
      const ok = await auditVerify({
        json: values.json,
        ...(values.export ? { export: values.export } : {}),
        ...(values.checkpoint ? { checkpoint: values.checkpoint } : {}),
        ...(values.jwks ? { jwks: values.jwks } : {}),
      });
      if (!ok) process.exitCode = 1;
      return;
    }
    case 'adapter run':
      return adapterRun({ kind: positionals[2], config: values.config, once: values.once });
    case 'adapter status':
      return adapterStatus({ json: values.json });
    default:
      throw new UsageError(`Unknown command "${command}"`);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  if (
    error instanceof UsageError ||
    (error instanceof Error && error.name === 'TypeError' && 'code' in error)
  ) {
    process.stderr.write(`${error.message}\n\n${usage}\n`);
    process.exit(2);
  }
  if (error instanceof DxError) {
    process.stderr.write(`sangam: ${error.detail}\n`);
    process.exit(1);
  }
  process.stderr.write(
    `sangam: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
