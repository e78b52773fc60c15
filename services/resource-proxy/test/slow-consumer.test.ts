import { connect } from 'node:net';
import { testBackend } from '@sangam/db/testing';
import { type Alliance, position, positions, startAlliance, waitFor } from '@sangam/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe(`a consumer that stops reading its event stream on ${testBackend()}`, () => {
  let a: Alliance;

  beforeAll(async () => {
    a = await startAlliance({ env: { SANGAM_STREAM_MAX_QUEUED_KB: '64', SANGAM_STREAM_POLL_MS: '200' } });
  });
  afterAll(async () => {
    await a.gw.close();
  });

  it('is cut off with a problem event telling it to resume, instead of the gateway buffering without bound', async () => {
    const consent = await a.consent();
    const token = await a.accessToken(consent);
    const made = await a.gw.api.post('/ngsi-ld/v1/subscriptions', {
      token,
      json: { entities: [{ id: positions }], notification: { endpoint: { uri: 'urn:sangam:sse' } } },
    });
    const { hostname: host, port } = new URL(a.gw.url);
    const socket = connect(Number(port), host);
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(
      `GET /ngsi-ld/v1/subscriptions/${made.body.results.id}/events HTTP/1.1\r\nHost: ${host}\r\nAccept: text/event-stream\r\nAuthorization: Bearer ${token}\r\n\r\n`,
    );
    // It reads the answer's head, then nothing more.
    const head = await new Promise<string>((resolve) =>
      socket.once('data', (d: Buffer) => resolve(String(d))),
    );
    expect(head).toMatch(/^HTTP\/1\.1 200/);
    socket.pause();

    // Far more than the socket's buffers hold: 30 MB of released records (each route a 40 KB string).
    const long = 'R'.repeat(40_000);
    for (let batch = 0; batch < 40; batch += 1) {
      const records = Array.from({ length: 20 }, (_, i) =>
        position(a.clock, String(batch * 20 + i), 1, { route: long }),
      );
      const r = await a.ingest(positions, records);
      expect(r.status).toBe(200);
    }
    // Read now: what was queued, then the final problem event, then the end.
    let text = '';
    socket.on('data', (d: Buffer) => {
      text += d.toString('latin1');
    });
    socket.resume();
    await waitFor('the stream to end', () => socket.readableEnded || text.includes('event: problem'), {
      timeoutMs: 20_000,
    });
    expect(text).toContain('urn:dx:rs:streamBehind');
    expect(text).toContain('Last-Event-ID');
    // Fewer records came than were published: the rest waits in the feed for the resumed stream.
    const delivered = (text.match(/"id":"bus-/g) ?? []).length;
    expect(delivered).toBeLessThan(800);
    socket.destroy();
  });
});
