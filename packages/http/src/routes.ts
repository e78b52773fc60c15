import { DxError, type FieldError } from '@sangam/core';
import { type Static, type TSchema, Type } from '@sinclair/typebox';
import type { ValidateFunction } from 'ajv';
import type { Context, Hono, MiddlewareHandler } from 'hono';
import type { AppEnv } from './env.js';
import { createAjv, fieldErrors, readJson } from './validation.js';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** Who may call a route, as the gateway checks it before the handler runs. */
export type Security = 'none' | 'identity' | 'identity-optional' | 'access';

/** One documented answer of a route: a status's meaning and, for JSON, the schema of its body. */
export interface Answer {
  readonly description: string;
  /** The body's schema; with `envelope` (the default for JSON), the schema of its `results`. */
  readonly schema?: TSchema | object;
  /** `application/json` unless said otherwise; a body of another type is documented as such. */
  readonly contentType?: string;
  /** Whether the body is DESIGN.md's success envelope around `schema` (default true for JSON). */
  readonly envelope?: boolean;
  /** Members of the envelope beside `results` (a paging cursor, the range a report covers), each with its schema. */
  readonly beside?: Readonly<Record<string, TSchema | object>>;
  /** Other media types the same answer may come as (a signed note as text, a CSV), each with its schema. */
  readonly alternatives?: Readonly<Record<string, object>>;
}

/**
 * A route, declared once: its method, literal path, the schemas of what it takes and answers, who may call it and
 * what it writes to the audit log. The gateway validates from it, the handler is typed from it, and the OpenAPI
 * document is made from it.
 */
export interface RouteDeclaration<
  P extends TSchema = TSchema,
  Q extends TSchema = TSchema,
  B extends TSchema = TSchema,
> {
  readonly method: Method;
  /** OpenAPI form, literal: `/consent/v1/consents/{id}/grant`. */
  readonly path: `/${string}`;
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string;
  readonly tag: string;
  readonly security: Security;
  /** The roles that may call it (documented; the domain function decides). */
  readonly roles?: readonly string[];
  /** The audit action it writes, if any. */
  readonly audit?: string;
  readonly params?: P;
  readonly query?: Q;
  readonly body?: B;
  /** A body that may be left out entirely (an empty POST): `body` then checks it only when sent. */
  readonly bodyOptional?: boolean;
  /**
   * A body that is not one JSON document (a form, a text line), which the handler reads itself: its media types
   * and their schemas, for the document.
   */
  readonly otherBody?: { readonly required: boolean; readonly content: Readonly<Record<string, object>> };
  /**
   * Who checks the query and reads the body: the gateway before the handler runs (the default), or the handler, in
   * its own order: the query when it first reads `query`, the body when it calls `readBody`. A route that decides
   * something first (the release rule's token check, who may publish) refuses and audits in that order, and parses
   * nothing of a refused caller's data.
   */
  readonly checkedBy?: 'gateway' | 'handler';
  /** Checks run after the guard and before the handler (a role, for instance). */
  readonly middleware?: readonly MiddlewareHandler<AppEnv>[];
  readonly responses: Readonly<Record<number, Answer>>;
  /** Statuses of the problems it may answer (each an RFC 9457 problem). */
  readonly refusals: readonly number[];
  readonly handle: (
    c: Context<AppEnv>,
    input: {
      params: Static<P>;
      query: Static<Q>;
      body: Static<B>;
      /** The body, read and checked against `body` now (for `bodyRead: 'handler'`). */
      readBody: () => Promise<Static<B>>;
    },
  ) => Response | Promise<Response>;
}

/** A declaration, with its types inferred from its schemas. */
export function route<P extends TSchema, Q extends TSchema, B extends TSchema>(
  declaration: RouteDeclaration<P, Q, B>,
): RouteDeclaration {
  return declaration as unknown as RouteDeclaration;
}

// Query and path values are text: integers and booleans are read from it. Bodies are JSON and never coerced.
const textAjv = createAjv({ strict: false, coerce: true, verbose: true });
const bodyAjv = createAjv({ strict: false, verbose: true });

interface Checks {
  readonly params?: ValidateFunction;
  readonly query?: ValidateFunction;
  readonly queryNames: ReadonlySet<string>;
  /** Query parameters that are integers: written in digits only. */
  readonly integers: ReadonlySet<string>;
  readonly body?: ValidateFunction;
}

/**
 * A body schema's check outside a route (a console form that carries a whole document, say): the same Ajv and the
 * same errors as a route's body, so a document is accepted or refused alike either way.
 */
export function bodyCheck<T>(schema: TSchema): (value: unknown) => T {
  const validate = bodyAjv.compile(schema);
  return (value) => {
    if (validate(value)) return value as T;
    throw DxError.validation(bodyErrors(validate.errors, schema));
  };
}

function checksOf(declaration: RouteDeclaration): Checks {
  const properties = (declaration.query as { properties?: Record<string, { type?: unknown }> } | undefined)
    ?.properties;
  const names = Object.keys(properties ?? {});
  return {
    integers: new Set(names.filter((name) => properties?.[name]?.type === 'integer')),
    ...(declaration.params ? { params: textAjv.compile(declaration.params) } : {}),
    ...(declaration.query ? { query: textAjv.compile(declaration.query) } : {}),
    queryNames: new Set(names),
    ...(declaration.body ? { body: bodyAjv.compile(declaration.body) } : {}),
  };
}

/**
 * Query parameters as one object: unknown or repeated ones are named, with every failing value, in one 400. A route
 * that declares no query does not read it (an OAuth client may keep its own parameters on the token URL).
 */
function queryOf(c: Context<AppEnv>, checks: Checks): Record<string, unknown> {
  if (!checks.query) return {};
  const errors: FieldError[] = [];
  const query: Record<string, unknown> = {};
  for (const [name, values] of Object.entries(c.req.queries())) {
    if (!checks.queryNames.has(name)) errors.push({ field: name, message: 'is not a known parameter' });
    else if (values.length > 1) errors.push({ field: name, message: 'is given more than once' });
    // Integers are digits: the coercion would also read 0x10, 1e3 or " 5" as numbers.
    else if (checks.integers.has(name) && !/^-?\d{1,16}$/.test(values[0] ?? '')) {
      errors.push({ field: name, message: 'must be an integer' });
    } else query[name] = values[0];
  }
  if (checks.query && !checks.query(query)) {
    for (const e of fieldErrors(checks.query.errors))
      errors.push({ ...e, field: e.field.replace(/^\//, '') });
  }
  if (errors.length > 0) throw DxError.validation(errors, 'invalidParameter');
  return query;
}

/** The values a discriminated body's tag may take: `a, b or c`. */
function tagValues(schema: unknown): string {
  const branches = (schema as { oneOf?: { properties?: Record<string, { const?: unknown }> }[] }).oneOf ?? [];
  const tag = (schema as { discriminator?: { propertyName?: string } }).discriminator?.propertyName ?? '';
  const values = branches.map((b) => String(b.properties?.[tag]?.const));
  return values.length > 1 ? `${values.slice(0, -1).join(', ')} or ${values.at(-1)}` : (values[0] ?? '');
}

/** Failing fields of a body; a missing or unknown tag of a discriminated body says which tags there are. */
function bodyErrors(errors: ValidateFunction['errors'], schema: unknown): FieldError[] {
  const tagError = errors?.find((e) => e.keyword === 'discriminator');
  if (tagError) {
    const tag = String((tagError.params as { tag?: string }).tag);
    return [{ field: `${tagError.instancePath}/${tag}`, message: `must be ${tagValues(schema)}` }];
  }
  return fieldErrors(errors);
}

function bodyPresent(c: Context<AppEnv>): boolean {
  return Boolean(c.req.header('content-type')) || (c.req.header('content-length') ?? '0') !== '0';
}

/** The hono path of an OpenAPI path: `{id}` is `:id`, and a parameter declared with a pattern keeps it. */
export function honoPath(path: string, patterns: Readonly<Record<string, string>> = {}): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) =>
    patterns[name] ? `:${name}{${patterns[name]}}` : `:${name}`,
  );
}

/** What a mount needs besides the declarations: the middleware that checks each kind of caller. */
export interface MountOptions {
  readonly guards: Partial<Record<Exclude<Security, 'none'>, MiddlewareHandler<AppEnv>>>;
  /** Path parameters that match more than one segment (catalogue ids): a regular expression each. */
  readonly patterns?: Readonly<Record<string, string>>;
}

/** Puts each declared route on `app`, in order, with its guard, its checks and its handler. */
export function mountRoutes(
  app: Hono<AppEnv>,
  declarations: readonly RouteDeclaration[],
  options: MountOptions,
): void {
  for (const declaration of declarations) {
    const checks = checksOf(declaration);
    const readBody = async (c: Context<AppEnv>): Promise<unknown> => {
      const validate = checks.body;
      if (!validate || (declaration.bodyOptional && !bodyPresent(c))) return undefined;
      return readJson(c, (value) => {
        if (validate(value)) return value;
        throw DxError.validation(bodyErrors(validate.errors, declaration.body));
      });
    };
    const handler = async (c: Context<AppEnv>) => {
      const params: Record<string, unknown> = { ...c.req.param() };
      if (checks.params && !checks.params(params)) {
        // A path whose parameters cannot name anything names nothing.
        throw new DxError('notFound', `Nothing is served at ${c.req.method} ${c.req.path}`);
      }
      const byHandler = declaration.checkedBy === 'handler';
      let query = byHandler ? undefined : queryOf(c, checks);
      const body = byHandler ? undefined : await readBody(c);
      return declaration.handle(c, {
        params,
        get query() {
          query ??= queryOf(c, checks);
          return query;
        },
        body,
        readBody: () => readBody(c),
      } as never);
    };
    const path = honoPath(declaration.path, options.patterns);
    const guard = declaration.security === 'none' ? undefined : options.guards[declaration.security];
    if (declaration.security !== 'none' && !guard) {
      throw new Error(`${declaration.operationId}: no guard for ${declaration.security}`);
    }
    const before: MiddlewareHandler<AppEnv>[] = [
      ...(guard ? [guard] : []),
      ...(declaration.middleware ?? []),
    ];
    app.on([declaration.method.toUpperCase()], [path], ...before, handler);
  }
}

/** `limit` and `offset` of a listing, as query parameters. */
export const pageQuery = {
  limit: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 1000, description: 'Most results (default 100)' }),
  ),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000, description: 'Results to skip' })),
};

/** A listing's page, its defaults filled in. */
export function pageOf(query: { limit?: number; offset?: number }): { limit: number; offset: number } {
  return { limit: query.limit ?? 100, offset: query.offset ?? 0 };
}
