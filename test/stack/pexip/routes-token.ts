/**
 * request_token, refresh_token, release_token and the event stream: the routes that deal
 * with PINs and tokens. Nothing here writes a PIN or a token anywhere but the response.
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Conference } from './conference';
import { BadRequest, readJsonObject, sendResult, str } from './http';
import type { PexipNode } from './node';

/** Pexip's version block; the validators want the object present. */
export const VERSION = { version_id: '36', pseudo_version: '0' };
export const NOT_FOUND = 'Neither conference nor gateway found';
export const RETRIES_EXCEEDED = 'Participant exceeded PIN entry retries';

export interface ConferenceRequest {
  node: PexipNode;
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  key: string;
  conference: Conference;
  /** The alias exactly as the client sent it. */
  alias: string;
}

function headerToken(req: IncomingMessage): string | undefined {
  const t = req.headers.token;
  return typeof t === 'string' && t ? t : undefined;
}

/** Constant-time PIN comparison; a trailing `#` (IVR style) is ignored as Pexip does. */
function samePin(given: string, expected: string): boolean {
  if (!expected) return false;
  const digest = (s: string) => createHash('sha256').update(s.replace(/#$/, '')).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

export async function requestToken(r: ConferenceRequest): Promise<void> {
  const { node, req, res, key, conference } = r;
  const gate = node.pins.gate(key);
  if (gate === 'break-in-blocked') return sendResult(res, 404, 'failed', NOT_FOUND);
  if (gate === 'retries-exceeded') return sendResult(res, 403, 'failed', RETRIES_EXCEEDED);

  const body = await readJsonObject(req);
  const displayName = str(body, 'display_name');
  if (displayName === undefined) throw new BadRequest('display_name is required');

  // A room that asks for single sign-on first (unless the request carries an SSO token):
  // 403 with the identity providers to choose from (@pexip/infinity-api 20, token/types.d.ts,
  // `Result2`; what the library's onIdp reads). The double has no IdP: no SSO token passes.
  if (conference.room.ssoIdps?.length && !str(body, 'sso_token')?.replace(/^none$/, '')) {
    return sendResult(res, 403, 'success', { idp: conference.room.ssoIdps.map((name, i) => ({ name, uuid: `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}` })), version: VERSION });
  }

  const pinHeader = req.headers.pin;
  const pin = typeof pinHeader === 'string' ? pinHeader : undefined;
  const { hostPin, guestPin } = conference.room;
  // A VMR without PINs: Pexip asks for none and everyone joins as a Host (Pexip's
  // administrator guide, "About PINs, Hosts and Guests").
  const pinless = !hostPin && !guestPin;
  if (!pinless && (pin === undefined || pin === '')) {
    // The PIN prompt: both keys (and version) must be there for the library's onPinRequired.
    return sendResult(res, 403, 'success', {
      pin: 'required',
      guest_pin: guestPin ? 'required' : 'none',
      version: VERSION,
    });
  }
  let role: 'HOST' | 'GUEST' | undefined;
  if (pinless || samePin(pin ?? '', hostPin)) role = 'HOST';
  else if (guestPin ? samePin(pin ?? '', guestPin) : pin === 'none') role = 'GUEST';
  if (!role) {
    const after = node.pins.recordFailure(key);
    if (after === 'break-in-blocked') return sendResult(res, 404, 'failed', NOT_FOUND);
    if (after === 'retries-exceeded') return sendResult(res, 403, 'failed', RETRIES_EXCEEDED);
    return sendResult(res, 403, 'success', 'Invalid PIN');
  }

  const callTag = str(body, 'call_tag') ?? '';
  const p = conference.join({
    displayName,
    role: role === 'HOST' ? 'chair' : 'guest',
    callTag,
    localAlias: r.alias,
  });
  const token = node.tokens.issue(key, p.uuid, role);
  sendResult(res, 200, 'success', {
    token,
    // A numeric string: the library does Number(expires) and refreshes every expires/3 s.
    expires: String(node.opts.tokenExpiresSeconds),
    participant_uuid: p.uuid,
    display_name: p.displayName,
    role,
    current_service_type: p.serviceType,
    service_type: 'conference',
    conference_name: conference.name,
    version: VERSION,
    call_tag: callTag,
    chat_enabled: true,
    call_type: 'video',
    guests_can_present: true,
    // Media goes through the node; true would switch the library to peer-to-peer.
    direct_media: false,
    fecc_enabled: false,
    rtmp_enabled: false,
    rtsp_enabled: false,
    trickle_ice_enabled: true,
    vp9_enabled: false,
    allow_1080p: false,
    analytics_enabled: false,
    // `stun`/`turn` only when the stack gave the node a STUN/TURN server (node.ts, IceServers):
    // an empty stun list would make the library build an ICE server with no URL, which
    // RTCPeerConnection rejects.
    ...(node.iceServers?.stun.length ? { stun: node.iceServers.stun } : {}),
    ...(node.iceServers?.turn.length ? { turn: node.iceServers.turn } : {}),
  });
}

export function refreshToken(r: ConferenceRequest): void {
  const refreshed = r.node.tokens.refresh(headerToken(r.req));
  if (!refreshed || refreshed.session.room !== r.key || !r.conference.get(refreshed.session.participantUuid)) {
    return sendResult(r.res, 403, 'success', 'Invalid token');
  }
  const p = r.conference.get(refreshed.session.participantUuid);
  sendResult(r.res, 200, 'success', {
    token: refreshed.token,
    expires: String(r.node.opts.tokenExpiresSeconds),
    role: p?.role === 'chair' ? 'HOST' : 'GUEST',
  });
}

/** Also takes `?token=`: navigator.sendBeacon (reason "Browser closed") cannot set headers. */
export async function releaseToken(r: ConferenceRequest): Promise<void> {
  await readJsonObject(r.req).catch(() => ({})); // `{reason}`; not needed
  const session = r.node.tokens.lookup(headerToken(r.req) ?? r.url.searchParams.get('token') ?? undefined);
  if (!session || session.room !== r.key) return sendResult(r.res, 403, 'success', 'Invalid token');
  r.conference.leave(session.participantUuid);
  sendResult(r.res, 200, 'success', true);
}

/** `GET …/events?token=`: EventSource cannot send headers, so the token is in the query. */
export function events(r: ConferenceRequest): void {
  const session = r.node.tokens.lookup(r.url.searchParams.get('token') ?? headerToken(r.req));
  if (!session || session.room !== r.key || !r.conference.get(session.participantUuid)) {
    return sendResult(r.res, 403, 'success', 'Invalid token');
  }
  r.conference.attachEvents(session.participantUuid, r.res);
}
