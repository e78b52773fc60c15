import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testBackend, testDatabase } from '@sangam/db/testing';
import { describe, expect, it } from 'vitest';
import { demoPseudonymSecret } from '../src/demo.js';

describe(`the demo's pseudonym key on ${testBackend()}`, () => {
  it('lives in a file only its owner reads, and one a demo kept in the database is moved out of it', async () => {
    const handle = await testDatabase();
    try {
      const legacy = 'a-pseudonym-secret-kept-in-the-database-before';
      const alliance = { busMou: 'm1', bikeMou: 'm2', busConsent: 'c1', bikeConsent: 'c2' };
      await handle.db
        .insertInto('settings')
        .values({ name: 'demo_alliance', value: JSON.stringify({ ...alliance, pseudonymSecret: legacy }) })
        .execute();
      const dir = mkdtempSync(join(tmpdir(), 'sangam-demo-key-'));
      // The same secret as before (yesterday's pseudonyms stay the same), now in the file and not in the row.
      expect(await demoPseudonymSecret(handle.db, dir)).toBe(legacy);
      const file = join(dir, 'pseudonym.key');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(readFileSync(file, 'utf8').trim()).toBe(legacy);
      const row = await handle.db
        .selectFrom('settings')
        .select('value')
        .where('name', '=', 'demo_alliance')
        .executeTakeFirstOrThrow();
      expect(JSON.parse(row.value)).toEqual(alliance);
      // Later starts read the file.
      expect(await demoPseudonymSecret(handle.db, dir)).toBe(legacy);
      // A fresh demo makes a secret of its own.
      const fresh = await demoPseudonymSecret(handle.db, mkdtempSync(join(tmpdir(), 'sangam-demo-key-')));
      expect(fresh).not.toBe(legacy);
      expect(fresh.length).toBeGreaterThanOrEqual(32);
    } finally {
      await handle.destroy();
    }
  });
});
