/**
 * The specs' `expect`: Playwright's, except that `expect.poll` checks every 50 ms unless a
 * call says otherwise. Playwright's own default backs off to one check a second (after 100,
 * 250 and 500 ms), so a condition met 1.1 s into a wait was seen at 1.85 s; across the
 * suite's polls on frames, states and request logs that was idle time in every run. A
 * probe here is one page.evaluate or a read of a test double's log: 20 a second costs
 * nothing beside the calls it waits on.
 */
import { expect as playwrightExpect } from '@playwright/test';

const POLL_INTERVALS = [50];

export const expect: typeof playwrightExpect = new Proxy(playwrightExpect, {
  get(target, property, receiver) {
    if (property !== 'poll') return Reflect.get(target, property, receiver);
    const poll: typeof playwrightExpect.poll = (probe, options) =>
      target.poll(probe, typeof options === 'string' ? { message: options, intervals: POLL_INTERVALS } : { intervals: POLL_INTERVALS, ...options });
    return poll;
  },
});
