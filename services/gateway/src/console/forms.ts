import { timingSafeEqual } from 'node:crypto';
import { DxError, type FieldError } from '@sangam/core';
import { type AppEnv, maxJsonDepth, nestingBeyond } from '@sangam/http';
import type { Context } from 'hono';

/** A form's fields; a body that is not a form is refused. */
export async function formOf(c: Context<AppEnv>): Promise<FormData> {
  const type = c.req.header('content-type') ?? '';
  if (!type.startsWith('application/x-www-form-urlencoded') && !type.startsWith('multipart/form-data'))
    throw new DxError('unsupportedMediaType', 'Console forms are sent as application/x-www-form-urlencoded');
  try {
    return await c.req.raw.clone().formData();
  } catch {
    throw new DxError('invalidPayload', 'The form could not be read');
  }
}

export const text = (value: unknown, max: number): string =>
  typeof value === 'string' ? value.slice(0, max) : '';

export const oneOf = (value: string | undefined, allowed: readonly string[]): string =>
  value !== undefined && allowed.includes(value) ? value : '';

/** A path on this site to go back to; anything else (another site, `//host`, a scheme) goes home. */
export function localPath(value: string | undefined): string {
  if (!value?.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/';
  return /^[\x21-\x7e]{1,2000}$/.test(value) ? value : '/';
}

export function safeHost(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}

export function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** A JSON object from the console's own script (at most 64 KB); anything else is refused. */
export async function jsonOf(c: Context<AppEnv>): Promise<Record<string, unknown>> {
  if (!(c.req.header('content-type') ?? '').startsWith('application/json'))
    throw new DxError('unsupportedMediaType', 'Send application/json');
  const text = await c.req.text();
  if (text.length > 65_536) throw new DxError('payloadTooLarge', 'The body is larger than 64 KB');
  if (nestingBeyond(text, maxJsonDepth) > 0)
    throw new DxError('malformedJson', `The body nests deeper than ${maxJsonDepth} levels`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new DxError('malformedJson', 'The body is not well-formed JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw DxError.validation([{ field: '/', message: 'must be an object' }]);
  return value as Record<string, unknown>;
}

/** A refusal as a form shows it: each failing field and what is wrong with it, or the refusal's detail. */
export function problemMessages(error: DxError): string[] {
  const fields = (error.extensions.errors ?? []) as readonly FieldError[];
  return fields.length > 0
    ? fields.map((e) => `${e.field.replace(/^\//, '') || '/'}: ${e.message}`)
    : [error.detail];
}
