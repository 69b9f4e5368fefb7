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
  z.object({ status: z.literal('signing-in') }),
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
});
export type MeetingView = z.infer<typeof MeetingView>;

export const SyncState = z.object({
  /** ok: the last sync of this day succeeded; offline: the API could not be reached;
   *  error: it answered with something unusable; never: nothing fetched yet. */
  state: z.enum(['ok', 'offline', 'error', 'never']),
  lastSyncedAt: IsoDateTime.nullable(),
  /** Meetings skipped because they failed validation (their ids go to the log). */
  invalidCount: z.number().int().nonnegative(),
  /** A short, user-facing reason (never personal data). */
  message: z.string().optional(),
});
export type SyncState = z.infer<typeof SyncState>;

export const DaySchedule = z.object({
  day: IsoDay,
  meetings: z.array(MeetingView),
  sync: SyncState,
});
export type DaySchedule = z.infer<typeof DaySchedule>;

export const Role = z.enum(['host', 'patient', 'interpreter', 'specialist', 'relative', 'other']);
export type Role = z.infer<typeof Role>;

/** What the call window needs to join a room. The host secret is not in it: it stays in main. */
export const JoinTicket = z.object({
  meetingId: z.uuid(),
  subject: z.string(),
  serverUrl: z.string().url(),
  room: z.string().min(1),
  pin: z.string(),
  displayName: z.string(),
  role: Role,
});
export type JoinTicket = z.infer<typeof JoinTicket>;

export const AppInfo = z.object({
  version: z.string(),
  host: z.enum(['electron', 'browser']),
  locale: z.string(),
});
export type AppInfo = z.infer<typeof AppInfo>;

const Empty = z.object({}).strict();
const Ok = z.object({ done: z.literal(true) });

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
  'auth.state': channel(Empty, AuthState, ['main', 'call']),
  'auth.signIn': channel(Empty, AuthState, ['main']),
  'auth.signOut': channel(Empty, AuthState, ['main']),
  'schedule.day': channel(z.object({ day: IsoDay }).strict(), DaySchedule, ['main']),
  'schedule.refresh': channel(z.object({ day: IsoDay }).strict(), DaySchedule, ['main']),
  'call.open': channel(z.object({ meetingId: z.uuid() }).strict(), Ok, ['main']),
  'call.ticket': channel(Empty, JoinTicket, ['call']),
  'call.leave': channel(Empty, Ok, ['call']),
} as const;

export type Channel = keyof typeof channels;
export type Request<C extends Channel> = z.input<(typeof channels)[C]['request']>;
export type Response<C extends Channel> = z.output<(typeof channels)[C]['response']>;

/** Events: main tells, renderer listens. */
export const events = {
  'auth.changed': AuthState,
  'schedule.changed': z.object({ day: IsoDay }),
  /** Asks the window to come to the front (sign-in completed in the system browser). */
  'window.focus': Empty,
} as const;

export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

/** Every answer has this shape, so the renderer never sees a thrown Error from main. */
export const ErrorInfo = z.object({
  /** Stable machine code: bad-request, forbidden, unknown-channel, not-signed-in, ... */
  code: z.string(),
  /** A clear, user-facing message without personal data. */
  message: z.string(),
});
export type ErrorInfo = z.infer<typeof ErrorInfo>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

/** The object the preload puts on `window.clinician` (and the browser host imitates). */
export interface ClinicianBridge {
  invoke<C extends Channel>(channel: C, request: Request<C>): Promise<Result<Response<C>>>;
  /** Returns a function that removes the listener. */
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

export const BRIDGE_GLOBAL = 'clinician';
export const IPC_INVOKE = 'cc:invoke';
export const IPC_EVENT_PREFIX = 'cc:event:';

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.hasOwn(channels, name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(events, name);
}
