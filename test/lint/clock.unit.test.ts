import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');

/** Every TypeScript source file under `dir`, tests and builds aside. */
function sources(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!['node_modules', 'dist', 'test'].includes(entry.name)) found.push(...sources(path));
    } else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) {
      found.push(path);
    }
  }
  return found;
}

/** Reads of the wall clock: `Date.now()`, and `new Date()` without an argument. */
const wallClock = /\bDate\.now\s*\(|\bnew Date\s*\(\s*\)/;

describe('one clock', () => {
  it('nothing under adapters/ or the feed server reads the wall clock: "now" comes from the injected Clock', () => {
    const folders = [
      ...readdirSync(join(root, 'adapters'), { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => join(root, 'adapters', d.name, 'src')),
      join(root, 'test/feeds/src'),
    ];
    const files = folders.flatMap((f) => sources(f));
    expect(files.length).toBeGreaterThan(20);
    const offending = files.flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .map((line, i) => ({ line, at: `${relative(root, file)}:${i + 1}` }))
        .filter(({ line }) => wallClock.test(line) && !line.trim().startsWith('//'))
        .map(({ at, line }) => `${at}: ${line.trim()}`),
    );
    expect(offending, 'read "now" from the Clock passed in, not from the machine').toEqual([]);
  });
});
