/**
 * What idle time costs, counted per interval instead of per real minute: the console runs
 * with a short sync interval (the fixture's `syncIntervalMs`; the product's is 15 s), and a
 * cost test lets a few intervals pass and compares what the servers received with the budget
 * for that many intervals.
 *
 * Why the budget holds on a busy machine and a doubled poll still breaks it: the console
 * starts a sync (or a waiting round) at least one interval after the previous one, and load
 * only makes them later, never sooner. In a window of `elapsed` ms at most
 * floor(elapsed / interval) + 1 can start; one more is allowed for timer and arrival jitter
 * (a request that is slow to arrive, then one on time). A test waits until it has seen
 * `INTERVALS` of them and reads the budget then: a console that polls twice per interval gets
 * there in about half the time, when the budget is about INTERVALS / 2 + 2, below INTERVALS.
 */

/** The interval the cost tests run the console with: long enough for a sync and a round on a loaded machine. */
export const SHORT_INTERVAL_MS = 2_000;

/** How many intervals a cost test watches (over 4, so a doubled poll is always over the budget). */
export const INTERVALS = 6;

/** A window of idle time opened now. */
export function costWindow(intervalMs: number) {
  const opened = Date.now();
  return {
    elapsedMs: () => Date.now() - opened,
    /** The most requests a client allowed `perInterval` each interval may have sent since the window opened. */
    budget: (perInterval = 1) => perInterval * (Math.floor((Date.now() - opened) / intervalMs) + 2),
  };
}
