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
import { CallTicket, DialRequest, GuestRole, JoinInfo, ParticipantId, RosterEntry, WaitingGuest } from '../common/call';
import { ErrorInfo } from '../common/errors';

export { ErrorCode, ErrorInfo } from '../common/errors';

/** Which kind of window a call comes from. Main decides which channels each may use. */
export const WindowKind = z.enum(['main', 'call']);
export type WindowKind = z.infer<typeof WindowKind>;

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

export { CallTicket, JoinInfo, Role, RosterEntry, WaitingGuest } from '../common/call';

export const AppInfo = z.object({
  version: z.string(),
  host: z.enum(['electron', 'browser']),
  locale: z.string(),
  /** Set when the settings or IT's policy are invalid: the console shows only this. */
  configError: z.string().optional(),
});
export type AppInfo = z.infer<typeof AppInfo>;

/** For IT: versions, where each setting came from, and whether each server answers. No personal data. */
export const Diagnostics = z.object({
  version: z.string(),
  host: z.enum(['electron', 'browser']),
  runtime: z.record(z.string(), z.string()),
  settings: z.array(
    z.object({ key: z.string(), value: z.string(), source: z.enum(['default', 'settings file', 'policy']), locked: z.boolean() }),
  ),
  policySources: z.array(z.string()),
  /** Policy keys this version does not know: ignored, listed by key and source (never the value). */
  policyIgnoredKeys: z.array(z.object({ key: z.string().max(200), source: z.string().max(500) })).max(100),
  /** Policy sources that exist but were not applied, with a reason the renderer translates. */
  policyProblems: z
    .array(
      z.object({
        source: z.string().max(500),
        reason: z.enum(['writable-by-others', 'unreadable', 'reader-failed', 'location-unknown']),
        /** A technical code (errno), untranslated. */
        detail: z.string().max(40).optional(),
      }),
    )
    .max(20),
  reachability: z.array(
    z.object({
      /** pexip-status: the Pexip Management API account the waiting badge reads with (not-configured: no badge for Pexip). */
      service: z.enum(['identity-provider', 'booking-api', 'conference-server', 'room-guard', 'pexip-status']),
      url: z.string(),
      state: z.enum(['reachable', 'unreachable', 'not-configured']),
      detail: z.string().optional(),
    }),
  ),
  /** The updater (Electron only): off, with IT's reason, or its state; detail is technical (English). */
  updates: z
    .object({
      enabled: z.boolean(),
      state: z.enum(['idle', 'checking', 'up-to-date', 'downloading', 'downloaded', 'refused', 'failed']).optional(),
      detail: z.string().max(300).optional(),
    })
    .optional(),
});
export type Diagnostics = z.infer<typeof Diagnostics>;

const Empty = z.object({}).strict();
const Ok = z.object({ done: z.literal(true) });

/** A screen or window the host may share (Electron's desktopCapturer, through main). */
export const ScreenSource = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['screen', 'window']),
  thumbnail: z.string(),
});
export type ScreenSource = z.infer<typeof ScreenSource>;
/** picker false: call getDisplayMedia and let the browser ask (the browser host). */
export const ShareSources = z.discriminatedUnion('picker', [
  z.object({ picker: z.literal(false) }),
  z.object({ picker: z.literal(true), sources: z.array(ScreenSource) }),
]);
export type ShareSources = z.infer<typeof ShareSources>;

/** Device ids the call window remembers (the browser's per-origin ids), and whether this
 *  workstation skips the device and connection check before joining. */
export const CallDevices = z.object({
  camera: z.string().max(512).optional(),
  microphone: z.string().max(512).optional(),
  speaker: z.string().max(512).optional(),
  skipCheck: z.boolean().optional(),
});
export type CallDevices = z.infer<typeof CallDevices>;

/** The check before joining, main's half: whether the meeting's servers answer (never a URL). */
export const ServerCheck = z.object({
  services: z.array(z.object({ service: z.enum(['conference-server', 'room-guard']), state: z.enum(['reachable', 'unreachable']) })),
});
export type ServerCheck = z.infer<typeof ServerCheck>;

/** The guest invitation "Add participant" produces, written by main. The PIN goes only to the call window. */
export const Invitation = z.object({ link: z.string(), pin: z.string(), text: z.string() });
export type Invitation = z.infer<typeof Invitation>;

/** Whom to invite: main writes the text (in the call window's language) from this. */
const InviteRequest = z.object({
  role: GuestRole,
  name: z.string().trim().min(1).max(100),
  language: z.string().trim().max(50).optional(),
  lang: z.enum(['en', 'fi', 'sv', 'da']),
});

function channel<Req extends z.ZodType, Res extends z.ZodType>(
  request: Req,
  response: Res,
  windows: readonly WindowKind[],
) {
  return { request, response, windows };
}

/** Request/response channels: renderer asks, main answers. */
export const channels = {
  'app.info': channel(Empty, AppInfo, ['main', 'call']),
  'app.diagnostics': channel(Empty, Diagnostics, ['main']),
  'auth.state': channel(Empty, AuthState, ['main', 'call']),
  'auth.signIn': channel(Empty, AuthState, ['main']),
  'auth.signOut': channel(Empty, AuthState, ['main']),
  /** Stops the browser sign-in under way (its loopback listener is closed). */
  'auth.cancelSignIn': channel(Empty, Ok, ['main']),
  'schedule.day': channel(z.object({ day: IsoDay }).strict(), DaySchedule, ['main']),
  'schedule.refresh': channel(z.object({ day: IsoDay }).strict(), DaySchedule, ['main']),
  /** The day the day view shows (null: hidden), so main syncs it every 15 s; focus: sync now. */
  'schedule.watch': channel(z.object({ day: IsoDay.nullable(), focus: z.boolean().optional() }).strict(), Ok, ['main']),
  'schedule.dismissNotice': channel(Empty, Ok, ['main']),
  /** Whether this account may book, and the templates (asked when the booking dialog opens). */
  'booking.options': channel(Empty, BookingOptions, ['main']),
  /** Books a visit through the outbox: shown at once as waiting to send, booked once confirmed. */
  'booking.book': channel(BookRequest, Ok, ['main']),
  /** Moves a meeting the user organised (through the outbox). */
  'booking.move': channel(MoveRequest, Ok, ['main']),
  /** Cancels a meeting the user organised (through the outbox). */
  'booking.cancel': channel(z.object({ meetingId: z.uuid() }).strict(), Ok, ['main']),
  /** The user read a refusal. */
  'booking.dismiss': channel(z.object({ seq: z.int().positive() }).strict(), Ok, ['main']),
  'call.open': channel(z.object({ meetingId: z.uuid() }).strict(), Ok, ['main']),
  /** What the call is (subject, provider, what the host may do); main prepared the room already. */
  'call.ticket': channel(Empty, CallTicket, ['call']),
  /** Before every (re)join: what the window joins with (never the host PIN). */
  'call.prepare': channel(Empty, JoinInfo, ['call']),
  /** The window is in the room as this participant (Pexip: with its session token). */
  'call.joined': channel(
    z.object({ participantId: ParticipantId, sessionToken: z.string().min(8).max(512).optional() }).strict(),
    Ok,
    ['call'],
  ),
  /** Pexip: the window refreshed its session token; main's host powers use the new one. */
  'call.sessionToken': channel(z.object({ token: z.string().min(8).max(512) }).strict(), Ok, ['call']),
  'call.leave': channel(Empty, Ok, ['call']),
  'call.admit': channel(z.object({ participantId: ParticipantId }).strict(), Ok, ['call']),
  'call.deny': channel(z.object({ participantId: ParticipantId }).strict(), Ok, ['call']),
  /** Stops (muted) or restores a participant's audio or video for everybody; `mid`: Janus's stream id. */
  'call.mute': channel(
    z
      .object({
        participantId: ParticipantId,
        kind: z.enum(['audio', 'video']),
        muted: z.boolean(),
        mid: z.string().regex(/^[A-Za-z0-9_-]{1,16}$/).optional(),
      })
      .strict(),
    Ok,
    ['call'],
  ),
  'call.kick': channel(z.object({ participantId: ParticipantId }).strict(), Ok, ['call']),
  /** Locked: newcomers wait until admitted (where the server can). */
  'call.lock': channel(z.object({ locked: z.boolean() }).strict(), Ok, ['call']),
  'call.muteGuests': channel(z.object({ muted: z.boolean() }).strict(), Ok, ['call']),
  /** Calls an interpreter, a specialist or a relative directly (SIP, H.323, phone). */
  'call.dial': channel(DialRequest, Ok, ['call']),
  /** Ends the meeting for everyone and closes the call window. */
  'call.end': channel(Empty, Ok, ['call']),
  'call.invite': channel(InviteRequest.strict(), Invitation, ['call']),
  /** Opens the invitation in the mail program (a mailto: main writes). */
  'call.inviteByEmail': channel(InviteRequest.extend({ to: z.email().max(254) }).strict(), Ok, ['call']),
  /** Sends the invitation through the SMS gateway IT configured (main writes the text; rate-limited). */
  'call.inviteBySms': channel(
    InviteRequest.extend({ to: z.string().regex(/^\+?[0-9][0-9 -]{5,19}$/, 'expected a phone number') }).strict(),
    Ok,
    ['call'],
  ),
  /** After the host closed the call window themselves: end the meeting for everyone, or let it go on. */
  'call.endAfterClose': channel(Empty, Ok, ['main']),
  'call.keepOpen': channel(Empty, Ok, ['main']),
  /** The remembered camera, microphone and speaker (device ids), and remembering a new choice. */
  'call.devices': channel(Empty, CallDevices, ['call']),
  'call.setDevices': channel(CallDevices.strict(), Ok, ['call']),
  /** Screen sharing: the screens and windows for the console's own picker (Electron), then the
   *  one chosen, which the next getDisplayMedia of the call window gets. */
  'call.shareSources': channel(Empty, ShareSources, ['call']),
  'call.shareChoose': channel(
    z.object({ sourceId: z.string().regex(/^(screen|window):[A-Za-z0-9:_-]{1,64}$/, 'expected a screen or window id') }).strict(),
    Ok,
    ['call'],
  ),
  /** The device and connection check before joining: does the meeting's conference server answer? */
  'call.check': channel(Empty, ServerCheck, ['call']),
  /** The window is in the call (allowed: it may shrink to the mini view when the host switches
   *  away) or not; answers whether this console has a mini view at all (policy, Electron only). */
  'call.miniView': channel(z.object({ allowed: z.boolean() }).strict(), z.object({ available: z.boolean() }), ['call']),
  /** From the mini view back to the full call window. */
  'call.expand': channel(Empty, Ok, ['call']),
} as const;

export type Channel = keyof typeof channels;
export type Request<C extends Channel> = z.input<(typeof channels)[C]['request']>;
export type Response<C extends Channel> = z.output<(typeof channels)[C]['response']>;

/** Events: main tells, renderer listens. */
export const events = {
  'auth.changed': AuthState,
  /** The day's meetings or its sync state changed (a sync, not a read): the new day, whole. */
  'schedule.changed': DaySchedule,
  /** Asks the window to come to the front (sign-in completed in the system browser). */
  'window.focus': Empty,
  /** A clinician-console:// link was opened: show that meeting's day, or say why not. */
  'deeplink.opened': z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), meetingId: z.uuid(), day: IsoDay }),
    z.object({ ok: z.literal(false), error: ErrorInfo }),
  ]),
  /** Who waits in the call's lobby (sent when it changes; Janus: from the room guard). */
  'call.lobby': z.object({ waiting: z.array(WaitingGuest) }),
  /** Roles and the host's mutes, as main knows them (sent when they change). */
  'call.roster': z.object({ entries: z.array(RosterEntry) }),
  /** The host closed the call window: ask the main window whether to end the meeting for everyone. */
  'call.askEnd': z.object({ subject: z.string() }),
  /**
   * Who waits in the watched day's meetings open now, by role (never a name), from each
   * meeting's conference server; sent when it changes. `meetings` lists only meetings with
   * someone waiting; `arrived`: meetings whose first guest just came before the clinician
   * opened the call (one notification each, once per meeting).
   */
  'waiting.changed': z.object({
    day: IsoDay,
    meetings: z.array(z.object({ meetingId: z.uuid(), roles: z.array(GuestRole).min(1).max(500) })),
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

export { BRIDGE_GLOBAL, IPC_EVENT_PREFIX, IPC_INVOKE, isChannel, isEventName } from './bridge-names';
