/** A mistake in how the command was called: reported in one line with what is accepted, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A command that cannot do what was asked (a missing database, a port in use): one line, exit code 1. */
export class CommandError extends Error {
  override readonly name = 'CommandError';
}
