import { type Notification, type ResourceRecord, SangamClient, SangamError } from '@sangam/client';
import { testBackend } from '@sangam/db/testing';
import { type Alliance, bikes, position, positions, startAlliance } from '@sangam/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** Reads notifications until they hold `count` records in all, failing after `ms`. */
async function take<T>(
  iterator: AsyncGenerator<Notification<T>>,
  count: number,
  ms = 10_000,
  meanwhile?: () => void,
): Promise<Notification<T>[]> {
  const got: Notification<T>[] = [];
  const held = () => got.reduce((n, g) => n + g.data.length, 0);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`only ${held()} of ${count} records`)), ms);
  });
  try {
    while (held() < count) {
      const pending = iterator.next();
      if (got.length === 0) meanwhile?.();
      const next = await Promise.race([pending, late]);
      if (next.done) break;
      got.push(next.value);
    }
  } finally {
    clearTimeout(timer);
  }
  return got;
}

describe(`subscriptions over server-sent events on ${testBackend()}`, () => {
  let a: Alliance;
  let svnit: SangamClient;

  beforeAll(async () => {
    a = await startAlliance({ env: { SANGAM_STREAM_POLL_MS: '200' } });
    svnit = new SangamClient({ baseUrl: a.gw.url, ...a.wallet.credentials('svnit') });
    const auditor = await a.gw.api.post('/consent/v1/clients', {
      token: await a.token('admin'),
      json: { organisation: a.gw.city.id, roles: ['auditor'] },
    });
    a.wallet.set('auditor', auditor.body.results);
  });
  afterAll(async () => {
    await svnit.close();
    await a.gw.close();
  });

  it('delivers new records in order, as released (granted attributes only), and resumes after a reconnect with nothing lost or repeated', async () => {
    const consent = await a.consent();
    const stream = svnit.subscribe({
      resource: positions,
      consent,
      attrs: ['speed', 'route'],
      reconnectMs: 50,
    });
    // The subscription stands from its creation: records published before it are not notified.
    await a.ingest(positions, [position(a.clock, '1', 30)]);
    const first = take(stream, 3);
    // The first pull creates the subscription: published after, records reach it even before the stream connects.
    await new Promise((r) => setTimeout(r, 300));
    await a.ingest(positions, [position(a.clock, '2', 5), position(a.clock, '3', 4)]);
    await a.ingest(positions, [position(a.clock, '4', 3)]);
    const got = await first;
    const ids = got.flatMap((n) => n.data.map((r) => r.id));
    expect(ids).toEqual(['bus-2', 'bus-3', 'bus-4']);
    // Released as a query would be: key fields and the attributes asked for and granted, never the plate.
    for (const record of got.flatMap((n) => n.data)) {
      expect(Object.keys(record).sort()).toEqual(['id', 'observedAt', 'route', 'speed']);
    }
    const subscriptionId = got[0]?.subscriptionId as string;
    const lastSeen = got.at(-1)?.eventId as string;
    await stream.return(undefined);

    // Published while nobody listens; read on resuming after the last event seen.
    await a.ingest(positions, [position(a.clock, '5', 2)]);
    await a.ingest(positions, [position(a.clock, '6', 1), position(a.clock, '7', 1)]);
    const resumed = svnit.subscribe({ resource: positions, consent, subscriptionId, lastEventId: lastSeen });
    const rest = await take(resumed, 3);
    expect(rest.flatMap((n) => n.data.map((r) => r.id))).toEqual(['bus-5', 'bus-6', 'bus-7']);
    await resumed.return(undefined);

    // Every notification was a release: audited as one allow per delivered batch, against the consent.
    const log = await a.gw.api.get(
      `/audit/v1/entries?action=rs.subscription.notify&target=${consent}&limit=1000`,
      {
        token: await a.token('auditor'),
      },
    );
    const mine = (
      log.body.results as { target?: { consent?: string }; decision: string; resultSize?: number }[]
    ).filter((e) => e.target?.consent === consent);
    expect(mine.filter((e) => e.decision === 'allow').reduce((n, e) => n + (e.resultSize ?? 0), 0)).toBe(6);
  });

  it('closes the stream with a final problem event the moment the provider revokes, and refuses it after', async () => {
    const consent = await a.consent();
    const stream = svnit.subscribe<ResourceRecord>({ resource: positions, consent, reconnectMs: 50 });
    const first = take(stream, 1);
    await new Promise((r) => setTimeout(r, 300));
    await a.ingest(positions, [position(a.clock, '8', 1)]);
    expect((await first)[0]?.data[0]?.id).toBe('bus-8');
    const ended = stream.next().then(
      () => undefined,
      (error: unknown) => error,
    );
    await a.act('sitilink', consent, 'revoke');
    const error = await ended;
    expect(error).toBeInstanceOf(SangamError);
    expect((error as SangamError).type).toBe('urn:dx:rs:consentRevoked');
    // No release follows the revocation in the log.
    await a.ingest(positions, [position(a.clock, '9', 1)]);
    const entries = await a.gw.api.get(`/audit/v1/entries?target=${consent}&limit=1000`, {
      token: await a.token('auditor'),
    });
    const ofConsent = (
      entries.body.results as {
        seq: number;
        action: string;
        decision: string;
        target?: { consent?: string };
      }[]
    )
      .filter((e) => e.target?.consent === consent)
      .sort((x, y) => x.seq - y.seq);
    const revokedAt = ofConsent.find((e) => e.action === 'consent.revoke')?.seq ?? 0;
    expect(revokedAt).toBeGreaterThan(0);
    expect(ofConsent.filter((e) => e.seq > revokedAt && e.decision === 'allow')).toEqual([]);
  });

  it('closes streams when the consent is paused or runs out by the clock, and a resumed consent resumes where it stopped', async () => {
    const validTo = new Date(a.clock.now().getTime() + 3_600_000).toISOString();
    const consent = await a.consent({ validTo });
    const endOf = async (stream: AsyncGenerator<Notification<ResourceRecord>>) => {
      try {
        for await (const _ of stream) {
          // Drained until the stream ends.
        }
        return undefined;
      } catch (error) {
        return error as SangamError;
      }
    };
    const stream = svnit.subscribe({ resource: positions, consent, reconnectMs: 50 });
    const first = await take(
      stream,
      1,
      10_000,
      () => void setTimeout(() => void a.ingest(positions, [position(a.clock, '20', 1)]), 300),
    );
    const subscriptionId = first[0]?.subscriptionId as string;
    const paused = endOf(stream);
    await a.act('sitilink', consent, 'pause');
    expect((await paused)?.type).toBe('urn:dx:rs:consentPaused');
    // Published while paused; notified once the consent is resumed, from where the stream stopped.
    await a.ingest(positions, [position(a.clock, '21', 1)]);
    await a.act('sitilink', consent, 'resume');
    const again = svnit.subscribe({ resource: positions, consent, subscriptionId, reconnectMs: 50 });
    const rest = await take(again, 1);
    expect(rest.flatMap((n) => n.data.map((r) => r.id))).toEqual(['bus-21']);
    // The consent's end passes by the clock alone: the next poll closes the stream.
    const expired = endOf(again);
    a.clock.advance(3_600_000 + 1000);
    expect((await expired)?.type).toBe('urn:dx:rs:consentExpired');
  });

  // A change to what the release rule reads ends every open stream it stops, with that refusal.
  const stops: [string, string, (consent: string, mou: string) => Promise<unknown>][] = [
    [
      'the MoU suspended',
      'mouSuspended',
      (_c, mou) => a.gw.api.post(`/consent/v1/mous/${mou}/suspend`, { token: adminToken }),
    ],
    [
      'the MoU terminated',
      'mouTerminated',
      async (_c, mou) =>
        a.gw.api.post(`/consent/v1/mous/${mou}/terminate`, { token: await a.token('sitilink') }),
    ],
    [
      'the consumer withdrawn from the MoU',
      'notParty',
      async (_c, mou) =>
        a.gw.api.post(`/consent/v1/mous/${mou}/withdraw`, { token: await a.token('svnitAdmin') }),
    ],
    [
      'the provider withdrawn from the MoU',
      'providerNotParty',
      async (_c, mou) =>
        a.gw.api.post(`/consent/v1/mous/${mou}/withdraw`, { token: await a.token('sitilink') }),
    ],
  ];
  let adminToken = '';
  let bus = 100;

  it.each(stops)('ends an open stream when %s (%s)', async (_name, problem, change) => {
    adminToken = await a.token('admin');
    const mou = await a.newMou(['sitilink', 'svnit'], { noticeDays: 0 });
    await a.signAll(mou, ['admin', 'sitilink', 'svnitAdmin']);
    const consent = await a.consent({}, { mou });
    const stream = svnit.subscribe({ resource: positions, consent, reconnectMs: 50 });
    await take(
      stream,
      1,
      10_000,
      () => void setTimeout(() => void a.ingest(positions, [position(a.clock, String(++bus), 1)]), 300),
    );
    const ended = stream.next().then(
      () => undefined,
      (error: unknown) => error as SangamError,
    );
    const changed = (await change(consent, mou)) as { status: number; text: string };
    expect(changed.status, changed.text).toBe(200);
    expect((await ended)?.type).toBe(`urn:dx:rs:${problem}`);
  });

  it('ends an open stream when its client is revoked', async () => {
    const spare = await a.gw.api.post('/consent/v1/clients', {
      token: await a.token('admin'),
      json: { organisation: 'svnit', roles: ['consumer'] },
    });
    const client = new SangamClient({ baseUrl: a.gw.url, ...spare.body.results });
    try {
      const consent = await a.consent();
      const stream = client.subscribe({ resource: positions, consent, reconnectMs: 50 });
      await take(
        stream,
        1,
        10_000,
        () => void setTimeout(() => void a.ingest(positions, [position(a.clock, '31', 1)]), 300),
      );
      const ended = stream.next().then(
        () => undefined,
        (error: unknown) => error as SangamError,
      );
      const revoked = await a.gw.api.request('DELETE', `/consent/v1/clients/${spare.body.results.clientId}`, {
        token: await a.token('admin'),
      });
      expect(revoked.status).toBe(200);
      expect((await ended)?.type).toBe('urn:dx:rs:clientRevoked');
    } finally {
      await client.close();
    }
  });

  it('accepts a subscription only when the release rule allows the same query', async () => {
    const consent = await a.consent({ attributes: ['speed'] });
    const token = await a.accessToken(consent);
    const subscribe = (body: object) =>
      a.gw.api.post('/ngsi-ld/v1/subscriptions', {
        token,
        json: { type: 'Subscription', notification: { endpoint: { uri: 'urn:sangam:sse' } }, ...body },
      });
    // An attribute the consent does not grant, in the notification or the filter.
    const attrs = await subscribe({
      entities: [{ id: positions }],
      notification: { attributes: ['plate'], endpoint: { uri: 'urn:sangam:sse' } },
    });
    expect(attrs.status).toBe(403);
    expect(attrs.body.type).toBe('urn:dx:rs:attributeNotGranted');
    expect((await subscribe({ entities: [{ id: positions }], q: 'route=="R1"' })).status).toBe(403);
    // Another resource than the token's.
    const other = await subscribe({ entities: [{ id: bikes }] });
    expect(other.status).toBe(403);
    expect(other.body.type).toBe('urn:dx:rs:itemOutsideToken');
    // A filter that does not parse, and a webhook inside the network.
    const bad = await subscribe({ entities: [{ id: positions }], q: 'speed>>' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('/q');
    const inside = await subscribe({
      entities: [{ id: positions }],
      notification: { endpoint: { uri: 'https://10.1.2.3/hook' } },
    });
    expect(inside.status).toBe(400);
    expect(inside.body.errors[0].field).toBe('/notification/endpoint/uri');
    // No token, and an identity token instead of an access token.
    const anonymous = await a.gw.api.post('/ngsi-ld/v1/subscriptions', {
      json: { entities: [{ id: positions }] },
    });
    expect(anonymous.status).toBe(401);

    const made = await subscribe({ entities: [{ id: positions }], q: 'speed>=20' });
    expect(made.status).toBe(201);
    const id = made.body.results.id as string;
    expect(made.headers.get('location')).toBe(`/ngsi-ld/v1/subscriptions/${id}`);
    // Its events: only to its own consumer under its consent; a Last-Event-ID not of this stream is refused.
    const elsewhere = await a.accessToken(await a.consent());
    expect((await a.gw.api.get(`/ngsi-ld/v1/subscriptions/${id}/events`, { token: elsewhere })).status).toBe(
      404,
    );
    const garbled = await a.gw.api.get(`/ngsi-ld/v1/subscriptions/${id}/events`, {
      token,
      headers: { 'last-event-id': 'yesterday' },
    });
    expect(garbled.status).toBe(400);
    // Changed, then deleted: no stream opens after.
    const patched = await a.gw.api.request('PATCH', `/ngsi-ld/v1/subscriptions/${id}`, {
      token,
      json: { throttling: 5 },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.results.throttling).toBe(5);
    expect((await a.gw.api.request('DELETE', `/ngsi-ld/v1/subscriptions/${id}`, { token })).status).toBe(204);
    const gone = await a.gw.api.get(`/ngsi-ld/v1/subscriptions/${id}/events`, { token });
    expect(gone.status).toBe(410);
    expect(gone.body.type).toBe('urn:dx:rs:subscriptionEnded');
    const listed = await a.gw.api.get('/ngsi-ld/v1/subscriptions', { token });
    expect(listed.body.results.map((s: { id: string; status: string }) => [s.id, s.status])).toEqual([
      [id, 'ended'],
    ]);
  });
});
