import { describe, expect, it } from 'vitest';
import { ConfigError, env, parseConfig } from '../src/index.js';

const spec = {
  PORT: env.int({ min: 1, max: 65535, default: 8080 }),
  MODE: env.oneOf(['embedded', 'cluster'], { default: 'embedded' }),
  ISSUER: env.url({ default: 'http://localhost:8080' }),
  ORIGINS: env.list({ default: [], item: /^https?:\/\/\S+$/ }),
  VERBOSE: env.bool({ default: false }),
  SECRET: env.string({ secret: true, pattern: /^.{12,}$/, accepts: 'at least 12 characters' }),
};

describe('parseConfig', () => {
  it('fills defaults and parses each kind of value', () => {
    const config = parseConfig(spec, {
      SECRET: 'a-long-enough-secret',
      ORIGINS: 'https://a.example, https://b.example',
      VERBOSE: 'yes',
    });
    expect(config).toEqual({
      PORT: 8080,
      MODE: 'embedded',
      ISSUER: 'http://localhost:8080',
      ORIGINS: ['https://a.example', 'https://b.example'],
      VERBOSE: true,
      SECRET: 'a-long-enough-secret',
    });
  });

  it('names every bad variable and what it accepts, in one error', () => {
    let caught: unknown;
    try {
      parseConfig(spec, { PORT: '80a', MODE: 'turbo', ISSUER: 'ftp://x', SECRET: 'short' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const problems = (caught as ConfigError).problems;
    expect(problems).toHaveLength(4);
    expect(problems[0]).toBe('PORT="80a" is not valid: it accepts an integer from 1 to 65535');
    expect(problems[1]).toContain('MODE="turbo" is not valid: it accepts one of embedded, cluster');
    expect(problems[2]).toContain('ISSUER="ftp://x" is not valid: it accepts an absolute URL');
    expect(problems[3]).toBe('SECRET=(hidden) is not valid: it accepts at least 12 characters');
  });

  it('reports a required variable that is missing, and treats an empty one as unset', () => {
    expect(() => parseConfig(spec, { SECRET: '  ' })).toThrow(/SECRET is required: it accepts at least 12/);
  });

  it('refuses integers out of range and non-integers', () => {
    for (const raw of ['0', '65536', '1.5', '1e3', '-1', '']) {
      const run = () => parseConfig({ PORT: env.int({ min: 1, max: 65535 }) }, { PORT: raw });
      expect(run).toThrow(ConfigError);
    }
    expect(parseConfig({ PORT: env.int({ min: 1, max: 65535 }) }, { PORT: ' 443 ' }).PORT).toBe(443);
  });
});
