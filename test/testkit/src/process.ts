import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { waitFor } from './wait.js';

const root = resolve(import.meta.dirname, '../../..');

/** The built commands, as a user runs them (`pnpm test` builds first). */
export const sangamBin = resolve(root, 'services/gateway/dist/main.js');
export const sangamDemoBin = resolve(root, 'test/demo/dist/main.js');

/** A gateway process and what it has said on stderr so far. */
export interface SangamProcess {
  readonly child: ChildProcess;
  readonly url: string;
  stderr(): string;
}

/**
 * Starts `sangam start` (or the demo's) as a user would, in `cwd`, on a free port unless `env` names one, and
 * resolves once it prints the line that says where it listens; throws with what it said if it exits first.
 */
export async function startSangamProcess(options: {
  readonly cwd: string;
  readonly env?: Record<string, string>;
  readonly bin?: string;
  readonly args?: readonly string[];
  readonly timeoutMs?: number;
}): Promise<SangamProcess> {
  const child = spawn(process.execPath, [options.bin ?? sangamBin, ...(options.args ?? ['start'])], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '', SANGAM_PORT: '0', SANGAM_SCRYPT_COST: '14', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  // Drained, so a chatty log never fills the pipe and stalls the process.
  child.stdout?.resume();
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  // The listening line closes the start-up: after the demo's first polls, when there is a demo.
  const url = await waitFor(
    'the listening line',
    () => {
      if (exited) throw new Error(`sangam start exited: ${stderr}`);
      return /listening on (http:\/\/[\d.:[\]]+)/.exec(stderr)?.[1];
    },
    { timeoutMs: options.timeoutMs ?? 25_000 },
  );
  return { child, url, stderr: () => stderr };
}

/**
 * A shell line, run as a user would paste it. Asynchronous on purpose: a synchronous child would stall this
 * process's event loop, and its idle keep-alive connections to the gateway would be closed under it.
 */
export function shell(line: string): Promise<string> {
  return new Promise((done) => {
    execFile('bash', ['-c', line], { encoding: 'utf8' }, (_error, stdout) => done(stdout));
  });
}
