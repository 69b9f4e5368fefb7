/**
 * The call's part of the bridge contract: the call window's channels (and the main window's
 * two about a call it closed) with their schemas, and the call events main sends.
 * preload/contract.ts composes these with the rest, so the contract stays the one list of
 * what crosses the bridge; schemas and plain types only (no Node, no DOM, no Electron).
 */
import { z } from 'zod';
import { channel, Empty, Ok } from '../../common/bridge-channel';
import { CallTicket, DialRequest, GuestRole, JoinInfo, ParticipantId, RosterEntry, WaitingGuest } from './call-model';
import { LATE_MINUTES } from './running-late';

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
/**
 * A Pexip session token as the window hands it to main. Pexip's tokens are URL-safe base64 of
 * their claims plus a signature; their length is not documented and real ones exceed 512
 * characters, so the cap is 8 KiB (a header line's usual limit), not a guess at Pexip's size.
 */
export const SESSION_TOKEN_MAX = 8192;
// Printable ASCII without spaces: it goes into a `token` header (Pexip's documented example is URL-encoded).
const SessionToken = z.string().min(8).max(SESSION_TOKEN_MAX).regex(/^[\x21-\x7e]+$/);

export const Invitation = z.object({ link: z.string(), pin: z.string(), text: z.string() });
export type Invitation = z.infer<typeof Invitation>;

/** Whom to invite: main writes the text (in the call window's language) from this. */
const InviteRequest = z.object({
  role: GuestRole,
  name: z.string().trim().min(1).max(100),
  language: z.string().trim().max(50).optional(),
  lang: z.enum(['en', 'fi', 'sv', 'da']),
});

/** What the end screen offers after a call: a follow-up like the meeting that ended, and the next patient. */
export const AfterCall = z.object({
  /** The ended meeting's subject and length: a follow-up's defaults (VDX templates carry no length). */
  subject: z.string(),
  minutes: z.int().min(1).max(24 * 60),
  /** The day's next meeting open for joining now, after the one that ended; null: none. */
  next: z.object({ meetingId: z.uuid(), subject: z.string(), startTime: z.iso.datetime({ offset: true }) }).nullable(),
});
export type AfterCall = z.infer<typeof AfterCall>;
export { LATE_MINUTES };
export const LateRequest = z.object({
  minutes: z.literal(LATE_MINUTES),
  /** The console's language: the message's where the invitation's is not known. */
  lang: z.enum(['en', 'fi', 'sv', 'da']),
});
/** What "Running late" reached: text messages sent (and failed), and the room (unsupported: the server lets no host message a waiting guest). */
export const LateResult = z.object({
  sms: z.int().nonnegative(),
  smsFailed: z.int().nonnegative(),
  room: z.enum(['sent', 'nobody-waiting', 'unsupported', 'failed']),
});
export type LateResult = z.infer<typeof LateResult>;

/** Request/response channels of the call. */
export const callChannels = {
  'call.open': channel(z.object({ meetingId: z.uuid() }).strict(), Ok, ['main']),
  /** What the call is (subject, provider, what the host may do); main prepared the room already. */
  'call.ticket': channel(Empty, CallTicket, ['call']),
  /** Before every (re)join: what the window joins with (never the host PIN). */
  'call.prepare': channel(Empty, JoinInfo, ['call']),
  /** The window is in the room as this participant (Pexip: with its session token). */
  'call.joined': channel(
    z.object({ participantId: ParticipantId, sessionToken: SessionToken.optional() }).strict(),
    Ok,
    ['call'],
  ),
  /** Pexip: the window refreshed its session token; main's host powers use the new one. */
  'call.sessionToken': channel(z.object({ token: SessionToken }).strict(), Ok, ['call']),
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
  /** Ends the meeting for everyone; the window stays for its end screen (call.close closes it). */
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
  /** The end screen: what it offers once the call is over (left, ended for all, removed, failed). */
  'call.afterCall': channel(Empty, AfterCall, ['call']),
  /**
   * The end screen's next call (the next patient, or a meeting just booked to meet now): the
   * window starts it (main's `call.restart`). `skipCheck`: the window found the remembered
   * camera, microphone and speaker still there, so it joins without the device check.
   */
  'call.next': channel(z.object({ meetingId: z.uuid(), skipCheck: z.boolean() }).strict(), Ok, ['call']),
  /** The end screen's Close. */
  'call.close': channel(Empty, Ok, ['call']),
  /**
   * Invites a guest to a meeting the user organised, on any day (the end screen's follow-up, the
   * day view's Invite): that meeting's link, its PIN in the text only; before its room is set up,
   * the room VDX assigned to it.
   */
  'call.inviteBookedByEmail': channel(InviteRequest.extend({ meetingId: z.uuid(), to: z.email().max(254) }).strict(), Ok, ['call', 'main']),
  'call.inviteBookedBySms': channel(
    InviteRequest.extend({ meetingId: z.uuid(), to: z.string().regex(/^\+?[0-9][0-9 -]{5,19}$/, 'expected a phone number') }).strict(),
    Ok,
    ['call', 'main'],
  ),
  /** "Running late": tells this call's waiting guests (SMS to the invited numbers, and in the room where the server can). */
  'call.late': channel(LateRequest.strict(), LateResult, ['call']),
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

/** Events of the call: main tells, the window listens. */
export const callEvents = {
  /** Who waits in the call's lobby (sent when it changes; Janus: from the room guard). */
  'call.lobby': z.object({ waiting: z.array(WaitingGuest) }),
  /** Roles and the host's mutes, as main knows them (sent when they change). */
  'call.roster': z.object({ entries: z.array(RosterEntry) }),
  /** The window is to start its call again with a new ticket (the end screen's next call, or Join in the day view). */
  'call.restart': z.object({ skipCheck: z.boolean() }),
  /** The host closed the call window: ask the main window whether to end the meeting for everyone. */
  'call.askEnd': z.object({ subject: z.string() }),
} as const;
