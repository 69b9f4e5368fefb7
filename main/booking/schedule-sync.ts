/**
 * Keeps the cached schedule in step with the booking source.
 *
 * Reads come from the cache at once; a sync runs behind them and pushes
 * `schedule.changed` when the day was rewritten or its sync state changed. One sync runs
 * at a time. A failed or invalid fetch never touches the cached rows: only a complete,
 * validated fetch of a day replaces that day.
 */
import type { DaySchedule, SyncState } from '../../preload/contract';
import type { ScheduleDb } from '../cache/schedule-db';
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
}

export function createScheduleSync(opts: {
  db: ScheduleDb;
  source: BookingSource;
  log: Logger;
  onChanged: (day: string) => void;
  now?: () => Date;
}): ScheduleSync {
  const { db, source, log } = opts;
  const now = opts.now ?? (() => new Date());
  const states = new Map<string, Pick<SyncState, 'state' | 'message'>>();
  let chain: Promise<void> = Promise.resolve();
  const pending = new Map<string, Promise<void>>();

  function view(day: string): DaySchedule {
    const cached = db.readDay(day);
    const state = states.get(day) ?? { state: cached.lastSyncedAt ? 'ok' : 'never' };
    return {
      day,
      meetings: cached.meetings.map(toView),
      sync: { ...state, lastSyncedAt: cached.lastSyncedAt, invalidCount: cached.invalidCount },
    };
  }

  async function syncDay(day: string): Promise<void> {
    const before = JSON.stringify(states.get(day));
    try {
      const fetched = await source.fetchDay(day);
      db.writeDay(day, fetched.meetings, now().toISOString(), fetched.invalid.length);
      states.set(day, { state: 'ok' });
      opts.onChanged(day);
      return;
    } catch (error) {
      states.set(day, describeFailure(error));
      log.warn(`sync: ${day} not updated: ${states.get(day)?.state}`, error);
    }
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
