import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  checkpointText,
  cosign,
  formatNote,
  newWitnessKey,
  noteSignatureType,
  noteSignedBy,
  noteSigner,
  parseNote,
  parseVerifierKey,
  parseWitnessKey,
  signatureLine,
  signNoteText,
} from '../src/index.js';

/**
 * Our signed notes against other implementations. First the reference vector of golang.org/x/mod/sumdb/note (its
 * package documentation and note_test.go); then a reader written here from the C2SP texts alone (signed-note,
 * tlog-checkpoint, tlog-cosignature), sharing no code with ours, which must parse and verify what we write.
 */

const go = {
  signerKey: 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz',
  verifierKey: 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW',
  text: "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n",
  note:
    "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n\n" +
    '\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n',
};

/** An Ed25519 private key from its 32-byte seed (PKCS#8: a fixed prefix, then the seed). */
function keyFromSeed(seed: Uint8Array) {
  const der = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]);
  return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
}

// --- An independent reader, from the specification texts ---------------------------------------------------

interface ReadSignature {
  name: string;
  keyHash: Buffer;
  rest: Buffer;
}

/** signed-note: the text ends in a newline; a blank line; then lines "— <name> <base64>", each ending in newline. */
function readNote(note: string): { text: string; signatures: ReadSignature[] } {
  const cut = note.lastIndexOf('\n\n');
  const text = note.slice(0, cut + 1);
  const signatures = note
    .slice(cut + 2)
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const match = /^\u2014 (\S+) (\S+)$/.exec(line);
      if (!match) throw new Error(`not a signature line: ${line}`);
      const blob = Buffer.from(match[2] as string, 'base64');
      return { name: match[1] as string, keyHash: blob.subarray(0, 4), rest: blob.subarray(4) };
    });
  return { text, signatures };
}

/** The key hash: the first four bytes of SHA-256(name ‖ "\n" ‖ type ‖ public key). */
function keyHash(name: string, type: number, publicKey: Buffer): Buffer {
  return createHash('sha256')
    .update(Buffer.concat([Buffer.from(`${name}\n`), Buffer.from([type]), publicKey]))
    .digest()
    .subarray(0, 4);
}

function ed25519(publicKey: Buffer, message: Buffer, signature: Buffer): boolean {
  const key = createPublicKey({
    key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), publicKey]),
    format: 'der',
    type: 'spki',
  });
  return verify(null, message, key, signature);
}

/** tlog-checkpoint: origin line, decimal tree size, base64 root hash; optional extension lines after. */
function readCheckpoint(text: string): { origin: string; size: bigint; root: Buffer } {
  const [origin, size, root] = text.split('\n');
  if (!origin || !/^\d+$/.test(size ?? '')) throw new Error('malformed checkpoint');
  return { origin, size: BigInt(size as string), root: Buffer.from(root as string, 'base64') };
}

// ---------------------------------------------------------------------------------------------------------

describe('signed notes', () => {
  it('reproduce the Go sumdb/note reference note byte for byte, and verify it', () => {
    // PRIVATE+KEY+<name>+<hash>+<base64(type ‖ seed)>; the base64 itself may hold a '+'.
    const encoded = Buffer.from(
      /^PRIVATE\+KEY\+[^+]+\+[0-9a-f]{8}\+(.+)$/.exec(go.signerKey)?.[1] ?? '',
      'base64',
    );
    const seed = encoded.subarray(1);
    expect(encoded[0]).toBe(noteSignatureType.ed25519);
    const signer = noteSigner('PeterNeumann', noteSignatureType.ed25519, keyFromSeed(seed));
    const made = formatNote({ text: go.text, signatures: [signNoteText(go.text, signer)] });
    expect(made).toBe(go.note);

    const key = parseVerifierKey(go.verifierKey);
    expect(noteSignedBy(parseNote(go.note), key)).toBe(true);
    expect(noteSignedBy(parseNote(go.note.replace('cryptography', 'cryptographY')), key)).toBe(false);
  });

  it("write checkpoints an independent reader parses, and whose log signature it verifies with the gateway's key", () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x ?? '', 'base64url');
    const origin = 'surat.example/audit';
    const root = createHash('sha256').update('root').digest('base64');
    const text = checkpointText({ origin, treeSize: 4_242, rootHash: root });
    const note = formatNote({
      text,
      signatures: [signNoteText(text, noteSigner(origin, noteSignatureType.ed25519, privateKey))],
    });

    const read = readNote(note);
    expect(readCheckpoint(read.text)).toEqual({ origin, size: 4242n, root: Buffer.from(root, 'base64') });
    const [log] = read.signatures;
    expect(log?.name).toBe(origin);
    expect(log?.keyHash).toEqual(keyHash(origin, 0x01, raw));
    expect(ed25519(raw, Buffer.from(read.text), log?.rest ?? Buffer.alloc(0))).toBe(true);
  });

  it('write cosignatures an independent reader verifies as cosignature/v1, time included', () => {
    const witness = newWitnessKey('witness.svnit.example');
    const signer = parseWitnessKey(witness.privateKey);
    // The verifier key, read by the independent side: name, key hash, then type 0x04 and the key.
    const [name, hash, typeAndKey] = [
      witness.verifierKey.slice(0, witness.verifierKey.indexOf('+')),
      witness.verifierKey.split('+')[1] ?? '',
      witness.verifierKey.slice(witness.verifierKey.indexOf('+', witness.verifierKey.indexOf('+') + 1) + 1),
    ];
    const material = Buffer.from(typeAndKey, 'base64');
    expect(material[0]).toBe(0x04);
    const publicKey = material.subarray(1);
    expect(hash).toBe(keyHash(name, 0x04, publicKey).toString('hex'));

    const text = checkpointText({
      origin: 'surat.example/audit',
      treeSize: 17,
      rootHash: createHash('sha256').update('r').digest('base64'),
    });
    const time = 1_764_000_000;
    const line = signatureLine(cosign(text, signer, time));
    const [read] = readNote(`${text}\n${line}`).signatures;
    expect(read?.name).toBe(name);
    expect(read?.keyHash.toString('hex')).toBe(hash);
    const rest = read?.rest ?? Buffer.alloc(0);
    expect(rest.length).toBe(8 + 64);
    expect(rest.readBigUInt64BE(0)).toBe(BigInt(time));
    const signed = Buffer.from(`cosignature/v1\ntime ${time}\n${text}`);
    expect(ed25519(publicKey, signed, rest.subarray(8))).toBe(true);
    expect(
      ed25519(publicKey, Buffer.from(`cosignature/v1\ntime ${time + 1}\n${text}`), rest.subarray(8)),
    ).toBe(false);
  });
});
