import { once } from 'node:events';
import { createReadStream, createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import {
  AuditLog,
  type Checkpoint,
  Checkpoints,
  exportEntries,
  jsonlLine,
  parseVerifierKey,
  verifyExport,
} from '@sangam/audit';
import { sqliteFileOf } from '@sangam/db';
import { UsageError } from '../usage.js';
import { clock, openGateway, openKeys, say } from './context.js';

/**
 * `sangam audit export [--out DIR]`: a fresh checkpoint, then every entry up to it as `entries.jsonl`, with
 * `checkpoint.json` and the `jwks.json` to check it against. Without `--out` it writes under `data/audit-exports/`
 * (beside the embedded database, and ignored by git), never loose into the working folder.
 */
export async function auditExport(options: { out?: string; json: boolean }): Promise<void> {
  const { config, handle } = await openGateway();
  // By default beside the embedded database (in its git-ignored folder); PostgreSQL has no such folder.
  const beside = sqliteFileOf(config.DATABASE_URL);
  if (!options.out && !beside) {
    await handle.destroy();
    throw new UsageError('audit export needs --out DIR for a PostgreSQL database');
  }
  const out =
    options.out ??
    join(dirname(beside as string), 'audit-exports', clock.now().toISOString().replace(/[:.]/g, '-'));
  try {
    const keys = await openKeys(handle, config);
    const log = new AuditLog(handle.db, { clock });
    const checkpoint = await new Checkpoints(handle.db, log, keys, {
      issuer: config.SANGAM_ISSUER,
      clock,
    }).create();
    mkdirSync(out, { recursive: true });
    const entries = createWriteStream(join(out, 'entries.jsonl'));
    let count = 0;
    for await (const item of exportEntries(handle.db, {}, { all: true })) {
      if (item.seq > checkpoint.treeSize) break;
      if (!entries.write(`${jsonlLine(item)}\n`)) await once(entries, 'drain');
      count += 1;
    }
    entries.end();
    await once(entries, 'finish');
    const write = (name: string, value: unknown) =>
      createWriteStream(join(out, name)).end(`${JSON.stringify(value, null, 2)}\n`);
    write('checkpoint.json', checkpoint);
    write('jwks.json', await keys.jwks());
    if (options.json) process.stdout.write(`${JSON.stringify({ entries: count, checkpoint, out })}\n`);
    else
      say(`Exported ${count} entries to ${out}, with the checkpoint at ${checkpoint.treeSize} and the JWKS.`);
  } finally {
    await handle.destroy();
  }
}

/**
 * `sangam audit verify --export FILE --checkpoint FILE --jwks FILE`: offline, trusting nothing but the JWKS.
 * Exit 0 when the export matches the signed checkpoint; 1 with the first bad sequence number otherwise.
 */
export async function auditVerify(options: {
  dir?: string;
  export?: string;
  checkpoint?: string;
  jwks?: string;
  witnesses?: readonly string[];
  minWitnesses?: string;
  json: boolean;
}): Promise<boolean> {
  const files = options.dir
    ? {
        export: join(options.dir, 'entries.jsonl'),
        checkpoint: join(options.dir, 'checkpoint.json'),
        jwks: join(options.dir, 'jwks.json'),
      }
    : options;
  if (!files.export || !files.checkpoint || !files.jwks) {
    throw new UsageError('audit verify needs --dir DIR, or --export FILE --checkpoint FILE --jwks FILE');
  }
  const witnesses = (options.witnesses ?? []).map((text) => {
    try {
      return parseVerifierKey(text);
    } catch (error) {
      throw new UsageError(`--witness ${text}: ${(error as Error).message}`);
    }
  });
  const minWitnesses = options.minWitnesses === undefined ? 0 : Number(options.minWitnesses);
  if (!Number.isSafeInteger(minWitnesses) || minWitnesses < 0 || minWitnesses > witnesses.length) {
    throw new UsageError('--min-witnesses takes a whole number, at most the number of --witness keys given');
  }
  const readJsonFile = (path: string, what: string): unknown => {
    try {
      return JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      throw new UsageError(`cannot read the ${what} ${path}: ${(error as Error).message}`);
    }
  };
  const checkpointFile = readJsonFile(files.checkpoint, 'checkpoint') as {
    results?: Checkpoint;
  } & Checkpoint;
  // Accept a checkpoint as the API answers it (inside the envelope) or bare.
  const checkpoint = checkpointFile.results ?? checkpointFile;
  const jwks = readJsonFile(files.jwks, 'JWKS') as { keys: [] };
  // The iterator is taken at once: readline emits lines whether or not anyone listens, and the verifier checks the
  // checkpoint's signature (asynchronously) before it reads the first line, so lines sent meanwhile would be lost.
  const reading = createInterface({
    input: createReadStream(files.export),
    crlfDelay: Number.POSITIVE_INFINITY,
  })[Symbol.asyncIterator]();
  const lines = { [Symbol.asyncIterator]: () => reading };
  const tty = process.stderr.isTTY;
  const report = await verifyExport(lines, checkpoint, jwks, {
    witnesses,
    minWitnesses,
    progressEvery: 50_000,
    onProgress: (n) => {
      if (tty) process.stderr.write(`\r  verified ${n.toLocaleString('en')} entries…`);
    },
  });
  if (tty) process.stderr.write('\r\u001b[K');
  if (options.json) process.stdout.write(`${JSON.stringify(report)}\n`);
  else if (report.ok) {
    const cosigned = report.cosignedBy?.length ? `, cosigned by ${report.cosignedBy.join(', ')}` : '';
    say(
      `OK: ${report.entries} entries match the checkpoint signed at size ${report.checkpointSize}${cosigned}.`,
    );
  } else {
    say(
      `FAILED: ${report.firstBadSeq === undefined ? '' : `first bad entry ${report.firstBadSeq}: `}${report.reason}`,
    );
  }
  return report.ok;
}
