/**
 * Keeps the cached schedule in step with the booking source.
 *
 * Reads come from the cache at once; a sync runs behind them and pushes
 * `schedule.changed` when the day was rewritten or its sync state changed. One sync runs
 * at a time. A failed or invalid fetch never touches the cached rows: only a complete,
 * validated fetch of a day replaces that day.
 */
import { localDay } from '../../common/days';
import type { DaySchedule, SyncState } from '../../preload/contract';
import { DEFAULT_RETENTION, inWindow, retentionWindow, type RetentionPolicy } from '../cache/retention';
import type { CachedDay, ScheduleDb } from '../cache/schedule-db';
import { UserFacingError } from '../core/errors';
import type { Logger } from '../log/logger';
import { BookingError, type BookedMeeting, type BookingSource } from './booking-source';

export interface ScheduleSync {
  /** The cached day now; starts a sync of it in the background. */
  day(day: string): DaySchedule;
  /** Syncs the day (waiting for any sync under way first) and returns the result. */
  refresh(day: string): Promise<DaySchedule>;
  /** Waits for the sync under way, if any (used at sign-out and shutdown). */
  idle(): Promise<void>;
  /** The user has read the notice (e.g. that the offline copy was rebuilt). */
  dismissNotice(): void;
}

export function createScheduleSync(opts: {
  db: ScheduleDb;
  source: BookingSource;
  log: Logger;
  onChanged: (day: string) => void;
  /** Every sync's outcome (the scheduler times the next automatic sync from it). */
  onOutcome?: (day: string, ok: boolean) => void;
  now?: () => Date;
  /** Days kept in the database; days outside are fetched and shown but only kept in memory. */
  retention?: RetentionPolicy;
  /** The database was unreadable at open and started afresh: tell the user until dismissed. */
  recovered?: boolean;
}): ScheduleSync {
  const { db, source, log } = opts;
  const now = opts.now ?? (() => new Date());
  const retention = opts.retention ?? DEFAULT_RETENTION;
  let notice: DaySchedule['notice'] = opts.recovered ? 'cache-rebuilt' : undefined;
  const states = new Map<string, Pick<SyncState, 'state' | 'message'>>();
  /** Days outside the retention window, as last fetched: shown, never written to disk. */
  const transient = new Map<string, CachedDay>();
  const keptWindow = () => retentionWindow(localDay(now()), retention);

  function purge(): void {
    const { from, to } = keptWindow();
    const removed = db.purgeOutside(from, to);
    if (removed > 0) log.info(`sync: purged ${removed} cached meeting(s) outside ${from}..${to}`);
  }
  purge();
  let chain: Promise<void> = Promise.resolve();
  const pending = new Map<string, Promise<void>>();

  function view(day: string): DaySchedule {
    const cached = inWindow(day, keptWindow())
      ? db.readDay(day)
      : (transient.get(day) ?? { meetings: [], lastSyncedAt: null, invalidCount: 0 });
    const state = states.get(day) ?? { state: cached.lastSyncedAt ? 'ok' : 'never' };
    return {
      day,
      meetings: cached.meetings.map(toView),
      sync: { ...state, lastSyncedAt: cached.lastSyncedAt, invalidCount: cached.invalidCount },
      ...(notice ? { notice } : {}),
    };
  }

  async function syncDay(day: string): Promise<void> {
    const before = JSON.stringify(states.get(day));
    try {
      const fetched = await source.fetchDay(day);
      const syncedAt = now().toISOString();
      if (inWindow(day, keptWindow())) {
        // A meeting that came back unreadable still exists upstream: keep its last good
        // copy rather than let one bad record make an appointment vanish.
        const unreadable = new Set(fetched.invalid);
        const kept = unreadable.size ? db.readDay(day).meetings.filter((m) => unreadable.has(m.id)) : [];
        const meetings = kept.length ? [...fetched.meetings, ...kept].sort(byStart) : fetched.meetings;
        db.writeDay(day, meetings, syncedAt, fetched.invalid.length);
        purge();
      } else {
        // Keep only the few most recently looked-at days outside the window.
        transient.delete(day);
        transient.set(day, { meetings: fetched.meetings, lastSyncedAt: syncedAt, invalidCount: fetched.invalid.length });
        for (const old of [...transient.keys()].slice(0, -3)) transient.delete(old);
      }
      states.set(day, { state: 'ok' });
      opts.onOutcome?.(day, true);
      opts.onChanged(day);
      return;
    } catch (error) {
      states.set(day, describeFailure(error));
      log.warn(`sync: ${day} not updated: ${states.get(day)?.state}`, error);
    }
    opts.onOutcome?.(day, false);
    if (JSON.stringify(states.get(day)) !== before) opts.onChanged(day);
  }

  /** Queues a sync of the day unless one is already queued; returns when it has run. */
  function schedule(day: string): Promise<void> {
    const queued = pending.get(day);
    if (queued) return queued;
    const run = chain.then(() => {
      pending.delete(day);
      return syncDay(day);
    });
    pending.set(day, run);
    chain = run;
    return run;
  }

  return {
    day(day) {
      void schedule(day);
      return view(day);
    },
    async refresh(day) {
      await schedule(day);
      return view(day);
    },
    async idle() {
      await chain;
    },
    dismissNotice() {
      notice = undefined;
    },
  };
}

function describeFailure(error: unknown): Pick<SyncState, 'state' | 'message'> {
  if (error instanceof BookingError) {
    if (error.kind === 'offline' || error.kind === 'timeout') return { state: 'offline', message: error.message };
    return { state: 'error', message: error.message };
  }
  if (error instanceof UserFacingError) return { state: 'error', message: error.message };
  // MSAL's network failures while renewing a token mean we are offline, not signed out.
  return { state: 'offline', message: 'The booking service cannot be reached.' };
}

function byStart(a: BookedMeeting, b: BookedMeeting): number {
  return Date.parse(a.startTime) - Date.parse(b.startTime) || a.id.localeCompare(b.id);
}

function toView(m: BookedMeeting) {
  return {
    id: m.id,
    shortId: m.shortId,
    subject: m.subject,
    startTime: m.startTime,
    endTime: m.endTime,
    joinOpensAt: m.joinOpensAt,
    joinable: m.room !== null,
  };
}
