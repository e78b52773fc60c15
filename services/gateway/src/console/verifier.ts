/**
 * The auditor's verifier, run in the browser (served as a module by the console) and in Node alike: it imports
 * nothing and uses only WebCrypto, so what it checks does not rest on the gateway's word. RFC 9162 inclusion and
 * consistency proofs (leaf SHA-256(0x00 ‖ entry), node SHA-256(0x01 ‖ left ‖ right)), the checkpoint's JWS against
 * the JWKS (EdDSA or ES256), its C2SP signed note, and witnesses' cosignature/v1 lines (Ed25519).
 */

// A type-only import: erased from the module the browser loads.
import type { webcrypto } from 'node:crypto';

type Bytes = Uint8Array;

const subtle = () => globalThis.crypto.subtle;
const utf8 = (text: string): Bytes => new TextEncoder().encode(text);

export function fromBase64(text: string): Bytes {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function toBase64(bytes: Bytes): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

const fromBase64Url = (text: string): Bytes =>
  fromBase64(
    text
      .replace(/-/g, '+')
      .replace(/_/g, '/')
      .padEnd(Math.ceil(text.length / 4) * 4, '='),
  );

async function sha256(bytes: Bytes): Promise<Bytes> {
  return new Uint8Array(await subtle().digest('SHA-256', bytes as webcrypto.BufferSource));
}

export async function leafHash(entry: Bytes): Promise<Bytes> {
  const input = new Uint8Array(entry.length + 1);
  input.set(entry, 1);
  return sha256(input);
}

export async function nodeHash(left: Bytes, right: Bytes): Promise<Bytes> {
  const input = new Uint8Array(65);
  input[0] = 1;
  input.set(left, 1);
  input.set(right, 33);
  return sha256(input);
}

const same = (a: Bytes, b: Bytes) => a.length === b.length && a.every((x, i) => x === b[i]);
const isHash = (h: Bytes) => h.length === 32;
// Not with bitwise operators: they work on 32 bits, and a log may hold more entries than that.
function isPowerOfTwo(n: number): boolean {
  if (!Number.isSafeInteger(n) || n <= 0) return false;
  let m = n;
  while (m % 2 === 0) m /= 2;
  return m === 1;
}

/** The root an inclusion proof leads to from a leaf (RFC 9162 §2.1.3.2), or undefined when it cannot lead anywhere. */
export async function rootFromInclusion(
  index: number,
  size: number,
  hash: Bytes,
  proof: readonly Bytes[],
): Promise<Bytes | undefined> {
  if (!(Number.isSafeInteger(index) && Number.isSafeInteger(size)) || index < 0 || index >= size)
    return undefined;
  if (!isHash(hash) || !proof.every(isHash)) return undefined;
  let fn = index;
  let sn = size - 1;
  let r = hash;
  for (const p of proof) {
    if (sn === 0) return undefined;
    if (fn % 2 === 1 || fn === sn) {
      r = await nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = await nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : undefined;
}

/** Does `proof` show the leaf `hash` at `index` in the tree of `size` with `root`? */
export async function verifyInclusion(
  index: number,
  size: number,
  hash: Bytes,
  proof: readonly Bytes[],
  root: Bytes,
): Promise<boolean> {
  if (!isHash(root)) return false;
  const reached = await rootFromInclusion(index, size, hash, proof);
  return reached !== undefined && same(reached, root);
}

/** RFC 9162 §2.1.4.2: does `proof` show that the tree of `size2` with `root2` extends the one of `size1`? */
export async function verifyConsistency(
  size1: number,
  size2: number,
  root1: Bytes,
  root2: Bytes,
  proof: readonly Bytes[],
): Promise<boolean> {
  if (!(Number.isSafeInteger(size1) && Number.isSafeInteger(size2))) return false;
  if (size1 <= 0 || size1 > size2) return false;
  if (size1 === size2) return proof.length === 0 && same(root1, root2);
  if (!isHash(root1) || !isHash(root2) || !proof.every(isHash) || proof.length === 0) return false;
  const path = isPowerOfTwo(size1) ? [root1, ...proof] : [...proof];
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0] as Bytes;
  let sr = path[0] as Bytes;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = await nodeHash(c, fr);
      sr = await nodeHash(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = await nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && same(fr, root1) && same(sr, root2);
}

/** A public key of the gateway's JWKS, as RFC 7517 writes it. */
export interface Jwk {
  readonly kid?: string;
  readonly kty: string;
  readonly crv?: string;
  readonly x?: string;
  readonly y?: string;
  readonly alg?: string;
}

async function verifyWith(jwk: Jwk, alg: string, signature: Bytes, data: Bytes): Promise<boolean> {
  const { kid: _kid, alg: _alg, ...material } = jwk;
  if (alg === 'EdDSA' && jwk.crv === 'Ed25519') {
    const key = await subtle().importKey(
      'jwk',
      material as webcrypto.JsonWebKey,
      { name: 'Ed25519' },
      false,
      ['verify'],
    );
    return subtle().verify(
      { name: 'Ed25519' },
      key,
      signature as webcrypto.BufferSource,
      data as webcrypto.BufferSource,
    );
  }
  if (alg === 'ES256' && jwk.crv === 'P-256') {
    const key = await subtle().importKey(
      'jwk',
      material as webcrypto.JsonWebKey,
      { name: 'ECDSA', namedCurve: 'P-256' },
      false,
      ['verify'],
    );
    return subtle().verify(
      { name: 'ECDSA', hash: 'SHA-256' },
      key,
      signature as webcrypto.BufferSource,
      data as webcrypto.BufferSource,
    );
  }
  return false;
}

const checkpointType = 'sangam-checkpoint+jws';

/** What a checkpoint's JWS says, once its signature verifies with a key of the JWKS. */
export interface SignedTreeHead {
  readonly treeSize: number;
  readonly rootHash: string;
  readonly kid: string;
  readonly alg: string;
}

/** Verifies a checkpoint's compact JWS with the JWKS; throws saying why it does not hold. */
export async function verifyCheckpointJws(jws: string, keys: readonly Jwk[]): Promise<SignedTreeHead> {
  const [head = '', body = '', signature = ''] = jws.split('.');
  const header = JSON.parse(new TextDecoder().decode(fromBase64Url(head))) as {
    alg?: string;
    kid?: string;
    typ?: string;
  };
  // The gateway's key signs consents and MoUs too: only a JWS typed as a checkpoint is one.
  if (header.typ !== checkpointType)
    throw new Error(`the JWS is a ${header.typ ?? 'untyped'} one, not a checkpoint`);
  const jwk = keys.find((k) => k.kid === header.kid);
  if (!jwk || !header.alg) throw new Error(`no key ${header.kid ?? '(none)'} in the JWKS`);
  if (!(await verifyWith(jwk, header.alg, fromBase64Url(signature), utf8(`${head}.${body}`)))) {
    throw new Error(`the signature does not verify with key ${header.kid}`);
  }
  const payload = JSON.parse(new TextDecoder().decode(fromBase64Url(body))) as {
    treeSize?: number;
    rootHash?: string;
  };
  if (typeof payload.treeSize !== 'number' || typeof payload.rootHash !== 'string')
    throw new Error('the signed checkpoint names no size or root');
  return { treeSize: payload.treeSize, rootHash: payload.rootHash, kid: header.kid ?? '', alg: header.alg };
}

/** A signed note split into its text and signature lines (C2SP signed-note). */
export interface NoteParts {
  readonly text: string;
  readonly origin: string;
  readonly treeSize: number;
  readonly rootHash: string;
  readonly lines: readonly { readonly name: string; readonly keyId: number; readonly signature: Bytes }[];
}

export function parseCheckpointNote(note: string): NoteParts {
  const split = note.lastIndexOf('\n\n');
  if (split < 0 || !note.endsWith('\n'))
    throw new Error('the note is not text, a blank line, then signatures');
  const text = note.slice(0, split + 1);
  const [origin = '', size = '', root = ''] = text.split('\n');
  const lines = note
    .slice(split + 2, -1)
    .split('\n')
    .map((line) => {
      if (!line.startsWith('\u2014 ')) throw new Error('a signature line does not start with "\u2014 "');
      const [name = '', encoded = ''] = line.slice(2).split(' ');
      const bytes = fromBase64(encoded);
      const keyId = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0);
      return { name, keyId, signature: bytes.subarray(4) };
    });
  return { text, origin, treeSize: Number(size), rootHash: root, lines };
}

/** SHA-256(name ‖ 0x0A ‖ type ‖ key)[:4]: a note key's id. */
async function keyIdOf(name: string, type: number, publicKey: Bytes): Promise<number> {
  const nameBytes = utf8(name);
  const input = new Uint8Array(nameBytes.length + 2 + publicKey.length);
  input.set(nameBytes);
  input[nameBytes.length] = 0x0a;
  input[nameBytes.length + 1] = type;
  input.set(publicKey, nameBytes.length + 2);
  const digest = await sha256(input);
  return new DataView(digest.buffer).getUint32(0);
}

async function ed25519Verify(publicKey: Bytes, signature: Bytes, message: Bytes): Promise<boolean> {
  const key = await subtle().importKey(
    'raw',
    publicKey as webcrypto.BufferSource,
    { name: 'Ed25519' },
    false,
    ['verify'],
  );
  return subtle().verify(
    { name: 'Ed25519' },
    key,
    signature as webcrypto.BufferSource,
    message as webcrypto.BufferSource,
  );
}

/** Whether the note carries the gateway's signature by an Ed25519 key of the JWKS, under its origin. */
export async function noteSignedByGateway(note: NoteParts, keys: readonly Jwk[]): Promise<boolean> {
  for (const jwk of keys.filter((k) => k.kty === 'OKP' && k.crv === 'Ed25519' && k.x)) {
    const publicKey = fromBase64Url(jwk.x ?? '');
    const keyId = await keyIdOf(note.origin, 0x01, publicKey);
    for (const line of note.lines.filter((l) => l.name === note.origin && l.keyId === keyId)) {
      if (await ed25519Verify(publicKey, line.signature, utf8(note.text))) return true;
    }
  }
  return false;
}

/** A witness's cosignature of the note, as checked: when it was made, and whether it verifies. */
export interface CosignatureCheck {
  readonly witness: string;
  readonly time: number;
  readonly valid: boolean;
}

/** Checks the cosignature/v1 lines of registered witnesses (verifier keys `name+id+base64(0x04 ‖ key)`). */
export async function checkCosignatures(
  note: NoteParts,
  verifierKeys: readonly string[],
): Promise<CosignatureCheck[]> {
  const checks: CosignatureCheck[] = [];
  for (const text of verifierKeys) {
    const [, name = '', id = '', encoded = ''] =
      /^([^+]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/=]+)$/.exec(text.trim()) ?? [];
    const bytes = fromBase64(encoded);
    if (bytes[0] !== 0x04 || bytes.length !== 33) continue;
    const publicKey = bytes.subarray(1);
    if ((await keyIdOf(name, 0x04, publicKey)) !== Number.parseInt(id, 16)) continue;
    for (const line of note.lines.filter((l) => l.name === name && l.keyId === Number.parseInt(id, 16))) {
      if (line.signature.length !== 72) continue;
      const time = Number(new DataView(line.signature.buffer, line.signature.byteOffset, 8).getBigUint64(0));
      const message = utf8(`cosignature/v1\ntime ${time}\n${note.text}`);
      checks.push({
        witness: name,
        time,
        valid: await ed25519Verify(publicKey, line.signature.subarray(8), message),
      });
    }
  }
  return checks;
}

/** One step of a verification, with the values its sentence names. */
export interface Step {
  readonly step: string;
  readonly ok: boolean;
  readonly values: Readonly<Record<string, string | number>>;
}

/** Where the verifier reads the log: the console's own JSON, fetched with the person's session. */
export type FetchJson = (path: string) => Promise<unknown>;

interface CheckpointAnswer {
  readonly treeSize: number;
  readonly rootHash: string;
  readonly jws: string;
  readonly note?: string;
}

/** The checkpoint at a size (or the newest), its JWS and note checked against the JWKS and witnesses. */
async function checkedCheckpoint(
  get: FetchJson,
  path: string,
  steps: Step[],
  expectedSize?: number,
): Promise<{ treeSize: number; root: Bytes } | undefined> {
  const checkpoint = (await get(path)) as CheckpointAnswer;
  const jwks = (await get('/.well-known/jwks.json')) as { keys: Jwk[] };
  let head: SignedTreeHead;
  try {
    head = await verifyCheckpointJws(checkpoint.jws, jwks.keys);
  } catch (error) {
    steps.push({ step: 'signature', ok: false, values: { why: (error as Error).message } });
    return undefined;
  }
  steps.push({
    step: 'signature',
    ok: true,
    values: { size: head.treeSize, root: head.rootHash, kid: head.kid, alg: head.alg },
  });
  if (expectedSize !== undefined && head.treeSize !== expectedSize) {
    steps.push({ step: 'size', ok: false, values: { asked: expectedSize, size: head.treeSize } });
    return undefined;
  }
  // A gateway signing with Ed25519 writes every checkpoint as a signed note, where witnesses cosign: a checkpoint
  // served without one hides its cosignatures.
  if (!checkpoint.note && head.alg === 'EdDSA') {
    steps.push({ step: 'note', ok: false, values: {} });
    return undefined;
  }
  if (checkpoint.note) {
    let note: NoteParts;
    try {
      note = parseCheckpointNote(checkpoint.note);
    } catch {
      steps.push({ step: 'note', ok: false, values: {} });
      return undefined;
    }
    const agrees = note.treeSize === head.treeSize && note.rootHash === head.rootHash;
    const signed = agrees && (await noteSignedByGateway(note, jwks.keys));
    steps.push({ step: 'note', ok: signed, values: { origin: note.origin } });
    if (!signed) return undefined;
    const witnesses = (await get('/audit/data/witnesses')) as { name: string; verifierKey: string }[];
    const checks = await checkCosignatures(
      note,
      witnesses.map((w) => w.verifierKey),
    );
    const bad = checks.filter((c) => !c.valid);
    if (bad.length > 0) {
      steps.push({
        step: 'cosignatures',
        ok: false,
        values: { names: bad.map((c) => c.witness).join(', ') },
      });
      return undefined;
    }
    steps.push({
      step: checks.length > 0 ? 'cosignatures' : 'noCosignatures',
      ok: true,
      values: { names: checks.map((c) => c.witness).join(', ') },
    });
  }
  return { treeSize: head.treeSize, root: fromBase64(head.rootHash) };
}

/**
 * Verifies one entry: its bytes hash to a leaf, the inclusion proof leads from that leaf to the root of the newest
 * checkpoint, and the checkpoint is signed by the gateway (and cosigned by the witnesses that say so).
 */
export async function verifyEntry(get: FetchJson, seq: number): Promise<Step[]> {
  const steps: Step[] = [];
  const { entry } = (await get(`/audit/data/entries/${seq}`)) as { entry: string };
  const leaf = await leafHash(utf8(entry));
  steps.push({ step: 'leaf', ok: true, values: { seq, hash: toBase64(leaf) } });
  const checkpoint = await checkedCheckpoint(get, '/audit/data/checkpoints/latest', steps);
  if (!checkpoint) return steps;
  if (seq > checkpoint.treeSize) {
    steps.push({ step: 'notYet', ok: false, values: { seq, size: checkpoint.treeSize } });
    return steps;
  }
  const proof = (await get(`/audit/data/entries/${seq}/proof?treeSize=${checkpoint.treeSize}`)) as {
    proof: string[];
  };
  const included = await verifyInclusion(
    seq - 1,
    checkpoint.treeSize,
    leaf,
    proof.proof.map(fromBase64),
    checkpoint.root,
  );
  steps.push({
    step: 'inclusion',
    ok: included,
    values: { seq, size: checkpoint.treeSize, hashes: proof.proof.length },
  });
  return steps;
}

/** Verifies that the checkpoint at `to` extends the one at `from`: both signed, and the consistency proof holds. */
export async function verifyCheckpoints(get: FetchJson, from: number, to: number): Promise<Step[]> {
  const steps: Step[] = [];
  // Each checkpoint must be signed for the size asked: the roots compared are the signed ones of those sizes.
  const older = await checkedCheckpoint(get, `/audit/data/checkpoints/${from}`, steps, from);
  if (!older) return steps;
  const newer = await checkedCheckpoint(get, `/audit/data/checkpoints/${to}`, steps, to);
  if (!newer) return steps;
  const proof = (await get(`/audit/data/consistency?from=${from}&to=${to}`)) as { proof: string[] };
  const consistent = await verifyConsistency(from, to, older.root, newer.root, proof.proof.map(fromBase64));
  steps.push({ step: 'consistency', ok: consistent, values: { from, to, hashes: proof.proof.length } });
  return steps;
}
