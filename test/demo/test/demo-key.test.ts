import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testBackend, testDatabase } from '@sangam/db/testing';
import { describe, expect, it } from 'vitest';
import { demoPseudonymSecret } from '../src/demo.js';

describe(`the demo's pseudonym key on ${testBackend()}`, () => {
  it('lives in a file only its owner reads; one a demo kept in the database is deleted and never used again', async () => {
    const handle = await testDatabase();
    try {
      const legacy = 'a-pseudonym-secret-kept-in-the-database-before';
      const alliance = { busMou: 'm1', bikeMou: 'm2', busConsent: 'c1', bikeConsent: 'c2' };
      await handle.db
        .insertInto('settings')
        .values({ name: 'demo_alliance', value: JSON.stringify({ ...alliance, pseudonymSecret: legacy }) })
        .execute();
      const dir = mkdtempSync(join(tmpdir(), 'sangam-demo-key-'));
      // A database reader knew that one: a new secret, in the file, and the old one gone from the row.
      const secret = await demoPseudonymSecret(handle.db, dir);
      expect(secret).not.toBe(legacy);
      expect(secret.length).toBeGreaterThanOrEqual(32);
      const file = join(dir, 'pseudonym.key');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(readFileSync(file, 'utf8').trim()).toBe(secret);
      const row = await handle.db
        .selectFrom('settings')
        .select('value')
        .where('name', '=', 'demo_alliance')
        .executeTakeFirstOrThrow();
      expect(JSON.parse(row.value)).toEqual(alliance);
      // Later starts read the file.
      expect(await demoPseudonymSecret(handle.db, dir)).toBe(secret);
      // A fresh demo makes a secret of its own.
      const fresh = await demoPseudonymSecret(handle.db, mkdtempSync(join(tmpdir(), 'sangam-demo-key-')));
      expect(fresh).not.toBe(secret);
    } finally {
      await handle.destroy();
    }
  });
});
