import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createAjv } from '@sangam/http';
import type { ValidateFunction } from 'ajv';

export type GbfsVersion = '2.3' | '3.0';
export type GbfsFile =
  | 'gbfs'
  | 'station_information'
  | 'station_status'
  | 'free_bike_status'
  | 'vehicle_status';

/**
 * Where the official GBFS JSON Schemas are looked for when the configuration names no directory: the shared
 * fixtures beside the project's clone, then beside the working directory.
 */
export const defaultSchemaDirs = [
  resolve(import.meta.dirname, '../../../../shared/fixtures/gbfs/schema'),
  '../shared/fixtures/gbfs/schema',
];

/** The official GBFS JSON Schemas of one version, compiled once, by file. */
export class GbfsSchemas {
  readonly #dir: string;
  readonly #compiled = new Map<string, ValidateFunction>();

  constructor(dir?: string) {
    const found = dir ? resolve(dir) : defaultSchemaDirs.map((d) => resolve(d)).find((d) => existsSync(d));
    if (!found || !existsSync(found)) {
      throw new Error(
        `The official GBFS schemas were not found (looked in ${dir ?? defaultSchemaDirs.join(', ')})`,
      );
    }
    this.#dir = found;
  }

  /** The errors of `document` against the official schema of its file and version; empty when it is valid. */
  errors(version: GbfsVersion, file: GbfsFile, document: unknown): string[] {
    const validate = this.#validator(version, file);
    if (validate(document)) return [];
    return (validate.errors ?? [])
      .slice(0, 5)
      .map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
  }

  #validator(version: GbfsVersion, file: GbfsFile): ValidateFunction {
    const key = `${version}/${file}`;
    let validate = this.#compiled.get(key);
    if (!validate) {
      const schema = JSON.parse(readFileSync(join(this.#dir, `v${version}`, `${file}.json`), 'utf8'));
      // Each schema gets its own Ajv: the official files share `$id`s across versions.
      validate = createAjv({ strict: false }).compile(schema);
      this.#compiled.set(key, validate);
    }
    return validate;
  }
}
