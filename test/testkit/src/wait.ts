/**
 * Waits for a condition itself rather than for a guessed time: checks it every `everyMs` until it gives a value
 * (anything but `undefined`, `null` or `false`), and fails naming what was awaited when `timeoutMs` pass first. The
 * timeout only bounds a broken build, and stays under the test's own (30 s by default) so the failure names the wait.
 */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  options: { timeoutMs?: number; everyMs?: number } = {},
): Promise<T> {
  const deadline = performance.now() + (options.timeoutMs ?? 20_000);
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== null && value !== false) return value;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, options.everyMs ?? 50));
  }
}
