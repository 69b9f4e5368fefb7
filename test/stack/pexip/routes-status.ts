/**
 * The Management API's participant status (`/api/admin/status/v1/participant/`), as a
 * Management Node answers it: read-only, HTTP Basic authentication with an administrator
 * account (a read-only one is enough), Tastypie's list form `{meta, objects}` with
 * `limit`/`offset` paging and the `conference` filter. What a booking overview (MedCom's)
 * polls to show who is in each meeting, and what the console polls for its waiting badge.
 *
 * Fields as docs.pexip.com lists them for the participant status resource; values the docs
 * leave open are marked [inferred]:
 * - `role`: the docs describe "host" and "guest", while answers in Pexip's own Go SDK tests
 *   and published examples carry `chair` and `guest`; the double sends `chair` [inferred].
 * - `service_type`: a guest waiting for a host (or for admission to a locked conference) is
 *   `waiting_room`, as in published answers; `connecting` for a dial-out still ringing
 *   [inferred: the Client API's value].
 * - `protocol`: `WebRTC`, `SIP`, `H323`, `MSSIP`, `RTMP`; a client that has a token but no
 *   call yet is `API` [inferred].
 * - `conference` is the service's name (the VMR's `name`), not an alias.
 * - Unknown query parameters are ignored; `limit=0` lists everything (Tastypie) [inferred].
 * - Authentication (HTTP Basic), the rate limit and the separate port: management.ts.
 *
 * Not a browser API: no CORS headers (the console's main process calls it, never a page).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Conference } from './conference';
import type { ParticipantRecord, Protocol } from './participant-json';

export const STATUS_PREFIX = '/api/admin/status/v1/participant/';

/** Tastypie's default page size. */
const DEFAULT_LIMIT = 20;

const PROTOCOL: Record<Protocol, string> = { api: 'API', webrtc: 'WebRTC', sip: 'SIP', h323: 'H323', mssip: 'MSSIP', rtmp: 'RTMP' };

export function send(res: ServerResponse, code: number, body?: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(code, {
    ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    'cache-control': 'no-store',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

/** A naive UTC timestamp with microseconds, as the Management API writes datetimes. */
function datetime(unixSeconds: number): string {
  return `${new Date(unixSeconds * 1000).toISOString().slice(0, -1)}000`;
}

export function statusParticipantJson(conference: Conference, p: ParticipantRecord): Record<string, unknown> {
  return {
    bandwidth: 0,
    call_direction: p.callDirection,
    call_quality: '0_unknown',
    call_tag: p.callTag,
    call_uuid: p.uuid,
    conference: conference.name,
    connect_time: datetime(p.startTime),
    conversation_id: p.uuid,
    destination_alias: p.callDirection === 'in' ? p.localAlias : p.uri,
    display_name: p.displayName,
    encryption: 'On',
    has_media: p.hasMedia,
    id: p.uuid,
    idp_uuid: '',
    is_client_muted: p.isClientMuted,
    is_direct: false,
    is_disconnect_supported: true,
    is_idp_authenticated: false,
    is_mute_supported: true,
    // A boolean here (the Client API's participant says "YES"/"NO").
    is_muted: p.isMuted,
    is_on_hold: false,
    is_presentation_supported: true,
    is_presenting: p.isPresenting,
    is_recording: false,
    is_streaming: false,
    is_transcribing: false,
    is_transfer_supported: false,
    license_count: p.hasMedia ? 1 : 0,
    // An audio-only call takes an audio licence (Pexip's licensing docs name port and audio licences).
    license_type: p.hasMedia ? (p.callType === 'audio' ? 'audio' : 'port') : 'nolicense',
    media_node: '127.0.0.1',
    parent_id: '',
    participant_alias: p.callDirection === 'in' ? p.displayName : p.uri,
    protocol: PROTOCOL[p.protocol],
    proxy_node: '',
    remote_address: '127.0.0.1',
    remote_port: 0,
    resource_uri: `${STATUS_PREFIX}${p.uuid}/`,
    role: p.role,
    rx_bandwidth: 0,
    service_tag: '',
    service_type: p.serviceType,
    signalling_node: '127.0.0.1',
    source_alias: p.callDirection === 'in' ? p.displayName : p.localAlias,
    system_location: 'sandbox',
    transcoding_enabled: true,
    tx_bandwidth: 0,
    vendor: p.vendor,
  };
}

export function nonNegative(value: string | null, fallback: number): number {
  if (value === null) return fallback;
  const n = Number(value);
  return Number.isInteger(n) && n >= 0 ? n : fallback;
}

export function statusRoute(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  deps: { conferences: () => Conference[] },
): void {
  if (req.method !== 'GET') return send(res, 405, undefined, { allow: 'GET' });

  const all = deps.conferences().flatMap((c) => c.list().map((p) => ({ c, p })));
  const id = url.pathname.slice(STATUS_PREFIX.length).replace(/\/$/, '');
  if (id) {
    const one = all.find(({ p }) => p.uuid === id);
    return one ? send(res, 200, statusParticipantJson(one.c, one.p)) : send(res, 404);
  }

  const conference = url.searchParams.get('conference');
  const matching = conference === null ? all : all.filter(({ c }) => c.name === conference);
  send(res, 200, tastypieList(url, STATUS_PREFIX, matching.map(({ c, p }) => statusParticipantJson(c, p))));
}

/** Tastypie's list answer: `limit` (0: everything) and `offset` paging, `meta.next`/`previous` as paths. */
export function tastypieList(url: URL, prefix: string, all: unknown[]): { meta: Record<string, unknown>; objects: unknown[] } {
  const limit = nonNegative(url.searchParams.get('limit'), DEFAULT_LIMIT);
  const offset = nonNegative(url.searchParams.get('offset'), 0);
  const page = limit === 0 ? all.slice(offset) : all.slice(offset, offset + limit);
  const pageUrl = (at: number) => {
    const q = new URLSearchParams(url.searchParams);
    q.set('limit', String(limit));
    q.set('offset', String(at));
    return `${prefix}?${q.toString()}`;
  };
  return {
    meta: {
      limit,
      next: limit > 0 && offset + limit < all.length ? pageUrl(offset + limit) : null,
      offset,
      previous: limit > 0 && offset > 0 ? pageUrl(Math.max(0, offset - limit)) : null,
      total_count: all.length,
    },
    objects: page,
  };
}
