import { testBackend } from '@sangam/db/testing';
import { type Alliance, position, positionModel, positions, startAlliance } from '@sangam/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const group = 'sitilink/surat-bus-itms';
const riders = `${group}/riders`;

describe(`personal data checked on every release on ${testBackend()}`, () => {
  let a: Alliance;
  beforeAll(async () => {
    a = await startAlliance();
  });
  afterAll(async () => {
    await a.gw.close();
  });

  it('refuses a resource that turned PII, or a PII resource added to the group, under an MoU that allows no personal data', async () => {
    await a.ingest(positions, [position(a.clock, '1', 2)]);
    const consent = await a.consent({ items: [group] });
    const token = await a.accessToken(consent, group);
    const read = (item: string) => a.gw.api.get(`/ngsi-ld/v1/entities?id=${item}`, { token });
    expect((await read(positions)).status).toBe(200);

    // The provider adds a PII resource to the group the consent covers: it is not released.
    const added = await a.gw.api.post('/cat/v1/items', {
      token: await a.token('sitilink'),
      json: {
        type: 'resource',
        id: riders,
        name: 'riders',
        description: 'Rider counts by card',
        dataModel: positionModel,
        accessPolicy: 'PII',
        releaseLevel: 'anonymised-record',
        source: { adapter: 'itms' },
      },
    });
    expect(added.status, added.text).toBe(201);
    expect((await a.ingest(riders, [position(a.clock, '2', 2)])).status).toBe(200);
    const pii = await read(riders);
    expect(pii.status).toBe(403);
    expect(pii.body.type).toBe('urn:dx:rs:personalDataNotAllowed');
    // Nor does a new token for the group issue while it holds personal data the MoU does not allow.
    const again = await a.gw.api.post('/auth/v1/access-tokens', {
      token: await a.token('svnit'),
      json: { item: group, consent },
    });
    expect(again.status).toBe(403);
    expect(again.body.type).toBe('urn:dx:as:personalDataNotAllowed');

    // The provider turns the resource already released into PII: the next request is refused.
    const current = await a.gw.api.get(`/cat/v1/items/${positions}`);
    const changed = await a.gw.api.request('PUT', `/cat/v1/items/${positions}`, {
      token: await a.token('sitilink'),
      json: {
        type: 'resource',
        id: positions,
        name: positions,
        description: positions,
        dataModel: positionModel,
        accessPolicy: 'PII',
        releaseLevel: 'anonymised-record',
        source: { adapter: 'itms' },
      },
      headers: { 'if-match': current.headers.get('etag') ?? '' },
    });
    expect(changed.status, changed.text).toBe(200);
    const after = await read(positions);
    expect(after.status).toBe(403);
    expect(after.body.type).toBe('urn:dx:rs:personalDataNotAllowed');
  });

  it('refuses a consent whose purpose an amendment took out of the MoU', async () => {
    const terms = {
      title: 'Bus data for research and planning',
      problem: { issue: 'Bunching', beneficiaries: ['commuters'], kpis: ['headway'] },
      areas: ['data-sharing'],
      datasets: [{ group, maxReleaseLevel: 'anonymised-record' }],
      endsAt: new Date(a.clock.now().getTime() + 365 * 86_400_000).toISOString(),
      documentSha256: 'd'.repeat(64),
    };
    const mou = await a.newMou(['sitilink', 'svnit'], {
      ...terms,
      purposes: ['transit research', 'planning'],
    });
    await a.signAll(mou, ['admin', 'sitilink', 'svnitAdmin']);
    await a.ingest(`${group}/stop-counts`, [position(a.clock, '3', 2)]);
    const consent = await a.consent({ items: [`${group}/stop-counts`], releaseLevel: 'aggregate' }, { mou });
    const token = await a.accessToken(consent, `${group}/stop-counts`);
    const read = () => a.gw.api.get(`/ngsi-ld/v1/entities?id=${group}/stop-counts`, { token });
    expect((await read()).status).toBe(200);

    const amended = await a.gw.api.post(`/consent/v1/mous/${mou}/amend`, {
      token: await a.token('admin'),
      json: { ...terms, purposes: ['planning'] },
    });
    expect(amended.status, amended.text).toBe(200);
    await a.signAll(mou, ['admin', 'sitilink', 'svnitAdmin']);
    const after = await read();
    expect(after.status).toBe(403);
    expect(after.body.type).toBe('urn:dx:rs:purposeNotInMou');
  });

  it('refuses the resources of a group that turned PII itself', async () => {
    // An alliance of its own: the tests above turned resources of the group PII already.
    const a = await startAlliance();
    const stops = `${group}/stop-counts`;
    await a.ingest(stops, [position(a.clock, '4', 2)]);
    const consent = await a.consent({ items: [group], releaseLevel: 'aggregate' });
    const token = await a.accessToken(consent, group);
    const read = () => a.gw.api.get(`/ngsi-ld/v1/entities?id=${stops}`, { token });
    expect((await read()).status).toBe(200);
    const current = await a.gw.api.get(`/cat/v1/items/${group}`);
    const changed = await a.gw.api.request('PUT', `/cat/v1/items/${group}`, {
      token: await a.token('sitilink'),
      json: {
        type: 'resourceGroup',
        id: group,
        name: 'Surat bus ITMS',
        description: 'City buses, with rider data',
        accessPolicy: 'PII',
      },
      headers: { 'if-match': current.headers.get('etag') ?? '' },
    });
    expect(changed.status, changed.text).toBe(200);
    const after = await read();
    expect(after.status).toBe(403);
    expect(after.body.type).toBe('urn:dx:rs:personalDataNotAllowed');
    await a.gw.close();
  });
});
