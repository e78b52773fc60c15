import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type Checkpoint,
  cosign,
  fromBase64,
  gatewayNoteKeys,
  newWitnessKey,
  noteSignedBy,
  parseCheckpointText,
  parseNote,
  parseWitnessKey,
  signatureLine,
  witnessRefusal,
} from '@sangam/audit';
import { SangamClient } from '@sangam/client';
import { env, parseConfig } from '@sangam/core';
import { CommandError, UsageError } from '../usage.js';
import { clock, say } from './context.js';

/** What the commands that talk to a gateway over HTTP read from the environment. */
const remoteSettings = {
  SANGAM_CLIENT_SECRET: env.string({
    secret: true,
    accepts: 'the secret of the client named by --client',
    pattern: /^\S{1,200}$/,
    description: 'The client secret for `sangam audit fetch` and `sangam audit witness`',
  }),
};

function remoteClient(
  gateway: string | undefined,
  clientId: string | undefined,
  command: string,
): SangamClient {
  if (!gateway || !/^https?:\/\/[^\s]+$/.test(gateway) || !clientId) {
    throw new UsageError(`${command} needs --gateway URL --client ID, and SANGAM_CLIENT_SECRET set`);
  }
  const { SANGAM_CLIENT_SECRET: secret } = parseConfig(remoteSettings);
  return new SangamClient({ baseUrl: gateway, clientId, clientSecret: secret, timeoutMs: 120_000 });
}

/**
 * `sangam audit fetch --gateway URL --client ID --out DIR`: the newest checkpoint with its cosignatures, exactly the
 * entries it covers, and the JWKS, over HTTP: everything `sangam audit verify --dir DIR` needs, and no database.
 */
export async function auditFetch(options: {
  gateway?: string;
  client?: string;
  out?: string;
  json: boolean;
}): Promise<void> {
  if (!options.out) throw new UsageError('audit fetch needs --out DIR');
  const client = remoteClient(options.gateway, options.client, 'audit fetch');
  try {
    const checkpoint = (await client.get<{ results: Checkpoint }>('/audit/v1/checkpoints/latest')).results;
    const jwks = await client.jwks();
    mkdirSync(options.out, { recursive: true });
    const entries = createWriteStream(join(options.out, 'entries.jsonl'));
    let lines = 0;
    for await (const chunk of await client.download(`/audit/v1/export?treeSize=${checkpoint.treeSize}`)) {
      for (const byte of chunk) if (byte === 0x0a) lines += 1;
      if (!entries.write(chunk)) await once(entries, 'drain');
    }
    entries.end();
    await once(entries, 'finish');
    writeFileSync(join(options.out, 'checkpoint.json'), `${JSON.stringify(checkpoint, null, 2)}\n`);
    writeFileSync(join(options.out, 'jwks.json'), `${JSON.stringify(jwks, null, 2)}\n`);
    if (options.json) {
      process.stdout.write(
        `${JSON.stringify({ entries: lines, treeSize: checkpoint.treeSize, out: options.out })}\n`,
      );
    } else {
      say(
        `Fetched ${lines} entries to ${options.out}, with the checkpoint at ${checkpoint.treeSize} (${checkpoint.cosignatures?.length ?? 0} cosignatures) and the JWKS.`,
      );
    }
  } finally {
    await client.close();
  }
}

/** `sangam audit witness-key --name NAME --out FILE`: a new witness key; prints the verifier key to register. */
export function auditWitnessKey(options: { name?: string; out?: string; json: boolean }): void {
  if (!options.name || !options.out) throw new UsageError('audit witness-key needs --name NAME --out FILE');
  if (existsSync(options.out))
    throw new CommandError(`${options.out} exists; a witness key is never overwritten`);
  let key: ReturnType<typeof newWitnessKey>;
  try {
    key = newWitnessKey(options.name);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  writeFileSync(options.out, key.privateKey, { mode: 0o600 });
  if (options.json) process.stdout.write(`${JSON.stringify({ verifierKey: key.verifierKey })}\n`);
  else {
    say(
      `Wrote the witness key to ${options.out}; keep it private. The city admin registers this verifier key:`,
    );
    process.stdout.write(`${key.verifierKey}\n`);
  }
}

/** A witness's refusal: the gateway showed a checkpoint that does not extend what this witness saw. */
export class WitnessRefusal extends Error {}

/**
 * `sangam audit witness --gateway URL --key FILE --state DIR --client ID` (tlog-witness, run by any party): fetches
 * the newest checkpoint, checks the gateway signed it and that it extends the last one this witness saw (a
 * consistency proof), keeps it, and posts a cosignature. A checkpoint that does not extend what was seen is refused
 * loudly (WitnessRefusal): the gateway's history was rewritten.
 */
export async function auditWitness(options: {
  gateway?: string;
  client?: string;
  key?: string;
  state?: string;
  json: boolean;
}): Promise<void> {
  if (!options.key || !options.state) {
    throw new UsageError('audit witness needs --gateway URL --key FILE --state DIR --client ID');
  }
  let signer: ReturnType<typeof parseWitnessKey>;
  try {
    signer = parseWitnessKey(readFileSync(options.key, 'utf8'));
  } catch (error) {
    throw new UsageError(`cannot read the witness key ${options.key}: ${(error as Error).message}`);
  }
  const client = remoteClient(options.gateway, options.client, 'audit witness');
  try {
    const noteText = await client.getText('/audit/v1/checkpoints/latest?format=note');
    const jwks = await client.jwks();
    const note = parseNote(noteText);
    const body = parseCheckpointText(note.text);
    if (!gatewayNoteKeys(jwks as never, body.origin).some((key) => noteSignedBy(note, key))) {
      throw new WitnessRefusal(
        `the checkpoint at ${body.treeSize} is not signed by a key of the gateway's JWKS`,
      );
    }
    mkdirSync(options.state, { recursive: true });
    // One state file per gateway, named by its URL (not by what the note says): a gateway that starts calling
    // itself another log is compared with what it served before, and refused, rather than trusted afresh.
    const gatewayKey = new URL(options.gateway ?? '').origin;
    const stateFile = join(
      options.state,
      `${gatewayKey.replace(/[^A-Za-z0-9.-]/g, '_')}-${createHash('sha256').update(gatewayKey).digest('hex').slice(0, 12)}.checkpoint`,
    );
    const seen = existsSync(stateFile) ? parseCheckpointText(readFileSync(stateFile, 'utf8')) : undefined;
    const refusal = await witnessRefusal(seen, body, async (from, to) => {
      const answer = await client.get<{ results: { proof: string[] } }>(
        `/audit/v1/consistency?from=${from}&to=${to}`,
      );
      return answer.results.proof.map(fromBase64);
    });
    if (refusal) throw new WitnessRefusal(refusal);
    // What was checked is kept before it is cosigned: a post that fails does not unlearn it.
    writeFileSync(`${stateFile}.tmp`, note.text);
    renameSync(`${stateFile}.tmp`, stateFile);
    const line = signatureLine(cosign(note.text, signer, Math.floor(clock.now().getTime() / 1000)));
    await client.postText(`/audit/v1/checkpoints/${body.treeSize}/cosignatures`, line);
    const result = { origin: body.origin, treeSize: body.treeSize, previous: seen?.treeSize ?? null };
    if (options.json) process.stdout.write(`${JSON.stringify({ cosigned: true, ...result })}\n`);
    else
      say(
        `Cosigned ${body.origin} at ${body.treeSize}${seen ? `, consistent with ${seen.treeSize} seen before` : ' (first checkpoint seen)'}.`,
      );
  } finally {
    await client.close();
  }
}
