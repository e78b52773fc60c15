import { type Clock, DxError, epochSeconds, newId, type ProblemName, systemClock } from '@sangam/core';
import { CompactSign, decodeProtectedHeader, errors, type JWTPayload, jwtVerify, SignJWT } from 'jose';
import { type KeyStore, signingAlgorithms } from './keys.js';

/** The audience of identity tokens, accepted by the management APIs (consent, catalogue writes, audit). */
export const managementAudience = 'sangam:management';

/** The audience of access tokens, accepted only by the resource proxy's data APIs. */
export const resourceProxyAudience = 'sangam:resource-proxy';

/** The largest clock skew any verifier tolerates, whatever it is configured to. */
export const maxClockSkewSeconds = 120;

export interface TokenServiceOptions {
  readonly issuer: string;
  readonly clock?: Clock;
  /** Tolerated skew for `exp` and `nbf`, in seconds (capped at 120). */
  readonly clockSkewSeconds?: number;
}

export type VerifiedPayload = JWTPayload & { sub: string; jti: string };

const verifiedCacheSize = 10_000;

export interface IssueOptions {
  readonly subject: string;
  readonly audience: string;
  readonly ttlSeconds: number;
  /** A token may be made to start later than now (`nbf`). */
  readonly notBefore?: Date;
}

export interface IssuedToken {
  readonly token: string;
  readonly jti: string;
  readonly expiresAt: Date;
}

/** Issues and verifies the gateway's JWTs with the keys of a KeyStore; every failure is a distinct problem. */
export class TokenService {
  readonly issuer: string;
  readonly #keys: KeyStore;
  readonly #clock: Clock;
  readonly #skew: number;
  /**
   * Tokens whose signature and claims verified, by their text: a signature check is the dearest step of a request
   * and clients send the same token many times. A hit is still checked against the clock and the JWKS (a retired
   * key's tokens stop at once), so the cache changes no answer, only its cost.
   */
  readonly #verified = new Map<string, { payload: VerifiedPayload; kid: string; audience: string }>();

  constructor(keys: KeyStore, options: TokenServiceOptions) {
    this.#keys = keys;
    this.issuer = options.issuer;
    this.#clock = options.clock ?? systemClock;
    this.#skew = Math.min(Math.max(0, options.clockSkewSeconds ?? 30), maxClockSkewSeconds);
  }

  async issue(claims: Record<string, unknown>, options: IssueOptions): Promise<IssuedToken> {
    const key = await this.#keys.signingKey();
    const now = this.#clock.now();
    const jti = newId('tok');
    const expiresAt = new Date(now.getTime() + options.ttlSeconds * 1000);
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
      .setIssuer(this.issuer)
      .setSubject(options.subject)
      .setAudience(options.audience)
      // To the millisecond (a NumericDate may carry a fraction, RFC 7519 §2): a secret rotated in the same second
      // as a token was issued still stops it.
      .setIssuedAt(now.getTime() / 1000)
      .setNotBefore(epochSeconds(options.notBefore ?? now))
      .setExpirationTime(epochSeconds(expiresAt))
      .setJti(jti)
      .sign(key.privateKey);
    return { token, jti, expiresAt };
  }

  /**
   * A detached JWS (RFC 7515 Appendix F) over `body` by the current signing key: `<header>..<signature>`, which
   * anyone verifies with the body and the JWKS. For what the gateway sends on its own (webhook notifications).
   */
  async signDetached(body: string, type: string): Promise<string> {
    const key = await this.#keys.signingKey();
    const jws = await new CompactSign(new TextEncoder().encode(body))
      .setProtectedHeader({
        alg: key.alg,
        kid: key.kid,
        typ: type,
        iat: Math.floor(this.#clock.now().getTime() / 1000),
      })
      .sign(key.privateKey);
    const [header, , signature] = jws.split('.');
    return `${header}..${signature}`;
  }

  /**
   * Verifies signature, algorithm, `kid`, `iss`, `aud`, `exp` and `nbf`; returns the payload or throws a DxError
   * naming the reason (`invalidToken`, `unsupportedAlgorithm`, `unknownKey`, `tokenExpired`, …).
   */
  async verify(token: string, audience: string): Promise<VerifiedPayload> {
    const cached = this.#verified.get(token);
    if (cached && cached.audience === audience && this.#inTime(cached.payload)) {
      if (await this.#keys.verificationKey(cached.kid)) return cached.payload;
    }
    this.#verified.delete(token);
    const payload = await this.#verifyFully(token, audience);
    if (this.#verified.size >= verifiedCacheSize) {
      const oldest = this.#verified.keys().next().value;
      if (oldest !== undefined) this.#verified.delete(oldest);
    }
    this.#verified.set(token, { payload, kid: decodeProtectedHeader(token).kid as string, audience });
    return payload;
  }

  /** True while now (with the skew) lies between `nbf` and `exp`. */
  #inTime(payload: VerifiedPayload): boolean {
    const now = Math.floor(this.#clock.now().getTime() / 1000);
    return (
      typeof payload.exp === 'number' &&
      now < payload.exp + this.#skew &&
      (typeof payload.nbf !== 'number' || now >= payload.nbf - this.#skew)
    );
  }

  async #verifyFully(token: string, audience: string): Promise<VerifiedPayload> {
    let header: ReturnType<typeof decodeProtectedHeader>;
    try {
      header = decodeProtectedHeader(token);
    } catch {
      throw new DxError('invalidToken', 'The token is not a well-formed JWS');
    }
    const alg = header.alg;
    if (typeof alg !== 'string' || !(signingAlgorithms as readonly string[]).includes(alg)) {
      throw new DxError('unsupportedAlgorithm', `Tokens signed with ${JSON.stringify(alg)} are not accepted`);
    }
    if (typeof header.kid !== 'string')
      throw new DxError('unknownKey', 'The token names no signing key (kid)');
    const found = await this.#keys.verificationKey(header.kid);
    if (!found) throw new DxError('unknownKey', 'The token was signed by a key that is not in the JWKS');
    if (found.alg !== alg)
      throw new DxError('unsupportedAlgorithm', 'The token algorithm does not match its key');
    try {
      const { payload } = await jwtVerify(token, found.key, {
        algorithms: [found.alg],
        issuer: this.issuer,
        audience,
        clockTolerance: this.#skew,
        currentDate: this.#clock.now(),
        requiredClaims: ['exp', 'iat', 'nbf', 'sub', 'jti'],
      });
      return payload as VerifiedPayload;
    } catch (error) {
      throw new DxError(problemFor(error), 'The token is not valid', { cause: error });
    }
  }
}

/**
 * The audience of a token refused for its audience (signed by us and in time, so its claims can be read): to tell
 * a caller which kind of token it sent where the other was wanted.
 */
export function tokenAudience(error: DxError): unknown {
  if (error.problem !== 'invalidAudience') return undefined;
  const cause = error.cause as { payload?: { aud?: unknown } } | undefined;
  const aud = cause?.payload?.aud;
  return Array.isArray(aud) && aud.length === 1 ? aud[0] : aud;
}

function problemFor(error: unknown): ProblemName {
  if (error instanceof errors.JWTExpired) return 'tokenExpired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'nbf') return 'tokenNotYetValid';
    if (error.claim === 'aud') return 'invalidAudience';
    if (error.claim === 'iss') return 'invalidIssuer';
    return 'invalidToken';
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return 'unsupportedAlgorithm';
  return 'invalidToken';
}
