/**
 * For checks that something does not happen (again): waits until `probe` has not changed for
 * `quietMs`, and gives up after `timeoutMs`. Returns the settled value.
 */
export async function settled<T>(
  probe: () => T,
  { quietMs = 200, timeoutMs = 5_000, intervalMs = 20 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = probe();
  let since = Date.now();
  while (Date.now() - since < quietMs) {
    if (Date.now() > deadline) throw new Error(`still changing after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    const now = probe();
    if (now !== value) {
      value = now;
      since = Date.now();
    }
  }
  return value;
}
