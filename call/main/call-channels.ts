/**
 * The call's bridge channels: opening a call (the main window's Join) and everything the
 * call window asks, wired to the one CallSession at a time. The provider is chosen here,
 * per meeting, from the domain of its room address (settings: conferenceServers).
 */
import type { z } from 'zod';
import type { ConferenceServer } from '../../main/settings/settings';
import type { BookedMeeting } from '../../main/booking/booking-source';
import { UserFacingError } from '../../main/core/errors';
import type { EventSink, OpenExternal, Platform } from '../../main/core/ports';
import type { Handlers } from '../../main/ipc/router';
import type { Logger } from '../../main/log/logger';
import { createCallSession, type CallSession } from './call-session';
import type { DevicePreferenceStore } from './device-preferences';
import type { GuestRoomRef } from './invitation';
import type { ConferenceProvider } from './provider';
import { facetsFor } from './provider-registry';
import { checkServer } from './server-check';
import type { LateRequest, LateResult } from '../common/call-contract';
import type { SmsSender } from './sms-gateway';

/** The compact always-on-top call window (Electron; absent where there is none, or policy turned it off). */
/** What the call window asks "Running late" with. */
type LateRequestT = z.infer<typeof LateRequest>;

export interface MiniViewControl {
  /** The window is in the call (it may shrink when the host switches away), or not. */
  allow(allowed: boolean): void;
  /** Back to the full window. */
  expand(): void;
}

type CallChannel = Extract<keyof Handlers, `call.${string}`>;
/** Channels main's core answers itself: they read the schedule (call/main/after-call.ts). */
type ScheduleCallChannel = 'call.open' | 'call.afterCall' | 'call.next' | 'call.inviteBookedByEmail' | 'call.inviteBookedBySms';

export interface CallChannels {
  handlers: Pick<Handlers, Exclude<CallChannel, ScheduleCallChannel>>;
  /** The main window's Join: starts the call (its room is prepared while the window opens). */
  open(meeting: BookedMeeting, displayName: string): Promise<void>;
  /**
   * The end screen's next call (next patient, meet now): a new session in the call window
   * that is open already (it starts its call again with the new ticket). `skipCheck`: the
   * window found the devices unchanged and joins without the check, so the room is readied now.
   */
  next(meeting: BookedMeeting, displayName: string, opts: { skipCheck: boolean }): void;
  /** The meeting the call window showed last (its end screen's), while the window is open. */
  windowMeeting(): BookedMeeting | null;
  /** The call window closed; `byUser`: the host closed it themselves. */
  windowClosed(): void;
  /** Sign-out or shutdown: the call is over for the host (the meeting goes on). */
  end(): Promise<void>;
  isActive(): boolean;
}

/** The conference server configured for a room address (`alias@domain`), if any. */
export function serverFor(uri: string, servers: readonly ConferenceServer[]): ConferenceServer | null {
  const domain = uri.slice(uri.lastIndexOf('@') + 1).trim().toLowerCase();
  if (!uri.includes('@') || !domain) return null;
  return servers.find((s) => s.domain === domain) ?? null;
}

export function createCallChannels(opts: {
  servers: readonly ConferenceServer[];
  invitationBaseUrl: string;
  /** Pexip: lock the meeting as the host joins (setting `pexipLockOnHostJoin`; default true). */
  pexipLockOnHostJoin?: boolean;
  requestTimeoutMs: number;
  fetch: typeof fetch;
  sms: SmsSender;
  log: Logger;
  emit: EventSink;
  openExternal: OpenExternal;
  devices: DevicePreferenceStore;
  screenSources?: Platform['screenSources'];
  miniView?: MiniViewControl;
  openWindow(): Promise<void>;
  closeWindow(): void;
  /** The call is over for the host, whichever way (a sign-out may have been waiting for it). */
  onEnded?: () => void;
  /** An invitation went out by SMS: main keeps the number (encrypted, that day) for "Running late". */
  onSmsInvited?: (meetingId: string, to: string, lang: LateRequestT['lang']) => void;
  /** "Running late" for the call's meeting (running-late.ts, through the user's session). */
  runningLate?: (meetingId: string, request: LateRequestT) => Promise<LateResult>;
}): CallChannels {
  const { log } = opts;
  let session: CallSession | null = null;
  /** The current session's conference server (what the check before joining asks). */
  let sessionServer: ConferenceServer | null = null;
  /** Set when the end screen's Close or a sign-out closes the window (not the host's own closing). */
  let closingOnPurpose = false;
  /** The call window is open (it stays after the call, with its end screen), and what it showed. */
  let windowOpen = false;
  let shown: BookedMeeting | null = null;
  const ok = { done: true as const };

  function providerOf(server: ConferenceServer): ConferenceProvider {
    const ctx = { fetch: opts.fetch, timeoutMs: opts.requestTimeoutMs, log, pexipLockOnHostJoin: opts.pexipLockOnHostJoin !== false };
    return facetsFor(server.provider).openProvider(server, ctx);
  }

  function current(): CallSession {
    if (!session || session.phase === 'ended') throw new UserFacingError('no-call');
    return session;
  }

  function closeWindow(): void {
    if (!windowOpen) return;
    closingOnPurpose = true;
    opts.closeWindow();
  }

  /** A session for the meeting (the window opens or is open already). */
  function startSession(meeting: BookedMeeting, displayName: string, prepareAtOpen: boolean): void {
    if (!meeting.room) throw new UserFacingError('no-room');
    const server = serverFor(meeting.room.uri, opts.servers);
    if (!server) throw new UserFacingError('no-conference-server');
    const room = providerOf(server).open({ id: meeting.room.id, uri: meeting.room.uri, hostPin: meeting.room.hostPin });
    const guestRoom: GuestRoomRef = facetsFor(server.provider).guestRoom(server, meeting.room);
    sessionServer = server;
    shown = meeting;
    const opened: CallSession = createCallSession({
      meeting: { id: meeting.id, subject: meeting.subject, guestPin: meeting.room.guestPin, portalLink: meeting.room.portalLink },
      room,
      guestRoom,
      displayName,
      // Where the window shows the check before joining, the room is readied (the host PIN
      // used) only when the host presses Join: a session prepared minutes earlier may have
      // expired (Pexip's token lives 120 s unless the client refreshes it).
      prepareAtOpen,
      invitationBaseUrl: opts.invitationBaseUrl,
      emit: opts.emit,
      openExternal: opts.openExternal,
      sms: opts.sms,
      log,
      onEnded: () => {
        if (session === opened) session = null;
        opts.onEnded?.();
      },
    });
    session = opened;
    log.info(`call: opening the call window for meeting ${meeting.shortId} (${server.provider})`);
  }

  return {
    async open(meeting, displayName) {
      if (!meeting.room) throw new UserFacingError('no-room');
      if (session && session.phase !== 'ended') {
        if (session.meetingId !== meeting.id) throw new UserFacingError('call-in-progress');
        await opts.openWindow(); // the same meeting: bring its window to the front
        return;
      }
      const skipCheck = opts.devices.get().skipCheck === true;
      startSession(meeting, displayName, skipCheck);
      if (windowOpen) {
        // The window shows the last call's end screen: it starts this call instead.
        opts.emit('call', 'call.restart', { skipCheck });
      } else {
        closingOnPurpose = false;
        windowOpen = true;
      }
      await opts.openWindow();
    },
    next(meeting, displayName, { skipCheck }) {
      if (!windowOpen) throw new UserFacingError('no-call');
      if (session && session.phase !== 'ended') throw new UserFacingError('call-in-progress');
      const skip = skipCheck || opts.devices.get().skipCheck === true;
      startSession(meeting, displayName, skip);
      opts.emit('call', 'call.restart', { skipCheck: skip });
    },
    windowMeeting: () => (windowOpen ? shown : null),
    windowClosed() {
      const byUser = !closingOnPurpose;
      closingOnPurpose = false;
      windowOpen = false;
      shown = null;
      session?.windowClosed(byUser);
    },
    async end() {
      const s = session;
      session = null;
      // The end screen too: after a sign-out nothing of the user's stays on screen.
      closeWindow();
      if (s && s.phase !== 'ended') await s.leave().catch(() => undefined);
    },
    isActive: () => session !== null && session.phase !== 'ended',
    handlers: {
      'call.ticket': async () => current().ticket(),
      'call.prepare': async () => current().prepare(),
      'call.joined': async (info) => (current().joined(info), ok),
      'call.sessionToken': async ({ token }) => (current().sessionToken(token), ok),
      // The window stays, with its end screen (book a follow-up, meet now, next patient).
      'call.leave': async () => (await current().leave(), ok),
      /** The end screen's Close. */
      'call.close': async () => {
        closeWindow();
        return ok;
      },
      'call.admit': async ({ participantId }) => (await current().admit(participantId), ok),
      'call.deny': async ({ participantId }) => (await current().deny(participantId), ok),
      'call.kick': async ({ participantId }) => (await current().kick(participantId), ok),
      'call.mute': async ({ participantId, kind, muted, mid }) => (await current().mute(participantId, kind, muted, mid), ok),
      'call.lock': async ({ locked }) => (await current().lock(locked), ok),
      'call.muteGuests': async ({ muted }) => (await current().muteGuests(muted), ok),
      'call.dial': async (request) => (await current().dial(request), ok),
      'call.end': async () => (await current().endForAll(), ok),
      'call.invite': async (request) => current().invite(request),
      'call.inviteByEmail': async (request) => (await current().inviteByEmail(request), ok),
      'call.inviteBySms': async (request) => {
        const s = current();
        await s.inviteBySms(request);
        opts.onSmsInvited?.(s.meetingId, request.to, request.lang);
        return ok;
      },
      'call.late': async (request) => {
        const s = current();
        if (!opts.runningLate) throw new UserFacingError('no-call');
        return opts.runningLate(s.meetingId, request);
      },
      'call.endAfterClose': async () => {
        if (!session) throw new UserFacingError('no-call');
        await session.endAfterClose();
        return ok;
      },
      'call.keepOpen': async () => {
        if (!session) throw new UserFacingError('no-call');
        await session.keepOpen();
        return ok;
      },
      'call.devices': async () => opts.devices.get(),
      'call.setDevices': async (prefs) => {
        opts.devices.set(prefs);
        return ok;
      },
      'call.shareSources': async () => {
        current();
        if (!opts.screenSources) return { picker: false as const };
        return { picker: true as const, sources: await opts.screenSources.list() };
      },
      'call.shareChoose': async ({ sourceId }) => {
        current();
        if (!opts.screenSources) throw new UserFacingError('share-no-picker');
        opts.screenSources.choose(sourceId);
        return ok;
      },
      'call.check': async () => {
        current();
        if (!sessionServer) throw new UserFacingError('no-call');
        // Short: the window shows "checking" meanwhile, and a blocked server should be said soon.
        return checkServer(sessionServer, { fetch: opts.fetch, timeoutMs: Math.min(opts.requestTimeoutMs, 5_000) });
      },
      'call.miniView': async ({ allowed }) => {
        // Out of the call (the end screen): the window stays whole, session or not.
        if (allowed) current();
        opts.miniView?.allow(allowed);
        return { available: opts.miniView !== undefined };
      },
      'call.expand': async () => {
        opts.miniView?.expand();
        return ok;
      },
    },
  };
}
