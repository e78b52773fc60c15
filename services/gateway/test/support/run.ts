import { spawn } from 'node:child_process';
import { runningTestClock, sangamBin } from '@sangam/testkit';

export { shell } from '@sangam/testkit';

// The built command, as a user runs it (`pnpm test` builds first).
export const cli = sangamBin;
// One clock for the gateways these tests start and the commands they run, from the test epoch.
export const clock = runningTestClock();
export const clockEnv = () => ({ SANGAM_CLOCK_EPOCH: clock.now().toISOString() });

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], env: Record<string, string>, cwd?: string): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [cli, ...args], {
      env: { PATH: process.env.PATH ?? '', SANGAM_SCRYPT_COST: '14', ...clockEnv(), ...env },
      cwd: cwd ?? process.cwd(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}
