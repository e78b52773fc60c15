import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeedClient } from '../src/index.js';

describe('an adapter reading its feed', () => {
  let server: Server;
  let url: string;
  let hits = 0;
  beforeAll(async () => {
    server = createServer((_req, res) => {
      hits += 1;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"data":{}}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/gbfs.json`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
  });

  it('reaches only the outside world, unless its configuration allow-lists the host', async () => {
    const outside = new FeedClient({ timeoutMs: 2000, maxBytes: 10_000 });
    await expect(outside.fetchJson(url)).rejects.toMatchObject({ problem: 'down' });
    await outside.close();
    expect(hits).toBe(0);
    const allowed = new FeedClient({ timeoutMs: 2000, maxBytes: 10_000, allowHosts: ['127.0.0.1'] });
    expect(await allowed.fetchJson(url)).toMatchObject({ changed: true, json: { data: {} } });
    expect(hits).toBe(1);
    await allowed.close();
  });
});
