import type { Principal, Role } from '@sangam/core';
import { describe, expect, it } from 'vitest';
import { actsForProvider, seesWholeLog } from '../src/index.js';

const client = (organisationId: string, ...roles: Role[]): Principal => ({
  clientId: `c_${organisationId}`,
  organisationId,
  roles,
  tokenId: 't',
  issuedAt: 0,
});

describe('who acts for a provider', () => {
  it('is a provider or delegate client of that organisation, and nobody else', () => {
    expect(actsForProvider(client('yulu', 'provider'), 'yulu')).toBe(true);
    expect(actsForProvider(client('yulu', 'delegate'), 'yulu')).toBe(true);
    // Another organisation's provider, and the provider's own consumer or admin clients, do not.
    expect(actsForProvider(client('sitilink', 'provider', 'delegate'), 'yulu')).toBe(false);
    expect(actsForProvider(client('yulu', 'consumer', 'admin', 'auditor'), 'yulu')).toBe(false);
  });
});

describe('who sees the whole audit log', () => {
  it('is an auditor; an admin sees the entries of its own organisation', () => {
    expect(seesWholeLog(client('surat', 'auditor'))).toBe(true);
    expect(seesWholeLog(client('surat', 'admin', 'provider', 'consumer', 'delegate'))).toBe(false);
  });
});
