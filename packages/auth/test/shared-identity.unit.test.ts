import { ConfigError } from '@sangam/core';
import { describe, expect, it } from 'vitest';
import { requireSharedIdentity } from '../src/index.js';

const postgres = 'postgres://sangam@db.internal:5432/sangam';

function problemsOf(config: { DATABASE_URL: string; SANGAM_HOST: string }, source: Record<string, string>) {
  try {
    requireSharedIdentity(config, source);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return [...(error as ConfigError).problems];
  }
}

describe('settings several gateways on one database must share', () => {
  it('are required on PostgreSQL when the process serves beyond this machine, each named', () => {
    const problems = problemsOf({ DATABASE_URL: postgres, SANGAM_HOST: '0.0.0.0' }, {});
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^SANGAM_ISSUER is required when DATABASE_URL is PostgreSQL/);
    expect(problems[1]).toMatch(/^SANGAM_KEY_ENCRYPTION_SECRET is required .*at least 16 characters/);
    // The URL may carry a password: it is never echoed.
    expect(problems.join('\n')).not.toContain('db.internal');
  });

  it('name only the one missing', () => {
    const problems = problemsOf(
      { DATABASE_URL: postgres, SANGAM_HOST: '10.0.0.5' },
      { SANGAM_ISSUER: 'https://data.surat.example' },
    );
    expect(problems).toEqual([expect.stringMatching(/^SANGAM_KEY_ENCRYPTION_SECRET is required/)]);
  });

  it('are not required on the embedded SQLite default, on loopback, or when set', () => {
    expect(problemsOf({ DATABASE_URL: 'sqlite:data/sangam.db', SANGAM_HOST: '0.0.0.0' }, {})).toEqual([]);
    for (const host of ['127.0.0.1', '127.0.0.2', '::1', 'localhost']) {
      expect(problemsOf({ DATABASE_URL: postgres, SANGAM_HOST: host }, {})).toEqual([]);
    }
    expect(
      problemsOf(
        { DATABASE_URL: postgres, SANGAM_HOST: '::' },
        { SANGAM_ISSUER: 'https://data.surat.example', SANGAM_KEY_ENCRYPTION_SECRET: 'a-long-shared-secret' },
      ),
    ).toEqual([]);
  });
});
