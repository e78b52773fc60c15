import { testBackend } from '@sangam/db/testing';
import { type Alliance, startAlliance, waitFor } from '@sangam/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

type Keys = Partial<Record<'consents' | 'mous' | 'clients' | 'organisations', string[]>>;

/**
 * Live subscriptions decide again when told a key changed; a notice naming more than changed makes every stream of
 * it read the release rule again (a revocation naming its MoU would stir every stream of the alliance).
 */
describe(`policy notices of changes on ${testBackend()}`, () => {
  let a: Alliance;
  const heard: Keys[] = [];
  let stop: () => void;

  beforeAll(async () => {
    a = await startAlliance();
    stop = a.gw.database.notices.listen('sangam_policy', (payload) => heard.push(payload as Keys));
  });
  afterAll(async () => {
    stop();
    await a.gw.close();
  });

  it('name the consent a revocation changed, not its MoU', async () => {
    const consent = await a.consent();
    await a.act('sitilink', consent, 'revoke');
    await waitFor('the revocation notice', () => heard.some((k) => k.consents?.includes(consent)));
    for (const keys of heard.filter((k) => k.consents?.includes(consent))) {
      expect(keys.mous).toBeUndefined();
      expect(keys.organisations).toBeUndefined();
    }
  });

  it('name the MoU a suspension changed', async () => {
    const mou = await a.newMou(['sitilink', 'svnit']);
    await a.signAll(mou, ['admin', 'sitilink', 'svnitAdmin']);
    const suspended = await a.gw.api.post(`/consent/v1/mous/${mou}/suspend`, {
      token: await a.token('admin'),
    });
    expect(suspended.status).toBe(200);
    await waitFor('the suspension notice', () => heard.some((k) => k.mous?.includes(mou)));
  });

  it('name the client a rotation changed, not every stream of its organisation', async () => {
    const client = a.clients.get('svnit') as string;
    const rotated = await a.gw.api.post(`/consent/v1/clients/${client}/rotate`, {
      token: await a.token('admin'),
    });
    expect(rotated.status).toBe(200);
    await waitFor('the rotation notice', () => heard.some((k) => k.clients?.includes(client)));
    for (const keys of heard.filter((k) => k.clients?.includes(client)))
      expect(keys.organisations).toBeUndefined();
  });
});
