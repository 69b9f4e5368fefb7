/**
 * When the schedule syncs by itself: main owns the timing, the renderer only says which
 * day its view shows (or that it is hidden) and when its window got the focus. Reading a
 * day never syncs it; these are the only automatic triggers:
 *
 *   - a day starts being watched (the view opened, showed another day, became visible):
 *     sync it at once;
 *   - while it stays watched, every `intervalMs` after the last sync (MedCom's own UI: 15 s);
 *   - after a failed sync the next try waits for the backoff instead (exponential, with
 *     jitter), and a success goes back to the plain interval;
 *   - focus: at once, unless a sync is under way or one ended within `focusGapMs` (a
 *     clinician switching windows back and forth costs nothing);
 *   - hidden (null) stops the timer: nobody is looking, nothing to keep fresh.
 *
 * Every sync's outcome is reported here, whoever started it (Refresh, a deep link, the
 * timer), so one timer decides when the next automatic sync runs. The sync itself keeps
 * "one at a time"; this module only asks.
 */
import type { Backoff } from './backoff';

export interface SyncScheduler {
  /** The day the day view shows now, or null when it is not visible. `now`: the window got the focus. */
  watch(day: string | null, opts?: { now?: boolean }): void;
  /** The outcome of a sync of `day`, from any trigger. */
  outcome(day: string, ok: boolean): void;
  /** The day being watched (null when the view is hidden). */
  readonly watched: string | null;
  dispose(): void;
}

/** A focus within this long of the last sync's end does not sync again. */
export const FOCUS_GAP_MS = 5_000;

export function createSyncScheduler(opts: {
  /** Starts a sync of the day; its outcome comes back through outcome(). */
  run: (day: string) => void;
  intervalMs: number;
  backoff: Backoff;
  focusGapMs?: number;
}): SyncScheduler {
  const focusGapMs = opts.focusGapMs ?? FOCUS_GAP_MS;
  let watched: string | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let disposed = false;
  /**
   * A sync this scheduler asked for has not reported back yet. A flag, not a count: the sync
   * folds a request for a day already queued into that one (one outcome for two asks), and a
   * count then never came back to zero, and the timer was never armed again (seen in CI: a
   * watched day stopped syncing, and the waiting badge with it). Any outcome clears it.
   */
  let inFlight = false;
  let lastOutcomeAt = -Infinity;

  function stop(): void {
    if (timer) clearTimeout(timer);
    timer = null;
  }

  function runNow(day: string): void {
    stop();
    inFlight = true;
    opts.run(day);
  }

  function arm(delayMs: number): void {
    stop();
    if (disposed || watched === null) return;
    timer = setTimeout(() => {
      timer = null;
      if (watched !== null && !disposed) runNow(watched);
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
      if (changed) runNow(day);
      else if (now && !inFlight && Date.now() - lastOutcomeAt >= focusGapMs) runNow(day);
      else if (!timer && !inFlight) arm(opts.intervalMs);
    },
    outcome(_day, ok) {
      inFlight = false;
      lastOutcomeAt = Date.now();
      // The service is what fails, not a day: any day's outcome moves the backoff. The timer
      // counts from the latest outcome, so syncs stay an interval apart however they ended.
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
