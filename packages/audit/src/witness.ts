import { fromBase64, type Hash, verifyConsistency } from './merkle.js';

/** A checkpoint as a witness keeps it: the log's size and root when it last checked it. */
export interface SeenCheckpoint {
  readonly origin: string;
  readonly treeSize: number;
  /** Base64 root hash. */
  readonly rootHash: string;
}

/**
 * Why a witness that saw `seen` must refuse the checkpoint the log serves now (`undefined` when it extends it, and
 * may be cosigned). `proof` fetches the consistency proof between two sizes from the log; the roots come from the
 * checkpoints, never from the log's answer.
 */
export async function witnessRefusal(
  seen: SeenCheckpoint | undefined,
  now: SeenCheckpoint | undefined,
  proof: (from: number, to: number) => Promise<readonly Hash[]>,
): Promise<string | undefined> {
  if (!seen) return now ? undefined : 'the log serves no checkpoint';
  if (!now) return `the log serves no checkpoint, after the one at ${seen.treeSize} was seen`;
  if (seen.origin !== now.origin) return `the state holds another log (${seen.origin})`;
  // An empty log is extended by any log of the same origin.
  if (seen.treeSize === 0) return undefined;
  if (now.treeSize < seen.treeSize) {
    return `the log shrank: its checkpoint is at ${now.treeSize}, after the one at ${seen.treeSize} was seen`;
  }
  if (now.treeSize === seen.treeSize) {
    return now.rootHash === seen.rootHash
      ? undefined
      : `the checkpoint at ${now.treeSize} has another root than the one seen before`;
  }
  let path: readonly Hash[];
  try {
    path = await proof(seen.treeSize, now.treeSize);
  } catch (error) {
    return `the log gives no consistency proof from ${seen.treeSize} to ${now.treeSize}: ${(error as Error).message}`;
  }
  const consistent = verifyConsistency(
    seen.treeSize,
    now.treeSize,
    fromBase64(seen.rootHash),
    fromBase64(now.rootHash),
    path,
  );
  return consistent
    ? undefined
    : `the checkpoint at ${now.treeSize} does not extend the one at ${seen.treeSize} seen before: the log's history was rewritten`;
}
