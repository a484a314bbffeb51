/**
 * Polls a condition until it holds. Tests wait for an observable state,
 * never for a fixed time; the deadline only bounds a failing test.
 */
export async function eventually<T>(
  check: () => T | Promise<T>,
  { timeout = 10_000, every = 20, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeout;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== false && value !== undefined && value !== null)
        return value;
      last = value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      const detail =
        last instanceof Error ? last.message : JSON.stringify(last);
      throw new Error(`timed out waiting for ${what}; last: ${detail}`);
    }
    await new Promise((resolve) => setTimeout(resolve, every));
  }
}
