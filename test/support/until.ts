/**
 * The one bounded wait of the suite's own code (the stack, fixtures, unit tests of servers):
 * polls `probe` until it answers something other than `undefined` or `false`, and answers
 * that. Specs that wait on a page use Playwright's `expect(...).toPass`/`expect.poll`
 * instead; this is for what has no page. Every loop here ends by itself (the network rule).
 */
export async function until<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  opts: { what: string; timeoutMs?: number; everyMs?: number },
): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${opts.what}`);
    await new Promise((resolve) => setTimeout(resolve, opts.everyMs ?? 25));
  }
}
