import { testBackend } from '@sangam/db/testing';
import { releaseFacts, releaseFactsOf } from '@sangam/policy';
import { type Alliance, positions, startAlliance } from '@sangam/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** A commit that decides again the notifications of many consents reads their facts together: the same facts. */
describe(`the release rule's facts of many consents on ${testBackend()}`, () => {
  let a: Alliance;
  beforeAll(async () => {
    a = await startAlliance();
  });
  afterAll(async () => {
    await a.gw.close();
  });

  it('are, consent by consent, what one consent reads alone; an unknown or malformed id is absent', async () => {
    const granted = await a.consent();
    const revoked = await a.consent();
    await a.act('sitilink', revoked, 'revoke');
    const asked = await a.consent({}, { grant: false });
    const db = a.gw.database.db;
    for (const item of [positions, 'sitilink/surat-bus-itms']) {
      const together = await releaseFactsOf(
        db,
        [granted, revoked, asked, 'no-such-consent', "x' or 1=1"],
        item,
      );
      expect([...together.keys()].sort()).toEqual([granted, revoked, asked].sort());
      for (const id of [granted, revoked, asked]) {
        expect(together.get(id)).toEqual(await releaseFacts(db, id, item));
      }
      expect(together.get(revoked)?.consent.state).toBe('revoked');
      expect(together.get(granted)?.consent.state).toBe('active');
    }
  });
});
