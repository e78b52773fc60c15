import { canonicalJson } from '@sangam/audit';
import type { SigningKey } from '@sangam/auth';
import { CompactSign } from 'jose';
import type { Mou } from './model.js';

export const mouArtefactType = 'sangam-mou+jws';

/**
 * The signed MoU: its terms, parties and signatures as canonical JSON (RFC 8785) in a compact JWS with the
 * gateway key, so anyone can check what was agreed with the published JWKS and any JOSE implementation.
 */
export async function signMouArtefact(key: SigningKey, issuer: string, mou: Mou, at: Date): Promise<string> {
  const { status: _status, inTerm: _inTerm, updatedAt: _updated, ...agreed } = mou;
  const payload = canonicalJson({ ...agreed, iss: issuer, issuedAt: at.toISOString() });
  return new CompactSign(new TextEncoder().encode(payload))
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: mouArtefactType })
    .sign(key.privateKey);
}
