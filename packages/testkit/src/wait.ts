/**
 * Waits for a condition itself rather than for a guessed time: checks it every `everyMs` until it holds, and fails
 * naming what was awaited (and the last value seen) when `timeoutMs` pass first. The timeout is only a bound for a
 * broken build; a passing run never waits for it.
 */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  options: { timeoutMs?: number; everyMs?: number } = {},
): Promise<T> {
  const deadline = performance.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, options.everyMs ?? 50));
  }
}
