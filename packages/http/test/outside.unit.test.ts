import { describe, expect, it } from 'vitest';
import { isPublicAddress, upstreamErrors } from '../src/index.js';

describe('addresses a partner URL may reach', () => {
  it('refuses this machine, its networks and the metadata service, however the address is spelled', () => {
    for (const url of [
      'https://127.0.0.1:8443/x',
      'https://[::1]/x',
      'https://2130706433/x',
      'https://0x7f.1/x',
      'https://0177.0.0.1/x',
      'https://169.254.169.254/latest/meta-data',
      'https://10.1.2.3/x',
      'https://192.168.1.1/x',
      'https://172.20.0.1/x',
      'https://[::ffff:127.0.0.1]/x',
      'https://[::ffff:7f00:1]/x',
      'https://[fd00::1]/x',
      'https://[fe80::1]/x',
      'https://0.0.0.0/x',
      'https://224.0.0.1/x',
    ]) {
      expect(upstreamErrors(url, []), url).toEqual([
        { field: '/source/upstream', message: expect.stringContaining('not a public address') },
      ]);
    }
  });

  it('lets public addresses and allow-listed hosts through', () => {
    expect(upstreamErrors('https://93.184.216.34/x', [])).toEqual([]);
    expect(upstreamErrors('https://[2606:2800:220:1::]/x', [])).toEqual([]);
    expect(upstreamErrors('http://127.0.0.1:9/x', ['127.0.0.1'])).toEqual([]);
    expect(isPublicAddress('8.8.8.8')).toBe(true);
    expect(isPublicAddress('::ffff:8.8.8.8')).toBe(true);
    expect(isPublicAddress('100.64.0.1')).toBe(false);
    expect(isPublicAddress('not an address')).toBe(false);
  });
});
