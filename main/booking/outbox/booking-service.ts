/**
 * Booking, moving and cancelling visits for the day view: the requests become outbox writes,
 * the day view shows each write at once (marked as not yet confirmed), and a confirmed write
 * goes into the cached schedule right away, to be reconciled by the next sync of its day.
 *
 * Only the signed-in user's own meetings (VDX's organizedBy) may be moved or cancelled: VDX
 * would refuse the others anyway (403), and asking first spares a refusal the nurse cannot act on.
 */
import { localDay } from '../../../common/days';
import type { BookingOptions, BookingSettled, DaySchedule, MeetingView, RefusedWrite } from '../../../preload/contract';
import type { OutboxRow } from '../../cache/outbox-table';
import type { ScheduleDb } from '../../cache/schedule-db';
import { UserFacingError } from '../../core/errors';
import type { Logger } from '../../log/logger';
import type { BookedMeeting } from '../booking-source';
import { createBackoff } from '../backoff';
import { createOutbox, type Outbox } from './outbox';
import type { BookingWriter } from './vdx-writes';
import type { BookingWrite, ConfirmedMeeting } from './write-types';

/** More than a nurse books in a week offline; past it something is wrong: say so, keep what is queued. */
const MAX_QUEUED = 200;

export interface BookingService {
  options(): Promise<BookingOptions>;
  book(request: { meetingId: string; subject: string; startTime: string; endTime: string; templateId?: number }): void;
  move(request: { meetingId: string; startTime: string; endTime: string }): void;
  cancel(meetingId: string): void;
  dismiss(seq: number): void;
  /** The day as the view should show it: the cached day with this console's unconfirmed writes on top. */
  present(schedule: DaySchedule): DaySchedule;
  /** Signed out or quitting: no further attempt (the queued writes stay in the database). */
  stop(): Promise<void>;
  /** Resolves when nothing is queued (tests, the bench). */
  idle(): Promise<void>;
  /**
   * Where a booking made here stands, waiting up to `waitMs` for the booking system to
   * confirm or refuse it: "booked" only once it confirmed (the meeting is in the cache then).
   */
  settled(meetingId: string, waitMs: number): Promise<BookingSettled>;
  /** Writes not yet sent (queued or in flight; refusals not counted). */
  unsent(): number;
  /** Before a sign-out: each unsent write is tried once more now (bounded); resolves with what is still unsent. */
  sendNow(maxWaitMs: number): Promise<number>;
}

export function createBookingService(opts: {
  db: ScheduleDb;
  writer: BookingWriter;
  log: Logger;
  /** The signed-in user's e-mail, lower case (VDX's organizedBy). */
  me: () => string | null;
  /** These days look different now: push them to the window. */
  onDaysChanged: (days: string[]) => void;
  /** A confirmed write changed this day: sync it to reconcile with the booking system. */
  reconcile: (day: string) => void;
}): BookingService {
  const { db, log } = opts;
  let templates: BookingOptions | null = null;

  const dayOf = (iso: string) => localDay(new Date(iso));

  /** The days a write shows on: its meeting's day before and after. */
  function daysOf(write: BookingWrite): string[] {
    const days = new Set<string>();
    const cached = db.meeting(write.meetingId);
    if (cached) days.add(dayOf(cached.startTime));
    if (write.kind !== 'delete') days.add(dayOf(write.meeting.startTime));
    return [...days];
  }

  /** A confirmed write into the cache at once: the view shows VDX's answer before the next sync. */
  function applyConfirmed(write: BookingWrite, meeting: ConfirmedMeeting | null): void {
    const days = daysOf(write);
    if (write.kind === 'delete') db.removeMeeting(write.meetingId);
    else {
      const before = db.meeting(write.meetingId);
      const startTime = meeting?.startTime ?? new Date(write.meeting.startTime).toISOString();
      const endTime = meeting?.endTime ?? new Date(write.meeting.endTime).toISOString();
      const booked: BookedMeeting = {
        id: write.meetingId,
        // Empty: the next sync asks for the room's details of this meeting again.
        version: '',
        shortId: meeting?.shortId ?? before?.shortId ?? '',
        subject: write.meeting.subject,
        startTime,
        endTime,
        // The room's lead time comes with its details at the next sync; until then no Join.
        joinOpensAt: startTime,
        ...(opts.me() ? { organizer: opts.me()! } : {}),
        room: null,
      };
      db.putMeeting(dayOf(startTime), booked);
      days.push(dayOf(startTime));
    }
    const unique = [...new Set(days)];
    opts.onDaysChanged(unique);
    for (const day of unique) opts.reconcile(day);
  }

  /** settled()'s waits: each looks again whenever a write changed state. */
  let watchers: (() => void)[] = [];
  function wakeWatchers(): void {
    for (const w of [...watchers]) w();
  }

  const outbox: Outbox = createOutbox({
    table: db.outbox,
    writer: opts.writer,
    log,
    backoff: createBackoff({ baseMs: 2_000, maxMs: 5 * 60_000 }),
    onConfirmed: applyConfirmed,
    onChange: () => {
      opts.onDaysChanged(changedDays());
      wakeWatchers();
    },
  });

  /** A booking's state now, or null while it waits to be sent (or is being sent). */
  function standing(meetingId: string): BookingSettled | null {
    const id = meetingId.toLowerCase();
    const row = outbox.rows().find((r) => r.write.kind === 'create' && r.write.meetingId === id);
    if (row?.state === 'refused') return { state: 'refused', ...(row.refusal ? { reason: row.refusal.code, status: row.refusal.status } : {}) };
    if (row) return null;
    if (db.meeting(id)) return { state: 'booked' };
    throw new UserFacingError('appointment-not-found');
  }
  outbox.start();

  /** Every day a queued or refused write touches (a change to any of them may show there). */
  function changedDays(): string[] {
    return [...new Set(outbox.rows().flatMap((r) => daysOf(r.write)))];
  }

  function enqueue(write: BookingWrite): void {
    if (outbox.rows().filter((r) => r.state !== 'refused').length >= MAX_QUEUED) throw new UserFacingError('booking-outbox-full');
    outbox.enqueue(write);
  }

  function ownMeeting(meetingId: string): BookedMeeting | { subject: string } {
    const cached = db.meeting(meetingId);
    if (cached) {
      if (cached.organizer !== opts.me()) throw new UserFacingError('booking-not-mine');
      return cached;
    }
    // Booked here and not confirmed yet: its create is in the outbox.
    const created = outbox.rows().find((r) => r.write.kind === 'create' && r.write.meetingId === meetingId && r.state !== 'refused');
    if (created && created.write.kind === 'create') return created.write.meeting;
    throw new UserFacingError('appointment-not-found');
  }

  function refusedOf(row: OutboxRow): RefusedWrite | null {
    if (row.state !== 'refused' || !row.refusal) return null;
    const w = row.write;
    const startTime = w.kind === 'delete' ? (db.meeting(w.meetingId)?.startTime ?? row.createdAt) : new Date(w.meeting.startTime).toISOString();
    return { seq: row.seq, kind: KIND[w.kind], startTime, reason: row.refusal.code, status: row.refusal.status };
  }

  return {
    async options() {
      // Once per session: templates change when IT changes VDX, not during a shift.
      if (!templates || templates.canBook === 'unreachable') templates = await opts.writer.options();
      return templates;
    },
    book(request) {
      enqueue({
        kind: 'create',
        meetingId: request.meetingId.toLowerCase(),
        meeting: {
          subject: request.subject,
          startTime: request.startTime,
          endTime: request.endTime,
          ...(request.templateId !== undefined ? { schedulingTemplateId: request.templateId } : {}),
        },
      });
    },
    move(request) {
      const meeting = ownMeeting(request.meetingId);
      enqueue({ kind: 'update', meetingId: request.meetingId, meeting: { subject: meeting.subject, startTime: request.startTime, endTime: request.endTime } });
    },
    cancel(meetingId) {
      ownMeeting(meetingId);
      enqueue({ kind: 'delete', meetingId });
    },
    dismiss(seq) {
      if (outbox.dismiss(seq)) opts.onDaysChanged(changedDays());
    },
    present(schedule) {
      const rows = outbox.rows();
      const refused = rows.map(refusedOf).filter((r): r is RefusedWrite => r !== null);
      const pending = rows.filter((r) => r.state !== 'refused');
      if (pending.length === 0 && refused.length === 0) return schedule;
      let meetings = [...schedule.meetings];
      for (const { write } of pending) meetings = overlay(meetings, write, schedule.day, dayOf, db);
      meetings.sort((a, b) => Date.parse(a.startTime) - Date.parse(b.startTime) || a.id.localeCompare(b.id));
      return { ...schedule, meetings, ...(refused.length ? { refused } : {}) };
    },
    stop: () => outbox.stop(),
    idle: () => outbox.idle(),
    async settled(meetingId, waitMs) {
      const now = standing(meetingId);
      if (now) return now;
      return new Promise<BookingSettled>((resolve, reject) => {
        const done = (answer: BookingSettled | Error) => {
          clearTimeout(timer);
          watchers = watchers.filter((w) => w !== look);
          if (answer instanceof Error) reject(answer);
          else resolve(answer);
        };
        const look = () => {
          try {
            const state = standing(meetingId);
            if (state) done(state);
          } catch (error) {
            done(error as Error);
          }
        };
        const timer = setTimeout(() => done({ state: 'waiting' }), waitMs);
        watchers.push(look);
      });
    },
    unsent: () => outbox.rows().filter((r) => r.state !== 'refused').length,
    async sendNow(maxWaitMs) {
      await outbox.sendNow(maxWaitMs);
      return outbox.rows().filter((r) => r.state !== 'refused').length;
    },
  };
}

const KIND = { create: 'book', update: 'move', delete: 'cancel' } as const;

/** One unconfirmed write over the day's rows (in the order the user made them). */
function overlay(meetings: MeetingView[], write: BookingWrite, day: string, dayOf: (iso: string) => string, db: ScheduleDb): MeetingView[] {
  const at = meetings.findIndex((m) => m.id === write.meetingId);
  if (write.kind === 'delete') {
    if (at >= 0) meetings[at] = { ...meetings[at]!, pending: 'cancel', joinable: false };
    return meetings;
  }
  const startTime = new Date(write.meeting.startTime).toISOString();
  const endTime = new Date(write.meeting.endTime).toISOString();
  const base = at >= 0 ? meetings[at]! : null;
  const rest = at >= 0 ? meetings.filter((_, i) => i !== at) : meetings;
  if (dayOf(startTime) !== day) return rest;
  const shortId = base?.shortId ?? db.meeting(write.meetingId)?.shortId ?? '';
  return [
    ...rest,
    {
      id: write.meetingId,
      shortId,
      subject: write.meeting.subject,
      startTime,
      endTime,
      joinOpensAt: startTime,
      joinable: false,
      mine: true,
      pending: base?.pending === 'book' || write.kind === 'create' ? 'book' : 'move',
    },
  ];
}
