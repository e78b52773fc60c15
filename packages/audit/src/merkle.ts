import * as crypto from 'node:crypto';

/**
 * Merkle tree hashing, proofs and their verification exactly as RFC 9162 §2.1 defines them: leaf
 * `SHA-256(0x00 ‖ entry)`, node `SHA-256(0x01 ‖ left ‖ right)`, split at the largest power of two below the size.
 */
export type Hash = Uint8Array;
export const hashLength = 32;

// One-shot hashing over reused buffers: verification hashes millions of leaves and nodes, and a Hash object and
// a concatenated buffer per hash cost more than the hashing itself.
const oneShot = (
  crypto as { hash?: (algorithm: string, data: Uint8Array | string, encoding: 'buffer') => Buffer }
).hash;
const sha256 = oneShot
  ? (data: Uint8Array | string): Hash => oneShot('sha256', data, 'buffer')
  : (data: Uint8Array | string): Hash => crypto.createHash('sha256').update(data).digest();

const emptyHash: Hash = sha256(new Uint8Array(0));
const nodeInput = Buffer.alloc(65, 1);
let leafInput = Buffer.alloc(4096);

export function leafHash(entry: Uint8Array): Hash {
  if (entry.length + 1 > leafInput.length) leafInput = Buffer.alloc(2 * (entry.length + 1));
  leafInput[0] = 0;
  leafInput.set(entry, 1);
  return sha256(leafInput.subarray(0, entry.length + 1));
}

/** The leaf hash of an entry held as text: its UTF-8 bytes after 0x00, without copying them into a buffer first. */
export function leafHashOfText(entry: string): Hash {
  return sha256(`\u0000${entry}`);
}

export function nodeHash(left: Hash, right: Hash): Hash {
  nodeInput[0] = 1;
  nodeInput.set(left, 1);
  nodeInput.set(right, 33);
  return sha256(nodeInput);
}

/** The largest power of two strictly smaller than n (n ≥ 2). */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function isPowerOfTwo(n: number): boolean {
  return n > 0 && Number.isInteger(Math.log2(n));
}

/**
 * Hashes of perfect, aligned subtrees: `node(level, index)` covers leaves `[index·2^level, (index+1)·2^level)`.
 * A store keeps these, so any root or proof needs only O(log n) of them.
 */
export interface SubtreeSource {
  node(level: number, index: number): Hash;
}

/** MTH(D[start:end]) from perfect subtrees; every range the RFC's recursion visits is aligned this way. */
export function rangeHash(source: SubtreeSource, start: number, end: number): Hash {
  const size = end - start;
  if (size === 0) return emptyHash;
  if (isPowerOfTwo(size) && start % size === 0) return source.node(Math.log2(size), start / size);
  const k = splitPoint(size);
  return nodeHash(rangeHash(source, start, start + k), rangeHash(source, start + k, end));
}

/** The root hash of a tree of `size` leaves (the hash of the empty string for size 0). */
export function treeRoot(source: SubtreeSource, size: number): Hash {
  return size === 0 ? emptyHash : rangeHash(source, 0, size);
}

/** PATH(m, D[n]) of RFC 9162 §2.1.3.1: the inclusion proof of leaf `index` in a tree of `size` leaves. */
export function inclusionPath(source: SubtreeSource, index: number, size: number): Hash[] {
  if (!(index >= 0 && index < size)) throw new RangeError(`leaf ${index} is not in a tree of ${size}`);
  const path = (m: number, start: number, end: number): Hash[] => {
    const n = end - start;
    if (n === 1) return [];
    const k = splitPoint(n);
    return m < start + k
      ? [...path(m, start, start + k), rangeHash(source, start + k, end)]
      : [...path(m, start + k, end), rangeHash(source, start, start + k)];
  };
  return path(index, 0, size);
}

/** PROOF(m, D[n]) of RFC 9162 §2.1.4.1: the consistency proof between sizes `m` and `n`, 0 < m ≤ n. */
export function consistencyPath(source: SubtreeSource, m: number, n: number): Hash[] {
  if (!(m > 0 && m <= n)) throw new RangeError(`no consistency proof from ${m} to ${n}`);
  const subproof = (size: number, start: number, end: number, complete: boolean): Hash[] => {
    const total = end - start;
    if (size === total) return complete ? [] : [rangeHash(source, start, end)];
    const k = splitPoint(total);
    return size <= k
      ? [...subproof(size, start, start + k, complete), rangeHash(source, start + k, end)]
      : [...subproof(size - k, start + k, end, false), rangeHash(source, start, start + k)];
  };
  return subproof(m, 0, n, true);
}

/** A SubtreeSource over an in-memory list of leaf hashes (memoised). */
export function leavesSource(leaves: readonly Hash[]): SubtreeSource {
  const memo = new Map<string, Hash>();
  const node = (level: number, index: number): Hash => {
    if (level === 0) {
      const leaf = leaves[index];
      if (!leaf) throw new RangeError(`no leaf ${index}`);
      return leaf;
    }
    const key = `${level}:${index}`;
    let hash = memo.get(key);
    if (!hash) {
      hash = nodeHash(node(level - 1, 2 * index), node(level - 1, 2 * index + 1));
      memo.set(key, hash);
    }
    return hash;
  };
  return { node };
}

/** The root of a list of leaf hashes. */
export function rootOfLeaves(leaves: readonly Hash[]): Hash {
  const root = new RootBuilder();
  for (const leaf of leaves) root.push(leaf);
  return root.root();
}

export function inclusionProofOfLeaves(index: number, leaves: readonly Hash[]): Hash[] {
  return inclusionPath(leavesSource(leaves), index, leaves.length);
}

export function consistencyProofOfLeaves(m: number, leaves: readonly Hash[]): Hash[] {
  return consistencyPath(leavesSource(leaves), m, leaves.length);
}

/**
 * Streams leaves into a root in O(log n) memory: the stack holds the perfect subtrees of the binary
 * decomposition of the size so far, which is also the tree's right edge ("frontier").
 */
export class RootBuilder {
  readonly #stack: { level: number; hash: Hash }[] = [];
  #size = 0;

  /** Starts from the frontier of a tree of `size` leaves (largest subtree first). */
  static fromFrontier(size: number, frontier: readonly Hash[]): RootBuilder {
    const builder = new RootBuilder();
    const levels = frontierLevels(size);
    if (levels.length !== frontier.length) throw new RangeError('frontier does not match the size');
    levels.forEach((level, i) => {
      builder.#stack.push({ level, hash: frontier[i] as Hash });
    });
    builder.#size = size;
    return builder;
  }

  get size(): number {
    return this.#size;
  }

  /** A builder in the same state, to continue separately. */
  clone(): RootBuilder {
    const copy = new RootBuilder();
    copy.#stack.push(...this.#stack);
    copy.#size = this.#size;
    return copy;
  }

  /** Adds a leaf, without reporting the subtrees it completed (for verification, where nothing is stored). */
  add(leaf: Hash): void {
    let top = { level: 0, hash: leaf };
    while (
      this.#stack.length > 0 &&
      (this.#stack[this.#stack.length - 1] as { level: number }).level === top.level
    ) {
      const left = this.#stack.pop() as { level: number; hash: Hash };
      top = { level: top.level + 1, hash: nodeHash(left.hash, top.hash) };
    }
    this.#stack.push(top);
    this.#size += 1;
  }

  /** Adds a leaf; returns the perfect subtrees it completed as `{level, index, hash}`, leaf included. */
  push(leaf: Hash): { level: number; index: number; hash: Hash }[] {
    const created = [{ level: 0, index: this.#size, hash: leaf }];
    let top = { level: 0, hash: leaf };
    let index = this.#size;
    while (
      this.#stack.length > 0 &&
      (this.#stack[this.#stack.length - 1] as { level: number }).level === top.level
    ) {
      const left = this.#stack.pop() as { level: number; hash: Hash };
      top = { level: top.level + 1, hash: nodeHash(left.hash, top.hash) };
      index = Math.floor(index / 2);
      created.push({ level: top.level, index, hash: top.hash });
    }
    this.#stack.push(top);
    this.#size += 1;
    return created;
  }

  root(): Hash {
    if (this.#stack.length === 0) return emptyHash;
    let hash = (this.#stack[this.#stack.length - 1] as { hash: Hash }).hash;
    for (let i = this.#stack.length - 2; i >= 0; i -= 1)
      hash = nodeHash((this.#stack[i] as { hash: Hash }).hash, hash);
    return hash;
  }
}

/** Levels of the perfect subtrees on the right edge of a tree of `size` leaves, largest first. */
export function frontierLevels(size: number): number[] {
  const levels: number[] = [];
  for (let level = 52; level >= 0; level -= 1)
    if (Math.floor(size / 2 ** level) % 2 === 1) levels.push(level);
  return levels;
}

/** Coordinates `{level, index}` of the frontier subtrees of a tree of `size` leaves, largest first. */
export function frontierNodes(size: number): { level: number; index: number }[] {
  let start = 0;
  return frontierLevels(size).map((level) => {
    const node = { level, index: start / 2 ** level };
    start += 2 ** level;
    return node;
  });
}

function equal(a: Hash, b: Hash): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

const validHash = (h: Hash) => h.length === hashLength;

/** RFC 9162 §2.1.3.2: does `proof` show the leaf `hash` at `index` in the tree of `size` with `root`? */
export function verifyInclusion(
  index: number,
  size: number,
  hash: Hash,
  proof: readonly Hash[],
  root: Hash,
): boolean {
  if (!(Number.isSafeInteger(index) && Number.isSafeInteger(size)) || index < 0 || index >= size)
    return false;
  if (!validHash(hash) || !validHash(root) || !proof.every(validHash)) return false;
  let fn = index;
  let sn = size - 1;
  let r = hash;
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && equal(r, root);
}

/** RFC 9162 §2.1.4.2: does `proof` show that the tree of `size2` with `root2` extends the one of `size1`? */
export function verifyConsistency(
  size1: number,
  size2: number,
  root1: Hash,
  root2: Hash,
  proof: readonly Hash[],
): boolean {
  if (!(Number.isSafeInteger(size1) && Number.isSafeInteger(size2))) return false;
  if (size1 <= 0 || size1 > size2) return false;
  // Equal sizes: the proof is empty and the roots are the same bytes (RFC 9162 §2.1.4.1).
  if (size1 === size2) return proof.length === 0 && equal(root1, root2);
  if (!validHash(root1) || !validHash(root2) || !proof.every(validHash)) return false;
  if (proof.length === 0) return false;
  const path = isPowerOfTwo(size1) ? [root1, ...proof] : [...proof];
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0] as Hash;
  let sr = path[0] as Hash;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && equal(fr, root1) && equal(sr, root2);
}

export const toBase64 = (hash: Hash): string => Buffer.from(hash).toString('base64');
export const fromBase64 = (text: string): Hash => new Uint8Array(Buffer.from(text, 'base64'));
export const emptyTreeRoot = (): Hash => emptyHash;
