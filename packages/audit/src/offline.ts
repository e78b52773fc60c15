import type { JSONWebKeySet } from 'jose';
import { canonicalJson } from './canonical.js';
import { type Checkpoint, verifyCheckpoint } from './checkpoints.js';
import { fromBase64 } from './merkle.js';
import { checkedNote, type VerifierKey } from './note-checks.js';
import { LogVerifier, type VerificationReport } from './verify.js';

/**
 * Verifies an exported JSONL log against one checkpoint, trusting nothing but the JWKS: the checkpoint's signature,
 * then every line (`{"entry": …, "leafHash": …}`) in order. `onProgress` is called every `progressEvery` lines.
 */
export async function verifyExport(
  lines: AsyncIterable<string>,
  checkpoint: Checkpoint,
  jwks: JSONWebKeySet,
  options: {
    onProgress?: (lines: number) => void;
    progressEvery?: number;
    /** Witness keys the verifier trusts, and how many of them must have cosigned the checkpoint. */
    witnesses?: readonly VerifierKey[];
    minWitnesses?: number;
  } = {},
): Promise<VerificationReport & { cosignedBy?: string[] }> {
  let signed: { treeSize: number; rootHash: string };
  let cosignedBy: string[] = [];
  try {
    signed = await verifyCheckpoint(checkpoint, jwks);
    if (checkpoint.note !== undefined) {
      cosignedBy = checkedNote(checkpoint, jwks, undefined, options.witnesses ?? []).cosignedBy;
    }
  } catch (error) {
    return {
      ok: false,
      entries: 0,
      checkpointSize: checkpoint.treeSize,
      reason: `the checkpoint does not verify with the JWKS: ${(error as Error).message}`,
    };
  }
  const required = options.minWitnesses ?? 0;
  if (cosignedBy.length < required) {
    return {
      ok: false,
      entries: 0,
      checkpointSize: checkpoint.treeSize,
      cosignedBy,
      reason: `the checkpoint carries ${cosignedBy.length} cosignatures by the witnesses given, ${required} are required`,
    };
  }
  const verifier = new LogVerifier(new Map([[signed.treeSize, signed.rootHash]]), signed.treeSize);
  const encoder = new TextEncoder();
  const every = options.progressEvery ?? 100_000;
  let position = 0;
  for await (const line of lines) {
    if (line.trim() === '') continue;
    position += 1;
    let entry: unknown;
    let leaf: string | undefined;
    try {
      const parsed = JSON.parse(line) as { entry?: unknown; leafHash?: unknown };
      entry = parsed.entry;
      leaf = typeof parsed.leafHash === 'string' ? parsed.leafHash : undefined;
    } catch {
      entry = undefined;
    }
    const seq =
      entry && typeof entry === 'object' && typeof (entry as { seq?: unknown }).seq === 'number'
        ? (entry as { seq: number }).seq
        : undefined;
    const bytes = entry === undefined ? encoder.encode(line) : encoder.encode(canonicalJson(entry));
    verifier.push({ position, seq, bytes, ...(leaf ? { storedLeaf: fromBase64(leaf) } : {}) });
    if (options.onProgress && position % every === 0) options.onProgress(position);
  }
  return { ...verifier.finish(), cosignedBy };
}
