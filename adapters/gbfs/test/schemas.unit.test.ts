import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { syntheticGbfs } from '@sangam/feeds';
import { createAjv } from '@sangam/http';
import { sharedFixturesDir } from '@sangam/testkit/fixtures';
import { Ajv, type ValidateFunction } from 'ajv';
import { describe, expect, it } from 'vitest';
import { bundledSchemaDir, type GbfsFile, GbfsSchemas, type GbfsVersion, gbfsFiles } from '../src/index.js';

// The official GBFS JSON Schemas and fixtures: the reference the adapter's own schemas are held to.
const fixtures = sharedFixturesDir('gbfs');
const ours = new GbfsSchemas();
const versions = Object.keys(gbfsFiles) as GbfsVersion[];
const covered = versions.flatMap((version) => gbfsFiles[version].map((file) => ({ version, file })));

const officialCompiled = new Map<string, ValidateFunction>();
function officialAccepts(version: GbfsVersion, file: GbfsFile, document: unknown): boolean {
  const key = `${version}/${file}`;
  let validate = officialCompiled.get(key);
  if (!validate) {
    const schema = JSON.parse(readFileSync(join(fixtures, 'schema', `v${version}`, `${file}.json`), 'utf8'));
    // One Ajv per schema: the official files share `$id`s across versions.
    validate = createAjv({ strict: false }).compile(schema);
    officialCompiled.set(key, validate);
  }
  return validate(document) === true;
}
const oursAccepts = (version: GbfsVersion, file: GbfsFile, document: unknown): boolean =>
  ours.errors(version, file, document).length === 0;

const read = (name: string): unknown => JSON.parse(readFileSync(join(fixtures, name), 'utf8'));

/** The official fixtures of the files the adapter validates: `v<version>_<file>.json`. */
const officialFixtures = readdirSync(fixtures)
  .map((name) => /^v(2\.3|3\.0)_([a-z_]+)\.json$/.exec(name))
  .filter((m): m is RegExpExecArray => m !== null)
  .map(([name = '', version = '', file = '']) => ({
    name,
    version: version as GbfsVersion,
    file: file as GbfsFile,
  }))
  .filter(({ version, file }) => gbfsFiles[version].includes(file));

/** The fixtures hold no station_information: one for their stations, with most of the optional fields. */
function stationInformation(version: GbfsVersion): unknown {
  const status = read(`v${version}_station_status.json`) as {
    last_updated: unknown;
    data: { stations: { station_id: string }[] };
  };
  const text = (value: string) => (version === '3.0' ? [{ text: value, language: 'en' }] : value);
  const stations = status.data.stations.map((s, i) => {
    const [lat, lon] = [48.85 + i * 0.01, 2.33 + i * 0.01];
    const ring = [
      [lon - 0.001, lat - 0.001],
      [lon + 0.001, lat - 0.001],
      [lon + 0.001, lat + 0.001],
      [lon - 0.001, lat - 0.001],
    ];
    return {
      station_id: s.station_id,
      name: text(`Station ${i + 1}`),
      short_name: text(`S${i + 1}`),
      lat,
      lon,
      address: `${i + 1} Rue de Rivoli`,
      cross_street: 'Rue du Louvre',
      region_id: 'centre',
      post_code: '75001',
      rental_methods: ['key', 'creditcard'],
      is_virtual_station: i > 0,
      station_area: { type: 'MultiPolygon', coordinates: [[ring]] },
      parking_type: 'street_parking',
      parking_hoop: false,
      contact_phone: '+33100000000',
      capacity: 12,
      ...(version === '3.0'
        ? {
            station_opening_hours: 'Mo-Su 06:00-22:00',
            vehicle_types_capacity: [{ vehicle_type_ids: ['ebicycle_paris'], count: 6 }],
            vehicle_docks_capacity: [{ vehicle_type_ids: ['ebicycle_paris', 'escooter_paris'], count: 12 }],
          }
        : {
            vehicle_capacity: { 'TST:VehicleType:Scooter': 6 },
            vehicle_type_capacity: { 'TST:VehicleType:CityBike': 12 },
          }),
      is_valet_station: false,
      is_charging_station: true,
      rental_uris: {
        android: 'https://rent.example/a',
        ios: 'https://rent.example/i',
        web: 'https://rent.example',
      },
    };
  });
  return { last_updated: status.last_updated, ttl: 60, version, data: { stations } };
}

type Kind = 'removed' | 'wrong type' | 'negative' | 'out of range' | 'emptied' | "other version's time";
interface Mutation {
  readonly label: string;
  readonly kind: Kind;
  /** `top` for a field of the document itself; `item` for one inside an array of `data`. */
  readonly depth: 'top' | 'nested' | 'item';
  readonly document: unknown;
}

/**
 * Every document one change away from `document`: each field removed, given a value of another type, made
 * negative, large or empty; each element of an array removed, and the first one changed as above.
 */
function mutations(version: GbfsVersion, document: unknown): Mutation[] {
  const found: Mutation[] = [];
  const at = (path: (string | number)[], change: (parent: Record<string | number, unknown>) => void) => {
    const copy = structuredClone(document);
    let parent = copy as Record<string | number, unknown>;
    for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
    change(parent);
    return copy;
  };
  const add = (path: (string | number)[], kind: Kind, value?: unknown) => {
    const key = path[path.length - 1] as string | number;
    const depth = path.length === 1 ? 'top' : path.some((p) => typeof p === 'number') ? 'item' : 'nested';
    const pointer = `/${path.join('/')}`;
    found.push({
      label: `${pointer} ${kind === 'removed' ? 'removed' : `set to ${JSON.stringify(value)}`}`,
      kind,
      depth,
      document: at(path, (parent) => {
        if (kind !== 'removed') parent[key] = value;
        else if (Array.isArray(parent)) parent.splice(key as number, 1);
        else delete parent[key];
      }),
    });
  };
  const walk = (node: unknown, path: (string | number)[]) => {
    if (Array.isArray(node)) {
      // Each element removed (a feed from gbfs.json's list, say); the first one changed further.
      node.slice(0, 20).forEach((_, i) => {
        add([...path, i], 'removed');
      });
      if (node.length > 0) walk(node[0], [...path, 0]);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      const here = [...path, key];
      add(here, 'removed');
      add(here, 'wrong type', null);
      if (typeof value === 'number') {
        add(here, 'wrong type', String(value));
        if (Number.isInteger(value)) add(here, 'wrong type', value + 0.5);
        add(here, 'negative', -1);
        add(here, 'out of range', 1000);
      } else if (typeof value === 'string') {
        add(here, 'wrong type', 42);
        add(here, 'emptied', '');
      } else if (typeof value === 'boolean') {
        add(here, 'wrong type', String(value));
      } else if (Array.isArray(value)) {
        add(here, 'wrong type', {});
        add(here, 'emptied', []);
      } else if (value && typeof value === 'object') {
        add(here, 'wrong type', 'x');
        add(here, 'wrong type', []);
      }
      if (key === 'last_updated' || key === 'last_reported') {
        // 2.3 times are POSIX seconds, 3.0 times RFC 3339 text: each in the other's form.
        const other =
          version === '3.0'
            ? Math.floor(Date.parse(String(value)) / 1000)
            : new Date(Number(value) * 1000).toISOString();
        add(here, "other version's time", other);
      }
      walk(value, here);
    }
  };
  walk(document, []);
  return found;
}

/** Every valid document the test knows of, by version and file: the fixtures, and documents made like them. */
const validDocuments: { label: string; version: GbfsVersion; file: GbfsFile; document: unknown }[] = [
  ...officialFixtures.map(({ name, version, file }) => ({
    label: name,
    version,
    file,
    document: read(name),
  })),
  ...versions.map((version) => ({
    label: `v${version} station_information made from the station_status fixture`,
    version,
    file: 'station_information' as const,
    document: stationInformation(version),
  })),
  ...covered
    .filter(({ file }) => file !== 'gbfs')
    .map(({ version, file }) => ({
      label: `v${version} synthetic ${file}`,
      version,
      file,
      document: syntheticGbfs(
        version,
        file,
        { stations: 4, vehicles: 12, seed: 3 },
        new Date('2030-02-28T23:55:00Z'),
      ),
    })),
];

describe("the GBFS adapter's own schemas", () => {
  it('are loaded from the adapter package by default, a schema per version and file', () => {
    expect(bundledSchemaDir).toBe(join(import.meta.dirname, '..', 'schemas'));
    for (const { version, file } of covered) {
      const schema = JSON.parse(readFileSync(join(bundledSchemaDir, `v${version}`, `${file}.json`), 'utf8'));
      expect(schema.$comment, `${version}/${file}`).toContain(`GBFS ${version} specification`);
      // Strict: no unknown keyword or misplaced type. Formats are not validated by this Ajv, only by the adapter's.
      expect(() =>
        new Ajv({ strict: true, strictRequired: false, validateFormats: false }).compile(schema),
      ).not.toThrow();
    }
  });

  it('can be swapped for the official ones by naming their directory', () => {
    const official = new GbfsSchemas(join(fixtures, 'schema'));
    expect(official.errors('2.3', 'gbfs', read('v2.3_gbfs.json'))).toEqual([]);
    expect(official.errors('3.0', 'gbfs', { version: '3.0' })).not.toEqual([]);
    expect(() => new GbfsSchemas(join(fixtures, 'nowhere'))).toThrow(/lacks v2\.3\/gbfs\.json/);
  });

  it('accept every official fixture of the files the adapter reads', () => {
    for (const version of versions) {
      expect(officialFixtures.filter((f) => f.version === version).length, version).toBeGreaterThan(0);
    }
    for (const { name, version, file } of officialFixtures) {
      expect(ours.errors(version, file, read(name)), name).toEqual([]);
    }
  });

  it.each(validDocuments)(
    'accept $label, as the official schema does',
    ({ label, version, file, document }) => {
      expect(officialAccepts(version, file, document), label).toBe(true);
      expect(ours.errors(version, file, document), label).toEqual([]);
    },
  );

  it.each(validDocuments.filter((d) => !d.label.includes('synthetic')))(
    'refuse what the official schema refuses, and accept what it accepts, one change away from $label',
    ({ version, file, document }) => {
      const all = mutations(version, document);
      const refused = all.filter((m) => !officialAccepts(version, file, m.document));
      const kinds = (kind: Kind, depth?: Mutation['depth']) =>
        refused.filter((m) => m.kind === kind && (!depth || m.depth === depth));
      // The official schema refuses some of each kind, so the comparison below is never empty.
      expect(kinds('removed', 'top').length).toBeGreaterThan(0);
      expect(kinds('wrong type').length).toBeGreaterThan(0);
      expect(kinds('negative').length).toBeGreaterThan(0);
      expect(kinds("other version's time").length).toBeGreaterThan(0);
      expect(kinds('removed', 'item').length).toBeGreaterThan(0);

      expect(
        refused.filter((m) => oursAccepts(version, file, m.document)).map((m) => m.label),
        'refused by the official schema, accepted by ours',
      ).toEqual([]);
      expect(
        all
          .filter(
            (m) => officialAccepts(version, file, m.document) && !oursAccepts(version, file, m.document),
          )
          .map((m) => m.label),
        'accepted by the official schema, refused by ours',
      ).toEqual([]);
    },
  );
});
