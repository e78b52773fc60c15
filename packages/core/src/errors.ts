import { type ProblemName, problems } from './problems.js';

/** One failing field of a validation error: a JSON Pointer into the input and what is wrong with it. */
export interface FieldError {
  readonly field: string;
  readonly message: string;
}

export interface DxErrorOptions {
  /** Extension members of the problem document, e.g. `errors` for validation, `error` for OAuth. */
  readonly extensions?: Readonly<Record<string, unknown>>;
  /** Extra response headers, e.g. `WWW-Authenticate` or `Retry-After`. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly cause?: unknown;
}

/**
 * The one error type of Sangam. Library code returns or throws it; the HTTP edge renders it as
 * `application/problem+json` in one place (packages/http).
 */
export class DxError extends Error {
  readonly problem: ProblemName;
  readonly status: number;
  readonly detail: string;
  readonly extensions: Readonly<Record<string, unknown>>;
  readonly headers: Readonly<Record<string, string>>;

  constructor(problem: ProblemName, detail?: string, options: DxErrorOptions = {}) {
    const spec = problems[problem];
    super(detail ?? spec.title, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DxError';
    this.problem = problem;
    this.status = spec.status;
    this.detail = detail ?? spec.title;
    this.extensions = options.extensions ?? {};
    this.headers = options.headers ?? {};
  }

  /** A validation error that lists every failing field. */
  static validation(errors: readonly FieldError[], problem: ProblemName = 'invalidPayload'): DxError {
    const summary = errors.map((e) => `${e.field || '/'} ${e.message}`).join('; ');
    return new DxError(problem, summary, { extensions: { errors } });
  }
}

export function isDxError(value: unknown): value is DxError {
  return value instanceof DxError;
}

/** A small Result for expected failures inside library code; thrown only at the HTTP edge. */
export type Result<T, E = DxError> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: E };

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const err = <E>(error: E): Result<never, E> => ({ ok: false, error });
