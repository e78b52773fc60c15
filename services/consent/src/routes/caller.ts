import { principalOf } from '@sangam/auth';
import type { AppEnv } from '@sangam/http';
import type { Context } from 'hono';
import type { Caller } from '../identity/context.js';

/** The verified caller of a request and its id, as business functions take them. */
export function callerOf(c: Context<AppEnv>): Caller {
  return { principal: principalOf(c), requestId: c.var.requestId };
}
