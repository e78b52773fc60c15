import { describe, expect, it } from 'vitest';
import { clientAddress } from '../src/index.js';

describe("a client's address behind reverse proxies", () => {
  it('is the nearest forwarded address that is not a trusted proxy', () => {
    const proxies = ['10.0.0.2', '10.0.0.3'];
    expect(clientAddress('10.0.0.2', '198.51.100.7', proxies)).toBe('198.51.100.7');
    expect(clientAddress('10.0.0.2', '203.0.113.9, 198.51.100.7, 10.0.0.3', proxies)).toBe('198.51.100.7');
    expect(clientAddress('::ffff:10.0.0.2', '198.51.100.7', proxies)).toBe('198.51.100.7');
  });

  it("is the connection's own address when it is no trusted proxy, or the header is not addresses", () => {
    expect(clientAddress('198.51.100.7', '127.0.0.1', ['10.0.0.2'])).toBe('198.51.100.7');
    expect(clientAddress('10.0.0.2', undefined, ['10.0.0.2'])).toBe('10.0.0.2');
    expect(clientAddress('10.0.0.2', 'evil, 198.51.100.7', ['10.0.0.2'])).toBe('198.51.100.7');
    expect(clientAddress('10.0.0.2', '198.51.100.7, not-an-address', ['10.0.0.2'])).toBe('10.0.0.2');
  });
});
