import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ConsentFacts,
  covers,
  decide,
  groupOf,
  type ItemFacts,
  type MouFacts,
  mouStatus,
  type ReleaseRequest,
} from '../src/index.js';

const base = Date.parse('2026-01-01T00:00:00.000Z');
const day = 86_400_000;
const instant = fc.integer({ min: 0, max: 400 }).map((d) => new Date(base + d * day).toISOString());
const orgs = fc.constantFrom('svnit', 'sitilink', 'yulu', 'surat');
const items = fc.constantFrom(
  'sitilink/buses',
  'sitilink/buses/positions',
  'sitilink/buses/occupancy',
  'yulu/bikes/cells',
);
const attrs = fc.subarray(['speed', 'route', 'location', 'occupancy', 'plate']);
const level = fc.constantFrom('aggregate' as const, 'anonymised-record' as const);
const accessType = fc.constantFrom(
  'latest' as const,
  'temporal' as const,
  'subscription' as const,
  'download' as const,
);
const optionalInstant = fc.option(instant, { nil: null });

const purposes = fc.constantFrom('transit research', 'enforcement');
const consent: fc.Arbitrary<ConsentFacts> = fc.record({
  purpose: purposes,
  state: fc.constantFrom(
    'requested' as const,
    'active' as const,
    'denied' as const,
    'paused' as const,
    'revoked' as const,
  ),
  consumer: orgs,
  provider: orgs,
  items: fc.uniqueArray(items, { maxLength: 3 }),
  accessTypes: fc.subarray(['latest', 'temporal', 'subscription', 'download'] as const),
  attributes: attrs,
  releaseLevel: level,
  dataFrom: optionalInstant,
  dataTo: optionalInstant,
  validFrom: instant,
  validTo: instant,
});

const mou: fc.Arbitrary<MouFacts> = fc.record({
  state: fc.constantFrom(
    'draft' as const,
    'awaiting-signatures' as const,
    'active' as const,
    'suspended' as const,
    'terminated' as const,
  ),
  effectiveFrom: instant,
  endsAt: instant,
  terminatesAt: optionalInstant,
  parties: fc.uniqueArray(orgs, { maxLength: 4 }),
  purposes: fc.subarray(['transit research', 'enforcement']),
  datasets: fc.uniqueArray(
    fc.record(
      {
        group: fc.constantFrom('sitilink/buses', 'yulu/bikes'),
        maxReleaseLevel: level,
        personalData: fc.boolean(),
        personalDataPurposes: fc.subarray(['transit research', 'enforcement']),
        minimumCellCount: fc.integer({ min: 1, max: 100 }),
      },
      { requiredKeys: ['group', 'maxReleaseLevel', 'personalData', 'personalDataPurposes'] },
    ),
    { selector: (d) => d.group, maxLength: 2 },
  ),
});
const itemNow: fc.Arbitrary<ItemFacts> = fc.record({ personalData: fc.boolean() });

const request: fc.Arbitrary<ReleaseRequest> = fc.record(
  {
    consumer: orgs,
    item: items,
    accessType,
    attributes: attrs,
    releaseLevel: level,
    dataFrom: instant,
    dataTo: instant,
  },
  { requiredKeys: ['consumer', 'item', 'accessType', 'attributes', 'releaseLevel'] },
);

/** Mostly-valid cases with each rule broken now and then, so allowed decisions are common too. */
const rarely = fc.integer({ min: 0, max: 9 }).map((n) => n === 0);
const iso = (days: number) => new Date(base + days * day).toISOString();
const nearMiss = fc
  .record({
    state: rarely,
    notYet: rarely,
    ended: rarely,
    mouState: rarely,
    mouNotYet: rarely,
    mouEnded: rarely,
    terminated: rarely,
    party: rarely,
    providerLeft: rarely,
    purposeGone: rarely,
    pii: rarely,
    piiAllowed: fc.boolean(),
    consumer: rarely,
    item: rarely,
    access: rarely,
    attribute: rarely,
    level: rarely,
    from: rarely,
    to: rarely,
    otherState: fc.constantFrom(
      'requested' as const,
      'denied' as const,
      'paused' as const,
      'revoked' as const,
    ),
    otherMouState: fc.constantFrom(
      'draft' as const,
      'awaiting-signatures' as const,
      'suspended' as const,
      'terminated' as const,
    ),
    slack: fc.integer({ min: 1, max: 50 }),
    k: fc.option(fc.integer({ min: 1, max: 100 }), { nil: undefined }),
  })
  .map((b): [ConsentFacts, MouFacts, ReleaseRequest, string, ItemFacts] => {
    const c: ConsentFacts = {
      purpose: 'transit research',
      state: b.state ? b.otherState : 'active',
      consumer: 'svnit',
      provider: 'sitilink',
      items: ['sitilink/buses'],
      accessTypes: ['latest', 'temporal'],
      attributes: ['speed', 'route'],
      releaseLevel: b.level ? 'aggregate' : 'anonymised-record',
      dataFrom: iso(10),
      dataTo: iso(90),
      validFrom: b.notYet ? iso(100 + b.slack) : iso(100 - b.slack),
      validTo: b.ended ? iso(100) : iso(100 + b.slack),
    };
    const m: MouFacts = {
      state: b.mouState ? b.otherMouState : 'active',
      effectiveFrom: b.mouNotYet ? iso(101) : iso(50),
      endsAt: b.mouEnded ? iso(100) : iso(300),
      terminatesAt: b.terminated ? iso(100 - b.slack) : null,
      parties: ['surat', ...(b.providerLeft ? [] : ['sitilink']), ...(b.party ? [] : ['svnit'])],
      purposes: b.purposeGone ? ['enforcement'] : ['transit research', 'enforcement'],
      datasets: [
        {
          group: 'sitilink/buses',
          maxReleaseLevel: 'anonymised-record',
          personalData: b.piiAllowed,
          personalDataPurposes: ['transit research'],
          ...(b.k === undefined ? {} : { minimumCellCount: b.k }),
        },
      ],
    };
    const r: ReleaseRequest = {
      consumer: b.consumer ? 'yulu' : 'svnit',
      item: b.item ? 'sitilink/busesx' : 'sitilink/buses/positions',
      accessType: b.access ? 'download' : 'latest',
      attributes: b.attribute ? ['speed', 'plate'] : ['speed'],
      releaseLevel: 'anonymised-record',
      dataFrom: b.from ? iso(5) : iso(20),
      dataTo: b.to ? iso(95) : iso(80),
    };
    return [c, m, r, iso(100), { personalData: b.pii }];
  });

const cases = fc.oneof(fc.tuple(consent, mou, request, instant, itemNow), nearMiss);

describe('the release decision (DESIGN.md §5)', () => {
  it('never allows what any rule forbids, for any state, time and request', () => {
    let allowed = 0;
    fc.assert(
      fc.property(cases, ([c, m, r, nowText, item]) => {
        const now = new Date(nowText);
        const decision = decide(c, m, r, now, item);
        if (!decision.allow) {
          expect(decision.reason.length).toBeGreaterThan(0);
          return;
        }
        allowed += 1;
        const at = now.toISOString();
        // 3. the consent is active and now is inside its validity window
        expect(c.state).toBe('active');
        expect(at >= c.validFrom && at < c.validTo).toBe(true);
        // 4. its MoU is active, in term, and the consumer is still a party
        expect(mouStatus(m, now)).toBe('active');
        expect(at >= m.effectiveFrom && at < m.endsAt).toBe(true);
        expect(m.parties).toContain(r.consumer);
        expect(c.consumer).toBe(r.consumer);
        // ... and so is the provider of the items: a party that withdrew takes its datasets out of the MoU
        expect(m.parties).toContain(c.provider);
        // 5. the item's dataset is still in the MoU, at no more than the entry's release level
        const entry = m.datasets?.find((d) => d.group === groupOf(r.item));
        if (m.datasets) expect(entry).toBeDefined();
        // 6. the purpose is still named, and personal data flows only where the entry allows it for the purpose
        expect(m.purposes).toContain(c.purpose);
        if (item.personalData) {
          expect(entry?.personalData).toBe(true);
          expect(entry?.personalDataPurposes).toContain(c.purpose);
        }
        // 5. access type, attributes, release level and data time range inside the consent
        expect(covers(c.items, r.item)).toBe(true);
        expect(c.accessTypes).toContain(r.accessType);
        for (const a of r.attributes) expect(c.attributes).toContain(a);
        expect(r.releaseLevel === 'anonymised-record' ? c.releaseLevel === 'anonymised-record' : true).toBe(
          true,
        );
        if (c.dataFrom !== null) expect(r.dataFrom !== undefined && r.dataFrom >= c.dataFrom).toBe(true);
        if (c.dataTo !== null) expect(r.dataTo !== undefined && r.dataTo <= c.dataTo).toBe(true);
        // 7. cells are dropped at release under the k of the consumer's own MoU entry (10 where it names none)
        expect(decision.minimumCellCount).toBe(entry?.minimumCellCount ?? 10);
      }),
      { numRuns: 20_000 },
    );
    // The generators reach allowed cases too, so the checks above ran.
    expect(allowed).toBeGreaterThan(0);
  });

  it('names one reason per refusal', () => {
    const ok: ConsentFacts = {
      state: 'active',
      consumer: 'svnit',
      provider: 'sitilink',
      items: ['sitilink/buses'],
      accessTypes: ['latest'],
      attributes: ['speed'],
      releaseLevel: 'aggregate',
      dataFrom: null,
      dataTo: null,
      validFrom: '2026-01-01T00:00:00.000Z',
      validTo: '2027-01-01T00:00:00.000Z',
    };
    const live: MouFacts = {
      state: 'active',
      effectiveFrom: '2026-01-01T00:00:00.000Z',
      endsAt: '2027-01-01T00:00:00.000Z',
      terminatesAt: null,
      parties: ['surat', 'sitilink', 'svnit'],
    };
    const asked: ReleaseRequest = {
      consumer: 'svnit',
      item: 'sitilink/buses/positions',
      accessType: 'latest',
      attributes: ['speed'],
      releaseLevel: 'aggregate',
    };
    const now = new Date('2026-06-01T00:00:00.000Z');
    const problem = (c: Partial<ConsentFacts>, m: Partial<MouFacts>, r: Partial<ReleaseRequest>) => {
      const d = decide({ ...ok, ...c }, { ...live, ...m }, { ...asked, ...r }, now);
      return d.allow ? 'allow' : d.problem;
    };
    expect(problem({}, {}, {})).toBe('allow');
    expect(problem({ state: 'requested' }, {}, {})).toBe('consentRequested');
    expect(problem({ state: 'denied' }, {}, {})).toBe('consentDenied');
    expect(problem({ state: 'paused' }, {}, {})).toBe('consentPaused');
    expect(problem({ state: 'revoked' }, {}, {})).toBe('consentRevoked');
    expect(problem({ validTo: '2026-05-01T00:00:00.000Z' }, {}, {})).toBe('consentExpired');
    expect(problem({}, { state: 'draft' }, {})).toBe('mouNotActive');
    expect(problem({}, { state: 'suspended' }, {})).toBe('mouSuspended');
    expect(problem({}, { terminatesAt: '2026-05-01T00:00:00.000Z' }, {})).toBe('mouTerminated');
    expect(problem({}, { endsAt: '2026-05-01T00:00:00.000Z' }, {})).toBe('mouExpired');
    expect(problem({}, { parties: ['surat', 'sitilink'] }, {})).toBe('notParty');
    expect(problem({}, { parties: ['surat', 'svnit'] }, {})).toBe('providerNotParty');
    expect(problem({ purpose: 'transit research' }, { purposes: ['enforcement'] }, {})).toBe(
      'purposeNotInMou',
    );
    const pii = (personalDataPurposes: string[]) =>
      decide(
        { ...ok, purpose: 'transit research' },
        {
          ...live,
          datasets: [
            {
              group: 'sitilink/buses',
              maxReleaseLevel: 'aggregate',
              personalData: true,
              personalDataPurposes,
            },
          ],
        },
        asked,
        now,
        { personalData: true },
      );
    expect(pii(['enforcement'])).toMatchObject({ allow: false, problem: 'personalDataNotAllowed' });
    expect(pii(['transit research'])).toEqual({ allow: true, minimumCellCount: 10 });
    expect(problem({}, { effectiveFrom: '2026-07-01T00:00:00.000Z' }, {})).toBe('mouNotInTerm');
    expect(problem({ validFrom: '2026-07-01T00:00:00.000Z' }, {}, {})).toBe('consentNotYetValid');
    expect(problem({}, {}, { item: 'yulu/bikes/cells' })).toBe('itemOutsideConsent');
    expect(problem({}, {}, { item: 'sitilink/busesx' })).toBe('itemOutsideConsent');
    expect(problem({}, {}, { accessType: 'download' })).toBe('accessTypeNotGranted');
    expect(problem({}, {}, { attributes: ['speed', 'plate'] })).toBe('attributeNotGranted');
    expect(problem({}, {}, { releaseLevel: 'anonymised-record' })).toBe('releaseLevelAboveConsent');
    expect(
      problem({ dataFrom: '2026-03-01T00:00:00.000Z' }, {}, { dataFrom: '2026-02-01T00:00:00.000Z' }),
    ).toBe('timeRangeOutsideConsent');
  });
});
