/**
 * One call, in main: a small state machine that owns what the call is (the meeting, the
 * room and its provider), the host's credential (inside the ConferenceRoom), who was let in,
 * the host's mutes, and rejoins. The call window asks; this decides and acts.
 *
 *   preparing --prepare ok--> ready --window joined--> joined
 *       |                       ^                         |
 *       | prepare failed        | prepare again           | the window lost the room
 *       v                       |                         v
 *    failed              reconnecting <------------- (window asks to prepare)
 *
 *   joined/ready/reconnecting --leave | end for all--> ended
 *   joined --window closed by the host--> asking-end --end | keep--> ended
 *
 * Preparing starts the moment the call is opened, while the window loads (or, where the window
 * first shows the device check, when the host presses Join there). A failure to
 * prepare is told once (a wrong host PIN is never retried). While joined, the lobby and the
 * roster are watched where the server needs it (Janus, through the guard, once a second),
 * and a muted participant who comes back (their connection dropped, Janus restarted) is
 * muted again: the host's mutes are the session's, not the server's.
 */
import type { CallTicket, DialRequest, GuestRole, JoinInfo, RosterEntry, WaitingGuest } from '../common/call-model';
import { UserFacingError } from '../../main/core/errors';
import type { EventSink, OpenExternal } from '../../main/core/ports';
import type { Logger } from '../../main/log/logger';
import { buildInvitation, invitationMailto, type GuestRoomRef, type Invitation, type InvitationLanguage } from './invitation';
import type { ConferenceRoom, RoomPresence } from './provider';
import type { SmsSender } from './sms-gateway';

export type CallPhase = 'preparing' | 'ready' | 'joined' | 'reconnecting' | 'asking-end' | 'ended' | 'failed';

export interface CallMeeting {
  id: string;
  subject: string;
  guestPin: string;
  portalLink?: string | undefined;
}

export interface InviteRequest {
  role: GuestRole;
  name: string;
  language?: string | undefined;
  lang: InvitationLanguage;
}

export interface CallSession {
  readonly meetingId: string;
  readonly phase: CallPhase;
  ticket(): CallTicket;
  /** What the window joins with: the first time the preparation started at open, later a fresh one (rejoin). */
  prepare(): Promise<JoinInfo>;
  /** The window is in the room as `participantId` (Pexip: with its session token). */
  joined(info: { participantId: string; sessionToken?: string | undefined }): void;
  sessionToken(token: string): void;
  admit(id: string): Promise<void>;
  deny(id: string): Promise<void>;
  kick(id: string): Promise<void>;
  mute(id: string, kind: 'audio' | 'video', muted: boolean, mid?: string): Promise<void>;
  lock(locked: boolean): Promise<void>;
  muteGuests(muted: boolean): Promise<void>;
  dial(request: DialRequest): Promise<void>;
  invite(request: InviteRequest): Invitation;
  inviteByEmail(request: InviteRequest & { to: string }): Promise<void>;
  inviteBySms(request: InviteRequest & { to: string }): Promise<void>;
  /** Ends the meeting for everyone. */
  endForAll(): Promise<void>;
  /** The host leaves; the meeting goes on. */
  leave(): Promise<void>;
  /** The call window closed. `byUser`: the host closed it (not Leave, End or sign-out). */
  windowClosed(byUser: boolean): void;
  /** After the host closed the window: end the meeting for everyone, or let it go on. */
  endAfterClose(): Promise<void>;
  keepOpen(): Promise<void>;
}

/** How often the lobby and roster are asked for while joined (where the server needs asking). */
export const WATCH_INTERVAL_MS = 1_000;

export function createCallSession(opts: {
  meeting: CallMeeting;
  room: ConferenceRoom;
  /** Where guests join (the invitation link's target). */
  guestRoom: GuestRoomRef;
  displayName: string;
  /** Default true. False: ready the room at the window's first prepare (after its device check). */
  prepareAtOpen?: boolean;
  invitationBaseUrl: string;
  emit: EventSink;
  openExternal: OpenExternal;
  sms: SmsSender;
  log: Logger;
  /** The session ended, whichever way. */
  onEnded: () => void;
}): CallSession {
  const { meeting, room, log } = opts;
  let phase: CallPhase = 'preparing';
  /** Why preparing failed: said again to a window that asks again, never asked of the server again. */
  let failure: unknown = null;
  /** The first preparation (the host PIN checked at the server), once started. */
  function prepareFirst(): Promise<JoinInfo> {
    const pending = room.prepare(opts.displayName);
    pending.then(
      () => {
        if (phase === 'preparing') phase = 'ready';
      },
      (error: unknown) => {
        failure = error;
        if (phase === 'preparing') phase = 'failed';
        log.warn(`call: the room could not be prepared (${error instanceof UserFacingError ? error.code : 'unexpected error'})`);
      },
    );
    return pending;
  }
  /** The preparation started at open, handed to the window's first join. */
  let first: Promise<JoinInfo> | null = opts.prepareAtOpen === false ? null : prepareFirst();
  let started = first !== null;
  let self: string | null = null;
  /** The host's mutes, by participant: kept here, applied again when someone comes back. */
  const mutes = new Map<string, { audio?: string | null; video?: string | null }>();
  /** Participants back in the room whose mutes are still to be applied again. */
  const remute = new Set<string>();
  /** Roles main knows: the host, and whoever the host dialled. */
  const roles = new Map<string, RosterEntry['role']>();
  let serverRoster: RoomPresence['roster'] = [];
  let lastLobby = '[]';
  let lastRoster = '[]';
  let timer: ReturnType<typeof setTimeout> | undefined;
  let watching = false;

  const ended = () => phase === 'ended';

  function live(): void {
    if (phase === 'ended' || phase === 'failed' || phase === 'asking-end') throw new UserFacingError('no-call');
  }

  function rosterEntries(): RosterEntry[] {
    const ids = new Set([...serverRoster.map((p) => p.id), ...roles.keys(), ...mutes.keys()]);
    return [...ids].map((id) => {
      const m = mutes.get(id);
      const role = roles.get(id) ?? serverRoster.find((p) => p.id === id)?.role ?? 'other';
      return { id, role, muted: { audio: m?.audio !== undefined && m.audio !== null, video: m?.video !== undefined && m.video !== null } };
    });
  }

  function publishRoster(): void {
    const entries = rosterEntries();
    const json = JSON.stringify(entries);
    if (json === lastRoster) return;
    lastRoster = json;
    opts.emit('call', 'call.roster', { entries });
  }

  function publishLobby(waiting: WaitingGuest[]): void {
    const json = JSON.stringify(waiting);
    if (json === lastLobby) return;
    lastLobby = json;
    opts.emit('call', 'call.lobby', { waiting });
  }

  /**
   * Someone muted by the host is back in the room (a new connection): mute them again. Back
   * means present after being absent, or joined once more by the server's count (a guest who
   * dropped and rejoined between two watch rounds never looked absent). A try that fails (a
   * participant back in the room but not yet publishing that stream) is tried again next
   * round, while they stay; dropping it let a patient muted before a Janus restart be heard
   * after it (seen with --repeat-each 3).
   */
  async function reapplyMutes(previous: RoomPresence['roster'], next: RoomPresence['roster']): Promise<void> {
    for (const p of next) {
      const was = previous.find((q) => q.id === p.id);
      const rejoined = p.joins !== undefined && was?.joins !== undefined && p.joins !== was.joins;
      if (!p.present) remute.delete(p.id);
      else if ((!was?.present || rejoined) && mutes.has(p.id)) remute.add(p.id);
    }
    for (const id of remute) {
      const m = mutes.get(id);
      try {
        for (const kind of ['audio', 'video'] as const) {
          const mid = m?.[kind];
          if (mid !== undefined && mid !== null) await room.mute(id, kind, true, mid);
        }
        remute.delete(id);
      } catch {
        // Not publishing yet, or the server away for a moment: next round.
      }
    }
  }

  async function watchOnce(): Promise<void> {
    const state = await room.state();
    if (!state) {
      watching = false;
      return;
    }
    const previous = serverRoster;
    serverRoster = state.roster;
    publishLobby(state.waiting);
    publishRoster();
    await reapplyMutes(previous, state.roster);
  }

  function watch(): void {
    if (watching || ended()) return;
    watching = true;
    const tick = () => {
      if (!watching || ended()) return;
      watchOnce()
        .catch(() => undefined) // the server away for a moment: the window shows reconnecting
        .finally(() => {
          if (!watching || ended()) return;
          timer = setTimeout(tick, WATCH_INTERVAL_MS);
          timer.unref?.();
        });
    };
    tick();
  }

  function stopWatching(): void {
    watching = false;
    clearTimeout(timer);
  }

  async function finish(how: 'end' | 'leave'): Promise<void> {
    if (ended()) return;
    stopWatching();
    try {
      if (how === 'end') await room.endForAll();
    } finally {
      phase = 'ended';
      await room.close().catch(() => undefined);
      opts.onEnded();
    }
  }

  async function hostAction(what: string, run: () => Promise<void>): Promise<void> {
    live();
    try {
      await run();
    } catch (error) {
      if (error instanceof UserFacingError) throw error;
      log.warn(`call: ${what} failed unexpectedly`);
      throw new UserFacingError('host-action-failed');
    }
  }

  function invitation(request: InviteRequest): Invitation {
    return buildInvitation(
      { role: request.role, name: request.name, lang: request.lang, ...(request.language ? { language: request.language } : {}) },
      opts.guestRoom,
      { guestPin: meeting.guestPin, portalLink: meeting.portalLink },
      { baseUrl: opts.invitationBaseUrl },
    );
  }

  return {
    meetingId: meeting.id,
    get phase() {
      return phase;
    },
    ticket() {
      // A failed call still has a window that says why (it asks for the ticket first).
      if (phase !== 'failed') live();
      return { meetingId: meeting.id, subject: meeting.subject, provider: room.kind, displayName: opts.displayName, capabilities: room.capabilities };
    },
    async prepare() {
      if (first) {
        const pending = first;
        first = null;
        return pending;
      }
      if (!started) {
        started = true;
        return prepareFirst();
      }
      if (phase === 'failed' && failure) throw failure;
      live();
      phase = 'reconnecting';
      // The host lost the room, and the server may have lost everyone with it (a Janus
      // restart): whoever is present from now on counts as back, even one who rejoined
      // before the watch saw the room again (else their mute was never applied again).
      serverRoster = serverRoster.map((p) => ({ ...p, present: false }));
      const join = await room.prepare(opts.displayName);
      if (phase === 'reconnecting') phase = 'ready';
      return join;
    },
    joined({ participantId, sessionToken }) {
      live();
      phase = 'joined';
      self = participantId;
      roles.set(participantId, 'host');
      if (sessionToken) room.sessionToken(sessionToken);
      publishRoster();
      watch();
    },
    sessionToken(token) {
      live();
      room.sessionToken(token);
    },
    admit: (id) => hostAction('admit', () => room.admit(id)),
    deny: (id) => hostAction('deny', () => room.deny(id)),
    kick: (id) =>
      hostAction('remove', async () => {
        if (id === self) throw new UserFacingError('host-action-failed');
        await room.kick(id);
        mutes.delete(id);
        roles.delete(id);
        publishRoster();
      }),
    mute: (id, kind, muted, mid) =>
      hostAction('mute', async () => {
        await room.mute(id, kind, muted, mid);
        const m = mutes.get(id) ?? {};
        m[kind] = muted ? (mid ?? '') : null;
        if (m.audio == null && m.video == null) mutes.delete(id);
        else mutes.set(id, m);
        publishRoster();
      }),
    lock: (locked) => hostAction('lock', () => room.lock(locked)),
    muteGuests: (muted) => hostAction('mute guests', () => room.muteGuests(muted)),
    dial: (request) =>
      hostAction('dial', async () => {
        const id = await room.dial(request);
        roles.set(id, request.role);
        publishRoster();
        log.info('call: the host dialled a participant');
      }),
    invite(request) {
      live();
      return invitation(request);
    },
    async inviteByEmail(request) {
      live();
      // A mailto: built here, through the external-link guard (reviewed scanner finding):
      await opts.openExternal(invitationMailto(request.to, invitation(request), request.lang)); // eng-disable OPEN_EXTERNAL_JS_CHECK
    },
    async inviteBySms(request) {
      live();
      await opts.sms.send({ to: request.to, text: invitation(request).text });
      log.info('call: an invitation was sent by text message');
    },
    async endForAll() {
      live();
      await finish('end');
      // The window stays: its end screen says the meeting ended.
      log.info('call: the host ended the meeting for everyone');
    },
    leave: () => finish('leave'),
    windowClosed(byUser) {
      if (ended() || phase === 'failed') {
        void finish('leave');
        return;
      }
      stopWatching();
      if (!byUser || phase !== 'joined') {
        void finish('leave');
        return;
      }
      // The credential stays until the host answers: they may still end the meeting.
      phase = 'asking-end';
      void room.windowGone().catch(() => undefined);
      opts.emit('main', 'call.askEnd', { subject: meeting.subject });
    },
    async endAfterClose() {
      if (phase !== 'asking-end') throw new UserFacingError('no-call');
      await finish('end');
      log.info('call: the host ended the meeting for everyone after closing the call window');
    },
    async keepOpen() {
      if (phase !== 'asking-end') throw new UserFacingError('no-call');
      await finish('leave');
    },
  };
}
