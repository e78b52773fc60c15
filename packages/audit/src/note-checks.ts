import type { JSONWebKeySet } from 'jose';
import type { Checkpoint } from './checkpoints.js';
import {
  checkpointText,
  cosignatureTime,
  keyIdOf,
  noteSignatureType,
  noteSignedBy,
  parseCheckpointText,
  parseNote,
  parseVerifierKey,
  type VerifierKey,
} from './note.js';

export type { VerifierKey } from './note.js';

/** The gateway's note verifier keys: every Ed25519 key of its JWKS, under the checkpoint origin. */
export function gatewayNoteKeys(jwks: JSONWebKeySet, origin: string): VerifierKey[] {
  return jwks.keys
    .filter((k) => k.kty === 'OKP' && k.crv === 'Ed25519' && typeof k.x === 'string')
    .map((k) => {
      const publicKey = new Uint8Array(Buffer.from(k.x as string, 'base64url'));
      return {
        name: origin,
        type: noteSignatureType.ed25519,
        keyId: keyIdOf(origin, noteSignatureType.ed25519, publicKey),
        publicKey,
      };
    });
}

/**
 * Checks a checkpoint's signed note: it says what the checkpoint's fields say, the gateway signed it (a key of the
 * JWKS), and, given `registered` (name → verifier key, as stored), every cosignature line is a registered witness's
 * and verifies. Returns
 * the names of the `trusted` witnesses whose cosignature verifies; throws naming what does not hold.
 */
export function checkedNote(
  checkpoint: Checkpoint,
  jwks: JSONWebKeySet,
  registered: ReadonlyMap<string, string> | undefined,
  trusted: readonly VerifierKey[] = [],
): { origin: string; cosignedBy: string[] } {
  if (!checkpoint.note) throw new Error('the checkpoint has no signed note');
  const note = parseNote(checkpoint.note);
  const body = parseCheckpointText(note.text);
  if (
    body.treeSize !== checkpoint.treeSize ||
    body.rootHash !== checkpoint.rootHash ||
    note.text !== checkpointText(body)
  ) {
    throw new Error('the signed note says another size or root than the checkpoint');
  }
  if (!gatewayNoteKeys(jwks, body.origin).some((key) => noteSignedBy(note, key))) {
    throw new Error('the signed note is not signed by a key of the JWKS');
  }
  for (const signature of note.signatures) {
    if (signature.name === body.origin) continue;
    // Offline, lines of keys the verifier does not know are ignored (as the spec says); stored beside the
    // checkpoint, each must be a registered witness's, and valid.
    if (registered === undefined) continue;
    const stored = registered.get(signature.name);
    if (stored === undefined)
      throw new Error(`the cosignature by ${signature.name} is by no registered witness`);
    if (cosignatureTime(note.text, signature, parseVerifierKey(stored)) === undefined) {
      throw new Error(`the cosignature by ${signature.name} does not verify`);
    }
  }
  // Each witness counts once, however often its key is given.
  const distinct = [...new Map(trusted.map((key) => [`${key.name}+${key.keyId}`, key])).values()];
  const cosignedBy = distinct
    .filter((key) =>
      note.signatures.some((signature) => cosignatureTime(note.text, signature, key) !== undefined),
    )
    .map((key) => key.name);
  return { origin: body.origin, cosignedBy };
}
