import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { sharedFixturesDir } from '@sangam/testkit/fixtures';
import { describe, expect, it } from 'vitest';
import { fromBase64, verifyConsistency, verifyInclusion } from '../../src/console/verifier.js';

// The verifier the console serves to browsers, run here on Node's WebCrypto against the RFC 9162 vectors; the
// browser test runs the same vectors through the served module in Chromium.
const root = sharedFixturesDir('merkle');
const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : name.endsWith('.json') ? [path] : [];
  });

describe("the console's in-browser verifier on the RFC 9162 known-answer vectors", () => {
  const inclusion = files(join(root, 'inclusion'));
  const consistency = files(join(root, 'consistency'));

  it('has the vectors to check', () => {
    expect(inclusion.length).toBeGreaterThan(50);
    expect(consistency.length).toBeGreaterThan(50);
  });

  it.each(inclusion.map((f) => [relative(root, f), f]))('inclusion %s', async (_name, file) => {
    const v = JSON.parse(readFileSync(file, 'utf8'));
    const ok = await verifyInclusion(
      v.leafIdx,
      v.treeSize,
      fromBase64(v.leafHash),
      (v.proof ?? []).map(fromBase64),
      fromBase64(v.root),
    );
    expect(ok, v.desc).toBe(!v.wantErr);
  });

  it.each(consistency.map((f) => [relative(root, f), f]))('consistency %s', async (_name, file) => {
    const v = JSON.parse(readFileSync(file, 'utf8'));
    const ok = await verifyConsistency(
      v.size1,
      v.size2,
      fromBase64(v.root1),
      fromBase64(v.root2),
      (v.proof ?? []).map(fromBase64),
    );
    expect(ok, v.desc).toBe(!v.wantErr);
  });
});
