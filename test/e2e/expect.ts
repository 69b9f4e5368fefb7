/**
 * The specs' `expect`: Playwright's, with its waits made to check often.
 *
 * `expect.poll` checks every 50 ms unless a call says otherwise. Playwright's own default
 * backs off to one check a second (after 100, 250 and 500 ms), so a condition met 1.1 s into
 * a wait was seen at 1.85 s; across the suite's polls on frames, states and request logs that
 * was idle time in every run. A probe here is one page.evaluate or a read of a test double's
 * log: 20 a second costs nothing beside the calls it waits on.
 *
 * A waiting locator (or page) assertion, such as toBeVisible or toHaveText, runs in rounds of
 * at most 2 s until its whole timeout is spent. Playwright checks one after 0, 20, 50, 100 and
 * 100 ms and then every 500 ms, unless its timeout is under 2.5 s, when it keeps to 100 ms
 * (playwright-core's retryWithProgressAndBackoff); a state reached 300 ms into a wait was seen
 * at about 770 ms. A round that ends in a timeout is followed by the next while time is left;
 * any other failure (a strict-mode violation, say) ends the wait at once.
 */
import { expect as playwrightExpect } from '@playwright/test';

/** The suite's expect timeout (playwright.config.ts takes it from here). */
export const EXPECT_TIMEOUT_MS = 15_000;

const POLL_INTERVALS = [50];
/** Under 2.5 s, so that Playwright's backoff inside a round stays at 100 ms. */
const ROUND_MS = 2_000;

const isOptions = (value: unknown) => typeof value === 'object' && value !== null && !(value instanceof RegExp) && !Array.isArray(value);

/**
 * Where each waiting web-first matcher takes its options; a matcher not named here (one that
 * does not wait, or whose arguments could be mistaken for options) runs as Playwright's.
 */
const OPTIONS_AT: Record<string, (args: unknown[]) => number> = {
  ...Object.fromEntries(
    ['toBeAttached', 'toBeChecked', 'toBeDisabled', 'toBeEditable', 'toBeEmpty', 'toBeEnabled', 'toBeFocused', 'toBeHidden', 'toBeInViewport', 'toBeVisible'].map((name) => [name, () => 0]),
  ),
  ...Object.fromEntries(
    [
      'toHaveText',
      'toContainText',
      'toHaveCount',
      'toHaveClass',
      'toContainClass',
      'toHaveId',
      'toHaveValue',
      'toHaveValues',
      'toHaveRole',
      'toHaveAccessibleName',
      'toHaveAccessibleDescription',
      'toHaveURL',
      'toHaveTitle',
    ].map((name) => [name, () => 1]),
  ),
  // toHaveAttribute(name), (name, options), (name, value) or (name, value, options).
  toHaveAttribute: (args) => (args.length === 1 || (args.length === 2 && isOptions(args[1])) ? 1 : 2),
  toHaveCSS: () => 2,
};

type Matcher = (...args: unknown[]) => Promise<unknown>;

async function inRounds(matcher: Matcher, self: object, args: unknown[], optionsAt: number): Promise<unknown> {
  const options = (isOptions(args[optionsAt]) ? args[optionsAt] : {}) as { timeout?: number };
  const total = options.timeout ?? EXPECT_TIMEOUT_MS;
  // 0 is Playwright's "no timeout"; a short wait already polls every 100 ms.
  if (total === 0 || total <= ROUND_MS) return matcher.apply(self, args);
  const deadline = Date.now() + total;
  for (;;) {
    const round = [...args];
    while (round.length < optionsAt) round.push(undefined);
    round[optionsAt] = { ...options, timeout: Math.max(1, Math.min(ROUND_MS, deadline - Date.now())) };
    try {
      return await matcher.apply(self, round);
    } catch (error) {
      const timedOut = (error as { matcherResult?: { timeout?: unknown } }).matcherResult?.timeout !== undefined;
      if (!timedOut || Date.now() >= deadline) {
        if (timedOut && error instanceof Error) error.message += `\n(The whole wait: ${total} ms, in rounds of at most ${ROUND_MS} ms: test/e2e/expect.ts.)`;
        throw error;
      }
    }
  }
}

function inRoundsMatchers<T extends object>(matchers: T): T {
  return new Proxy(matchers, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (property === 'not') return typeof value === 'object' && value !== null ? inRoundsMatchers(value) : value;
      const optionsAt = typeof property === 'string' ? OPTIONS_AT[property] : undefined;
      if (!optionsAt || typeof value !== 'function') return value;
      return (...args: unknown[]) => inRounds(value as Matcher, target, args, optionsAt(args));
    },
  });
}

export const expect: typeof playwrightExpect = new Proxy(playwrightExpect, {
  apply(target, thisArg, args: Parameters<typeof playwrightExpect>) {
    return inRoundsMatchers(Reflect.apply(target, thisArg, args) as object);
  },
  get(target, property, receiver) {
    if (property !== 'poll') return Reflect.get(target, property, receiver);
    const poll: typeof playwrightExpect.poll = (probe, options) =>
      target.poll(probe, typeof options === 'string' ? { message: options, intervals: POLL_INTERVALS } : { intervals: POLL_INTERVALS, ...options });
    return poll;
  },
});
