import { zonedInstant } from './text.js';

/**
 * Configuration from environment variables: declared once per service, parsed and validated once at start.
 * A bad variable stops the process with a message naming it and what it accepts.
 */
export interface Setting<T> {
  /** What the variable accepts, in words, for the error message and the README's table. */
  readonly accepts: string;
  readonly defaultValue: T | undefined;
  readonly description: string;
  /** Secrets are never echoed back in error messages. */
  readonly secret: boolean;
  parse(raw: string): T | undefined;
}

type SettingOptions<T> = { default?: T; description?: string; secret?: boolean };

function setting<T>(
  accepts: string,
  parse: (raw: string) => T | undefined,
  options: SettingOptions<T>,
): Setting<T> {
  return {
    accepts,
    parse,
    defaultValue: options.default,
    description: options.description ?? '',
    secret: options.secret ?? false,
  };
}

export const env = {
  string(options: SettingOptions<string> & { pattern?: RegExp; accepts?: string } = {}): Setting<string> {
    const { pattern } = options;
    return setting(
      options.accepts ?? (pattern ? `text matching ${pattern}` : 'any text'),
      (raw) => (pattern && !pattern.test(raw) ? undefined : raw),
      options,
    );
  },
  int(options: SettingOptions<number> & { min?: number; max?: number } = {}): Setting<number> {
    const min = options.min ?? Number.MIN_SAFE_INTEGER;
    const max = options.max ?? Number.MAX_SAFE_INTEGER;
    return setting(
      `an integer from ${min} to ${max}`,
      (raw) => {
        if (!/^-?\d+$/.test(raw.trim())) return undefined;
        const value = Number(raw.trim());
        return Number.isSafeInteger(value) && value >= min && value <= max ? value : undefined;
      },
      options,
    );
  },
  bool(options: SettingOptions<boolean> = {}): Setting<boolean> {
    return setting(
      'true or false (also 1/0, yes/no)',
      (raw) => {
        const value = raw.trim().toLowerCase();
        if (['true', '1', 'yes'].includes(value)) return true;
        if (['false', '0', 'no'].includes(value)) return false;
        return undefined;
      },
      options,
    );
  },
  /** An ISO 8601 instant with its zone, as canonical UTC text (a default of '' makes it optional). */
  instant(options: SettingOptions<string> = {}): Setting<string> {
    const accepts = 'an ISO 8601 instant with its zone, such as 2030-02-28T23:55:00Z';
    return setting(options.default === '' ? `${accepts}, or nothing` : accepts, zonedInstant, options);
  },
  oneOf<const V extends string>(values: readonly V[], options: SettingOptions<V> = {}): Setting<V> {
    return setting(`one of ${values.join(', ')}`, (raw) => values.find((v) => v === raw.trim()), options);
  },
  url(options: SettingOptions<string> & { protocols?: readonly string[] } = {}): Setting<string> {
    const protocols = options.protocols ?? ['http:', 'https:'];
    return setting(
      `an absolute URL (${protocols.join(' or ')})`,
      (raw) => {
        try {
          const url = new URL(raw.trim());
          return protocols.includes(url.protocol) ? url.toString().replace(/\/$/, '') : undefined;
        } catch {
          return undefined;
        }
      },
      options,
    );
  },
  list(options: SettingOptions<string[]> & { item?: RegExp } = {}): Setting<string[]> {
    const { item } = options;
    return setting(
      `a comma-separated list${item ? ` of values matching ${item}` : ''}`,
      (raw) => {
        const values = raw
          .split(',')
          .map((v) => v.trim())
          .filter((v) => v.length > 0);
        return item && values.some((v) => !item.test(v)) ? undefined : values;
      },
      options,
    );
  },
};

export type ConfigSpec = Record<string, Setting<unknown>>;
type SettingValue<S> = S extends Setting<infer T> ? T : never;
export type ConfigOf<S extends ConfigSpec> = { readonly [K in keyof S]: SettingValue<S[K]> };

export class ConfigError extends Error {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/**
 * Reads every variable of `spec` (keys are variable names) from `source`; an empty variable counts as unset.
 * Throws one ConfigError that lists every bad or missing variable.
 *
 * @example parseConfig({ SANGAM_PORT: env.int({ min: 1, max: 65535, default: 8080 }) }, process.env)
 */
export function parseConfig<S extends ConfigSpec>(
  spec: S,
  source: Readonly<Record<string, string | undefined>> = process.env,
): ConfigOf<S> {
  const problems: string[] = [];
  const out: Record<string, unknown> = {};
  for (const [name, s] of Object.entries(spec)) {
    const raw = source[name];
    if (raw === undefined || raw.trim() === '') {
      if (s.defaultValue === undefined) problems.push(`${name} is required: it accepts ${s.accepts}`);
      else out[name] = s.defaultValue;
      continue;
    }
    const value = s.parse(raw);
    if (value === undefined) {
      const shown = s.secret ? '(hidden)' : JSON.stringify(raw.length > 80 ? `${raw.slice(0, 80)}…` : raw);
      problems.push(`${name}=${shown} is not valid: it accepts ${s.accepts}`);
    } else {
      out[name] = value;
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return out as ConfigOf<S>;
}

/** Rows for a configuration table (README, `--help`). */
export function describeConfig(
  spec: ConfigSpec,
): { name: string; accepts: string; default: string; description: string }[] {
  return Object.entries(spec).map(([name, s]) => ({
    name,
    accepts: s.accepts,
    default: s.defaultValue === undefined ? '(required)' : s.secret ? '(hidden)' : String(s.defaultValue),
    description: s.description,
  }));
}
