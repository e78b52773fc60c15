import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const services = readdirSync(join(root, 'services'));
const serviceNames = services.map((s) => `@sangam/${s}`);
const adapterNames = readdirSync(join(root, 'adapters'))
  .filter((a) => existsSync(join(root, 'adapters', a, 'package.json')))
  .map((a) => JSON.parse(readFileSync(join(root, 'adapters', a, 'package.json'), 'utf8')).name as string);

function sources(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return ['node_modules', 'dist'].includes(entry.name) ? [] : sources(path);
    return /\.(ts|tsx|mjs)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Every workspace package a file imports, with where. */
function imports(files: string[]): { name: string; at: string }[] {
  return files.flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(/from '(@sangam\/[a-z-]+)[^']*'/g)].map((m) => ({
      name: m[1] ?? '',
      at: relative(root, file),
    })),
  );
}

function dependencies(dir: string): string[] {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  return Object.keys({ ...manifest.dependencies, ...manifest.devDependencies });
}

describe('the house rules of DESIGN.md §1', () => {
  it('no service imports, depends on or references another service', () => {
    const crossings: string[] = [];
    for (const service of services) {
      const own = `@sangam/${service}`;
      const dir = join(root, 'services', service);
      const others = (name: string) => serviceNames.includes(name) && name !== own;
      for (const { name, at } of imports([...sources(join(dir, 'src')), ...sources(join(dir, 'test'))])) {
        if (others(name)) crossings.push(`${at} imports ${name}`);
      }
      for (const name of dependencies(dir)) if (others(name)) crossings.push(`${service} depends on ${name}`);
      const references = readFileSync(join(dir, 'tsconfig.json'), 'utf8');
      for (const other of services) {
        if (other !== service && references.includes(`"../${other}"`)) {
          crossings.push(`${service}'s tsconfig references ${other}`);
        }
      }
    }
    expect(crossings).toEqual([]);
  });

  it('adapters import no service, and the release rule imports nothing but core and db', () => {
    const adapterImports = readdirSync(join(root, 'adapters')).flatMap((a) =>
      imports(sources(join(root, 'adapters', a, 'src'))).filter((i) => serviceNames.includes(i.name)),
    );
    expect(adapterImports).toEqual([]);
    const policy = imports(sources(join(root, 'packages/policy/src')))
      .map((i) => i.name)
      .filter((n) => !['@sangam/core', '@sangam/db'].includes(n));
    expect(policy).toEqual([]);
  });

  it('libraries in packages/ import no service and no adapter, but for the composition root and its test kit', () => {
    // packages/cli assembles the gateway and packages/testkit starts it for tests: both still reach into services/
    // until the composition root moves out of packages/. Every other package is a library only.
    const upward = readdirSync(join(root, 'packages'))
      .filter((p) => !['cli', 'testkit'].includes(p))
      .flatMap((p) => imports(sources(join(root, 'packages', p, 'src'))))
      .filter((i) => serviceNames.includes(i.name) || adapterNames.includes(i.name))
      .map((i) => `${i.at} imports ${i.name}`);
    expect(upward).toEqual([]);
  });
});
