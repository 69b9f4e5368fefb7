/**
 * The token-authenticated routes under `/api/client/v2/conferences/<alias>/`: conference
 * controls, participant controls and the WebRTC call.
 *
 * Privileges as on Pexip: conference controls (lock, mute guests, dial, end for all) need a
 * Host token; a Guest gets 403, which @pexip/infinity surfaces as a rejected promise
 * (these endpoints accept only 200). Participant controls on someone else need a Host token
 * (403 "Insufficient privileges" otherwise); on oneself a Guest may mute, unmute (unless
 * guests are muted and may not unmute), turn the camera off and on, raise a hand, leave,
 * present and run its own call [inferred: what Pexip's own apps do as a guest].
 */
import type { DialProtocol } from './conference';
import { BadRequest, readJsonObject, sendResult, str } from './http';
import { participantJson, type ParticipantRecord } from './participant-json';
import type { ConferenceRequest } from './routes-token';

const INSUFFICIENT = 'Insufficient privileges';
const DIAL_PROTOCOLS: readonly DialProtocol[] = ['sip', 'h323', 'mssip', 'rtmp', 'auto'];

export async function tokenRoute(r: ConferenceRequest, rest: string): Promise<void> {
  const { node, req, res, conference } = r;
  const token = typeof req.headers.token === 'string' ? req.headers.token : undefined;
  const session = node.tokens.lookup(token);
  const caller = session && session.room === r.key ? conference.get(session.participantUuid) : undefined;
  if (!caller) return sendResult(res, 403, 'success', 'Invalid token');

  const participantMatch = /^participants\/([^/]+)\/(.+)$/.exec(rest);
  if (participantMatch) return participantRoute(r, caller, participantMatch[1] ?? '', participantMatch[2] ?? '');

  const isHost = caller.role === 'chair';
  const method = req.method ?? 'GET';
  if (method === 'GET') {
    if (rest === 'participants') return sendResult(res, 200, 'success', conference.list().map(participantJson));
    if (rest === 'conference_status') return sendResult(res, 200, 'success', conference.status());
    return sendResult(res, 404, 'failed', 'Not found');
  }
  if (method !== 'POST') return sendResult(res, 405, 'failed', 'Method not allowed');

  const body = await readJsonObject(req);
  if (rest === 'message') {
    conference.message(caller, str(body, 'type') ?? 'text/plain', str(body, 'payload') ?? '');
    return sendResult(res, 200, 'success', true);
  }
  const hostOnly: Record<string, () => unknown> = {
    lock: () => conference.setLocked(true),
    unlock: () => conference.setLocked(false),
    muteguests: () => conference.setGuestsMuted(true),
    unmuteguests: () => conference.setGuestsMuted(false),
    set_guests_can_unmute: () => conference.setGuestsCanUnmute(body.setting === true),
    start_conference: () => conference.startConference(),
    // Accepted, no effect: the double has one fixed layout.
    transform_layout: () => undefined,
    clearallbuzz: () => {
      for (const p of conference.list()) if (p.buzzTime) conference.setParticipant(p.uuid, { buzzTime: 0 });
    },
    disconnect: () => conference.disconnectAll('Conference terminated by another participant'),
  };
  if (rest === 'dial') {
    if (!isHost) return sendResult(res, 403, 'failed', INSUFFICIENT);
    const role = body.role;
    const destination = str(body, 'destination');
    const protocol = body.protocol as DialProtocol;
    if ((role !== 'HOST' && role !== 'GUEST') || !destination || !DIAL_PROTOCOLS.includes(protocol)) {
      throw new BadRequest('dial needs role HOST|GUEST, destination and protocol');
    }
    const uuid = conference.dial({
      role,
      destination,
      protocol,
      remoteDisplayName: str(body, 'remote_display_name'),
      sourceDisplayName: str(body, 'source_display_name'),
    });
    return sendResult(res, 200, 'success', [uuid]);
  }
  const action = hostOnly[rest];
  if (!action) return sendResult(res, 404, 'failed', 'Not found');
  if (!isHost) return sendResult(res, 403, 'failed', INSUFFICIENT);
  action();
  sendResult(res, 200, 'success', true);
}

async function participantRoute(
  r: ConferenceRequest,
  caller: ParticipantRecord,
  targetUuid: string,
  action: string,
): Promise<void> {
  const { res, conference } = r;
  if (r.req.method !== 'POST') return sendResult(res, 405, 'failed', 'Method not allowed');
  const target = conference.get(targetUuid);
  // [inferred] Pexip's exact answer for an unknown participant is not documented.
  if (!target) return sendResult(res, 404, 'failed', 'Participant not found');
  const self = target.uuid === caller.uuid;
  const isHost = caller.role === 'chair';
  const body = await readJsonObject(r.req);

  const callMatch = /^calls\/([^/]+)\/([a-z_]+)$/.exec(action);
  if (action === 'calls' || callMatch) {
    if (!self) return sendResult(res, 403, 'failed', INSUFFICIENT);
    return callRoute(r, caller, body, callMatch?.[1], callMatch?.[2]);
  }

  const selfAllowed = new Set(['mute', 'video_muted', 'video_unmuted', 'client_mute', 'client_unmute', 'buzz', 'clearbuzz', 'disconnect', 'dtmf', 'take_floor', 'release_floor']);
  const guestMayUnmute = !conference.guestsMuted || conference.guestsCanUnmute;
  const allowed =
    isHost ||
    action === 'message' ||
    (self && (selfAllowed.has(action) || (action === 'unmute' && guestMayUnmute)));
  const u = target.uuid;
  const handlers: Record<string, () => unknown> = {
    mute: () => conference.setParticipant(u, { isMuted: true }),
    unmute: () => conference.setParticipant(u, { isMuted: false }),
    video_muted: () => conference.setParticipant(u, { isVideoMuted: true }),
    video_unmuted: () => conference.setParticipant(u, { isVideoMuted: false }),
    client_mute: () => conference.setParticipant(u, { isClientMuted: true }),
    client_unmute: () => conference.setParticipant(u, { isClientMuted: false }),
    spotlighton: () => conference.setParticipant(u, { spotlight: Math.floor(Date.now() / 1000) }),
    spotlightoff: () => conference.setParticipant(u, { spotlight: 0 }),
    buzz: () => conference.setParticipant(u, { buzzTime: Math.floor(Date.now() / 1000) }),
    clearbuzz: () => conference.setParticipant(u, { buzzTime: 0 }),
    unlock: () => conference.admit(u),
    disconnect: () => (self ? conference.leave(u) : conference.kick(u)),
    dtmf: () => undefined,
    message: () => conference.message(caller, str(body, 'type') ?? 'text/plain', str(body, 'payload') ?? '', u),
    role: () => {
      const role = body.role;
      if (role !== 'chair' && role !== 'guest') return 'invalid';
      conference.setRole(u, role);
    },
    // The floor: presentation_start/stop to the others and the presenter's slides relayed (conference.ts).
    take_floor: () => conference.takeFloor(u),
    release_floor: () => conference.releaseFloor(u),
  };
  const handler = handlers[action];
  if (!handler) return sendResult(res, 404, 'failed', 'Not found');
  if (!allowed) return sendResult(res, 403, 'failed', INSUFFICIENT);
  // [inferred] the library knows "Invalid role" as an error string; sent as a 403 like the others.
  if (handler() === 'invalid') return sendResult(res, 403, 'failed', 'Invalid role');
  const nullResult = action === 'take_floor' || action === 'release_floor';
  sendResult(res, 200, 'success', nullResult ? null : true);
}

async function callRoute(
  r: ConferenceRequest,
  caller: ParticipantRecord,
  body: Record<string, unknown>,
  callUuid: string | undefined,
  action: string | undefined,
): Promise<void> {
  const { res, conference } = r;
  if (callUuid === undefined) {
    const sdp = str(body, 'sdp');
    if (!sdp) throw new BadRequest('calls needs an sdp');
    const answer = await conference.answerCall(caller.uuid, sdp);
    return sendResult(res, 200, 'success', { call_uuid: answer.callUuid, sdp: answer.sdp });
  }
  if (!conference.callOf(caller.uuid, callUuid)) return sendResult(res, 404, 'failed', 'Call not found');
  switch (action) {
    case 'ack':
      conference.ackCall(caller.uuid);
      return sendResult(res, 200, 'success', true);
    case 'new_candidate':
      await conference.relay.addCandidate(caller.uuid, str(body, 'candidate') ?? '', str(body, 'mid'));
      return sendResult(res, 200, 'success', null);
    case 'update': {
      const sdp = str(body, 'sdp');
      if (!sdp) throw new BadRequest('update needs an sdp');
      const answer = await conference.updateCall(caller.uuid, sdp);
      return sendResult(res, 200, 'success', { call_uuid: callUuid, sdp: answer });
    }
    case 'disconnect':
      conference.disconnectCall(caller.uuid);
      return sendResult(res, 200, 'success', null);
    case 'dtmf':
    case 'statistics':
      return sendResult(res, 200, 'success', true);
    default:
      return sendResult(res, 404, 'failed', 'Not found');
  }
}
