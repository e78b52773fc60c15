import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outsideOnlyConnector } from '../src/index.js';

describe('connections to partner URLs', () => {
  let server: Server;
  let port: number;
  let hits = 0;
  beforeAll(async () => {
    server = createServer((_req, res) => {
      hits += 1;
      res.end('{"ok":true}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const get = async (url: string, allowHosts: string[]) => {
    const agent = new Agent({ connect: outsideOnlyConnector({ allowHosts, timeoutMs: 2000 }) });
    try {
      const answer = await request(url, { dispatcher: agent });
      return await answer.body.text();
    } finally {
      await agent.close();
    }
  };

  it('never reach this machine, by address or by a name that resolves to it, unless the host is allow-listed', async () => {
    const before = hits;
    await expect(get(`http://127.0.0.1:${port}/`, [])).rejects.toThrow(/not a public address/);
    await expect(get(`http://localhost:${port}/`, [])).rejects.toThrow(/resolves to .* not public/);
    await expect(get(`http://[::ffff:127.0.0.1]:${port}/`, [])).rejects.toThrow(/not a public address/);
    expect(hits).toBe(before);
    expect(await get(`http://127.0.0.1:${port}/`, ['127.0.0.1'])).toBe('{"ok":true}');
    expect(hits).toBe(before + 1);
  });
});
