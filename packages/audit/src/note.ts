import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  KeyObject,
  sign,
  verify,
  type webcrypto,
} from 'node:crypto';

/**
 * C2SP signed notes (`signed-note`), checkpoints (`tlog-checkpoint`) and cosignatures (`tlog-cosignature`,
 * cosignature/v1 with Ed25519): the text formats every transparency-log witness speaks.
 */

/** Signature types: an Ed25519 note signature, and an Ed25519 cosignature/v1. */
export const noteSignatureType = { ed25519: 0x01, cosignatureV1: 0x04 } as const;
type SignatureType = (typeof noteSignatureType)[keyof typeof noteSignatureType];

const dash = '\u2014 ';
/** Key names are schema-less URLs: printable, no spaces or plus signs (which separate a verifier key's parts). */
const keyNamePattern = /^[\x21-\x2a\x2c-\x7e]{1,200}$/;

export interface NoteSignature {
  readonly name: string;
  /** The 4-byte key id, as a 32-bit unsigned integer. */
  readonly keyId: number;
  /** What follows the key id. */
  readonly signature: Uint8Array;
}

export interface SignedNote {
  /** The signed text, ending in a newline. */
  readonly text: string;
  readonly signatures: readonly NoteSignature[];
}

/** A public key a note is verified with. */
export interface VerifierKey {
  readonly name: string;
  readonly keyId: number;
  readonly type: SignatureType;
  /** The 32-byte Ed25519 public key. */
  readonly publicKey: Uint8Array;
}

export function isKeyName(name: string): boolean {
  return keyNamePattern.test(name);
}

/** SHA-256(name ‖ 0x0A ‖ type ‖ key)[:4], as the spec defines a key id. */
export function keyIdOf(name: string, type: SignatureType, publicKey: Uint8Array): number {
  const digest = createHash('sha256')
    .update(name)
    .update(Buffer.from([0x0a, type]))
    .update(publicKey)
    .digest();
  return digest.readUInt32BE(0);
}

/** `name+hex(key id)+base64(type ‖ key)`. */
export function verifierKeyText(key: VerifierKey): string {
  const id = key.keyId.toString(16).padStart(8, '0');
  return `${key.name}+${id}+${Buffer.concat([Buffer.from([key.type]), key.publicKey]).toString('base64')}`;
}

/** Reads a verifier key; throws naming what is wrong. */
export function parseVerifierKey(text: string): VerifierKey {
  // The base64 part may itself hold "+": the name and the id are what come before it.
  const [, name = '', id = '', encoded = ''] =
    /^([^+]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/=]+)$/.exec(text.trim()) ?? [];
  if (!isKeyName(name)) {
    throw new TypeError('a verifier key is name+hex key id+base64 key');
  }
  const bytes = Buffer.from(encoded, 'base64');
  const type = bytes[0];
  if (
    bytes.length !== 33 ||
    (type !== noteSignatureType.ed25519 && type !== noteSignatureType.cosignatureV1)
  ) {
    throw new TypeError('a verifier key holds an Ed25519 key (type 0x01 or 0x04) of 32 bytes');
  }
  const key: VerifierKey = { name, keyId: Number.parseInt(id, 16), type, publicKey: bytes.subarray(1) };
  if (keyIdOf(name, type, key.publicKey) !== key.keyId)
    throw new TypeError('the key id does not match the key');
  return key;
}

/** Any character below U+0020 other than a newline, which notes must not contain. */
function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code < 0x20 && code !== 0x0a) return true;
  }
  return false;
}

/** Splits a signed note into its text and signature lines; throws on anything malformed. */
export function parseNote(note: string): SignedNote {
  if (note.length > 1_000_000 || hasControlCharacter(note)) {
    throw new TypeError('a note is text of at most 1 MB without control characters');
  }
  const split = note.lastIndexOf('\n\n');
  if (split < 0 || !note.endsWith('\n')) throw new TypeError('a note is text, a blank line, then signatures');
  const text = note.slice(0, split + 1);
  const lines = note.slice(split + 2, -1).split('\n');
  if (lines.length > 100) throw new TypeError('a note carries at most 100 signatures');
  return { text, signatures: lines.map(parseSignatureLine) };
}

/** One `— name base64(key id ‖ signature)` line (without its newline). */
export function parseSignatureLine(line: string): NoteSignature {
  const body = line.startsWith(dash) ? line.slice(dash.length) : undefined;
  const [name = '', encoded = '', ...rest] = body?.split(' ') ?? [];
  const bytes = Buffer.from(encoded, 'base64');
  if (
    !body ||
    rest.length > 0 ||
    !isKeyName(name) ||
    bytes.length < 5 ||
    bytes.toString('base64') !== encoded
  ) {
    throw new TypeError('a signature line is "— <key name> <base64 signature>"');
  }
  return { name, keyId: bytes.readUInt32BE(0), signature: new Uint8Array(bytes.subarray(4)) };
}

export function signatureLine(signature: NoteSignature): string {
  const id = Buffer.alloc(4);
  id.writeUInt32BE(signature.keyId);
  return `${dash}${signature.name} ${Buffer.concat([id, signature.signature]).toString('base64')}\n`;
}

/** The note: its text, a blank line, and its signature lines. */
export function formatNote(note: SignedNote): string {
  return `${note.text}\n${note.signatures.map(signatureLine).join('')}`;
}

/** An Ed25519 key pair for notes: the private key and its 32-byte public key. */
export interface NoteSigner {
  readonly name: string;
  readonly type: SignatureType;
  readonly privateKey: KeyObject;
  readonly publicKey: Uint8Array;
}

/** A signer from an Ed25519 private key (a node KeyObject or a WebCrypto key, as jose makes them). */
export function noteSigner(
  name: string,
  type: SignatureType,
  key: KeyObject | webcrypto.CryptoKey,
): NoteSigner {
  const privateKey = key instanceof KeyObject ? key : KeyObject.from(key);
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new TypeError('notes are signed with Ed25519 keys');
  const jwk = createPublicKey(privateKey).export({ format: 'jwk' });
  return { name, type, privateKey, publicKey: new Uint8Array(Buffer.from(jwk.x ?? '', 'base64url')) };
}

export function verifierOf(signer: NoteSigner): VerifierKey {
  return {
    name: signer.name,
    type: signer.type,
    keyId: keyIdOf(signer.name, signer.type, signer.publicKey),
    publicKey: signer.publicKey,
  };
}

/** Signs a note's text with an Ed25519 note signature. */
export function signNoteText(text: string, signer: NoteSigner): NoteSignature {
  return {
    name: signer.name,
    keyId: keyIdOf(signer.name, noteSignatureType.ed25519, signer.publicKey),
    signature: new Uint8Array(sign(null, Buffer.from(text), signer.privateKey)),
  };
}

function ed25519Verify(message: Uint8Array, signature: Uint8Array, publicKey: Uint8Array): boolean {
  if (signature.length !== 64) return false;
  const key = createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(publicKey).toString('base64url') },
    format: 'jwk',
  });
  return verify(null, message, key, signature);
}

/** Is one of the note's signatures a valid Ed25519 note signature by `key`? */
export function noteSignedBy(note: SignedNote, key: VerifierKey): boolean {
  return note.signatures.some(
    (s) =>
      s.name === key.name &&
      s.keyId === key.keyId &&
      ed25519Verify(Buffer.from(note.text), s.signature, key.publicKey),
  );
}

/** A checkpoint's text: origin, tree size, base64 root hash (tlog-checkpoint). */
export interface CheckpointText {
  readonly origin: string;
  readonly treeSize: number;
  readonly rootHash: string;
}

export function checkpointText(checkpoint: CheckpointText): string {
  return `${checkpoint.origin}\n${checkpoint.treeSize}\n${checkpoint.rootHash}\n`;
}

export function parseCheckpointText(text: string): CheckpointText {
  const [origin = '', size = '', root = ''] = text.split('\n');
  if (!origin || !/^(0|[1-9]\d{0,15})$/.test(size) || Buffer.from(root, 'base64').length !== 32) {
    throw new TypeError('a checkpoint is its origin, tree size and base64 root hash, a line each');
  }
  return { origin, treeSize: Number(size), rootHash: root };
}

/** What a cosignature/v1 signs: its header, its time, then the checkpoint text. */
function cosignedMessage(text: string, time: number): Buffer {
  return Buffer.from(`cosignature/v1\ntime ${time}\n${text}`);
}

/** A witness's cosignature of a checkpoint text at `time` (seconds since the epoch). */
export function cosign(text: string, signer: NoteSigner, time: number): NoteSignature {
  const stamp = Buffer.alloc(8);
  stamp.writeBigUInt64BE(BigInt(time));
  const signature = sign(null, cosignedMessage(text, time), signer.privateKey);
  return {
    name: signer.name,
    keyId: keyIdOf(signer.name, noteSignatureType.cosignatureV1, signer.publicKey),
    signature: new Uint8Array(Buffer.concat([stamp, signature])),
  };
}

/** The time (seconds) of a valid cosignature of `text` by `key`, or undefined. */
export function cosignatureTime(
  text: string,
  signature: NoteSignature,
  key: VerifierKey,
): number | undefined {
  if (key.type !== noteSignatureType.cosignatureV1) return undefined;
  if (signature.name !== key.name || signature.keyId !== key.keyId || signature.signature.length !== 72) {
    return undefined;
  }
  const bytes = Buffer.from(signature.signature);
  const time = Number(bytes.readBigUInt64BE(0));
  return ed25519Verify(cosignedMessage(text, time), bytes.subarray(8), key.publicKey) ? time : undefined;
}

/** A new witness key pair: the private key as text to keep, and the verifier key to register. */
export function newWitnessKey(name: string): { privateKey: string; verifierKey: string } {
  if (!isKeyName(name)) throw new TypeError('a witness name is a schema-less URL without spaces or "+"');
  const { privateKey } = generateKeyPairSync('ed25519');
  const signer = noteSigner(name, noteSignatureType.cosignatureV1, privateKey);
  const seed = Buffer.from(privateKey.export({ format: 'jwk' }).d ?? '', 'base64url');
  const verifier = verifierOf(signer);
  const id = verifier.keyId.toString(16).padStart(8, '0');
  return {
    privateKey: `PRIVATE+KEY+${name}+${id}+${Buffer.concat([Buffer.from([noteSignatureType.cosignatureV1]), seed]).toString('base64')}\n`,
    verifierKey: verifierKeyText(verifier),
  };
}

/** Reads a witness private key written by `newWitnessKey`. */
export function parseWitnessKey(text: string): NoteSigner {
  const [, name = '', id = '', encoded = ''] =
    /^PRIVATE\+KEY\+([^+]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/=]+)$/.exec(text.trim()) ?? [];
  const bytes = Buffer.from(encoded, 'base64');
  if (!isKeyName(name) || bytes.length !== 33) {
    throw new TypeError('a witness key is PRIVATE+KEY+name+hex key id+base64 key');
  }
  if (bytes[0] !== noteSignatureType.cosignatureV1) throw new TypeError('not a cosignature/v1 key');
  // PKCS#8 for Ed25519 is a fixed 16-byte prefix and the 32-byte seed.
  const der = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), bytes.subarray(1)]);
  const signer = noteSigner(
    name,
    noteSignatureType.cosignatureV1,
    createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }),
  );
  if (keyIdOf(name, noteSignatureType.cosignatureV1, signer.publicKey) !== Number.parseInt(id, 16)) {
    throw new TypeError('the key id does not match the key');
  }
  return signer;
}
