import { KeySealer } from '@sangam/auth';
import { testBackend } from '@sangam/db/testing';
import { createPartner, startTestGateway, type TestGateway } from '@sangam/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importItems } from '../src/index.js';
import { groupItem, providerItem, providers, resourceItem, suratSquare } from './fixtures.js';

const point = (lon: number, lat: number) => ({ type: 'Point', coordinates: [lon, lat] });

describe(`catalogue search on ${testBackend()}`, () => {
  let gw: TestGateway;
  const ids = async (query: string): Promise<string[]> => {
    const response = await gw.api.get(`/cat/v1/search?${query}`);
    expect(response.status, query).toBe(200);
    expect(response.body.totalHits, query).toBeGreaterThanOrEqual(response.body.results.length);
    return (response.body.results as { id: string }[]).map((i) => i.id).sort();
  };
  const q = (params: Record<string, string>) => new URLSearchParams(params).toString();

  beforeAll(async () => {
    gw = await startTestGateway();
    const tokens = await providers(gw);
    await createPartner(gw, { id: 'pmpml', kind: 'government', roles: ['provider'] });
    const admin = await gw.adminToken();
    const post = async (token: string, json: object) => {
      const response = await gw.api.post('/cat/v1/items', { token, json });
      expect(response.status, JSON.stringify(response.body)).toBe(201);
    };
    await post(tokens.sitilink, providerItem('sitilink', 'Sitilink'));
    await post(tokens.sitilink, groupItem('sitilink/surat-bus-itms', { location: undefined }));
    await post(tokens.sitilink, resourceItem('sitilink/surat-bus-itms/positions'));
    await post(tokens.yulu, providerItem('yulu', 'Yulu'));
    await post(tokens.yulu, {
      type: 'resourceGroup',
      id: 'yulu/bikes',
      name: 'Yulu bike availability',
      description: 'Bikes parked across the city',
      tags: ['micromobility', 'bikes'],
      city: 'Surat',
      location: point(72.85, 21.15),
      accessPolicy: 'OPEN',
    });
    for (const [slug, location, name] of [
      ['just-outside', point(72.9001, 21.15), 'Hub east of the square'],
      ['dock', point(72.85, 21.16), 'Dock north of the centre'],
    ] as const) {
      await post(
        tokens.yulu,
        resourceItem(`yulu/bikes/${slug}`, {
          name,
          description: 'Vehicle availability per H3 cell',
          tags: ['micromobility', 'bikes', 'availability'],
          location,
          accessPolicy: 'OPEN',
          releaseLevel: 'aggregate',
          source: { adapter: 'gbfs' },
        }),
      );
    }
    await post(admin, providerItem('pmpml', 'PMPML'));
    await post(admin, {
      ...groupItem('pmpml/pune-buses'),
      name: 'Pune bus positions',
      city: 'Pune',
      location: point(73.85, 18.52),
      accessPolicy: 'PII',
    });
  });
  afterAll(async () => {
    await gw.close();
  });

  it('finds by free text over name, description and tags, with the last word as a prefix', async () => {
    expect(await ids('q=positions')).toEqual([
      'pmpml/pune-buses',
      'sitilink/surat-bus-itms',
      'sitilink/surat-bus-itms/positions',
    ]);
    expect(await ids('q=anonymised')).toEqual(['sitilink/surat-bus-itms/positions']);
    expect(await ids('q=micromob')).toEqual(['yulu/bikes', 'yulu/bikes/dock', 'yulu/bikes/just-outside']);
    expect(await ids('q=bus%20positions%20pune')).toEqual(['pmpml/pune-buses']);
    expect(await ids('q=BIKES%20Parked')).toEqual(['yulu/bikes']);
  });

  it('finds words of Indian scripts, written with combining vowel signs', async () => {
    const created = await gw.api.post('/cat/v1/items', {
      token: await gw.adminToken(),
      json: resourceItem('pmpml/pune-buses/hindi', { name: 'सूरत बस स्थिति', description: 'बसों की स्थिति' }),
    });
    expect(created.status).toBe(201);
    expect(await ids(`q=${encodeURIComponent('सूरत')}`)).toEqual(['pmpml/pune-buses/hindi']);
    expect(await ids(`q=${encodeURIComponent('स्थिति')}`)).toEqual(['pmpml/pune-buses/hindi']);
    expect(
      (await gw.api.delete('/cat/v1/items/pmpml/pune-buses/hindi', { token: await gw.adminToken() })).status,
    ).toBe(200);
  });

  it('filters by tags (any or all), type, provider, city and access policy', async () => {
    expect(await ids('tags=realtime,availability')).toEqual([
      'sitilink/surat-bus-itms/positions',
      'yulu/bikes/dock',
      'yulu/bikes/just-outside',
    ]);
    expect(await ids('tags=bikes,availability&tagsMatch=all')).toEqual([
      'yulu/bikes/dock',
      'yulu/bikes/just-outside',
    ]);
    expect(await ids('type=provider')).toEqual(['pmpml', 'sitilink', 'yulu']);
    expect(await ids('provider=sitilink&type=resource')).toEqual(['sitilink/surat-bus-itms/positions']);
    expect(await ids('city=Pune')).toEqual(['pmpml/pune-buses']);
    expect(await ids('accessPolicy=PII')).toEqual(['pmpml/pune-buses']);
  });

  it('tells a point just inside a polygon from one just outside', async () => {
    const within = await ids(
      q({ georel: 'within', geometry: 'Polygon', coordinates: JSON.stringify(suratSquare.coordinates) }),
    );
    expect(within).toEqual(['sitilink/surat-bus-itms/positions', 'yulu/bikes', 'yulu/bikes/dock']);
    const bbox = await ids(
      q({ georel: 'within', geometry: 'bbox', coordinates: '[[72.8,21.2],[72.9,21.1]]' }),
    );
    expect(bbox).toEqual(within);
    const east = await ids(q({ georel: 'intersects', geometry: 'Point', coordinates: '[72.9001,21.15]' }));
    expect(east).toEqual(['yulu/bikes/just-outside']);
    const edge = await ids(q({ georel: 'intersects', geometry: 'Point', coordinates: '[72.9,21.15]' }));
    expect(edge).toEqual(['sitilink/surat-bus-itms/positions']);
  });

  it('finds near a point up to the boundary distance, and not beyond', async () => {
    // 0.01° of latitude is 1,111.95 m on turf's sphere (R = 6,371,008.8 m): the dock is that far north.
    const near = (metres: number) =>
      ids(q({ georel: `near;maxDistance==${metres}`, geometry: 'Point', coordinates: '[72.85,21.15]' }));
    expect(await near(1112)).toEqual(['sitilink/surat-bus-itms/positions', 'yulu/bikes', 'yulu/bikes/dock']);
    expect(await near(1111)).toEqual(['sitilink/surat-bus-itms/positions', 'yulu/bikes']);
    const separate = await ids(
      q({ georel: 'near', maxDistance: '1112', geometry: 'Point', coordinates: '[72.85,21.15]' }),
    );
    expect(separate).toEqual(await near(1112));
  });

  it('combines filters, and pages with a total', async () => {
    const combined = await ids(
      q({
        q: 'availability',
        tags: 'bikes',
        city: 'Surat',
        georel: 'near',
        maxDistance: '2000',
        geometry: 'Point',
        coordinates: '[72.85,21.15]',
      }),
    );
    expect(combined).toEqual(['yulu/bikes', 'yulu/bikes/dock']);
    const narrower = await ids(
      q({
        q: 'availability',
        type: 'resource',
        georel: 'near',
        maxDistance: '1500',
        geometry: 'Point',
        coordinates: '[72.85,21.15]',
      }),
    );
    expect(narrower).toEqual(['yulu/bikes/dock']);
    const page = await gw.api.get('/cat/v1/search?provider=yulu&limit=2&offset=1');
    expect(page.body.totalHits).toBe(4);
    expect(page.body.results.map((i: { id: string }) => i.id)).toEqual(['yulu/bikes', 'yulu/bikes/dock']);
    const geoPage = await gw.api.get(
      `/cat/v1/search?${q({ georel: 'within', geometry: 'bbox', coordinates: '[[72.8,21.2],[72.9,21.1]]', limit: '1', offset: '1' })}`,
    );
    expect(geoPage.body.totalHits).toBe(3);
    expect(geoPage.body.results.map((i: { id: string }) => i.id)).toEqual(['yulu/bikes']);
  });

  it('pages large result sets in id order with exact totals (both query plans)', async () => {
    const caller = {
      principal: {
        clientId: gw.admin.clientId,
        organisationId: 'surat',
        roles: ['admin' as const],
        tokenId: 't',
        issuedAt: 0,
      },
      requestId: 'test',
    };
    const many = Array.from({ length: 300 }, (_, i) =>
      resourceItem(`pmpml/pune-buses/stop-${String(i).padStart(3, '0')}`, {
        name: `Stop ${i}`,
        tags: ['bulk', ...(i % 3 === 0 ? ['third'] : [])],
        city: 'Pune',
        location: point(73.85 + i / 10_000, 18.52),
      }),
    );
    await importItems(
      {
        db: gw.database.db,
        audit: gw.gateway.consent.audit,
        clock: { now: () => new Date() },
        upstreamAllowHosts: [],
        credentials: new KeySealer(undefined, 'upstream-credentials'),
      },
      caller,
      many.reverse() as never,
    );
    const page = await gw.api.get('/cat/v1/search?tags=bulk&limit=5&offset=10');
    expect(page.body.totalHits).toBe(300);
    expect(page.body.results.map((i: { id: string }) => i.id)).toEqual(
      [10, 11, 12, 13, 14].map((n) => `pmpml/pune-buses/stop-${String(n).padStart(3, '0')}`),
    );
    const few = await gw.api.get('/cat/v1/search?tags=bulk,third&tagsMatch=all&limit=3');
    expect(few.body.totalHits).toBe(100);
    expect(few.body.results.map((i: { id: string }) => i.id)).toEqual([
      'pmpml/pune-buses/stop-000',
      'pmpml/pune-buses/stop-003',
      'pmpml/pune-buses/stop-006',
    ]);
    const beyond = await gw.api.get('/cat/v1/search?tags=bulk&offset=400');
    expect(beyond.body).toMatchObject({ totalHits: 300, results: [] });
    const audited = await gw.database.db
      .selectFrom('audit_entries')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('action', '=', 'catalogue.item.create')
      .where('target_item', 'like', 'pmpml/pune-buses/stop-%')
      .executeTakeFirstOrThrow();
    expect(Number(audited.n)).toBe(300);
  });

  it('takes hostile text as plain words: results or an empty list, never a 5xx', async () => {
    const hostile = [
      '"',
      '*',
      'NEAR(',
      'NEAR(bus positions, 2)',
      'OR',
      'bus OR 1=1',
      "'; drop table catalogue_items; --",
      'positions" OR "1"="1',
      '(bus AND',
      '^bus',
      'bus:*',
      '!!&&||',
      'x'.repeat(10_000),
      'सूरत बस',
      '🚌🚲',
      'Ωmega \u202e reversed',
      'col:name bus',
      '-bus',
      '\\',
    ];
    for (const text of hostile) {
      const response = await gw.api.get(`/cat/v1/search?q=${encodeURIComponent(text)}`);
      expect(response.status, text.slice(0, 40)).toBe(200);
      expect(Array.isArray(response.body.results)).toBe(true);
    }
    expect(await ids(`q=${encodeURIComponent('positions" OR "1"="1')}`)).toEqual([]);
    expect(await ids(`q=${encodeURIComponent('NEAR(positions')}`)).toEqual([]);
    expect(await ids(`q=${encodeURIComponent('*')}`)).toEqual([]);
  });

  it('names the parameter of a bad search in a 400', async () => {
    const bad = async (query: string, field: string) => {
      const response = await gw.api.get(`/cat/v1/search?${query}`);
      expect(response.status, query).toBe(400);
      expect(response.body.type).toBe('urn:dx:cat:invalidParameter');
      expect(
        (response.body.errors as { field: string }[]).map((e) => e.field),
        query,
      ).toContain(field);
    };
    await bad('colour=red', 'colour');
    await bad(
      q({ georel: 'near', maxDistance: '100', geometry: 'Point', coordinates: '[72.85,91]' }),
      'coordinates',
    );
    await bad(
      q({ georel: 'near', maxDistance: '-5', geometry: 'Point', coordinates: '[72.85,21.1]' }),
      'maxDistance',
    );
    await bad(q({ georel: 'near', geometry: 'Point', coordinates: '[72.85,21.1]' }), 'maxDistance');
    const bowtie = [
      [
        [72.8, 21.1],
        [72.9, 21.2],
        [72.9, 21.1],
        [72.8, 21.2],
        [72.8, 21.1],
      ],
    ];
    await bad(
      q({ georel: 'within', geometry: 'Polygon', coordinates: JSON.stringify(bowtie) }),
      'coordinates',
    );
    await bad(
      q({ georel: 'within', geometry: 'Polygon', coordinates: '[[[72.8,21.1],[72.9,21.1],[72.9,21.2]]]' }),
      'coordinates',
    );
    await bad(q({ georel: 'inside', geometry: 'Point', coordinates: '[1,2]' }), 'georel');
    await bad(q({ georel: 'within', geometry: 'Circle', coordinates: '[1,2]' }), 'geometry');
    await bad(q({ georel: 'within', geometry: 'bbox', coordinates: 'not json' }), 'coordinates');
    await bad('limit=1001', 'limit');
    await bad('offset=-1', 'offset');
    await bad('type=dataset', 'type');
    await bad('tagsMatch=some', 'tagsMatch');
    await bad(`q=${'x'.repeat(10_001)}`, 'q');
  });
});
