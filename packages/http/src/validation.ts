import { DxError, type FieldError, findNulCharacter } from '@sangam/core';
import { Ajv, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { Context } from 'hono';
import type { AppEnv } from './env.js';
import { linearRegExp } from './safe-schema.js';

// ajv-formats is CommonJS with a default export.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/**
 * The workspace's one Ajv: every error reported, formats checked, unknown keywords rejected. `linearPatterns` runs
 * `pattern` and `patternProperties` on RE2 (linear time): for schemas partners write.
 */
export function createAjv(
  options: {
    strict?: boolean;
    useDefaults?: boolean;
    linearPatterns?: boolean;
    coerce?: boolean;
    verbose?: boolean;
  } = {},
): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    // Query strings and paths are text: `coerce` reads their integers and booleans.
    coerceTypes: options.coerce ?? false,
    // Errors carry the schema that failed, so a pattern can be named by its title.
    verbose: options.verbose ?? false,
    // A oneOf told apart by a property (an item's `type`): only the branch named is checked.
    discriminator: true,
    strict: options.strict ?? true,
    allowUnionTypes: true,
    useDefaults: options.useDefaults ?? false,
    ...(options.linearPatterns ? { code: { regExp: linearRegExp } } : {}),
  });
  addFormats(ajv);
  return ajv;
}

/** The values a choice of constants allows (TypeBox's union of literals), when the error carries its schema. */
function choices(e: ErrorObject): unknown[] | undefined {
  const options = (e.parentSchema as { anyOf?: { const?: unknown }[] } | undefined)?.anyOf;
  return e.keyword === 'anyOf' && options?.every((o) => 'const' in o)
    ? options.map((o) => o.const)
    : undefined;
}

const listed = (values: readonly unknown[]) =>
  values.length > 1
    ? `${values.slice(0, -1).map(String).join(', ')} or ${String(values.at(-1))}`
    : String(values[0]);

/** Ajv's errors as failing fields: a JSON Pointer to the field and what is wrong with it. */
export function fieldErrors(errors: readonly ErrorObject[] | null | undefined): FieldError[] {
  // A value outside a choice of constants is one error naming the choice, not one per constant it is not.
  const chosen = new Set((errors ?? []).filter((e) => choices(e)).map((e) => e.instancePath));
  const relevant = (errors ?? []).filter((e) => !(e.keyword === 'const' && chosen.has(e.instancePath)));
  return relevant.map((e) => {
    const choice = choices(e);
    if (choice)
      return { field: e.instancePath === '' ? '/' : e.instancePath, message: `must be ${listed(choice)}` };
    let field = e.instancePath;
    if (e.keyword === 'required') field = `${field}/${String(e.params.missingProperty)}`;
    if (e.keyword === 'additionalProperties') {
      return {
        field: `${field}/${String(e.params.additionalProperty)}`,
        message: 'is not an allowed property',
      };
    }
    // A pattern says little to a reader: a schema that titles what it matches is named by its title instead.
    const title = (e.parentSchema as { title?: unknown } | undefined)?.title;
    if (e.keyword === 'pattern' && typeof title === 'string') {
      return { field: field === '' ? '/' : field, message: `must be ${title}` };
    }
    return { field: field === '' ? '/' : field, message: e.message ?? 'is not valid' };
  });
}

const jsonMediaType = /^application\/([a-z0-9.+-]+\+)?json\s*(;|$)/i;

/** No body the API takes nests deeper; deeper ones would cost recursion (and stack) in every reader after parsing. */
export const maxJsonDepth = 64;

/**
 * The position (from 1) where the JSON text first nests deeper than `limit`, or 0: one linear pass that skips
 * strings, before anything recursive reads the value.
 */
export function nestingBeyond(text: string, limit: number): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === 0x5c) i += 1;
      else if (code === 0x22) inString = false;
    } else if (code === 0x22) inString = true;
    else if (code === 0x5b || code === 0x7b) {
      depth += 1;
      if (depth > limit) return i + 1;
    } else if (code === 0x5d || code === 0x7d) depth -= 1;
  }
  return 0;
}

/**
 * Reads a JSON request body: 415 for another media type, 400 for malformed JSON, then the schema check.
 * Body size is bounded by the gateway's limit before this runs.
 */
export async function readJson<T>(c: Context<AppEnv>, check: (value: unknown) => T): Promise<T> {
  const type = c.req.header('content-type') ?? '';
  if (!jsonMediaType.test(type)) {
    throw new DxError('unsupportedMediaType', 'Send the body as application/json');
  }
  const text = await c.req.text();
  const depth = nestingBeyond(text, maxJsonDepth);
  if (depth) {
    throw new DxError(
      'malformedJson',
      `The body nests arrays and objects deeper than ${maxJsonDepth} levels (at character ${depth})`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new DxError('malformedJson', `The body is not well-formed JSON: ${(error as Error).message}`);
  }
  const nul = findNulCharacter(value);
  if (nul) throw DxError.validation([{ field: nul, message: 'must not contain the NUL character' }]);
  return check(value);
}
