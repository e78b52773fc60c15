import { testBackend } from '@sangam/db/testing';
import { startTestGateway } from '@sangam/testkit';
import { describe, expect, it } from 'vitest';

describe(`/metrics on ${testBackend()}`, () => {
  it('answers only this machine when no token is set, never an in-process or remote caller', async () => {
    const gw = await startTestGateway();
    try {
      const local = await fetch(`${gw.url}/metrics`);
      expect(local.status).toBe(200);
      expect(local.headers.get('content-type')).toContain('text/plain');
      // A request that came through no connection from this machine (as one from elsewhere would) is refused.
      const elsewhere = await gw.gateway.app.request('/metrics');
      expect(elsewhere.status).toBe(403);
      expect(elsewhere.headers.get('content-type')).toContain('application/problem+json');
    } finally {
      await gw.close();
    }
  });

  it('needs the operator token when one is set, even from this machine', async () => {
    const token = 'metrics-token-0123456789abcdefghijklmnop';
    const gw = await startTestGateway({ env: { SANGAM_METRICS_TOKEN: token } });
    try {
      const anonymous = await fetch(`${gw.url}/metrics`);
      expect(anonymous.status).toBe(401);
      expect(((await anonymous.json()) as { type: string }).type).toBe('urn:dx:gw:invalidToken');
      const wrong = await fetch(`${gw.url}/metrics`, { headers: { authorization: `Bearer ${token}x` } });
      expect(wrong.status).toBe(401);
      const scraper = await fetch(`${gw.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
      expect(scraper.status).toBe(200);
    } finally {
      await gw.close();
    }
  });

  it('count requests per route pattern and status, and show the event loop, the audit log and its commits', async () => {
    const gw = await startTestGateway();
    try {
      await gw.adminToken();
      await fetch(`${gw.url}/cat/v1/items/no/such/item`);
      const text = await (await fetch(`${gw.url}/metrics`)).text();
      expect(text).toMatch(
        /sangam_http_requests_total\{route="\/auth\/v1\/token",method="POST",status="200"\} \d+/,
      );
      // Labelled by the route's pattern, never the path asked for.
      expect(text).toMatch(
        /sangam_http_requests_total\{route="\/cat\/v1\/items\/:id\{\.\+\}",method="GET",status="404"\} 1/,
      );
      expect(text).not.toContain('no/such/item');
      expect(text).toContain('sangam_http_request_duration_seconds_bucket');
      expect(text).toContain('sangam_nodejs_eventloop_lag_seconds');
      expect(text).toMatch(/sangam_audit_log_entries \d+/);
      expect(text).toMatch(/sangam_audit_commit_seconds_count \d+/);
    } finally {
      await gw.close();
    }
  });

  it('behind a trusted proxy, counts as from this machine only what the proxy says came from it', async () => {
    const gw = await startTestGateway({ env: { SANGAM_TRUSTED_PROXIES: '127.0.0.1' } });
    try {
      const remote = await fetch(`${gw.url}/metrics`, { headers: { 'x-forwarded-for': '203.0.113.9' } });
      expect(remote.status).toBe(403);
      const local = await fetch(`${gw.url}/metrics`, { headers: { 'x-forwarded-for': '127.0.0.1' } });
      expect(local.status).toBe(200);
    } finally {
      await gw.close();
    }
  });
});
