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

/** The files of each version the adapter reads, so the ones it validates. */
export const gbfsFiles: Readonly<Record<GbfsVersion, readonly GbfsFile[]>> = {
  '2.3': ['gbfs', 'station_information', 'station_status', 'free_bike_status'],
  '3.0': ['gbfs', 'station_information', 'station_status', 'vehicle_status'],
};

/**
 * The JSON Schemas shipped with the adapter (`schemas/v2.3`, `schemas/v3.0`), written from the GBFS 2.3 and 3.0
 * specifications. One level under the package, as `src/` and `dist/` are.
 */
export const bundledSchemaDir = resolve(import.meta.dirname, '../schemas');

/**
 * The GBFS JSON Schemas of each version, compiled once, by file: those shipped with the adapter, or those of a
 * directory laid out the same way (`v2.3/<file>.json`, `v3.0/<file>.json`), such as the official ones.
 */
export class GbfsSchemas {
  readonly #dir: string;
  readonly #compiled = new Map<string, ValidateFunction>();

  constructor(dir: string = bundledSchemaDir) {
    this.#dir = resolve(dir);
    const missing = Object.entries(gbfsFiles).flatMap(([version, files]) =>
      files.map((file) => join(`v${version}`, `${file}.json`)).filter((f) => !existsSync(join(this.#dir, f))),
    );
    if (missing.length > 0) {
      throw new Error(`The GBFS schema directory ${this.#dir} lacks ${missing.join(', ')}`);
    }
  }

  /** The errors of `document` against the schema of its file and version; empty when it is valid. */
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
      // Each schema gets its own Ajv, not strict: the official files share `$id`s across versions, and use a keyword
      // (errorMessage) Ajv does not know.
      validate = createAjv({ strict: false }).compile(schema);
      this.#compiled.set(key, validate);
    }
    return validate;
  }
}
