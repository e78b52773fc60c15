import { SangamError } from '@sangam/client';
import { ConfigError, DxError } from '@sangam/core';
import { WitnessRefusal } from './commands/audit-remote.js';
import { CommandError, UsageError } from './usage.js';

/**
 * Runs a command line's work and ends the process as a person expects: one line that says what went wrong and
 * what is accepted, with an exit code by kind (2 usage or settings, 1 failure, 3 a witness's refusal); a stack
 * only for a bug. Every `sangam` binary ends this way.
 */
export function runCommand(work: (argv: string[]) => Promise<void>): void {
  work(process.argv.slice(2)).catch((error: unknown) => {
    // A person gets one line that says what went wrong and what is accepted; a stack only for a bug.
    const fail = (line: string, code: number) => {
      process.stderr.write(`sangam: ${line}\n`);
      process.exit(code);
    };
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    if (error instanceof UsageError) return fail(`${error.message} (sangam --help shows the usage)`, 2);
    if ((error as { code?: unknown }).code === 'EADDRINUSE') {
      const { address, port } = error as { address?: string; port?: number };
      return fail(
        `port ${port ?? ''} on ${address ?? 'this machine'} is in use: stop what listens there, or set SANGAM_PORT to another port (0 picks a free one)`,
        1,
      );
    }
    if (error instanceof CommandError) return fail(error.message, 1);
    // A witness that caught the gateway rewriting its history says so as loudly as a command can.
    if (error instanceof WitnessRefusal) return fail(`REFUSED: ${error.message}`, 3);
    if (error instanceof SangamError) return fail(`the gateway refused: ${error.message}`, 1);
    if (
      (error as { code?: unknown }).code === 'ECONNREFUSED' ||
      (error instanceof TypeError && /fetch failed/.test(error.message))
    ) {
      return fail(`cannot reach the gateway: ${(error as Error).message}`, 1);
    }
    if (error instanceof DxError) return fail(error.detail, 1);
    process.stderr.write(
      `sangam: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  });
}
