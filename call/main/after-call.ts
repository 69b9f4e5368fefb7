/**
 * The call window's end screen, main's half: what it offers once a call is over (a follow-up
 * like the meeting that ended, the day's next patient), starting the next call in the same
 * window, and inviting the patient to a follow-up the screen booked. These read the signed-in
 * user's schedule, so main's core hands them its cache; the booking itself goes through the
 * outbox's own channels (booking.book, booking.settled).
 */
import { localDay } from '../../common/days';
import { canJoin } from '../../common/meeting-status';
import { invitableRoom, type BookedMeeting, type PlannedRoom } from '../../main/booking/booking-source';
import type { ScheduleDb } from '../../main/cache/schedule-db';
import { UserFacingError } from '../../main/core/errors';
import type { OpenExternal } from '../../main/core/ports';
import type { Handlers } from '../../main/ipc/router';
import type { Logger } from '../../main/log/logger';
import type { ConferenceServer } from '../../main/settings/settings';
import type { AfterCall } from '../common/call-contract';
import type { CallChannels } from './call-channels';
import { serverFor } from './call-channels';
import { buildInvitation, invitationMailto, type Invitation, type InvitationInput } from './invitation';
import { facetsFor } from './provider-registry';
import type { SmsSender } from './sms-gateway';

type AfterCallChannel = 'call.afterCall' | 'call.next' | 'call.inviteBookedByEmail' | 'call.inviteBookedBySms';

/**
 * The next patient: the first meeting of the day open for joining now that starts at or after
 * the one that ended (never that one again), by start time.
 */
export function nextPatient(meetings: readonly BookedMeeting[], ended: { id: string; startTime: string }, now: Date): BookedMeeting | null {
  const from = Date.parse(ended.startTime);
  return (
    meetings
      .filter((m) => m.id !== ended.id && m.room !== null && Date.parse(m.startTime) >= from && canJoin({ ...m, joinable: true }, now))
      .sort((a, b) => Date.parse(a.startTime) - Date.parse(b.startTime) || a.id.localeCompare(b.id))[0] ?? null
  );
}

/** The ended meeting's length in whole minutes, as a follow-up's default (at least one). */
export function lengthInMinutes(meeting: { startTime: string; endTime: string }): number {
  return Math.min(24 * 60, Math.max(1, Math.round((Date.parse(meeting.endTime) - Date.parse(meeting.startTime)) / 60_000)));
}

export function createAfterCallHandlers(opts: {
  calls: CallChannels;
  /** The signed-in user's schedule (throws not-signed-in). */
  schedule: () => Promise<{ db: ScheduleDb }>;
  /** The signed-in user's e-mail, lower case (VDX's organizedBy), and name for the call. */
  me: () => string | null;
  displayName: () => Promise<string>;
  servers: readonly ConferenceServer[];
  invitationBaseUrl: string;
  sms: SmsSender;
  /** A follow-up's invitation went by SMS: the number is kept for "Running late" (as call-channels' own invitations). */
  onSmsInvited?: (meetingId: string, to: string, lang: 'en' | 'fi' | 'sv' | 'da') => void;
  openExternal: OpenExternal;
  log: Logger;
  now: () => Date;
}): Pick<Handlers, AfterCallChannel> {
  const ok = { done: true as const };

  /** The meeting whose end screen the window shows (fresh from the cache when there). */
  async function ended(): Promise<{ meeting: BookedMeeting; db: ScheduleDb }> {
    const shown = opts.calls.windowMeeting();
    if (!shown) throw new UserFacingError('no-call');
    const { db } = await opts.schedule();
    return { meeting: db.meeting(shown.id) ?? shown, db };
  }

  /**
   * A meeting this user organised, with the room to invite to: the room once set up, or on a
   * later date the room VDX has assigned (planned) but not set up; the invitation's link and
   * PIN come from it. Joining still waits for the room itself (call.open, call.next).
   */
  async function booked(meetingId: string): Promise<{ meeting: BookedMeeting; room: PlannedRoom }> {
    const { db } = await opts.schedule();
    const meeting = db.meeting(meetingId);
    if (!meeting) throw new UserFacingError('appointment-not-found');
    // Only the user's own meetings: no window may invite to anyone else's.
    if (meeting.organizer === undefined || meeting.organizer !== opts.me()) throw new UserFacingError('booking-not-mine');
    const room = invitableRoom(meeting);
    if (!room) throw new UserFacingError('no-room');
    return { meeting, room };
  }

  async function invitation(request: InvitationInput & { meetingId: string }): Promise<Invitation> {
    const { room } = await booked(request.meetingId);
    const server = serverFor(room.uri, opts.servers);
    if (!server) throw new UserFacingError('no-conference-server');
    const facets = facetsFor(server.provider);
    if (facets.guestRoomNeedsId && !room.id) throw new UserFacingError('no-room');
    const guestRoom = facets.guestRoom(server, { id: room.id ?? '', uri: room.uri });
    return buildInvitation(
      { role: request.role, name: request.name, lang: request.lang, ...(request.language ? { language: request.language } : {}) },
      guestRoom,
      { guestPin: room.guestPin, portalLink: room.portalLink },
      { baseUrl: opts.invitationBaseUrl },
    );
  }

  return {
    'call.afterCall': async (): Promise<AfterCall> => {
      const { meeting, db } = await ended();
      const now = opts.now();
      const next = nextPatient(db.readDay(localDay(now)).meetings, meeting, now);
      return {
        subject: meeting.subject,
        minutes: lengthInMinutes(meeting),
        next: next ? { meetingId: next.id, subject: next.subject, startTime: next.startTime } : null,
      };
    },
    'call.next': async ({ meetingId, skipCheck }) => {
      const { db } = await opts.schedule();
      const meeting = db.meeting(meetingId);
      if (!meeting) throw new UserFacingError('appointment-not-found');
      if (!meeting.room) throw new UserFacingError('no-room');
      if (!canJoin({ ...meeting, joinable: true }, opts.now())) throw new UserFacingError('not-open');
      opts.calls.next(meeting, await opts.displayName(), { skipCheck });
      return ok;
    },
    'call.inviteBookedByEmail': async (request) => {
      const text = await invitation(request);
      // A mailto: built here, through the external-link guard (reviewed scanner finding):
      await opts.openExternal(invitationMailto(request.to, text, request.lang)); // eng-disable OPEN_EXTERNAL_JS_CHECK
      return ok;
    },
    'call.inviteBookedBySms': async (request) => {
      const text = await invitation(request);
      await opts.sms.send({ to: request.to, text: text.text });
      opts.onSmsInvited?.(request.meetingId, request.to, request.lang);
      opts.log.info('call: an invitation to a booked meeting was sent by text message');
      return ok;
    },
  };
}
