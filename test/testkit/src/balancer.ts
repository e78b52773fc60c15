import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A small round-robin reverse proxy for tests of several gateways: its backends can change while it runs. */
export interface Balancer {
  readonly url: string;
  /** The gateways it sends to, in turn; replace to drop a dead instance or add a restarted one. */
  backends: string[];
  close(): Promise<void>;
}

/**
 * Sends each request to the next backend in turn, as a load balancer would. A backend that refuses the connection
 * is skipped for this request (its body is held, so it can be sent again); one that fails after answering began
 * fails the request, as it would behind a real proxy.
 */
export async function startBalancer(backends: string[]): Promise<Balancer> {
  let next = 0;
  const balancer: Balancer = {
    url: '',
    backends,
    close: async () => {},
  };
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (c: Buffer) => chunks.push(c));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      const attempt = (left: number) => {
        const pool = balancer.backends;
        if (pool.length === 0 || left === 0) {
          outgoing.writeHead(502).end();
          return;
        }
        const target = new URL(pool[next++ % pool.length] ?? '');
        const forwarded = request(
          {
            host: target.hostname,
            port: target.port,
            method: incoming.method,
            path: incoming.url,
            headers: { ...incoming.headers, host: target.host },
          },
          (answer) => {
            outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(outgoing);
          },
        );
        forwarded.on('error', (error: NodeJS.ErrnoException) => {
          if (!outgoing.headersSent && error.code === 'ECONNREFUSED') attempt(left - 1);
          else outgoing.destroy();
        });
        forwarded.end(body);
      };
      attempt(balancer.backends.length);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(balancer, {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
