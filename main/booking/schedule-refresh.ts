/**
 * One sync of the schedule against the booking source and the cache (schedule-refresh.ts decides
 * what a sync writes and reports; sync-timing.ts decides when syncs run).
 *
 * Reads (`day`) come from the cache and never touch the network: only `refresh` syncs, and
 * only the sync timing (sync-timing.ts) and explicit user actions call it. One sync runs
 * at a time. `onChanged` carries the new day, and fires only when what the day view shows
 * really changed: the meetings, the sync state or its problem, or the minute of the last
 * sync ("last synced 09:41"). A failed or invalid fetch never touches the cached rows: only
 * a complete, validated fetch of a day replaces that day.
 */
import { localDay } from '../../common/days';
import { errorInfo } from '../../common/errors';
import type { DaySchedule, SyncState } from '../../preload/contract';
import { DEFAULT_RETENTION, inWindow, retentionWindow, type RetentionPolicy } from '../cache/retention';
import type { CachedDay, ScheduleDb } from '../cache/schedule-db';
import { UserFacingError } from '../core/errors';
import type { Logger } from '../log/logger';
import { BookingError, invitableRoom, type BookedMeeting, type BookingSource } from './booking-source';

export interface ScheduleSync {
  /** The cached day now. Starts nothing. */
  day(day: string): DaySchedule;
  /** Syncs the day (after any sync under way) and returns the result. */
  refresh(day: string): Promise<DaySchedule>;
  /** Waits for the sync under way, if any (used at sign-out and shutdown). */
  idle(): Promise<void>;
  /** The user has read the notice (e.g. that the offline copy was rebuilt). */
  dismissNotice(): void;
}

type Problem = Pick<SyncState, 'state' | 'problem'>;

export function createScheduleSync(opts: {
  db: ScheduleDb;
  source: BookingSource;
  log: Logger;
  /** The day's meetings or sync state changed: the new day, as `day()` would answer it. */
  onChanged: (schedule: DaySchedule) => void;
  /** Every sync's outcome (the scheduler times the next automatic sync from it). */
  onOutcome?: (day: string, ok: boolean) => void;
  now?: () => Date;
  /** Days kept in the database; days outside are fetched and shown but only kept in memory. */
  retention?: RetentionPolicy;
  /** The database was unreadable at open and started afresh: tell the user until dismissed. */
  recovered?: boolean;
  /** Who is signed in (lower-case e-mail): their own meetings are marked `mine`. */
  me?: () => string | null;
}): ScheduleSync {
  const { db, source, log } = opts;
  const now = opts.now ?? (() => new Date());
  const retention = opts.retention ?? DEFAULT_RETENTION;
  let notice: DaySchedule['notice'] = opts.recovered ? 'cache-rebuilt' : undefined;
  const states = new Map<string, Problem>();
  /** Days outside the retention window, as last fetched: shown, never written to disk. */
  const transient = new Map<string, CachedDay>();
  const keptWindow = () => retentionWindow(localDay(now()), retention);

  function purge(): void {
    const { from, to } = keptWindow();
    const removed = db.purgeOutside(from, to);
    if (removed > 0) log.info(`sync: purged ${removed} cached meeting(s) outside ${from}..${to}`);
  }
  purge();
  let chain: Promise<unknown> = Promise.resolve();
  const pending = new Map<string, Promise<DaySchedule>>();

  function cached(day: string): CachedDay {
    return inWindow(day, keptWindow())
      ? db.readDay(day)
      : (transient.get(day) ?? { meetings: [], lastSyncedAt: null, invalidCount: 0 });
  }

  function view(day: string, c: CachedDay = cached(day)): DaySchedule {
    const state = states.get(day) ?? { state: c.lastSyncedAt ? 'ok' : 'never' };
    return {
      day,
      meetings: c.meetings.map((m) => toView(m, opts.me?.() ?? null)),
      sync: { ...state, lastSyncedAt: c.lastSyncedAt, invalidCount: c.invalidCount },
      ...(notice ? { notice } : {}),
    };
  }

  /** One sync of a day; returns the day as it is afterwards (the cache is read once). */
  async function syncDay(day: string): Promise<DaySchedule> {
    const previous = cached(day);
    const before = view(day, previous);
    let current: CachedDay = previous;
    let ok = false;
    try {
      const known = new Map(previous.meetings.map((m) => [m.id, m]));
      const fetched = await source.fetchDay(day, { known });
      const syncedAt = now().toISOString();
      // A meeting that came back unreadable still exists upstream: keep its last good
      // copy rather than let one bad record make an appointment vanish.
      const unreadable = new Set(fetched.invalid);
      const kept = unreadable.size ? previous.meetings.filter((m) => unreadable.has(m.id)) : [];
      // In the order the database reads them back, so the day is the same either way.
      const meetings = [...fetched.meetings, ...kept].sort(byStart);
      current = { meetings, lastSyncedAt: syncedAt, invalidCount: fetched.invalid.length };
      if (inWindow(day, keptWindow())) {
        db.writeDay(day, meetings, syncedAt, fetched.invalid.length);
        purge();
      } else {
        // Keep only the few most recently looked-at days outside the window.
        transient.delete(day);
        transient.set(day, current);
        for (const old of [...transient.keys()].slice(0, -3)) transient.delete(old);
      }
      states.set(day, { state: 'ok' });
      ok = true;
    } catch (error) {
      states.set(day, describeFailure(error));
      log.warn(`sync: ${day} not updated: ${states.get(day)?.state}`, error);
    }
    opts.onOutcome?.(day, ok);
    const after = view(day, current);
    if (shownDiffers(before, after)) opts.onChanged(after);
    return after;
  }

  /** Queues a sync of the day unless one is already queued; returns the day after it ran. */
  function schedule(day: string): Promise<DaySchedule> {
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
    day: view,
    refresh: schedule,
    async idle() {
      await chain;
    },
    dismissNotice() {
      notice = undefined;
    },
  };
}

/**
 * Whether the day view would show something else: the sync time counts to the minute it
 * displays. Compared field by field (a busy day has thousands of meetings, and this runs
 * after every sync): no copy of the day is serialised.
 */
function shownDiffers(a: DaySchedule, b: DaySchedule): boolean {
  return (
    a.sync.state !== b.sync.state ||
    a.sync.invalidCount !== b.sync.invalidCount ||
    a.notice !== b.notice ||
    a.sync.lastSyncedAt?.slice(0, 16) !== b.sync.lastSyncedAt?.slice(0, 16) ||
    !samePlain(a.sync.problem, b.sync.problem) ||
    a.meetings.length !== b.meetings.length ||
    a.meetings.some((m, i) => !samePlain(m, b.meetings[i]))
  );
}

/** Deep equality of JSON-like values (what the view is made of), keys in any order; an absent key equals undefined. */
function samePlain(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(ra), ...Object.keys(rb)]);
  for (const k of keys) if (!samePlain(ra[k], rb[k])) return false;
  return true;
}

function describeFailure(error: unknown): Problem {
  if (error instanceof BookingError) {
    const state = error.kind === 'offline' || error.kind === 'timeout' ? 'offline' : 'error';
    return { state, problem: error.info };
  }
  if (error instanceof UserFacingError) return { state: 'error', problem: error.info };
  // MSAL's network failures while renewing a token mean we are offline, not signed out.
  return { state: 'offline', problem: errorInfo('booking-offline') };
}

/** ORDER BY start_time, id, as SQLite compares text (ISO instants sort as they fall). */
function byStart(a: BookedMeeting, b: BookedMeeting): number {
  return compare(a.startTime, b.startTime) || compare(a.id, b.id);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function toView(m: BookedMeeting, me: string | null) {
  const mine = !!me && m.organizer === me;
  return {
    ...(mine ? { mine: true } : {}),
    ...(mine && invitableRoom(m) ? { invitable: true } : {}),
    id: m.id,
    shortId: m.shortId,
    subject: m.subject,
    startTime: m.startTime,
    endTime: m.endTime,
    joinOpensAt: m.joinOpensAt,
    joinable: m.room !== null,
  };
}
