import { createPublicKey } from 'node:crypto';
import { ManualClock } from '@sangam/core';
import type { DatabaseHandle } from '@sangam/db';
import { testBackend, testDatabase } from '@sangam/db/testing';
import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyStore, managementAudience, TokenService } from '../src/index.js';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

async function rejection(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as { problem?: string }).problem ?? String(error);
  }
  return 'accepted';
}

describe(`tokens on ${testBackend()}`, () => {
  let database: DatabaseHandle;
  let keys: KeyStore;
  let tokens: TokenService;
  const clock = new ManualClock('2026-11-27T10:00:00Z');
  const issue = (ttlSeconds = 600, extra: Partial<Parameters<TokenService['issue']>[1]> = {}) =>
    tokens.issue(
      { org: 'surat', roles: ['admin'] },
      { subject: 'cl_a', audience: managementAudience, ttlSeconds, ...extra },
    );

  beforeAll(async () => {
    database = await testDatabase();
    keys = new KeyStore(database.db, { clock, cacheMs: 0 });
    await keys.ensureSigningKey();
    tokens = new TokenService(keys, { issuer: 'https://gw.surat.example', clock, clockSkewSeconds: 30 });
  });
  afterAll(async () => {
    await database.destroy();
  });

  it('verifies a token it issued and returns its claims', async () => {
    const { token, jti } = await issue();
    const payload = await tokens.verify(token, managementAudience);
    expect(payload).toMatchObject({
      sub: 'cl_a',
      org: 'surat',
      roles: ['admin'],
      jti,
      iss: 'https://gw.surat.example',
    });
    expect(payload.exp).toBe(Math.floor(clock.now().getTime() / 1000) + 600);
  });

  it('publishes only public keys in the JWKS', async () => {
    const { keys: published } = await keys.jwks();
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
    expect(published[0]).not.toHaveProperty('d');
  });

  it('refuses a token with one flipped signature byte', async () => {
    const { token } = await issue();
    const [h, p, s = ''] = token.split('.');
    const signature = Buffer.from(s, 'base64url');
    signature[10] = (signature[10] ?? 0) ^ 0x01;
    expect(
      await rejection(tokens.verify(`${h}.${p}.${signature.toString('base64url')}`, managementAudience)),
    ).toBe('invalidToken');
  });

  it('refuses a token whose payload was changed', async () => {
    const { token } = await issue();
    const [h, , s] = token.split('.');
    const forged = b64({ sub: 'cl_a', org: 'surat', roles: ['admin', 'auditor'], aud: managementAudience });
    expect(await rejection(tokens.verify(`${h}.${forged}.${s}`, managementAudience))).toBe('invalidToken');
  });

  it('refuses alg none', async () => {
    const { token } = await issue();
    const [, payload] = token.split('.');
    const { keys: published } = await keys.jwks();
    const none = `${b64({ alg: 'none', kid: published[0]?.kid, typ: 'JWT' })}.${payload}.`;
    expect(await rejection(tokens.verify(none, managementAudience))).toBe('unsupportedAlgorithm');
  });

  it('refuses HS256 signed with the public key (algorithm confusion)', async () => {
    const { keys: published } = await keys.jwks();
    const jwk = published[0];
    const pem = createPublicKey({ key: jwk as never, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
    const now = Math.floor(clock.now().getTime() / 1000);
    for (const secret of [Buffer.from(String(pem)), Buffer.from(String(jwk?.x), 'base64url')]) {
      const forged = await new SignJWT({ org: 'surat', roles: ['admin'] })
        .setProtectedHeader({ alg: 'HS256', kid: String(jwk?.kid) })
        .setIssuer('https://gw.surat.example')
        .setAudience(managementAudience)
        .setSubject('cl_a')
        .setIssuedAt(now)
        .setNotBefore(now)
        .setExpirationTime(now + 600)
        .setJti('x')
        .sign(secret);
      expect(await rejection(tokens.verify(forged, managementAudience))).toBe('unsupportedAlgorithm');
    }
  });

  it('refuses a token signed by a key it never published', async () => {
    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const now = Math.floor(clock.now().getTime() / 1000);
    const forged = await new SignJWT({ org: 'surat', roles: ['admin'] })
      .setProtectedHeader({ alg: 'EdDSA', kid: 'key_attacker' })
      .setIssuer('https://gw.surat.example')
      .setAudience(managementAudience)
      .setSubject('cl_a')
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + 600)
      .setJti('x')
      .sign(privateKey);
    expect(await rejection(tokens.verify(forged, managementAudience))).toBe('unknownKey');
  });

  it('refuses expired tokens beyond the clock skew, and accepts within it', async () => {
    const { token } = await issue(60);
    clock.advance(60_000 + 20_000);
    expect(await rejection(tokens.verify(token, managementAudience))).toBe('accepted');
    clock.advance(15_000);
    expect(await rejection(tokens.verify(token, managementAudience))).toBe('tokenExpired');
  });

  it('caps the tolerated skew at two minutes whatever it is configured to', async () => {
    const lax = new TokenService(keys, { issuer: 'https://gw.surat.example', clock, clockSkewSeconds: 3600 });
    const { token } = await issue(60);
    clock.advance(60_000 + 121_000);
    expect(await rejection(lax.verify(token, managementAudience))).toBe('tokenExpired');
  });

  it('refuses a token that is not valid yet', async () => {
    const { token } = await issue(600, { notBefore: new Date(clock.now().getTime() + 5 * 60_000) });
    expect(await rejection(tokens.verify(token, managementAudience))).toBe('tokenNotYetValid');
  });

  it('refuses a token for another audience or from another issuer', async () => {
    const { token } = await issue(600, { audience: 'sangam:resource-proxy' });
    expect(await rejection(tokens.verify(token, managementAudience))).toBe('invalidAudience');
    const other = new TokenService(keys, { issuer: 'https://elsewhere.example', clock });
    const { token: foreign } = await other.issue(
      {},
      { subject: 'cl_a', audience: managementAudience, ttlSeconds: 60 },
    );
    expect(await rejection(tokens.verify(foreign, managementAudience))).toBe('invalidIssuer');
  });

  it('refuses garbage', async () => {
    for (const garbage of ['', 'abc', 'a.b.c', `${b64({ alg: 'EdDSA' })}.e30.`, 'eyJ.eyJ.eyJ']) {
      expect(['invalidToken', 'unknownKey']).toContain(
        await rejection(tokens.verify(garbage, managementAudience)),
      );
    }
  });

  it('keeps verifying the previous key after a rotation, and stops after the next', async () => {
    const before = await issue(3600);
    const first = await keys.rotate();
    expect((await keys.jwks()).keys).toHaveLength(2);
    expect(await rejection(tokens.verify(before.token, managementAudience))).toBe('accepted');
    const after = await issue(3600);
    expect(JSON.parse(Buffer.from(after.token.split('.')[0] ?? '', 'base64url').toString()).kid).toBe(
      first.kid,
    );

    const second = await keys.rotate();
    expect(second.retired).toHaveLength(1);
    expect((await keys.jwks()).keys.map((k) => k.kid)).toEqual([second.kid, first.kid]);
    expect(await rejection(tokens.verify(before.token, managementAudience))).toBe('unknownKey');
    expect(await rejection(tokens.verify(after.token, managementAudience))).toBe('accepted');
  });

  it('makes one current key when two stores start on an empty key table at once', async () => {
    await database.db.deleteFrom('signing_keys').execute();
    const a = new KeyStore(database.db, { clock, cacheMs: 0 });
    const b = new KeyStore(database.db, { clock, cacheMs: 0 });
    await Promise.all([a.ensureSigningKey(), b.ensureSigningKey()]);
    const current = await database.db
      .selectFrom('signing_keys')
      .selectAll()
      .where('status', '=', 'current')
      .execute();
    expect(current).toHaveLength(1);
    expect((await a.signingKey()).kid).toBe((await b.signingKey()).kid);
  });

  it('signs with ES256 when configured', async () => {
    await database.db.deleteFrom('signing_keys').execute();
    const es = new KeyStore(database.db, { clock, cacheMs: 0, algorithm: 'ES256' });
    await es.ensureSigningKey();
    const service = new TokenService(es, { issuer: 'https://gw.surat.example', clock });
    const { token } = await service.issue(
      {},
      { subject: 'cl_a', audience: managementAudience, ttlSeconds: 60 },
    );
    expect(await rejection(service.verify(token, managementAudience))).toBe('accepted');
    expect((await es.jwks()).keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256' });
  });

  it('seals private keys at rest when given a secret, and will not open them without it', async () => {
    await database.db.deleteFrom('signing_keys').execute();
    const sealed = new KeyStore(database.db, {
      clock,
      cacheMs: 0,
      encryptionSecret: 'correct horse battery staple',
    });
    await sealed.ensureSigningKey();
    const row = await database.db.selectFrom('signing_keys').selectAll().executeTakeFirstOrThrow();
    expect(row.private_jwk.startsWith('enc:v1:')).toBe(true);
    expect(row.private_jwk).not.toContain('"d"');
    const service = new TokenService(sealed, { issuer: 'https://gw.surat.example', clock });
    const { token } = await service.issue(
      {},
      { subject: 'cl_a', audience: managementAudience, ttlSeconds: 60 },
    );
    expect(await rejection(service.verify(token, managementAudience))).toBe('accepted');

    await expect(new KeyStore(database.db, { cacheMs: 0 }).signingKey()).rejects.toThrow(
      /SANGAM_KEY_ENCRYPTION_SECRET/,
    );
    await expect(
      new KeyStore(database.db, { cacheMs: 0, encryptionSecret: 'another secret entirely' }).signingKey(),
    ).rejects.toThrow(/do not open/);
  });
});
