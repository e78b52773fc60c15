#!/usr/bin/env node
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { adapterRun, adapterStatus } from './commands/adapter.js';
import { adminInit } from './commands/admin-init.js';
import { auditExport, auditVerify } from './commands/audit.js';
import { auditFetch, auditWitness, auditWitnessKey } from './commands/audit-remote.js';
import { clientsRotate } from './commands/clients-rotate.js';
import { dbMigrate } from './commands/db.js';
import { keysRotate } from './commands/keys-rotate.js';
import { backup, dbCopy, restore } from './commands/move.js';
import { start } from './commands/start.js';
import { gatewayDocument } from './document.js';
import { runCommand } from './run-command.js';
import { UsageError } from './usage.js';

const usage = `Usage: sangam <command> [options]

Commands:
  start                                 run every service on one port (default 8080)
  admin init [--id ID] [--name NAME] [--city CITY] [--json]
                                        create the city organisation and its first admin client
  clients rotate ID [--json]            a new secret for a client (a lost admin secret), on the database's machine
  keys rotate [--json]                  make a new signing key; the previous one stays in the JWKS
  db migrate [--json]                   bring the database to this version's schema (before rolling instances)
  db copy --from sqlite:FILE --to postgres://… [--json]
                                        move a stopped embedded gateway to an empty PostgreSQL database, the audit
                                        log verified before and after
  backup --out FILE [--json]            a consistent copy of the embedded database while it runs, verified
  restore --from FILE [--json]          put a verified backup in place of the embedded database (gateway stopped)
  audit export [--out DIR] [--json]     a fresh checkpoint, and entries.jsonl, checkpoint.json, jwks.json up to it
                                        (in data/audit-exports/<time> unless --out names a folder); with
                                        --gateway URL --client ID it is audit fetch: no database needed
  audit verify (--dir DIR | --export FILE --checkpoint FILE --jwks FILE)
               [--witness VKEY ...] [--min-witnesses N] [--json]
                                        verify an export offline against a signed checkpoint (and N cosignatures by
                                        the witness keys given); exit 1 if it fails
  audit fetch --gateway URL --client ID --out DIR [--json]
                                        the newest checkpoint, exactly the entries it covers, and the JWKS, over HTTP
                                        (the client's secret in SANGAM_CLIENT_SECRET)
  audit witness --gateway URL --client ID --key FILE --state DIR [--json]
                                        check the newest checkpoint extends the last one seen, keep it, cosign it;
                                        exit 3 and say so when it does not
  audit witness-key --name NAME --out FILE [--json]
                                        a new witness key; prints the verifier key the city admin registers
  adapter run [kind] --config FILE [--once]
                                        poll a partner feed (kind: gbfs, itms, mds; the file's when left out) and
                                        publish its anonymised result; over HTTP with no database when the file
                                        names a gateway; one instance at a time, others stand by
  adapter status [--json]               every adapter's health as last reported
  openapi [--out FILE]                  the gateway's OpenAPI 3.1 document, without running it (stdout, or FILE)
  --version                             the version of this gateway

Configuration comes from environment variables; see README.md.`;

const commands = [
  'start',
  'admin init',
  'clients rotate',
  'keys rotate',
  'db migrate',
  'db copy',
  'backup',
  'restore',
  'audit export',
  'audit verify',
  'audit fetch',
  'audit witness',
  'audit witness-key',
  'adapter run',
  'adapter status',
  'openapi',
];

const options = {
  json: { type: 'boolean', default: false },
  id: { type: 'string' },
  name: { type: 'string' },
  city: { type: 'string' },
  out: { type: 'string' },
  export: { type: 'string' },
  checkpoint: { type: 'string' },
  jwks: { type: 'string' },
  dir: { type: 'string' },
  witness: { type: 'string', multiple: true },
  'min-witnesses': { type: 'string' },
  gateway: { type: 'string' },
  client: { type: 'string' },
  key: { type: 'string' },
  state: { type: 'string' },
  config: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  once: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
  version: { type: 'boolean', short: 'v', default: false },
} as const;

/** This package's version, as its manifest gives it (beside `dist/` once built, beside `src/` in tests). */
function version(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}

async function main(argv: string[]): Promise<void> {
  let parsed: ReturnType<
    typeof parseArgs<{ args: string[]; allowPositionals: true; options: typeof options }>
  >;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options });
  } catch (error) {
    // An option it does not know, or one missing its value: said in one line with the options there are.
    const first = (error as Error).message.split('. ')[0] ?? '';
    const accepted = Object.keys(options)
      .map((o) => `--${o}`)
      .join(', ');
    throw new UsageError(`${first.replace(/\.$/, '')}; options: ${accepted}`);
  }
  const { positionals, values } = parsed;
  const command =
    positionals[0] === 'adapter' && positionals[1] === 'run' ? 'adapter run' : positionals.join(' ');
  if (values.version || command === 'version') {
    process.stdout.write(`sangam ${version()}\n`);
    return;
  }
  if (values.help || command === '' || command === 'help') {
    process.stdout.write(`${usage}\n`);
    return;
  }
  if (positionals[0] === 'clients' && positionals[1] === 'rotate') {
    if (!positionals[2] || positionals.length > 3) throw new UsageError('clients rotate needs one client id');
    return clientsRotate({ id: positionals[2], json: values.json });
  }
  switch (command) {
    case 'start':
      return start();
    case 'admin init':
      return adminInit({
        json: values.json,
        ...(values.id ? { id: values.id } : {}),
        ...(values.name ? { name: values.name } : {}),
        ...(values.city ? { city: values.city } : {}),
      });
    case 'keys rotate':
      return keysRotate({ json: values.json });
    case 'db migrate':
      return dbMigrate({ json: values.json });
    case 'db copy':
      return dbCopy({
        json: values.json,
        ...(values.from ? { from: values.from } : {}),
        ...(values.to ? { to: values.to } : {}),
      });
    case 'backup':
      return backup({ json: values.json, ...(values.out ? { out: values.out } : {}) });
    case 'restore':
      return restore({ json: values.json, ...(values.from ? { from: values.from } : {}) });
    case 'openapi': {
      const text = `${JSON.stringify(await gatewayDocument(), null, 2)}\n`;
      if (values.out) writeFileSync(values.out, text);
      else process.stdout.write(text);
      return;
    }
    case 'audit export':
      // From anywhere, over HTTP, with --gateway; on the database's machine, from the database.
      if (values.gateway || values.client) {
        return auditFetch({
          json: values.json,
          ...(values.gateway ? { gateway: values.gateway } : {}),
          ...(values.client ? { client: values.client } : {}),
          ...(values.out ? { out: values.out } : {}),
        });
      }
      return auditExport({ json: values.json, ...(values.out ? { out: values.out } : {}) });
    case 'audit verify': {
      const ok = await auditVerify({
        json: values.json,
        ...(values.dir ? { dir: values.dir } : {}),
        ...(values.export ? { export: values.export } : {}),
        ...(values.checkpoint ? { checkpoint: values.checkpoint } : {}),
        ...(values.jwks ? { jwks: values.jwks } : {}),
        witnesses: values.witness ?? [],
        ...(values['min-witnesses'] !== undefined ? { minWitnesses: values['min-witnesses'] } : {}),
      });
      if (!ok) process.exitCode = 1;
      return;
    }
    case 'audit fetch':
      return auditFetch({
        json: values.json,
        ...(values.gateway ? { gateway: values.gateway } : {}),
        ...(values.client ? { client: values.client } : {}),
        ...(values.out ? { out: values.out } : {}),
      });
    case 'audit witness':
      return auditWitness({
        json: values.json,
        ...(values.gateway ? { gateway: values.gateway } : {}),
        ...(values.client ? { client: values.client } : {}),
        ...(values.key ? { key: values.key } : {}),
        ...(values.state ? { state: values.state } : {}),
      });
    case 'audit witness-key':
      return auditWitnessKey({
        json: values.json,
        ...(values.name ? { name: values.name } : {}),
        ...(values.out ? { out: values.out } : {}),
      });
    case 'adapter run':
      return adapterRun({ kind: positionals[2], config: values.config, once: values.once });
    case 'adapter status':
      return adapterStatus({ json: values.json });
    default:
      throw new UsageError(`unknown command "${command}"; commands: ${commands.join(', ')}`);
  }
}

runCommand(main);
