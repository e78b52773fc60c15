import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const services = readdirSync(join(root, 'services'));
const serviceNames = services.map((s) => `@sangam/${s}`);
// The composition root (DESIGN.md §1): it assembles the services into one process, so it alone may import them.
const compositions = ['gateway'];
const testNames = readdirSync(join(root, 'test'))
  .filter((t) => existsSync(join(root, 'test', t, 'package.json')))
  .map((t) => JSON.parse(readFileSync(join(root, 'test', t, 'package.json'), 'utf8')).name as string);
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
  it('no service imports, depends on or references another service, but for the composition root', () => {
    const crossings: string[] = [];
    for (const service of services.filter((s) => !compositions.includes(s))) {
      const own = `@sangam/${service}`;
      const dir = join(root, 'services', service);
      const others = (name: string) => serviceNames.includes(name) && name !== own;
      for (const { name, at } of imports(sources(join(dir, 'src')))) {
        if (others(name)) crossings.push(`${at} imports ${name}`);
      }
      // A service's tests may start the assembled gateway, as a user meets it; never another service alone.
      for (const { name, at } of imports(sources(join(dir, 'test')))) {
        if (others(name) && name !== '@sangam/gateway') crossings.push(`${at} imports ${name}`);
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

  it('libraries in packages/ import, depend on and reference no service, no adapter and nothing of test/', () => {
    // Their own tests may start the assembled gateway through the test kit; what ships may not reach upward.
    const upward = readdirSync(join(root, 'packages')).flatMap((p) => {
      const dir = join(root, 'packages', p);
      const above = (name: string) =>
        serviceNames.includes(name) || adapterNames.includes(name) || testNames.includes(name);
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      const references = readFileSync(join(dir, 'tsconfig.json'), 'utf8');
      return [
        ...imports(sources(join(dir, 'src')))
          .filter((i) => above(i.name))
          .map((i) => `${i.at} imports ${i.name}`),
        ...Object.keys(manifest.dependencies ?? {})
          .filter(above)
          .map((name) => `packages/${p} depends on ${name}`),
        ...[...references.matchAll(/"\.\.\/\.\.\/(services|adapters|test)\/([a-z-]+)"/g)].map(
          (m) => `packages/${p}'s tsconfig references ${m[1]}/${m[2]}`,
        ),
      ];
    });
    expect(upward).toEqual([]);
  });

  it('the production gateway neither imports nor depends on the demo or the test feeds', () => {
    const gateway = join(root, 'services', 'gateway');
    const demoOnly = ['@sangam/demo', ...testNames];
    const found = [
      ...imports(sources(join(gateway, 'src')))
        .filter((i) => demoOnly.includes(i.name))
        .map((i) => `${i.at} imports ${i.name}`),
      ...Object.keys(JSON.parse(readFileSync(join(gateway, 'package.json'), 'utf8')).dependencies ?? {})
        .filter((name) => demoOnly.includes(name))
        .map((name) => `the gateway depends on ${name}`),
    ];
    expect(found).toEqual([]);
  });
});
