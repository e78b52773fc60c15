import type { IncomingMessage } from 'node:http';
import { DxError, type ServiceCode } from '@sangam/core';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { routePath } from 'hono/route';
import type { Logger } from 'pino';
import type { AppEnv } from './env.js';
import type { GatewayMetrics } from './metrics.js';
import { probeRoutes } from './probes.js';
import { renderProblem } from './problem.js';
import { mountRoutes } from './routes.js';
import { clientAddress } from './source.js';
import { clientRequestIdOf, newRequestId, securityHeaders, stampedRequestId } from './stamp.js';

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
  /** Where requests are counted and timed, for `/metrics`. */
  readonly metrics?: GatewayMetrics;
  /** Addresses of reverse proxies whose `X-Forwarded-For` names the client. */
  readonly trustedProxies?: readonly string[];
}

const bodiless = new Set(['GET', 'HEAD', 'OPTIONS']);

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

  // One middleware for what every request needs, all of it before the handler runs: headers set now are part of the
  // response the handler makes, so no response is rebuilt afterwards (hono rebuilds one whose headers change later,
  // and the node server then takes its slow path).
  app.use('*', async (c, next) => {
    // Through the gateway's server, the id and the security headers are on the node response already; a request
    // from elsewhere (an in-process fetch) gets them here.
    const stamped = stampedRequestId(c.env);
    const requestId = stamped ?? newRequestId();
    if (stamped === undefined) {
      c.header('x-request-id', requestId);
      for (const [name, value] of securityHeaders) c.header(name, value);
    }
    const started = performance.now();
    const path = c.req.path;
    c.set('requestId', requestId);
    const proxies = options.trustedProxies ?? [];
    if (proxies.length > 0) {
      const socket = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket?.remoteAddress;
      if (socket) c.set('source', clientAddress(socket, c.req.header('x-forwarded-for'), proxies));
    }
    const clientRequestId = clientRequestIdOf(c.req.header('x-request-id'));
    if (clientRequestId !== undefined) c.set('clientRequestId', clientRequestId);
    c.set('logger', options.logger);
    c.set('principal', undefined);
    c.set('service', serviceOf(path));
    // A NUL in the path or query names nothing, and PostgreSQL cannot even compare it: refuse it at the door.
    const url = c.req.url;
    if (url.includes('%00') || url.includes('\u0000')) {
      throw new DxError('invalidParameter', 'The request path or query contains a NUL character');
    }
    await next();
    const status = c.res.status;
    options.metrics?.observeRequest(
      // The pattern of the route that answered (the last one matched), never the path itself.
      routePath(c, -1),
      c.req.method,
      status,
      (performance.now() - started) / 1000,
    );
    if (options.logger.isLevelEnabled(status >= 500 ? 'warn' : 'info')) {
      options.logger[status >= 500 ? 'warn' : 'info'](
        {
          reqId: requestId,
          method: c.req.method,
          // The path only: query strings may carry values that do not belong in logs.
          path,
          status,
          ms: Math.round((performance.now() - started) * 10) / 10,
          client: c.get('principal')?.clientId,
        },
        'request',
      );
    }
  });
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
  const limit = bodyLimit({
    maxSize: options.bodyLimitBytes,
    onError: () => {
      throw new DxError('payloadTooLarge', `The body is larger than ${options.bodyLimitBytes} bytes`);
    },
  });
  // Only a request that may carry a body is limited: reading a GET's (absent) body would make the node server build
  // a whole web Request for nothing.
  app.use('*', (c, next) => (bodiless.has(c.req.method) ? next() : limit(c, next)));

  mountRoutes(app, probeRoutes(options.ready), { guards: {} });

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
