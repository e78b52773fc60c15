import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DxError, ManualClock } from '@sangam/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffMs, Circuit, loadAdapterConfig, Outbox, parseAdapterConfig } from '../src/index.js';

const valid = {
  name: 'yulu-gbfs',
  kind: 'gbfs',
  feed: 'https://gbfs.example/gbfs.json',
  provider: 'yulu',
  resources: { stations: 'yulu/bikes/stations' },
};

describe('adapter configuration', () => {
  it('fills in safe defaults', () => {
    const config = parseAdapterConfig(valid);
    expect(config).toMatchObject({
      pollSeconds: 60,
      timeoutMs: 10_000,
      privacy: { h3Resolution: 8, bucketMinutes: 15, timeZone: 'UTC' },
      stateDir: './data/adapters',
      options: {},
    });
  });

  it('names every bad field in one error', () => {
    let error: unknown;
    try {
      parseAdapterConfig({
        ...valid,
        name: 'Bad Name',
        feed: 'ftp://x',
        resources: {},
        privacy: { h3Resolution: 99 },
        extra: 1,
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DxError);
    const fields = (((error as DxError).extensions?.errors ?? []) as { field: string }[]).map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['/name', '/feed', '/resources', '/privacy/h3Resolution']));
  });

  const refusal = (config: unknown): { field: string; message: string }[] => {
    try {
      parseAdapterConfig(config);
    } catch (error) {
      expect(error).toBeInstanceOf(DxError);
      return ((error as DxError).extensions?.errors ?? []) as { field: string; message: string }[];
    }
    throw new Error('the configuration was taken');
  };

  it('takes noise for every kind, in thousandths as it is drawn', () => {
    expect(parseAdapterConfig({ ...valid, privacy: { epsilon: 1 } }).privacy.epsilon).toBe(1);
    expect(
      parseAdapterConfig({ ...valid, kind: 'mds', resources: { od: 'a/b/c' }, privacy: { epsilon: 1 } })
        .privacy.epsilon,
    ).toBe(1);
    // The ledger enters the ε the sampler draws with, which works in thousandths.
    expect(refusal({ ...valid, privacy: { epsilon: 0.0015 } })).toEqual([
      { field: '/privacy/epsilon', message: 'must be a multiple of 0.001' },
    ]);
    expect(parseAdapterConfig({ ...valid, kind: 'itms', privacy: { epsilon: 0.5 } }).privacy.epsilon).toBe(
      0.5,
    );
  });

  it('requires noise where no construction keeps two MDS releases from being subtracted', () => {
    // Exact OD and events alone are one suppressed base: no noise needed.
    expect(
      parseAdapterConfig({ ...valid, kind: 'mds', resources: { od: 'a/b/od', events: 'a/b/ev' } }).kind,
    ).toBe('mds');
    expect(refusal({ ...valid, kind: 'mds', resources: { vehicles: 'a/b/v' } })[0]?.message).toMatch(
      /fleet states .* noise only/,
    );
    expect(
      refusal({ ...valid, kind: 'mds', resources: { trips: 'a/b/t', od: 'a/b/od' } })[0]?.message,
    ).toMatch(/anonymised trips beside their aggregates/);
    expect(parseAdapterConfig({ ...valid, kind: 'mds', resources: { trips: 'a/b/t' } }).kind).toBe('mds');
  });

  it('takes the time zone of pseudonym days by its IANA name, and refuses one it does not know', () => {
    expect(parseAdapterConfig({ ...valid, privacy: { timeZone: 'Asia/Kolkata' } }).privacy.timeZone).toBe(
      'Asia/Kolkata',
    );
    let error: unknown;
    try {
      parseAdapterConfig({ ...valid, privacy: { timeZone: 'India/Surat' } });
    } catch (e) {
      error = e;
    }
    expect((error as DxError).extensions?.errors).toEqual([
      { field: '/privacy/timeZone', message: 'must be an IANA time zone such as Asia/Kolkata' },
    ]);
  });

  it('takes secrets from the environment or from files instead of the file itself, and names what is missing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sangam-config-'));
    writeFileSync(join(dir, 'pseudonym.secret'), 'a-pseudonym-secret-read-from-a-file!!\n');
    const config = {
      ...valid,
      kind: 'mds',
      gateway: {
        url: 'https://gw.example',
        clientId: 'cl_1',
        clientSecret: { $env: 'SANGAM_TEST_CLIENT_SECRET' },
      },
      options: { token: { $env: 'SANGAM_TEST_MDS_TOKEN' }, pseudonymSecret: { $file: 'pseudonym.secret' } },
    };
    writeFileSync(join(dir, 'mds.json'), JSON.stringify(config));
    process.env.SANGAM_TEST_CLIENT_SECRET = 'client-secret-from-env';
    process.env.SANGAM_TEST_MDS_TOKEN = 'token-from-env';
    try {
      const loaded = loadAdapterConfig(join(dir, 'mds.json'));
      expect(loaded.gateway?.clientSecret).toBe('client-secret-from-env');
      expect(loaded.options).toEqual({
        token: 'token-from-env',
        pseudonymSecret: 'a-pseudonym-secret-read-from-a-file!!',
      });
      delete process.env.SANGAM_TEST_MDS_TOKEN;
      writeFileSync(
        join(dir, 'broken.json'),
        JSON.stringify({ ...config, options: { ...config.options, pseudonymSecret: { $file: 'nowhere' } } }),
      );
      let error: unknown;
      try {
        loadAdapterConfig(join(dir, 'broken.json'));
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(DxError);
      expect((error as DxError).extensions?.errors).toEqual([
        { field: '/options/token', message: 'the environment variable SANGAM_TEST_MDS_TOKEN is not set' },
        { field: '/options/pseudonymSecret', message: 'nowhere cannot be read (ENOENT)' },
      ]);
      // An empty secret file is as good as none; a broken file is named without quoting what is in it.
      writeFileSync(join(dir, 'empty.secret'), '\n');
      writeFileSync(
        join(dir, 'empty.json'),
        JSON.stringify({
          ...config,
          options: { ...config.options, pseudonymSecret: { $file: 'empty.secret' } },
        }),
      );
      process.env.SANGAM_TEST_MDS_TOKEN = 'token-from-env';
      expect(() => loadAdapterConfig(join(dir, 'empty.json'))).toThrow(DxError);
      writeFileSync(join(dir, 'typo.json'), '{"gateway": {"clientSecret": s3cr3t-in-the-clear}}');
      let typo: unknown;
      try {
        loadAdapterConfig(join(dir, 'typo.json'));
      } catch (e) {
        typo = e;
      }
      expect((typo as DxError).detail).toContain('is not well-formed JSON');
      expect(JSON.stringify(typo)).not.toContain('s3cr3t');
      expect((typo as Error).message).not.toContain('s3cr3t');
    } finally {
      delete process.env.SANGAM_TEST_CLIENT_SECRET;
      delete process.env.SANGAM_TEST_MDS_TOKEN;
    }
  });
});

describe('retry timing', () => {
  it('waits between zero and the capped exponential step', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.double({ min: 0, max: 0.999999, noNaN: true }),
        (failures, r) => {
          const wait = backoffMs(failures, 100, 30_000, () => r);
          expect(wait).toBeGreaterThanOrEqual(0);
          expect(wait).toBeLessThan(Math.min(30_000, 100 * 2 ** (failures - 1)));
        },
      ),
    );
    expect(backoffMs(0, 100, 1000)).toBe(0);
  });

  it('opens the circuit after the threshold, half-opens after the cooldown, closes on success', () => {
    const clock = new ManualClock(Date.parse('2030-01-01T00:00:00Z'));
    const circuit = new Circuit(3, 40, clock);
    circuit.failed();
    circuit.failed();
    expect(circuit.allows()).toBe(true);
    circuit.failed();
    expect(circuit.state).toBe('open');
    expect(circuit.allows()).toBe(false);
    expect(circuit.waitMs()).toBe(40);
    clock.advance(39);
    expect(circuit.state).toBe('open');
    clock.advance(1);
    expect(circuit.state).toBe('half-open');
    expect(circuit.waitMs()).toBe(0);
    circuit.failed();
    expect(circuit.state).toBe('open');
    clock.advance(40);
    circuit.succeeded();
    expect(circuit.state).toBe('closed');
    expect(circuit.failures).toBe(0);
  });
});

describe('the outbox', () => {
  const clock = new ManualClock(Date.parse('2030-01-01T00:00:00Z'));
  it('keeps held batches across a restart until they are cleared', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sangam-outbox-'));
    const batches = [
      { resource: 'yulu/bikes/stations', records: [{ id: 'st-1', observedAt: '2026-11-27T10:00:00Z' }] },
    ];
    new Outbox(dir, 'a', clock).hold(batches);
    // A new process finds them.
    expect(new Outbox(dir, 'a', clock).pending()).toEqual(batches);
    expect(new Outbox(dir, 'b', clock).pending()).toEqual([]);
    new Outbox(dir, 'a', clock).clear();
    expect(new Outbox(dir, 'a', clock).pending()).toEqual([]);
  });
});

describe('a batch the gateway refuses for good', () => {
  it('is set aside in the dead-letter file, and publishing goes on', async () => {
    const { AdapterRuntime } = await import('../src/index.js');
    const { readFileSync } = await import('node:fs');
    const dir = mkdtempSync(join(tmpdir(), 'sangam-dead-'));
    const config = parseAdapterConfig({ ...valid, stateDir: dir });
    const sent: string[] = [];
    const runtime = new AdapterRuntime({
      config,
      clock: new ManualClock(Date.parse('2026-11-27T10:00:00Z')),
      logic: {
        poll: async () => ({
          batches: [
            { resource: 'yulu/bikes/retired', records: [{ id: 'a', observedAt: '2026-11-27T10:00:00Z' }] },
            { resource: 'yulu/bikes/stations', records: [{ id: 'b', observedAt: '2026-11-27T10:00:00Z' }] },
          ],
          recordsIn: 2,
          cellsSuppressed: 0,
        }),
      },
      publisher: {
        async publish(resource) {
          if (resource === 'yulu/bikes/retired')
            throw Object.assign(new Error('No live resource'), { status: 404 });
          sent.push(resource);
          return { accepted: 1, duplicates: 0, rejected: 0, reasons: [] };
        },
      },
    });
    const health = await runtime.runOnce();
    await runtime.stop();
    expect(health.state).toBe('healthy');
    expect(health.deadLettered).toBe(1);
    expect(sent).toEqual(['yulu/bikes/stations']);
    const aside = readFileSync(join(dir, 'yulu-gbfs.dead-letter.jsonl'), 'utf8').trim().split('\n');
    expect(JSON.parse(aside[0] ?? '{}')).toMatchObject({
      resource: 'yulu/bikes/retired',
      reason: expect.stringContaining('404'),
    });
    expect(new Outbox(dir, 'yulu-gbfs', new ManualClock()).pending()).toEqual([]);
  });
});

describe('feed records that do not fit the data model', () => {
  it('are counted apart in health and metrics, poll after poll', async () => {
    const { AdapterRuntime, adapterMetrics } = await import('../src/index.js');
    const runtime = new AdapterRuntime({
      config: parseAdapterConfig({ ...valid, stateDir: mkdtempSync(join(tmpdir(), 'sangam-left-')) }),
      clock: new ManualClock(Date.parse('2026-11-27T10:00:00Z')),
      logic: {
        poll: async () => ({
          batches: [
            { resource: 'yulu/bikes/stations', records: [{ id: 'b', observedAt: '2026-11-27T10:00:00Z' }] },
          ],
          recordsIn: 5,
          recordsLeftOut: 2,
          cellsSuppressed: 0,
        }),
      },
      publisher: {
        async publish() {
          return { accepted: 1, duplicates: 0, rejected: 0, reasons: [] };
        },
      },
    });
    await runtime.runOnce();
    const health = await runtime.runOnce();
    await runtime.stop();
    expect(health).toMatchObject({ state: 'healthy', recordsIn: 10, recordsLeftOut: 4, recordsOut: 2 });
    expect(adapterMetrics([health])).toContain(
      'sangam_adapter_records_left_out_total{adapter="yulu-gbfs",kind="gbfs",provider="yulu"} 4',
    );
  });
});

describe('an adapter whose records the gateway refuses', () => {
  it('reports failing with the reason while every record is refused, through polls that send nothing, until some are taken', async () => {
    const { AdapterRuntime } = await import('../src/index.js');
    const clock = new ManualClock(Date.parse('2030-01-01T00:00:00Z'));
    // Each poll says what it has: new records, or nothing new (the feed unchanged).
    const polls: ('records' | 'unchanged')[] = ['records', 'unchanged', 'records', 'unchanged'];
    let refuse = true;
    const runtime = new AdapterRuntime({
      config: parseAdapterConfig({ ...valid, stateDir: mkdtempSync(join(tmpdir(), 'sangam-refused-')) }),
      clock,
      logic: {
        poll: async () =>
          polls.shift() === 'unchanged'
            ? { unchanged: true, batches: [], recordsIn: 0, cellsSuppressed: 0 }
            : {
                batches: [
                  {
                    resource: 'yulu/bikes/stations',
                    records: [{ id: 'b', observedAt: '2030-01-01T00:00:00Z' }],
                  },
                ],
                recordsIn: 1,
                cellsSuppressed: 0,
              },
      },
      publisher: {
        async publish(_resource, records) {
          return refuse
            ? {
                accepted: 0,
                duplicates: 0,
                rejected: records.length,
                reasons: ['observedAt lies in the future'],
              }
            : { accepted: records.length, duplicates: 0, rejected: 0, reasons: [] };
        },
      },
    });
    const refused = await runtime.runOnce();
    expect(refused.state).toBe('failing');
    expect(refused.lastError).toMatchObject({ problem: 'rejected' });
    expect(refused.lastError?.message).toContain('observedAt lies in the future');
    expect(refused.lastSuccessAt).toBeUndefined();

    clock.advance(60_000);
    const quiet = await runtime.runOnce();
    expect(quiet.state).toBe('failing');
    expect(quiet.lastError).toEqual(refused.lastError);
    expect(quiet.staleSince).toBe(refused.staleSince);

    refuse = false;
    clock.advance(60_000);
    const taken = await runtime.runOnce();
    expect(taken.state).toBe('healthy');
    expect(taken.lastError).toBeUndefined();
    expect(taken.staleSince).toBeUndefined();
    expect(taken.lastSuccessAt).toBe('2030-01-01T00:02:00.000Z');

    clock.advance(60_000);
    expect((await runtime.runOnce()).state).toBe('healthy');
    await runtime.stop();
  });
});
