import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

// Tests run against the workspace packages' TypeScript sources, so a change is tested without a build.
const root = import.meta.dirname;
const alias: { find: RegExp; replacement: string }[] = [];
for (const group of ['packages', 'services', 'adapters', 'test']) {
  let dirs: string[] = [];
  try {
    dirs = readdirSync(join(root, group));
  } catch {
    continue;
  }
  for (const dir of dirs) {
    const base = join(root, group, dir);
    let manifest: { name?: string; exports?: Record<string, { default?: string }> };
    try {
      manifest = JSON.parse(readFileSync(join(base, 'package.json'), 'utf8'));
    } catch {
      continue;
    }
    for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
      const built = target.default;
      if (!manifest.name || !built) continue;
      const source = built.replace(/^\.\/dist\//, './src/').replace(/\.js$/, '.ts');
      const specifier = subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`;
      alias.push({
        find: new RegExp(`^${specifier.replace(/[/.]/g, '\\$&')}$`),
        replacement: resolve(base, source),
      });
    }
  }
}

// Pure tests (no server, no database server) are named `*.unit.test.ts`: `pnpm test:unit` runs them alone.
const unit = ['{packages,services,adapters,test}/**/test/**/*.unit.test.ts', 'test/lint/**/*.unit.test.ts'];
const everything = ['{packages,services,adapters,test}/**/test/**/*.test.ts', 'test/**/*.test.ts'];
const exclude = ['**/node_modules/**', '**/dist/**'];

export default defineConfig({
  resolve: { alias },
  test: {
    exclude,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    setupFiles: ['test/setup/seed.ts'],
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'unit', include: unit } },
      {
        extends: true,
        // One module graph per worker for the integration files: each file still starts its own gateway on its
        // own database, but the workspace is loaded once per worker instead of once per file.
        test: { name: 'integration', include: everything, exclude: [...exclude, ...unit], isolate: false },
      },
    ],
  },
});
