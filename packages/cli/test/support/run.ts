import { execFile, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { runningTestClock } from '@sangam/testkit';

// The built command, as a user runs it (`pnpm test` builds first).
export const cli = resolve(import.meta.dirname, '../../dist/main.js');
// One clock for the gateways these tests start and the commands they run, from the test epoch.
export const clock = runningTestClock();
export const clockEnv = () => ({ SANGAM_CLOCK_EPOCH: clock.now().toISOString() });

/**
 * A shell line, run as a user would paste it. Asynchronous on purpose: a synchronous child would stall this
 * process's event loop, and its idle keep-alive connections to the gateway would be closed under it.
 */
export function shell(line: string): Promise<string> {
  return new Promise((done) => {
    execFile('bash', ['-c', line], { encoding: 'utf8' }, (_error, stdout) => done(stdout));
  });
}

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
