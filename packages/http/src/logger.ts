import { type DestinationStream, type Logger, pino } from 'pino';
import pretty from 'pino-pretty';

const jwtPattern = /eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g;
const basicPattern = /\b(Basic|Bearer)\s+[A-Za-z0-9._~+/=-]{8,}/gi;

/** Masks anything that looks like a token or credential in a log line's text. */
export function scrubSecrets(text: string): string {
  return text.replace(jwtPattern, '[token]').replace(basicPattern, '$1 [credential]');
}

/** Masks token-like text in every string of a log object (messages, paths, error messages and stacks). */
export function scrubValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubSecrets(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) {
    // Errors keep what operators need (their type, message, stack, cause), masked like any other text.
    return scrubValue(
      {
        type: value.name,
        message: value.message,
        stack: value.stack,
        ...(value.cause ? { cause: value.cause } : {}),
      },
      depth + 1,
    );
  }
  if (Array.isArray(value)) return value.map((v) => scrubValue(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) out[key] = scrubValue(v, depth + 1);
  return out;
}

/** Field names whose values never reach a log, wherever they sit. */
const redactPaths = [
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'secret',
  '*.secret',
  'clientSecret',
  '*.clientSecret',
  'client_secret',
  '*.client_secret',
  'access_token',
  '*.access_token',
  'token',
  '*.token',
  'password',
  '*.password',
  'privateJwk',
  '*.privateJwk',
];

export interface LoggerOptions {
  readonly level?: string;
  /** Where lines go; stdout by default. Tests pass a stream to read what was logged. */
  readonly destination?: DestinationStream;
  /**
   * Readable lines (time, level, message, fields) for a person at a terminal instead of JSON for a log pipeline;
   * the same redaction applies. Written synchronously on the calling thread: no worker, no lost last lines.
   */
  readonly pretty?: boolean;
}

/**
 * The gateway's pino logger. Request bodies are never logged; known secret fields are redacted, and token-like
 * strings in messages are masked as a second line of defence.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: undefined,
      redact: { paths: redactPaths, censor: '[redacted]' },
      formatters: { log: (object) => scrubValue(object) as Record<string, unknown> },
      hooks: {
        logMethod(args, method) {
          const cleaned = args.map((a) => (typeof a === 'string' ? scrubSecrets(a) : a)) as typeof args;
          method.apply(this, cleaned);
        },
      },
    },
    options.destination ??
      (options.pretty
        ? pretty({ colorize: true, sync: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' })
        : undefined),
  );
}
