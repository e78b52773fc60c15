import { timingSafeEqual } from 'node:crypto';
import { DxError } from '@sangam/core';
import type { AppEnv } from '@sangam/http';
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
