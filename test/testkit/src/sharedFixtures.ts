import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/** The project's shared fixtures: `shared/fixtures` beside the clone (CI checks it out there). */
const sharedRoot = resolve(import.meta.dirname, '../../../../shared/fixtures');

/**
 * The shared fixtures folder, or one of its subfolders (`sub`, e.g. `gbfs`). Throws an error of one line naming
 * the folder when it is missing, so a test that needs it fails saying why.
 */
export function sharedFixturesDir(sub?: string): string {
  const dir = sub ? resolve(sharedRoot, sub) : sharedRoot;
  if (!existsSync(dir)) {
    throw new Error(
      `${dir} is missing: it comes from the project's shared fixtures, which CI has beside the clone (../shared/fixtures)`,
    );
  }
  return dir;
}
