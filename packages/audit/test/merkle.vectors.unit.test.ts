import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { sharedFixturesDir } from '@sangam/testkit/fixtures';
import { describe, expect, it } from 'vitest';
import { fromBase64, verifyConsistency, verifyInclusion } from '../src/index.js';

// Known-answer vectors from transparency-dev/merkle, read from the shared fixtures beside the clone.
const root = sharedFixturesDir('merkle');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : name.endsWith('.json') ? [path] : [];
  });
}

interface InclusionVector {
  leafIdx: number;
  treeSize: number;
  root: string;
  leafHash: string;
  proof: string[] | null;
  desc: string;
  wantErr: boolean;
}

interface ConsistencyVector {
  size1: number;
  size2: number;
  root1: string;
  root2: string;
  proof: string[] | null;
  desc: string;
  wantErr: boolean;
}

const inclusion = files(join(root, 'inclusion'));
const consistency = files(join(root, 'consistency'));

describe('RFC 9162 known-answer vectors', () => {
  it('has the vectors to check', () => {
    expect(inclusion.length).toBeGreaterThan(50);
    expect(consistency.length).toBeGreaterThan(50);
  });

  it.each(inclusion.map((f) => [relative(root, f), f]))('inclusion %s', (_name, file) => {
    const v = JSON.parse(readFileSync(file, 'utf8')) as InclusionVector;
    const ok = verifyInclusion(
      v.leafIdx,
      v.treeSize,
      fromBase64(v.leafHash),
      (v.proof ?? []).map(fromBase64),
      fromBase64(v.root),
    );
    expect(ok, v.desc).toBe(!v.wantErr);
  });

  it.each(consistency.map((f) => [relative(root, f), f]))('consistency %s', (_name, file) => {
    const v = JSON.parse(readFileSync(file, 'utf8')) as ConsistencyVector;
    const ok = verifyConsistency(
      v.size1,
      v.size2,
      fromBase64(v.root1),
      fromBase64(v.root2),
      (v.proof ?? []).map(fromBase64),
    );
    expect(ok, v.desc).toBe(!v.wantErr);
  });
});
