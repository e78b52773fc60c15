import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { testBackend } from '@sangam/db/testing';
import { type Alliance, position, positions, startAlliance, waitFor } from '@sangam/testkit';
import { base64url, createLocalJWKSet, flattenedVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface Received {
  readonly body: string;
  readonly signature: string;
  readonly eventId: string;
}

/** A consumer's webhook endpoint: keeps what it is sent, and fails while told to. */
class Hook {
  readonly received: Received[] = [];
  failing = false;
  attempts = 0;
  server!: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.attempts += 1;
        if (this.failing) {
          res.writeHead(503).end();
          return;
        }
        this.received.push({
          body: Buffer.concat(chunks).toString('utf8'),
          signature: String(req.headers['sangam-signature'] ?? ''),
          eventId: String(req.headers['sangam-event-id'] ?? ''),
        });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  ids(): string[] {
    return this.received.flatMap((r) =>
      (JSON.parse(r.body) as { data: { id: string }[] }).data.map((d) => d.id),
    );
  }
}

describe(`webhook subscriptions on ${testBackend()}`, () => {
  let a: Alliance;
  const hook = new Hook();
  const throttled = new Hook();

  beforeAll(async () => {
    a = await startAlliance({
      env: {
        SANGAM_STREAM_POLL_MS: '100',
        SANGAM_WEBHOOK_MAX_ATTEMPTS: '3',
        SANGAM_WEBHOOK_BACKOFF_MS: '1000',
      },
    });
    await hook.start();
    await throttled.start();
  });
  afterAll(async () => {
    await a.gw.close();
    await new Promise((resolve) => hook.server.close(resolve));
    await new Promise((resolve) => throttled.server.close(resolve));
  });

  /** A fresh consent's webhook subscription of the bus positions' speed, notified at `url`. */
  const subscribe = async (url: string, extra: Record<string, unknown> = {}) => {
    const consent = await a.consent();
    const token = await a.accessToken(consent);
    const made = await a.gw.api.post('/ngsi-ld/v1/subscriptions', {
      token,
      json: {
        type: 'Subscription',
        entities: [{ id: positions }],
        ...extra,
        notification: { attributes: ['speed'], endpoint: { uri: url } },
      },
    });
    return { consent, token, made };
  };

  it('holds to throttling: after a notification the next waits its seconds, and then carries what came meanwhile', async () => {
    const { made } = await subscribe(throttled.url, { throttling: 60 });
    expect(made.status).toBe(201);

    await a.ingest(positions, [position(a.clock, '1', 3)]);
    await waitFor('the first notification', () => throttled.received.length === 1, { timeoutMs: 10_000 });
    await a.ingest(positions, [position(a.clock, '2', 3)]);
    await a.ingest(positions, [position(a.clock, '3', 2)]);
    // Within the throttle nothing more is sent, whatever arrives and however often the poll looks.
    await new Promise((r) => setTimeout(r, 600));
    expect(throttled.received).toHaveLength(1);
    a.clock.advance(61_000);
    await waitFor('the second notification', () => throttled.received.length === 2, { timeoutMs: 10_000 });
    expect(throttled.ids()).toEqual(['bus-1', 'bus-2', 'bus-3']);
    // Both records that came within the throttle travel in the one notification after it.
    expect((JSON.parse(throttled.received[1]?.body ?? '{}') as { data: object[] }).data).toHaveLength(2);
  });

  it('POSTs signed notifications in order, retries, dead-letters after the last attempt, and stops at a revocation', async () => {
    const { consent, token, made } = await subscribe(hook.url);
    expect(made.status).toBe(201);
    const id = made.body.results.id as string;

    await a.ingest(positions, [position(a.clock, '1', 3), position(a.clock, '2', 3)]);
    await a.ingest(positions, [position(a.clock, '3', 2)]);
    await waitFor('three records at the webhook', () => hook.ids().length >= 3, { timeoutMs: 10_000 });
    expect(hook.ids()).toEqual(['bus-1', 'bus-2', 'bus-3']);

    // Each body is signed by the gateway: a detached JWS that its JWKS verifies, over exactly the bytes sent.
    const jwks = createLocalJWKSet((await a.gw.api.get('/.well-known/jwks.json')).body);
    for (const r of hook.received) {
      const [header, , signature] = r.signature.split('.');
      const verified = await flattenedVerify(
        { protected: header as string, payload: base64url.encode(r.body), signature: signature as string },
        jwks,
      );
      expect(verified.protectedHeader?.typ).toBe('sangam-notification+jws');
      await expect(
        flattenedVerify(
          {
            protected: header as string,
            payload: base64url.encode(`${r.body} `),
            signature: signature as string,
          },
          jwks,
        ),
      ).rejects.toThrow();
      const notification = JSON.parse(r.body) as { subscriptionId: string; data: object[] };
      expect(notification.subscriptionId).toBe(id);
      // Released as a query would be: the key fields and the attribute asked for.
      for (const record of notification.data)
        expect(Object.keys(record).sort()).toEqual(['id', 'observedAt', 'speed']);
    }

    // The endpoint fails: retried after a doubling delay, then the batch's place is dead-lettered, never its data.
    hook.failing = true;
    const before = hook.attempts;
    await a.ingest(positions, [position(a.clock, '4', 1)]);
    await waitFor('the first attempt', () => hook.attempts === before + 1, { timeoutMs: 10_000 });
    // The endpoint has answered 503; the subscription shows the failure once the gateway has recorded it.
    const subscription = async () => (await a.gw.api.get(`/ngsi-ld/v1/subscriptions/${id}`, { token })).body;
    await waitFor(
      'the failure recorded',
      async () => (await subscription()).results.notification.status === 'failed',
      {
        timeoutMs: 10_000,
      },
    );
    const failed = { body: await subscription() };
    expect(failed.body.results.notification.status).toBe('failed');
    expect(failed.body.results.notification.attempts).toBe(1);
    // Not before its delay is up.
    await new Promise((r) => setTimeout(r, 400));
    expect(hook.attempts).toBe(before + 1);
    a.clock.advance(1_500);
    await waitFor('the second attempt', () => hook.attempts === before + 2, { timeoutMs: 10_000 });
    a.clock.advance(3_000);
    await waitFor('the third attempt', () => hook.attempts === before + 3, { timeoutMs: 10_000 });
    await waitFor(
      'the dead letter',
      async () =>
        (await a.gw.api.get(`/ngsi-ld/v1/subscriptions/${id}`, { token })).body.results.deadLetters.length ===
        1,
      { timeoutMs: 10_000 },
    );
    const letters = (await a.gw.api.get(`/ngsi-ld/v1/subscriptions/${id}`, { token })).body.results
      .deadLetters;
    expect(letters[0]).toMatchObject({ records: 1, attempts: 3, reason: 'the endpoint answered 503' });

    // Delivery goes on after the dead letter; a revocation stops it before the next one starts.
    hook.failing = false;
    await a.ingest(positions, [position(a.clock, '5', 1)]);
    await waitFor('delivery after the dead letter', () => hook.ids().includes('bus-5'), {
      timeoutMs: 10_000,
    });
    await a.act('sitilink', consent, 'revoke');
    await a.ingest(positions, [position(a.clock, '6', 0)]);
    // The next delivery is refused by the release rule: the refusal is audited and the subscription ends.
    await waitFor(
      'the subscription to end',
      async () =>
        (await a.gw.api.get(`/ngsi-ld/v1/subscriptions/${id}`, { token })).body.results.status === 'ended',
      { timeoutMs: 10_000 },
    );
    const ended = (await a.gw.api.get(`/ngsi-ld/v1/subscriptions/${id}`, { token })).body.results;
    expect(ended.endedReason).toMatch(/^consentRevoked/);
    expect(hook.ids()).not.toContain('bus-6');
    expect(hook.ids()).toEqual(['bus-1', 'bus-2', 'bus-3', 'bus-5']);
  });
});
