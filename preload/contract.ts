/**
 * The bridge contract: the one list of what may cross between the renderer and main.
 *
 * Every request channel names its request schema, its response schema and which windows
 * may call it; every event names its payload schema. The preload exposes exactly this (no
 * raw ipcRenderer), main validates sender and payload again, and the browser host bridges
 * the same list. Nothing else crosses.
 *
 * This file is imported by main, the preload and the renderer, so it holds only schemas
 * and plain types: no Node, no DOM, no Electron.
 */
import { z } from 'zod';
import { GuestRole } from '../call/common/call-model';
import { callChannels, callEvents, LateRequest, LateResult } from '../call/common/call-contract';
import { channel, Empty, Ok } from '../common/bridge-channel';
import { Diagnostics } from '../common/diagnostics';
import { ReadinessReport } from '../common/readiness';
import { ErrorInfo } from '../common/errors';
import { MAX_WINDOW_LOG_CHARS, WINDOW_LOG_LEVELS, WINDOW_LOG_SOURCE } from '../common/window-log';

export { ErrorCode, ErrorInfo } from '../common/errors';
export { WindowKind } from '../common/bridge-channel';
export { Diagnostics } from '../common/diagnostics';
export { ReadinessReport } from '../common/readiness';
export { AfterCall, CallDevices, Invitation, LATE_MINUTES, LateResult, ScreenSource, ServerCheck, ShareSources } from '../call/common/call-contract';

/** A calendar day in the workstation's time zone, as YYYY-MM-DD. */
export const IsoDay = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'expected a day as YYYY-MM-DD');
export type IsoDay = z.infer<typeof IsoDay>;

const IsoDateTime = z.iso.datetime({ offset: true });

export const Account = z.object({
  name: z.string(),
  username: z.string(),
});
export type Account = z.infer<typeof Account>;

export const AuthState = z.discriminatedUnion('status', [
  z.object({ status: z.literal('signed-out') }),
  /** A browser sign-in is under way; `account` when it renews a cached account (the day view stays). */
  z.object({ status: z.literal('signing-in'), account: Account.optional() }),
  /** The cached account's sign-in no longer renews: the day view stays, with a prompt to sign in again. */
  z.object({ status: z.literal('needs-sign-in'), account: Account }),
  z.object({ status: z.literal('signed-in'), account: Account }),
]);
export type AuthState = z.infer<typeof AuthState>;

/**
 * One appointment as the day view sees it. No PINs, no room address: those go only to
 * the call window, in its join ticket.
 */
export const MeetingView = z.object({
  id: z.uuid(),
  shortId: z.string(),
  subject: z.string(),
  startTime: IsoDateTime,
  endTime: IsoDateTime,
  /** When the room opens for joining: startTime minus the VMR's availability lead. */
  joinOpensAt: IsoDateTime,
  /** False when the booking system has not provisioned a room (nothing to join). */
  joinable: z.boolean(),
  /** Organised by the signed-in user: they may move and cancel it. */
  mine: z.boolean().optional(),
  /** The user's own meeting whose room address VDX has given (set up or not yet): a guest can be invited. */
  invitable: z.boolean().optional(),
  /**
   * A write of this console the booking system has not confirmed yet (the outbox): a booking
   * or a move waiting to be sent, or a cancel. Absent: the row is what the booking system has.
   */
  pending: z.enum(['book', 'move', 'cancel']).optional(),
});
export type MeetingView = z.infer<typeof MeetingView>;

/** A write the booking system refused for good: shown with its reason until the user dismisses it. */
export const RefusedWrite = z.object({
  seq: z.int().positive(),
  kind: z.enum(['book', 'move', 'cancel']),
  /** When the meeting was (or was to be): the user recognises it by its time, never by a name. */
  startTime: IsoDateTime,
  reason: z.enum(['invalid', 'forbidden', 'gone', 'room-ready', 'conflict']),
  status: z.int(),
});
export type RefusedWrite = z.infer<typeof RefusedWrite>;

/** What the booking dialog may offer: whether this account may book, and the organisation's templates. */
export const BookingOptions = z.object({
  /** no-rights: the booking system refused this account (403); unreachable: try again later. */
  canBook: z.enum(['yes', 'no-rights', 'unreachable']),
  templates: z
    .array(z.object({ id: z.int(), isDefault: z.boolean(), maxParticipants: z.int(), roomOpensMinutesBefore: z.int() }))
    .max(100),
});
export type BookingOptions = z.infer<typeof BookingOptions>;

/** A visit to book: the console picks its uuid, so a second click is the same booking. */
const BookRequest = z
  .object({
    meetingId: z.uuid(),
    subject: z.string().trim().min(1).max(100),
    startTime: IsoDateTime,
    endTime: IsoDateTime,
    templateId: z.int().positive().optional(),
  })
  .strict()
  .refine((r) => Date.parse(r.endTime) > Date.parse(r.startTime), { message: 'endTime must be after startTime', path: ['endTime'] });

const MoveRequest = z
  .object({ meetingId: z.uuid(), startTime: IsoDateTime, endTime: IsoDateTime })
  .strict()
  .refine((r) => Date.parse(r.endTime) > Date.parse(r.startTime), { message: 'endTime must be after startTime', path: ['endTime'] });

/** Where a booking stands (booking.settled): only "booked" once the booking system confirmed it. */
export const BookingSettled = z.object({
  state: z.enum(['booked', 'waiting', 'refused']),
  reason: RefusedWrite.shape.reason.optional(),
  status: z.int().optional(),
  /** Booked: whether the patient can be invited already (VDX gave the room's address, set up or not:
   *  VDX sets a room up shortly before the visit, its scheduling template's lead time, not at booking). */
  invite: z.boolean().optional(),
});
export type BookingSettled = z.infer<typeof BookingSettled>;

export const SyncState = z.object({
  /** ok: the last sync of this day succeeded; offline: the API could not be reached;
   *  error: it answered with something unusable; never: nothing fetched yet. */
  state: z.enum(['ok', 'offline', 'error', 'never']),
  lastSyncedAt: IsoDateTime.nullable(),
  /** Meetings skipped because they failed validation (their ids go to the log). */
  invalidCount: z.number().int().nonnegative(),
  /** Why the last sync failed (offline, error), for the renderer to put in words. */
  problem: ErrorInfo.optional(),
});
export type SyncState = z.infer<typeof SyncState>;

export const DaySchedule = z.object({
  day: IsoDay,
  meetings: z.array(MeetingView),
  sync: SyncState,
  /** Something the user should be told once, until dismissed (schedule.dismissNotice):
   *  cache-rebuilt: the offline copy could not be read and was started afresh from the API. */
  notice: z.enum(['cache-rebuilt']).optional(),
  /** Writes the booking system refused (any day): each shown until dismissed (booking.dismiss). */
  refused: z.array(RefusedWrite).max(200).optional(),
});
export type DaySchedule = z.infer<typeof DaySchedule>;

export { CallTicket, JoinInfo, Role, RosterEntry, WaitingGuest } from '../call/common/call-model';

export const AppInfo = z.object({
  version: z.string(),
  host: z.enum(['electron', 'browser']),
  locale: z.string(),
  /** Set when the settings or IT's policy are invalid: the console shows only this. */
  configError: z.string().optional(),
});
export type AppInfo = z.infer<typeof AppInfo>;

/** Shared workstations (policy): a sign-out that waits for the call to end (the main window's
 *  banner), and why the console last signed itself out (the sign-in screen says; null after a sign-in). */
export const WorkstationState = z.object({
  signOutPending: z.enum(['locked', 'idle']).nullable(),
  signedOutBy: z.enum(['locked', 'idle']).nullable(),
});
export type WorkstationState = z.infer<typeof WorkstationState>;

/** One line for main's log from a window: main redacts it, tags it with the window's kind and limits the rate. */
export const WindowLogLine = z
  .object({
    level: z.enum(WINDOW_LOG_LEVELS),
    source: z.string().regex(WINDOW_LOG_SOURCE, 'expected a short lower-case tag'),
    message: z.string().max(MAX_WINDOW_LOG_CHARS),
  })
  .strict();
export type WindowLogLine = z.infer<typeof WindowLogLine>;

/** "Save logs for IT": saved (the file's name only, never its folder) or cancelled by the user. */
export const SavedLogs = z.discriminatedUnion('saved', [
  z.object({ saved: z.literal(true), fileName: z.string().max(255) }),
  z.object({ saved: z.literal(false) }),
]);
export type SavedLogs = z.infer<typeof SavedLogs>;

/** Request/response channels: renderer asks, main answers. */
export const channels = {
  'app.info': channel(Empty, AppInfo, ['main', 'call']),
  'app.diagnostics': channel(Empty, Diagnostics, ['main']),
  /** "Check conference servers": the readiness check, step by step, for each configured server (asks them; seconds). */
  'app.checkServers': channel(Empty, ReadinessReport, ['main']),
  /** One zip of the redacted logs and the Diagnostics text, where the user picks. */
  'app.saveLogs': channel(Empty, SavedLogs, ['main']),
  /** A window's warnings and errors, to main's log (fire and forget: main may drop by rate). */
  'log.write': channel(WindowLogLine, Ok, ['main', 'call']),
  'auth.state': channel(Empty, AuthState, ['main', 'call']),
  'auth.signIn': channel(Empty, AuthState, ['main']),
  'auth.signOut': channel(Empty, AuthState, ['main']),
  /** Stops the browser sign-in under way (its loopback listener is closed). */
  'auth.cancelSignIn': channel(Empty, Ok, ['main']),
  /** Shared workstations: what the policy's sign-out is waiting for, and why it last signed out. */
  'workstation.state': channel(Empty, WorkstationState, ['main']),
  'schedule.day': channel(z.object({ day: IsoDay }).strict(), DaySchedule, ['main']),
  'schedule.refresh': channel(z.object({ day: IsoDay }).strict(), DaySchedule, ['main']),
  /** The day the day view shows (null: hidden), so main syncs it every 15 s; focus: sync now. */
  'schedule.watch': channel(z.object({ day: IsoDay.nullable(), focus: z.boolean().optional() }).strict(), Ok, ['main']),
  'schedule.dismissNotice': channel(Empty, Ok, ['main']),
  /** Whether this account may book, and the templates (asked when the booking dialog opens). */
  'booking.options': channel(Empty, BookingOptions, ['main', 'call']),
  /** Books a visit through the outbox: shown at once as waiting to send, booked once confirmed.
   *  The call window's end screen books follow-ups and "meet now" too. */
  'booking.book': channel(BookRequest, Ok, ['main', 'call']),
  /**
   * Waits (up to waitMs) until the booking system confirmed or refused a booking made here;
   * "booked" comes with the meeting's room details fetched, so it can be joined at once.
   */
  'booking.settled': channel(z.object({ meetingId: z.uuid(), waitMs: z.int().min(0).max(30_000) }).strict(), BookingSettled, ['main', 'call']),
  /** Before a sign-out: sends what waits in the outbox now, and says how many writes are still unsent. */
  'booking.sendNow': channel(Empty, z.object({ unsent: z.int().nonnegative() }), ['main']),
  /** Moves a meeting the user organised (through the outbox). */
  'booking.move': channel(MoveRequest, Ok, ['main']),
  /** Cancels a meeting the user organised (through the outbox). */
  'booking.cancel': channel(z.object({ meetingId: z.uuid() }).strict(), Ok, ['main']),
  /** The user read a refusal. */
  'booking.dismiss': channel(z.object({ seq: z.int().positive() }).strict(), Ok, ['main']),
  /** "Running late" from the day view: tells a meeting's waiting guests (call.late's, for a meeting not in a call). */
  'waiting.late': channel(LateRequest.extend({ meetingId: z.uuid() }).strict(), LateResult, ['main']),
  ...callChannels,
} as const;

export type Channel = keyof typeof channels;
export type Request<C extends Channel> = z.input<(typeof channels)[C]['request']>;
export type Response<C extends Channel> = z.output<(typeof channels)[C]['response']>;

/** Events: main tells, renderer listens. */
export const events = {
  'auth.changed': AuthState,
  /** The shared-workstation sign-out started or stopped waiting for a call, or just signed out. */
  'workstation.changed': WorkstationState,
  /** The day's meetings or its sync state changed (a sync, not a read): the new day, whole. */
  'schedule.changed': DaySchedule,
  /** Asks the window to come to the front (sign-in completed in the system browser). */
  'window.focus': Empty,
  /** A clinician-console:// link was opened: show that meeting's day, or say why not. */
  'deeplink.opened': z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), meetingId: z.uuid(), day: IsoDay }),
    z.object({ ok: z.literal(false), error: ErrorInfo }),
  ]),
  ...callEvents,
  /**
   * Who waits in the watched day's meetings open now, by role (never a name), and since when
   * (`since[i]` is `roles[i]`'s: the server's record, else when the console first saw them),
   * from each meeting's conference server; sent when it changes (not as minutes pass). `meetings` lists only meetings with
   * someone waiting; `arrived`: meetings whose first guest just came before the clinician
   * opened the call (one notification each, once per meeting).
   */
  'waiting.changed': z.object({
    day: IsoDay,
    meetings: z.array(
      z
        .object({ meetingId: z.uuid(), roles: z.array(GuestRole).min(1).max(500), since: z.array(IsoDateTime).min(1).max(500) })
        .refine((m) => m.since.length === m.roles.length, { message: 'one since per role', path: ['since'] }),
    ),
    arrived: z.array(z.uuid()),
  }),
} as const;

export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

/** Every answer has this shape, so the renderer never sees a thrown Error from main. An
 *  error is a code with parameters (common/errors.ts); the renderer writes the sentence. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

/** The object the preload puts on `window.clinician` (and the browser host imitates). */
export interface ClinicianBridge {
  invoke<C extends Channel>(channel: C, request: Request<C>): Promise<Result<Response<C>>>;
  /** Returns a function that removes the listener. */
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

