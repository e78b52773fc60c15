import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gatewaySettings } from '../src/config.js';

const readme = readFileSync(resolve(import.meta.dirname, '../../../README.md'), 'utf8');

describe('the README', () => {
  it('documents every setting the gateway reads', () => {
    for (const name of Object.keys(gatewaySettings))
      expect(readme, name).toMatch(new RegExp(`\\|\\s*\`${name}\`\\s*\\|`));
  });

  it('gives the two commands: run and test', () => {
    expect(readme).toContain('npm install -g pnpm@10.34.9 && pnpm install && pnpm start');
    expect(readme).toContain('\npnpm test\n');
    const manifest = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../../package.json'), 'utf8'));
    expect(manifest.packageManager).toBe('pnpm@10.34.9');
    expect(manifest.scripts.start).toContain('start');
    expect(manifest.scripts.test).toContain('vitest run');
  });

  it('ships the licence its manifests name', () => {
    const root = resolve(import.meta.dirname, '../../..');
    const manifest = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8'));
    expect(manifest.license).toBe('Apache-2.0');
    const licence = readFileSync(resolve(root, 'LICENSE'), 'utf8');
    expect(licence).toContain('Apache License');
    expect(licence).toContain('Version 2.0, January 2004');
    expect(licence).toContain('END OF TERMS AND CONDITIONS');
  });
});
