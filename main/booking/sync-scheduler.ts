/**
 * When the schedule syncs by itself: main owns the timing, the renderer only says which
 * day its view shows (or that it is hidden) and when its window got the focus.
 *
 *   - while a day is watched, it is synced every `intervalMs` (MedCom's own UI: 15 s);
 *   - after a failed sync the next try waits for the backoff instead (exponential, with
 *     jitter), and a success goes back to the plain interval;
 *   - focus syncs at once;
 *   - hidden (null) stops the timer: nobody is looking, nothing to keep fresh.
 *
 * Every sync's outcome is reported here, whoever started it (a day change, Refresh, the
 * timer), so one timer decides when the next automatic sync runs. The sync itself keeps
 * "one at a time"; this module only asks.
 */
import type { Backoff } from './backoff';

export interface SyncScheduler {
  /** The day the day view shows now, or null when it is not visible. `now`: sync at once (focus). */
  watch(day: string | null, opts?: { now?: boolean }): void;
  /** The outcome of a sync of `day`, from any trigger. */
  outcome(day: string, ok: boolean): void;
  /** The day being watched (null when the view is hidden). */
  readonly watched: string | null;
  dispose(): void;
}

export function createSyncScheduler(opts: {
  /** Starts a sync of the day; its outcome comes back through outcome(). */
  run: (day: string) => void;
  intervalMs: number;
  backoff: Backoff;
}): SyncScheduler {
  let watched: string | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let disposed = false;

  function stop(): void {
    if (timer) clearTimeout(timer);
    timer = null;
  }

  function arm(delayMs: number): void {
    stop();
    if (disposed || watched === null) return;
    timer = setTimeout(() => {
      timer = null;
      if (watched !== null && !disposed) opts.run(watched);
    }, delayMs);
    // Never keep a process alive just to sync a schedule nobody may be looking at.
    timer.unref?.();
  }

  return {
    watch(day, { now = false } = {}) {
      if (disposed) return;
      if (day === null) {
        watched = null;
        stop();
        return;
      }
      const changed = day !== watched;
      watched = day;
      if (now) {
        stop();
        opts.run(day);
      } else if (changed || !timer) {
        // The view asked for this day with schedule.day, which synced it already.
        arm(opts.intervalMs);
      }
    },
    outcome(_day, ok) {
      // The service is what fails, not a day: any day's outcome moves the backoff.
      const delay = ok ? (opts.backoff.reset(), opts.intervalMs) : opts.backoff.next();
      if (watched !== null) arm(delay);
    },
    get watched() {
      return watched;
    },
    dispose() {
      disposed = true;
      watched = null;
      stop();
    },
  };
}
