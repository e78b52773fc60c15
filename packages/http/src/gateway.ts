import { DxError, newId, type ServiceCode } from '@sangam/core';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { secureHeaders } from 'hono/secure-headers';
import type { Logger } from 'pino';
import type { AppEnv } from './env.js';
import { renderProblem } from './problem.js';

/** A service's routes and the path prefixes it answers for (used to prefix its problem types). */
export interface ServiceMount {
  readonly code: ServiceCode;
  readonly prefixes: readonly string[];
  readonly app: Hono<AppEnv>;
}

export interface GatewayOptions {
  readonly logger: Logger;
  readonly services: readonly ServiceMount[];
  /** Readiness: the database (and anything else required) answers. */
  readonly ready: () => Promise<boolean>;
  /** Largest request body accepted anywhere, in bytes. */
  readonly bodyLimitBytes: number;
  /** Origins allowed by CORS; none means no CORS headers at all. */
  readonly corsOrigins?: readonly string[];
}

const requestIdPattern = /^[A-Za-z0-9._:-]{1,128}$/;

/** A service's own routes: one hono app, mounted by the gateway, with no middleware of its own. */
export function createServiceApp(): Hono<AppEnv> {
  return new Hono<AppEnv>();
}

/**
 * The one hono app that fronts every service: request ids, security headers, CORS, body limits, request logs,
 * health and readiness, and the single place where errors become problem+json.
 */
export function createGateway(options: GatewayOptions): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const serviceOf = (path: string): ServiceCode =>
    options.services.find((s) => s.prefixes.some((p) => path.startsWith(p)))?.code ?? 'gw';

  app.use('*', async (c, next) => {
    const incoming = c.req.header('x-request-id');
    const requestId = incoming && requestIdPattern.test(incoming) ? incoming : newId('req');
    const started = performance.now();
    c.set('requestId', requestId);
    c.set('logger', options.logger);
    c.set('principal', undefined);
    c.set('service', serviceOf(c.req.path));
    await next();
    c.header('x-request-id', requestId);
    const status = c.res.status;
    options.logger[status >= 500 ? 'warn' : 'info'](
      {
        reqId: requestId,
        method: c.req.method,
        // The path only: query strings may carry values that do not belong in logs.
        path: c.req.path,
        status,
        ms: Math.round((performance.now() - started) * 10) / 10,
        client: c.var.principal?.clientId,
      },
      'request',
    );
  });
  app.use('*', async (c, next) => {
    // A NUL in the path or query names nothing, and PostgreSQL cannot even compare it: refuse it at the door.
    if (/%00/.test(c.req.url) || c.req.url.includes('\u0000')) {
      throw new DxError('invalidParameter', 'The request path or query contains a NUL character');
    }
    await next();
  });
  app.use('*', secureHeaders({ crossOriginResourcePolicy: 'same-site', referrerPolicy: 'no-referrer' }));
  const origins = options.corsOrigins ?? [];
  if (origins.length > 0) {
    app.use(
      '*',
      cors({
        origin: [...origins],
        allowHeaders: ['Authorization', 'Content-Type', 'If-Match', 'X-Request-Id'],
        exposeHeaders: ['ETag', 'X-Request-Id', 'Retry-After', 'Location'],
        maxAge: 600,
      }),
    );
  }
  app.use(
    '*',
    bodyLimit({
      maxSize: options.bodyLimitBytes,
      onError: () => {
        throw new DxError('payloadTooLarge', `The body is larger than ${options.bodyLimitBytes} bytes`);
      },
    }),
  );

  app.get('/health', (c) => c.json({ status: 'ok' }));
  app.get('/ready', async (c) => {
    if (await options.ready()) return c.json({ status: 'ready' });
    throw new DxError('notReady', 'The database does not answer');
  });

  for (const service of options.services) app.route('/', service.app);

  app.onError((error, c) => renderProblem(c, error, c.var.service ?? 'gw'));
  app.notFound((c) =>
    renderProblem(
      c,
      new DxError('notFound', `Nothing is served at ${c.req.method} ${c.req.path}`),
      c.var.service,
    ),
  );
  return app;
}
