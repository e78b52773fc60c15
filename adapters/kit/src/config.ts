import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DxError, type FieldError } from '@sangam/core';
import { createAjv, fieldErrors } from '@sangam/http';
import { isTimeZone } from '@sangam/privacy';

/** What every adapter is configured with; its kind adds its own options under `options`. */
export interface AdapterConfig {
  /** A name unique among the gateway's adapters, e.g. "yulu-gbfs". */
  readonly name: string;
  readonly kind: string;
  /** The feed's entry URL (GBFS: gbfs.json). */
  readonly feed: string;
  /**
   * Hosts the feed may be on although they resolve to this machine or a private network (a feed server beside
   * the gateway); any other feed must be out in the world.
   */
  readonly allowHosts?: readonly string[];
  /** The organisation whose resources the adapter publishes into. */
  readonly provider: string;
  /** Target resources by role, e.g. `{stations: "yulu/bikes/stations", vehicles: "yulu/bikes/availability"}`. */
  readonly resources: Readonly<Record<string, string>>;
  /** The MoU whose k (`minimumCellCount` of the dataset) applies; without one, k is 10. */
  readonly mou?: string;
  readonly pollSeconds: number;
  readonly timeoutMs: number;
  readonly maxBytes: number;
  readonly privacy: {
    readonly h3Resolution: number;
    readonly bucketMinutes: number;
    /** ε for noisy counts; none: counts are exact (still k-suppressed). */
    readonly epsilon?: number;
    /** The IANA time zone whose midnight starts a pseudonym's day (default UTC). */
    readonly timeZone: string;
  };
  /** Publishing over HTTP to a gateway, with the provider's client; in-process when absent. */
  readonly gateway?: { readonly url: string; readonly clientId: string; readonly clientSecret: string };
  /** Where the outbox of not yet acknowledged batches is kept. */
  readonly stateDir: string;
  readonly options: Readonly<Record<string, unknown>>;
}

export const adapterConfigSchema = {
  $id: 'urn:sangam:schema:adapter-config',
  type: 'object',
  additionalProperties: false,
  required: ['name', 'kind', 'feed', 'provider', 'resources'],
  properties: {
    name: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,62}$' },
    kind: { enum: ['gbfs', 'mds', 'itms'] },
    feed: { type: 'string', format: 'uri', pattern: '^https?://', maxLength: 2000 },
    allowHosts: {
      type: 'array',
      items: { type: 'string', pattern: '^[A-Za-z0-9.:-]{1,253}$' },
      maxItems: 50,
      default: [],
    },
    provider: { type: 'string', pattern: '^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$' },
    resources: {
      type: 'object',
      minProperties: 1,
      additionalProperties: { type: 'string', pattern: '^[a-z0-9-]{1,64}/[a-z0-9-]{1,64}/[a-z0-9-]{1,64}$' },
    },
    mou: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' },
    pollSeconds: { type: 'number', minimum: 0.05, maximum: 86_400, default: 60 },
    timeoutMs: { type: 'integer', minimum: 100, maximum: 120_000, default: 10_000 },
    maxBytes: { type: 'integer', minimum: 1024, maximum: 512 * 1024 * 1024, default: 64 * 1024 * 1024 },
    privacy: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        h3Resolution: { type: 'integer', minimum: 5, maximum: 10, default: 8 },
        bucketMinutes: { type: 'integer', minimum: 1, maximum: 1440, default: 15 },
        epsilon: { type: 'number', minimum: 0.001, maximum: 10 },
        timeZone: { type: 'string', minLength: 1, maxLength: 64, default: 'UTC' },
      },
    },
    gateway: {
      type: 'object',
      additionalProperties: false,
      required: ['url', 'clientId', 'clientSecret'],
      properties: {
        url: { type: 'string', pattern: '^https?://' },
        clientId: { type: 'string', minLength: 1 },
        clientSecret: { type: 'string', minLength: 1 },
      },
    },
    stateDir: { type: 'string', minLength: 1, default: './data/adapters' },
    options: { type: 'object', default: {} },
  },
} as const;

// Defaults are filled in as the configuration is checked.
const validate = createAjv({ strict: false, useDefaults: true }).compile({
  ...adapterConfigSchema,
  $id: undefined,
});

/** Checks an adapter configuration and fills in its defaults; every bad field is named in one error. */
export function parseAdapterConfig(value: unknown): AdapterConfig {
  const copy = structuredClone(value);
  if (!validate(copy)) {
    const errors: FieldError[] = fieldErrors(validate.errors);
    throw DxError.validation(errors);
  }
  const config = copy as AdapterConfig;
  const errors: FieldError[] = [];
  const noisy = config.privacy.epsilon !== undefined;
  // The sampler works in thousandths: the ε drawn and the ε entered in the ledger are then the same.
  const thousandths = (config.privacy.epsilon ?? 1) * 1000;
  if (Math.abs(thousandths - Math.round(thousandths)) > 1e-9) {
    errors.push({ field: '/privacy/epsilon', message: 'must be a multiple of 0.001' });
  }
  if (config.kind === 'mds' && !noisy) {
    // Where no construction keeps two releases from being subtracted into a count below k, noise must (§8).
    const { vehicles, trips, od, events } = config.resources;
    if (vehicles) {
      errors.push({
        field: '/privacy/epsilon',
        message:
          'fleet states (role vehicles) are released with noise only: consecutive snapshots of a cell differ by the few vehicles that came and went',
      });
    } else if (trips && (od || events)) {
      errors.push({
        field: '/privacy/epsilon',
        message:
          'anonymised trips beside their aggregates (roles od or events) need noise on the aggregates: a count minus the records it also covers is a count below k',
      });
    }
  }
  if (!isTimeZone(config.privacy.timeZone)) {
    errors.push({ field: '/privacy/timeZone', message: 'must be an IANA time zone such as Asia/Kolkata' });
  }
  if (errors.length > 0) throw DxError.validation(errors);
  return config;
}

/**
 * Reads and checks an adapter configuration file (JSON). A secret need not be written in it: any value may be
 * `{"$env": "NAME"}` (the environment variable's value) or `{"$file": "path"}` (the file's content without its
 * trailing newline, the path relative to the configuration file), as a secret manager or an orchestrator provides.
 */
export function loadAdapterConfig(file: string): AdapterConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new DxError('invalidPayload', `${file} cannot be read (${(error as NodeJS.ErrnoException).code})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    // Node's message quotes the text around the fault, which may be a secret: only where it is goes out.
    const at = /position (\d+)/.exec((error as Error).message)?.[1];
    throw new DxError(
      'invalidPayload',
      `${file} is not well-formed JSON${at ? ` (at character ${at})` : ''}`,
    );
  }
  const errors: FieldError[] = [];
  const resolved = resolveReferences(parsed, '', dirname(file), errors);
  if (errors.length > 0) throw DxError.validation(errors);
  return parseAdapterConfig(resolved);
}

/** Replaces each `{"$env": NAME}` and `{"$file": path}` in a parsed configuration by what it names. */
function resolveReferences(value: unknown, pointer: string, base: string, errors: FieldError[]): unknown {
  if (Array.isArray(value)) return value.map((v, i) => resolveReferences(v, `${pointer}/${i}`, base, errors));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  const [only] = entries;
  if (entries.length === 1 && only && (only[0] === '$env' || only[0] === '$file')) {
    const [how, name] = only;
    if (typeof name !== 'string' || name === '') {
      errors.push({ field: pointer || '/', message: `${how} must name an environment variable or a file` });
      return undefined;
    }
    if (how === '$env') {
      const found = Object.hasOwn(process.env, name) ? process.env[name] : undefined;
      if (typeof found !== 'string' || found === '') {
        errors.push({ field: pointer || '/', message: `the environment variable ${name} is not set` });
        return undefined;
      }
      return found;
    }
    try {
      const content = readFileSync(resolve(base, name), 'utf8').replace(/\r?\n$/, '');
      if (content === '') errors.push({ field: pointer || '/', message: `${name} is empty` });
      return content;
    } catch (error) {
      errors.push({
        field: pointer || '/',
        message: `${name} cannot be read (${(error as NodeJS.ErrnoException).code})`,
      });
      return undefined;
    }
  }
  return Object.fromEntries(
    entries.map(([key, v]) => [key, resolveReferences(v, `${pointer}/${key}`, base, errors)]),
  );
}
