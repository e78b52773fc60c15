import type { AppEnv } from '@sangam/http';
import type { Hono } from 'hono';
import type { ProxyContext } from '../context.js';
import { releaseHandler } from '../release/release.js';

/** The NGSI-LD queries consumers make with an access token. */
export function registerQueryRoutes(app: Hono<AppEnv>, ctx: ProxyContext): void {
  app.get('/ngsi-ld/v1/entities', releaseHandler(ctx, 'latest'));
  app.get('/ngsi-ld/v1/temporal/entities', releaseHandler(ctx, 'temporal'));
}
