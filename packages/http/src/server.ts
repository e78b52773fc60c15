import { createServer, type RequestListener, type ServerOptions } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import type { AppEnv } from './env.js';
import { stampResponse } from './stamp.js';

export interface RunningServer {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:40123`. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Serves a hono app on a port (0 picks a free one) and resolves once it is listening. */
export function startServer(
  app: Hono<AppEnv>,
  options: {
    port: number;
    hostname?: string;
    /** Stamp each response with a request id and the security headers first (the gateway's own server); default true. */
    stamp?: boolean;
  },
): Promise<RunningServer> {
  const hostname = options.hostname ?? '127.0.0.1';
  return new Promise((resolve, reject) => {
    const server = serve(
      {
        fetch: app.fetch,
        port: options.port,
        hostname,
        // Every response is stamped with its request id and security headers before the app runs.
        ...(options.stamp === false
          ? {}
          : {
              createServer: ((serverOptions: ServerOptions, listener: RequestListener) =>
                createServer(serverOptions, (incoming, outgoing) => {
                  stampResponse(incoming, outgoing);
                  listener(incoming, outgoing);
                })) as never,
            }),
      },
      (info: AddressInfo) => {
        const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
        resolve({
          url: `http://${host}:${info.port}`,
          port: info.port,
          close: () =>
            new Promise<void>((done) => {
              const s = server as unknown as {
                close(cb: () => void): void;
                closeAllConnections?: () => void;
              };
              s.close(() => done());
              s.closeAllConnections?.();
            }),
        });
      },
    );
    server.once('error', reject);
  });
}
