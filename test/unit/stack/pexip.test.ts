/**
 * The Pexip double (test/stack/pexip) over real HTTP, no browser: every REST answer the
 * console will meet is checked with the validators @pexip/infinity-api ships (the ones the
 * library itself runs), PIN guessing resistance, waiting room and lock, host controls, the
 * event stream's wire format, CORS, and the WebRTC call signalling with werift playing the
 * browser.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { afterEach, describe, expect, test } from 'vitest';
import { RTCPeerConnection } from 'werift';
import * as TokenV from '@pexip/infinity-api/dist/token/validation.js';
import * as ConfV from '@pexip/infinity-api/dist/conference/validation.js';
import * as PartV from '@pexip/infinity-api/dist/participant/validation.js';
import * as CallV from '@pexip/infinity-api/dist/call/validation.js';
import { startPexip, type PexipHandle, type PexipRoom, type StartPexipOptions } from '../../stack/pexip';
import { until } from '../../support/until';

// ---- harness ------------------------------------------------------------------------------

const started: PexipHandle[] = [];
const peers: RTCPeerConnection[] = [];
const streams: SseClient[] = [];
afterEach(async () => {
  for (const s of streams.splice(0)) s.close();
  await Promise.all(peers.splice(0).map((pc) => pc.close().catch(() => undefined)));
  await Promise.all(started.splice(0).map((p) => p.stop()));
});

const ROOM: PexipRoom = { alias: 'vmr-clinic-1', hostPin: '31415926', guestPin: '27182818', name: 'Clinic room' };

async function start(opts: StartPexipOptions = {}, room: PexipRoom = ROOM): Promise<PexipHandle> {
  const px = await startPexip(opts);
  started.push(px);
  px.addRoom(room);
  return px;
}

type Validator = (data: unknown) => boolean;

/** Validates a clone: the validators strip unknown keys in place. */
function expectValid(name: string, validator: Validator, body: unknown): void {
  const ok = validator(structuredClone(body));
  const errors = (validator as Validator & { errors?: unknown }).errors;
  expect(ok, `${name}: ${JSON.stringify(errors)}`).toBe(true);
}

interface ApiResponse {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

async function api(
  px: PexipHandle,
  path: string,
  opts: { method?: string; token?: string; pin?: string; body?: unknown; alias?: string } = {},
): Promise<ApiResponse> {
  const headers: Record<string, string> = {};
  if (opts.token) headers.token = opts.token;
  if (opts.pin !== undefined) headers.pin = opts.pin;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${px.url}/api/client/v2/conferences/${encodeURIComponent(opts.alias ?? ROOM.alias)}/${path}`, {
    method: opts.method ?? 'POST',
    headers,
    ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  const isJson = (res.headers.get('content-type') ?? '').startsWith('application/json');
  return { status: res.status, headers: res.headers, body: isJson ? JSON.parse(text) : text };
}

interface Joined {
  token: string;
  uuid: string;
  body: ApiResponse['body'];
}

async function requestToken(px: PexipHandle, pin: string | undefined, name: string, alias = ROOM.alias): Promise<ApiResponse> {
  return api(px, 'request_token', { pin, alias, body: { display_name: name, call_tag: 'unit-test' } });
}

async function joinAs(px: PexipHandle, pin: string, name: string): Promise<Joined> {
  const res = await requestToken(px, pin, name);
  expect(res.status).toBe(200);
  expectValid('request_token 200', TokenV.validateRequestToken200, res.body);
  return { token: res.body.result.token, uuid: res.body.result.participant_uuid, body: res.body };
}

interface SseMessage {
  event: string;
  data: string;
}

/** A raw event-stream reader (what EventSource sees), keeping every message in order. */
class SseClient {
  raw = '';
  messages: SseMessage[] = [];
  ended = false;
  private constructor(
    private readonly req: ReturnType<typeof httpRequest>,
    readonly res: IncomingMessage,
  ) {
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      this.raw += chunk;
      this.parse();
    });
    res.on('end', () => (this.ended = true));
    res.on('close', () => (this.ended = true));
  }

  static open(px: PexipHandle, token: string, alias = ROOM.alias): Promise<SseClient> {
    return new Promise((resolve, reject) => {
      // Like @pexip/infinity: neither the alias nor the token URL-encoded.
      const req = httpRequest(`${px.url}/api/client/v2/conferences/${alias}/events?token=${token}`, (res) => {
        const client = new SseClient(req, res);
        streams.push(client);
        resolve(client);
      });
      req.on('error', reject);
      req.end();
    });
  }

  private parsed = 0;
  private parse(): void {
    let end: number;
    while ((end = this.raw.indexOf('\n\n', this.parsed)) >= 0) {
      const block = this.raw.slice(this.parsed, end);
      this.parsed = end + 2;
      const lines = block.split('\n').filter((l) => !l.startsWith(':'));
      if (!lines.length) continue;
      const event = lines.find((l) => l.startsWith('event: '))?.slice(7) ?? '';
      const data = lines.find((l) => l.startsWith('data: '))?.slice(6) ?? '';
      this.messages.push({ event, data });
    }
  }

  named(event: string): Array<Record<string, unknown>> {
    return this.messages.filter((m) => m.event === event).map((m) => JSON.parse(m.data) as Record<string, unknown>);
  }

  async waitFor(event: string, match: (data: Record<string, unknown>) => boolean = () => true): Promise<Record<string, unknown>> {
    let found: Record<string, unknown> | undefined;
    await until(() => (found = this.named(event).find(match)) !== undefined, { what: `SSE ${event}` });
    return found as Record<string, unknown>;
  }

  close(): void {
    this.req.destroy();
  }
}

/** A werift peer playing the browser: audio + video (+ an inactive slides line), loopback only. */
async function browserOffer(opts: { slides?: boolean; audioOnly?: boolean } = {}): Promise<{ pc: RTCPeerConnection; sdp: string }> {
  const pc = new RTCPeerConnection({
    iceServers: [],
    iceUseIpv4: false,
    iceUseIpv6: false,
    iceAdditionalHostAddresses: ['127.0.0.1'],
    iceInterfaceAddresses: { udp4: '127.0.0.1' },
  });
  peers.push(pc);
  pc.addTransceiver('audio', { direction: 'sendrecv' });
  // Audio only, as @pexip/infinity offers it for ClientCallType.Audio: the video line inactive.
  pc.addTransceiver('video', { direction: opts.audioOnly ? 'inactive' : 'sendrecv' });
  if (opts.slides) pc.addTransceiver('video', { direction: 'inactive' });
  await pc.setLocalDescription(await pc.createOffer());
  await until(() => pc.iceGatheringState === 'complete', { what: 'werift gathering' });
  return { pc, sdp: pc.localDescription?.sdp ?? '' };
}

/** request_token + calls + ack: a participant with media, as @pexip/infinity gets there. */
async function joinWithMedia(px: PexipHandle, pin: string, name: string): Promise<Joined & { callUuid: string }> {
  const joined = await joinAs(px, pin, name);
  const { sdp } = await browserOffer();
  const call = await api(px, `participants/${joined.uuid}/calls`, {
    token: joined.token,
    body: { call_type: 'WEBRTC', sdp, media_type: 'video', fecc_supported: false },
  });
  expect(call.status).toBe(200);
  const ack = await api(px, `participants/${joined.uuid}/calls/${call.body.result.call_uuid}/ack`, {
    token: joined.token,
    body: {},
  });
  expectValid('ack 200', CallV.validateAck200, ack.body);
  return { ...joined, callUuid: call.body.result.call_uuid };
}

const serviceTypeOf = (px: PexipHandle, uuid: string) => px.participants(ROOM.alias).find((p) => p.uuid === uuid)?.serviceType;

// ---- tests --------------------------------------------------------------------------------

describe('request_token', () => {
  test('asks for the PIN, refuses a wrong one, and gives HOST and GUEST (waiting) tokens', async () => {
    const px = await start();

    const noPin = await requestToken(px, undefined, 'Dr Sam Placeholder');
    expect(noPin.status).toBe(403);
    expect(noPin.headers.get('content-type')).toMatch(/^application\/json/);
    expectValid('request_token 403 PIN required', TokenV.validateRequestToken403, noPin.body);
    expect(noPin.body.result).toMatchObject({ pin: 'required', guest_pin: 'required' });

    const wrong = await requestToken(px, '00000000', 'Dr Sam Placeholder');
    expect(wrong.status).toBe(403);
    expectValid('request_token 403 Invalid PIN', TokenV.validateRequestToken403, wrong.body);
    expect(wrong.body.result).toBe('Invalid PIN');

    const guest = await joinAs(px, ROOM.guestPin, 'Alex Example');
    expect(guest.body.result).toMatchObject({
      role: 'GUEST',
      current_service_type: 'waiting_room',
      display_name: 'Alex Example',
      conference_name: 'Clinic room',
      expires: '120',
    });
    const host = await joinAs(px, ROOM.hostPin, 'Dr Sam Placeholder');
    expect(host.body.result).toMatchObject({ role: 'HOST', current_service_type: 'conference' });
    // A real node's form: URL-safe base64 of the claims (the library puts it unencoded into
    // URLs), a signature, 1,000 characters by default; the role and participant inside, no name.
    expect(host.token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(host.token).toHaveLength(1000);
    const claims = JSON.parse(Buffer.from(host.token.split('.')[0]!, 'base64url').toString('utf8'));
    expect(claims).toMatchObject({ role: 'HOST', alias: ROOM.alias, participant_uuid: host.uuid });
    expect(claims.exp - claims.iat).toBe(120);
    expect(host.token).not.toContain(Buffer.from('Dr Sam').toString('base64url').slice(0, 6));
    expect(host.token).not.toBe(guest.token);

    const list = await api(px, 'participants', { method: 'GET', token: host.token });
    expectValid('participants 200', ConfV.validateParticipants200, list.body);
    const byName = Object.fromEntries(
      (list.body.result as Array<Record<string, unknown>>).map((p) => [p.display_name, p]),
    );
    expect(byName['Alex Example']).toMatchObject({ role: 'guest', service_type: 'waiting_room', call_tag: 'unit-test' });
    expect(byName['Dr Sam Placeholder']).toMatchObject({ role: 'chair', service_type: 'conference', protocol: 'api' });

    const status = await api(px, 'conference_status', { method: 'GET', token: guest.token });
    expectValid('conference_status 200', ConfV.validateConferenceStatus200, status.body);

    const theme = await api(px, 'theme/', { method: 'GET', token: guest.token });
    expect(theme.status).toBe(204);
  });

  test('a room without a guest PIN says guest_pin none and takes the PIN "none" for guests', async () => {
    const px = await start({}, { alias: 'open-room', hostPin: '11223344', guestPin: '' });
    const prompt = await requestToken(px, undefined, 'Robin Sample', 'open-room');
    expectValid('403 PIN required', TokenV.validateRequestToken403, prompt.body);
    expect(prompt.body.result).toMatchObject({ pin: 'required', guest_pin: 'none' });
    const guest = await requestToken(px, 'none', 'Robin Sample', 'open-room');
    expectValid('request_token 200', TokenV.validateRequestToken200, guest.body);
    expect(guest.body.result.role).toBe('GUEST');
  });

  test('an unknown alias is 404; alias@domain reaches the room', async () => {
    const px = await start();
    const missing = await requestToken(px, ROOM.hostPin, 'Dr Sam Placeholder', 'no-such-room');
    expect(missing.status).toBe(404);
    expectValid('request_token 404', TokenV.validateRequestToken404, missing.body);
    expect(missing.body.result).toBe('Neither conference nor gateway found');

    const withDomain = await requestToken(px, ROOM.hostPin, 'Dr Sam Placeholder', `${ROOM.alias}@${px.domain}`);
    expectValid('request_token 200', TokenV.validateRequestToken200, withDomain.body);
  });

  test('refresh gives a new token, the old one works for a grace period, release ends the session', async () => {
    const px = await start({ tokenExpiresSeconds: 30 });
    const host = await joinAs(px, ROOM.hostPin, 'Dr Sam Placeholder');
    expect(host.body.result.expires).toBe('30');

    const refreshed = await api(px, 'refresh_token', { token: host.token });
    expect(refreshed.status).toBe(200);
    expectValid('refresh_token 200', TokenV.validateRefreshToken200, refreshed.body);
    const next = refreshed.body.result.token as string;
    expect(next).not.toBe(host.token);
    expect(next).toHaveLength(host.token.length);
    expect((await api(px, 'participants', { method: 'GET', token: host.token })).status).toBe(200);
    expect((await api(px, 'participants', { method: 'GET', token: next })).status).toBe(200);
    // Every refresh a new one; a token two refreshes old is refused.
    const third = (await api(px, 'refresh_token', { token: next })).body.result.token as string;
    expect(new Set([host.token, next, third]).size).toBe(3);
    expect((await api(px, 'participants', { method: 'GET', token: host.token })).status).toBe(403);
    expect((await api(px, 'participants', { method: 'GET', token: third })).status).toBe(200);
    const bogus = await api(px, 'refresh_token', { token: 'not-a-token' });
    expect(bogus.status).toBe(403);
    expectValid('refresh_token 403', TokenV.validateRefreshToken403, bogus.body);

    // navigator.sendBeacon form: token in the query string.
    const res = await fetch(`${px.url}/api/client/v2/conferences/${ROOM.alias}/release_token?token=${next}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'Browser closed' }),
    });
    const released = await res.json();
    expectValid('release_token 200', TokenV.validateReleaseToken200, released);
    expect(px.participants(ROOM.alias)).toEqual([]);
    expect((await api(px, 'participants', { method: 'GET', token: next })).status).toBe(403);
  });

  test('a token that is not refreshed in time ends the participant', async () => {
    const px = await start({ tokenExpiresSeconds: 1 });
    const host = await joinAs(px, ROOM.hostPin, 'Dr Sam Placeholder');
    const events = await SseClient.open(px, host.token);
    const gone = await events.waitFor('disconnect');
    expect(gone).toEqual({ reason: 'Timer expired awaiting token refresh' });
    expect(px.participants(ROOM.alias)).toEqual([]);
  });
});

describe('PIN guessing resistance', () => {
  test('more than maxPinAttempts wrong PINs lock the alias, the right PIN too, until lockoutMs is over', async () => {
    const px = await start({ maxPinAttempts: 3, pinWindowMs: 60_000, lockoutMs: 500 });
    px.addRoom({ alias: 'other-room', hostPin: '99887766', guestPin: '55443322' });
    for (let i = 0; i < 3; i++) {
      const res = await requestToken(px, `1000000${i}`, 'Mallory');
      expect(res.body.result).toBe('Invalid PIN');
    }
    const fourth = await requestToken(px, '10000009', 'Mallory');
    expect(fourth.status).toBe(403);
    expectValid('request_token 403 retries', TokenV.validateRequestToken403, fourth.body);
    expect(fourth.body).toEqual({ status: 'failed', result: 'Participant exceeded PIN entry retries' });

    const right = await requestToken(px, ROOM.hostPin, 'Dr Sam Placeholder');
    expect(right.status).toBe(403);
    expect(right.body.result).toBe('Participant exceeded PIN entry retries');
    expect(px.pinLockout(ROOM.alias)).toBe('retries-exceeded');
    // Per alias: another room is not affected.
    expect((await requestToken(px, '99887766', 'Dr Sam Placeholder', 'other-room')).status).toBe(200);

    await until(() => px.pinLockout(ROOM.alias) === 'none', { what: 'the lockout to end' });
    await joinAs(px, ROOM.hostPin, 'Dr Sam Placeholder');

    // Nothing secret in the request log.
    const log = JSON.stringify(px.requestLog);
    for (const secret of [ROOM.hostPin, ROOM.guestPin, '10000009']) expect(log).not.toContain(secret);
  });

  test('break-in resistance: more than 20 wrong PINs make the alias look absent (404)', async () => {
    const px = await start({ maxPinAttempts: 100 });
    for (let i = 0; i < 20; i++) {
      expect((await requestToken(px, String(20_000_000 + i), 'Mallory')).body.result).toBe('Invalid PIN');
    }
    const blocked = await requestToken(px, '30000000', 'Mallory');
    expect(blocked.status).toBe(404);
    expectValid('request_token 404', TokenV.validateRequestToken404, blocked.body);
    const right = await requestToken(px, ROOM.hostPin, 'Dr Sam Placeholder');
    expect(right.status).toBe(404);
    expect(px.pinLockout(ROOM.alias)).toBe('break-in-blocked');
  });
});

describe('waiting room and lock', () => {
  test('guests wait until a host has media; then they move to the conference', async () => {
    const px = await start();
    const guest = await joinAs(px, ROOM.guestPin, 'Alex Example');
    const events = await SseClient.open(px, guest.token);
    await events.waitFor('participant_sync_end');
    expect(events.named('conference_update')[0]).toMatchObject({ started: false, locked: false });

    // A host with only a token (no call yet) does not start the conference.
    const host = await joinAs(px, ROOM.hostPin, 'Dr Sam Placeholder');
    await events.waitFor('participant_create', (p) => p.uuid === host.uuid);
    expect(serviceTypeOf(px, guest.uuid)).toBe('waiting_room');

    const { sdp } = await browserOffer();
    const call = await api(px, `participants/${host.uuid}/calls`, { token: host.token, body: { call_type: 'WEBRTC', sdp } });
    await api(px, `participants/${host.uuid}/calls/${call.body.result.call_uuid}/ack`, { token: host.token, body: {} });
    await events.waitFor('participant_update', (p) => p.uuid === guest.uuid && p.service_type === 'conference');
    await events.waitFor('conference_update', (c) => c.started === true);
  });

  test('lock holds new guests until admitted; hosts join directly; unlock admits everyone waiting', async () => {
    const px = await start();
    const host = await joinWithMedia(px, ROOM.hostPin, 'Dr Sam Placeholder');
    const events = await SseClient.open(px, host.token);

    const locked = await api(px, 'lock', { token: host.token });
    expectValid('lock 200', ConfV.validateLock200, locked.body);
    await events.waitFor('conference_update', (c) => c.locked === true);
    expect(px.locked(ROOM.alias)).toBe(true);

    const first = await joinAs(px, ROOM.guestPin, 'Alex Example');
    const second = await joinAs(px, ROOM.guestPin, 'Jo Tester');
    const third = await joinAs(px, ROOM.guestPin, 'Max Muster');
    expect(first.body.result.current_service_type).toBe('waiting_room');
    const cohost = await joinAs(px, ROOM.hostPin, 'Dr Kim Example');
    expect(cohost.body.result.current_service_type).toBe('conference');

    const admitted = await api(px, `participants/${first.uuid}/unlock`, { token: host.token });
    expectValid('participant unlock 200', PartV.validateUnlockParticipant200, admitted.body);
    await events.waitFor('participant_update', (p) => p.uuid === first.uuid && p.service_type === 'conference');
    expect(serviceTypeOf(px, second.uuid)).toBe('waiting_room');

    const unlocked = await api(px, 'unlock', { token: host.token });
    expectValid('unlock 200', ConfV.validateUnlock200, unlocked.body);
    await events.waitFor('conference_update', (c) => c.locked === false);
    for (const g of [second, third]) {
      await events.waitFor('participant_update', (p) => p.uuid === g.uuid && p.service_type === 'conference');
    }
  });

  test('after the last host leaves, guests are disconnected after guestsOnlyTimeoutMs', async () => {
    const px = await start({ guestsOnlyTimeoutMs: 300 });
    const host = await joinWithMedia(px, ROOM.hostPin, 'Dr Sam Placeholder');
    const guest = await joinAs(px, ROOM.guestPin, 'Alex Example');
    expect(guest.body.result.current_service_type).toBe('conference');
    const events = await SseClient.open(px, guest.token);
    await events.waitFor('participant_sync_end');

    expectValid('release 200', TokenV.validateReleaseToken200, (await api(px, 'release_token', { token: host.token, body: {} })).body);
    await events.waitFor('participant_delete', (d) => d.uuid === host.uuid);
    const bye = await events.waitFor('disconnect');
    expect(bye).toEqual({ reason: 'All conference hosts departed hosted conference' });
    expect(px.participants(ROOM.alias)).toEqual([]);
  });
});

describe('host controls', () => {
  test('participant controls answer 200 to a host and 403 to a guest, and really change the participant', async () => {
    const px = await start();
    const host = await joinWithMedia(px, ROOM.hostPin, 'Dr Sam Placeholder');
    const guest = await joinWithMedia(px, ROOM.guestPin, 'Alex Example');
    const other = await joinAs(px, ROOM.guestPin, 'Jo Tester');
    const hostEvents = await SseClient.open(px, host.token);
    const guestEvents = await SseClient.open(px, guest.token);

    const cases: Array<[string, Validator, Validator, (p: Record<string, unknown>) => boolean]> = [
      ['mute', PartV.validateMuteParticipant200, PartV.validateMuteParticipant403, (p) => p.is_muted === 'YES'],
      ['unmute', PartV.validateUnmuteParticipant200, PartV.validateUnmuteParticipant403, (p) => p.is_muted === 'NO'],
      ['video_muted', PartV.validateVideoMuteParticipant200, PartV.validateVideoMuteParticipant403, (p) => p.is_video_muted === true],
      ['video_unmuted', PartV.validateVideoUnmuteParticipant200, PartV.validateVideoUnmuteParticipant403, (p) => p.is_video_muted === false],
    ];
    for (const [action, ok200, ok403, changed] of cases) {
      const denied = await api(px, `participants/${other.uuid}/${action}`, { token: guest.token });
      expect(denied.status, action).toBe(403);
      expectValid(`${action} 403`, ok403, denied.body);
      expect(denied.body.result).toBe('Insufficient privileges');
      const res = await api(px, `participants/${guest.uuid}/${action}`, { token: host.token });
      expectValid(`${action} 200`, ok200, res.body);
      await hostEvents.waitFor('participant_update', (p) => p.uuid === guest.uuid && changed(p));
    }
    expect(px.participants(ROOM.alias).find((p) => p.uuid === guest.uuid)).toMatchObject({ isMuted: false, isVideoMuted: false });

    const roleBody = { role: 'chair' };
    expectValid('role body', PartV.validateRoleParticipantBody, roleBody);
    const deniedRole = await api(px, `participants/${other.uuid}/role`, { token: guest.token, body: roleBody });
    expectValid('role 403', PartV.validateRoleParticipant403, deniedRole.body);
    const role = await api(px, `participants/${other.uuid}/role`, { token: host.token, body: roleBody });
    expectValid('role 200', PartV.validateRoleParticipant200, role.body);
    await hostEvents.waitFor('participant_update', (p) => p.uuid === other.uuid && p.role === 'chair');

    const deniedAdmit = await api(px, `participants/${host.uuid}/unlock`, { token: guest.token });
    expectValid('unlock 403', PartV.validateUnlockParticipant403, deniedAdmit.body);

    const deniedKick = await api(px, `participants/${host.uuid}/disconnect`, { token: guest.token });
    expectValid('disconnect 403', PartV.validateDisconnectParticipant403, deniedKick.body);
    const kicked = await api(px, `participants/${guest.uuid}/disconnect`, { token: host.token });
    expectValid('disconnect 200', PartV.validateDisconnectParticipant200, kicked.body);
    expect(await guestEvents.waitFor('disconnect')).toEqual({ reason: 'Disconnected by another participant' });
    await hostEvents.waitFor('participant_delete', (d) => d.uuid === guest.uuid);
    await until(() => guestEvents.ended, { what: 'the kicked participant’s stream to end' });
    expect(px.media(ROOM.alias).legs.map((l) => l.uuid)).toEqual([host.uuid]);
  });

  test('conference controls: host 200, guest refused; chat reaches the others', async () => {
    const px = await start();
    const host = await joinWithMedia(px, ROOM.hostPin, 'Dr Sam Placeholder');
    const guest = await joinAs(px, ROOM.guestPin, 'Alex Example');
    const hostEvents = await SseClient.open(px, host.token);
    const guestEvents = await SseClient.open(px, guest.token);

    for (const [action, validator] of [
      ['lock', ConfV.validateLock200],
      ['unlock', ConfV.validateUnlock200],
      ['muteguests', ConfV.validateMuteguests200],
      ['unmuteguests', ConfV.validateUnmuteguests200],
    ] as const) {
      const denied = await api(px, action, { token: guest.token });
      expect(denied.status, action).toBe(403);
      const res = await api(px, action, { token: host.token });
      expect(res.status).toBe(200);
      expectValid(`${action} 200`, validator, res.body);
    }
    await guestEvents.waitFor('conference_update', (c) => c.guests_muted === true);
    await guestEvents.waitFor('participant_update', (p) => p.uuid === guest.uuid && p.is_muted === 'YES');
    await guestEvents.waitFor('conference_update', (c) => c.guests_muted === false);

    const chat = { type: 'text/plain', payload: 'The results look good.' };
    expectValid('message body', ConfV.validateMessageConferenceBody, chat);
    const sent = await api(px, 'message', { token: guest.token, body: chat });
    expectValid('message 200', ConfV.validateMessageConference200, sent.body);
    expect(await hostEvents.waitFor('message_received')).toEqual({
      origin: 'Alex Example',
      uuid: guest.uuid,
      type: 'text/plain',
      payload: 'The results look good.',
      direct: false,
    });
    expect(guestEvents.named('message_received')).toEqual([]);

    expect((await api(px, 'disconnect', { token: guest.token })).status).toBe(403);
    const ended = await api(px, 'disconnect', { token: host.token });
    expectValid('disconnect 200', ConfV.validateDisconnect200, ended.body);
    for (const stream of [hostEvents, guestEvents]) {
      expect(await stream.waitFor('disconnect')).toEqual({ reason: 'Conference terminated by another participant' });
    }
    expect(px.participants(ROOM.alias)).toEqual([]);
  });

  test('dial: a connecting participant that nobody answers goes after ringTimeoutMs', async () => {
    const px = await start({ ringTimeoutMs: 300 });
    const host = await joinWithMedia(px, ROOM.hostPin, 'Dr Sam Placeholder');
    const guest = await joinAs(px, ROOM.guestPin, 'Alex Example');
    const events = await SseClient.open(px, host.token);

    const body = { role: 'GUEST', destination: 'tel:+4512345678', protocol: 'auto', remote_display_name: 'Interpreter' };
    expectValid('dial body', ConfV.validateDialBody, body);
    expect((await api(px, 'dial', { token: guest.token, body })).status).toBe(403);
    const res = await api(px, 'dial', { token: host.token, body });
    expectValid('dial 200', ConfV.validateDial200, res.body);
    const [uuid] = res.body.result as string[];
    const created = await events.waitFor('participant_create', (p) => p.uuid === uuid);
    expect(created).toMatchObject({
      call_direction: 'out',
      protocol: 'sip',
      uri: 'tel:+4512345678',
      service_type: 'connecting',
      role: 'guest',
      display_name: 'Interpreter',
      has_media: false,
    });
    await events.waitFor('participant_delete', (d) => d.uuid === uuid);
    expect(px.participants(ROOM.alias).some((p) => p.uuid === uuid)).toBe(false);
  });
});

describe('the WebRTC call', () => {
  test('calls answers a real offer (slides line kept), ack/new_candidate/update/disconnect answer as validated', async () => {
    const px = await start();
    const host = await joinAs(px, ROOM.hostPin, 'Dr Sam Placeholder');
    const { pc, sdp } = await browserOffer({ slides: true });
    const callBody = { call_type: 'WEBRTC', sdp, media_type: 'video', fecc_supported: false };
    expectValid('calls body', PartV.validateCallsWebrtcParticipantBody, callBody);

    const guest = await joinAs(px, ROOM.guestPin, 'Alex Example');
    expect((await api(px, `participants/${host.uuid}/calls`, { token: guest.token, body: callBody })).status).toBe(403);

    const call = await api(px, `participants/${host.uuid}/calls`, { token: host.token, body: callBody });
    expect(call.status).toBe(200);
    expectValid('calls 200', PartV.validateCallsWebrtcParticipant200, call.body);
    const answer = call.body.result.sdp as string;
    expect(answer.match(/^m=/gm)).toHaveLength(3);
    expect(answer).not.toMatch(/^m=\w+ 0 /m);
    expect(answer).toMatch(/a=candidate:\S+ 1 udp \d+ 127\.0\.0\.1 \d+ typ host/);
    expect(answer).not.toMatch(/a=candidate:.* (?!127\.)\d+\.\d+\.\d+\.\d+ \d+ typ/);
    const callUuid = call.body.result.call_uuid as string;
    const base = `participants/${host.uuid}/calls/${callUuid}`;

    const candidate = { candidate: 'candidate:1 1 udp 2122194687 127.0.0.1 50000 typ host generation 0', mid: '0' };
    expectValid('new_candidate body', CallV.validateNewCandidateBody, candidate);
    const cand = await api(px, `${base}/new_candidate`, { token: host.token, body: candidate });
    expectValid('new_candidate 200', CallV.validateNewCandidate200, cand.body);
    const eoc = await api(px, `${base}/new_candidate`, { token: host.token, body: { candidate: '', mid: '0' } });
    expectValid('new_candidate 200 (end of candidates)', CallV.validateNewCandidate200, eoc.body);

    const ack = await api(px, `${base}/ack`, { token: host.token, body: {} });
    expectValid('ack 200', CallV.validateAck200, ack.body);
    expect(px.participants(ROOM.alias).find((p) => p.uuid === host.uuid)).toMatchObject({ hasMedia: true, protocol: 'webrtc' });

    // werift as the browser really connects to the relay over loopback.
    await pc.setRemoteDescription({ type: 'answer', sdp: answer });
    await until(() => px.media(ROOM.alias).legs.some((l) => l.uuid === host.uuid && l.connected), { what: 'the call to connect' });

    const floor = await api(px, `participants/${host.uuid}/take_floor`, { token: host.token, body: {} });
    expectValid('take_floor 200', PartV.validateTakeFloor200, floor.body);
    const release = await api(px, `participants/${host.uuid}/release_floor`, { token: host.token, body: {} });
    expectValid('release_floor 200', PartV.validateReleaseFloor200, release.body);

    await pc.setLocalDescription(await pc.createOffer());
    const updateBody = { sdp: pc.localDescription?.sdp ?? '', fecc_supported: false };
    expectValid('update body', CallV.validateUpdateBody, updateBody);
    const update = await api(px, `${base}/update`, { token: host.token, body: updateBody });
    expectValid('update 200', CallV.validateUpdate200, update.body);
    expect(update.body.result.sdp).toMatch(/^v=0/);
    await pc.setRemoteDescription({ type: 'answer', sdp: update.body.result.sdp as string });

    const hangup = await api(px, `${base}/disconnect`, { token: host.token });
    expectValid('disconnect call 200', CallV.validateDisconnectCall200, hangup.body);
    expect(px.media(ROOM.alias).legs).toEqual([]);
    expect(px.participants(ROOM.alias).find((p) => p.uuid === host.uuid)?.hasMedia).toBe(false);
  });
});

describe('what a call carries (is_audio_only_call, is_video_call)', () => {
  /** The participant as GET …/participants reports it, validated as @pexip/infinity-api does. */
  async function reported(px: PexipHandle, token: string, uuid: string): Promise<{ is_audio_only_call: string; is_video_call: string; protocol: string }> {
    const list = await api(px, 'participants', { method: 'GET', token });
    expectValid('participants 200', ConfV.validateParticipants200, list.body);
    return (list.body.result as Array<{ uuid: string; is_audio_only_call: string; is_video_call: string; protocol: string }>).find((p) => p.uuid === uuid)!;
  }

  test('an API participant until its call; then audio only or video by its offer; API again after hanging up', async () => {
    const px = await start();
    const host = await joinAs(px, ROOM.hostPin, 'Dr Sam Placeholder');
    expect(await reported(px, host.token, host.uuid)).toMatchObject({ protocol: 'api', is_audio_only_call: 'NO', is_video_call: 'NO' });

    const audio = await joinAs(px, ROOM.hostPin, 'Alex Example');
    const { sdp } = await browserOffer({ audioOnly: true, slides: true });
    const call = await api(px, `participants/${audio.uuid}/calls`, { token: audio.token, body: { call_type: 'WEBRTC', sdp, media_type: 'audio', fecc_supported: false } });
    expect(call.status).toBe(200);
    expect(await reported(px, host.token, audio.uuid)).toMatchObject({ protocol: 'webrtc', is_audio_only_call: 'YES', is_video_call: 'NO' });
    expect(px.participants(ROOM.alias).find((p) => p.uuid === audio.uuid)?.callType).toBe('audio');

    const video = await joinWithMedia(px, ROOM.hostPin, 'Robin Example');
    expect(await reported(px, host.token, video.uuid)).toMatchObject({ protocol: 'webrtc', is_audio_only_call: 'NO', is_video_call: 'YES' });

    const hangup = await api(px, `participants/${audio.uuid}/calls/${call.body.result.call_uuid}/disconnect`, { token: audio.token });
    expect(hangup.status).toBe(200);
    expect(await reported(px, host.token, audio.uuid)).toMatchObject({ is_audio_only_call: 'NO', is_video_call: 'NO' });
  });
});

describe('presentation (the floor)', () => {
  test('take_floor: presentation_start to the others (not the presenter), is_presenting; a late stream gets it after the sync; release_floor: presentation_stop', async () => {
    const px = await start();
    const host = await joinAs(px, ROOM.hostPin, 'Dr Sam Placeholder');
    const guest = await joinAs(px, ROOM.guestPin, 'Alex Example');
    const hostEvents = await SseClient.open(px, host.token);
    const guestEvents = await SseClient.open(px, guest.token);
    await guestEvents.waitFor('participant_sync_end');
    await hostEvents.waitFor('participant_sync_end');

    const floor = await api(px, `participants/${guest.uuid}/take_floor`, { token: guest.token, body: {} });
    expectValid('take_floor 200', PartV.validateTakeFloor200, floor.body);
    const started = await hostEvents.waitFor('presentation_start');
    expect(started).toEqual({ presenter_name: 'Alex Example', presenter_uri: '', presenter_uuid: guest.uuid });
    expect(px.participants(ROOM.alias).find((p) => p.uuid === guest.uuid)?.isPresenting).toBe(true);
    // Another participant's stream opening now hears of it after the sync.
    const late = await SseClient.open(px, host.token);
    await late.waitFor('presentation_start', (e) => e.presenter_uuid === guest.uuid);
    // A guest may not take the floor for someone else.
    expect((await api(px, `participants/${host.uuid}/take_floor`, { token: guest.token, body: {} })).status).toBe(403);

    const release = await api(px, `participants/${guest.uuid}/release_floor`, { token: guest.token, body: {} });
    expectValid('release_floor 200', PartV.validateReleaseFloor200, release.body);
    await hostEvents.waitFor('presentation_stop');
    expect(px.participants(ROOM.alias).find((p) => p.uuid === guest.uuid)?.isPresenting).toBe(false);
    // The presenter was told neither.
    expect(guestEvents.named('presentation_start')).toEqual([]);
    expect(guestEvents.named('presentation_stop')).toEqual([]);
    for (const e of [hostEvents, guestEvents, late]) e.close();
  });

  test('a presenter who leaves ends the presentation for the others', async () => {
    const px = await start();
    const host = await joinAs(px, ROOM.hostPin, 'Dr Sam Placeholder');
    const guest = await joinAs(px, ROOM.guestPin, 'Alex Example');
    const hostEvents = await SseClient.open(px, host.token);
    await hostEvents.waitFor('participant_sync_end');
    await api(px, `participants/${host.uuid}/take_floor`, { token: host.token, body: {} });
    const guestEvents = await SseClient.open(px, guest.token);
    await guestEvents.waitFor('presentation_start', (e) => e.presenter_uuid === host.uuid);
    await api(px, `participants/${host.uuid}/disconnect`, { token: host.token, body: {} });
    await guestEvents.waitFor('presentation_stop');
    for (const e of [hostEvents, guestEvents]) e.close();
  });

  test("the answer marks the offer's slides line as slides (@pexip/peer-connection matches lines by content)", async () => {
    const px = await start();
    const host = await joinAs(px, ROOM.hostPin, 'Dr Sam Placeholder');
    const { sdp } = await browserOffer({ slides: true });
    const parts = sdp.split(/(?=^m=)/m);
    parts[3] = `${parts[3]}a=content:slides\r\n`;
    const call = await api(px, `participants/${host.uuid}/calls`, { token: host.token, body: { call_type: 'WEBRTC', sdp: parts.join(''), media_type: 'video', fecc_supported: false } });
    expect(call.status).toBe(200);
    const answer = (call.body.result.sdp as string).split(/(?=^m=)/m);
    expect(answer.map((m) => /^a=content:slides\r?$/m.test(m))).toEqual([false, false, false, true]);
  });
});

describe('the event stream', () => {
  test('named events with JSON data, participant sync replayed on every reconnect', async () => {
    const px = await start();
    const host = await joinAs(px, ROOM.hostPin, 'Dr Sam Placeholder');
    const guest = await joinAs(px, ROOM.guestPin, 'Alex Example');

    const first = await SseClient.open(px, host.token);
    expect(first.res.statusCode).toBe(200);
    expect(first.res.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(first.res.headers['access-control-allow-origin']).toBe('*');
    await first.waitFor('conference_update');
    expect(first.messages.map((m) => m.event)).toEqual([
      'participant_sync_begin',
      'participant_create',
      'participant_create',
      'participant_sync_end',
      'conference_update',
    ]);
    expect(first.raw.startsWith('event: participant_sync_begin\ndata: null\n\n')).toBe(true);
    for (const m of first.messages) {
      expect(m.event).not.toBe('');
      expect(m.data).not.toBe('');
      expect(() => JSON.parse(m.data)).not.toThrow();
    }
    expectValid('sync participants', ConfV.validateParticipants200, {
      status: 'success',
      result: first.named('participant_create'),
    });

    // Live events after the sync.
    await api(px, `participants/${guest.uuid}/mute`, { token: host.token });
    await first.waitFor('participant_update', (p) => p.uuid === guest.uuid && p.is_muted === 'YES');

    // A reconnect (after a refresh, with the new token) replays the whole sync.
    first.close();
    const refreshed = await api(px, 'refresh_token', { token: host.token });
    const second = await SseClient.open(px, refreshed.body.result.token as string);
    await second.waitFor('participant_sync_end');
    expect(second.messages.slice(0, 4).map((m) => m.event)).toEqual([
      'participant_sync_begin',
      'participant_create',
      'participant_create',
      'participant_sync_end',
    ]);
    expect(second.named('participant_create').find((p) => p.uuid === guest.uuid)).toMatchObject({ is_muted: 'YES' });

    const denied = await fetch(`${px.url}/api/client/v2/conferences/${ROOM.alias}/events?token=nope`);
    expect(denied.status).toBe(403);
  });

  test('stage names the active speaker when it changes', async () => {
    const px = await start();
    const host = await joinWithMedia(px, ROOM.hostPin, 'Dr Sam Placeholder');
    const guest = await joinWithMedia(px, ROOM.guestPin, 'Alex Example');
    const events = await SseClient.open(px, host.token);
    await events.waitFor('participant_sync_end');
    // The replay after the sync already names the current speaker (the host, first in).
    expect(events.named('stage')).toEqual([[{ participant_uuid: host.uuid, stage_index: 0, vad: 100 }]]);
    px.forceSpeaker(ROOM.alias, guest.uuid);
    await until(() => events.named('stage').length > 1, { what: 'a new stage event' });
    const stage = events.named('stage')[1] as unknown as Array<Record<string, unknown>>;
    expect(stage[0]).toEqual({ participant_uuid: guest.uuid, stage_index: 0, vad: 100 });
    expect(stage.map((s) => s.participant_uuid)).toEqual([guest.uuid, host.uuid]);
    expect(px.media(ROOM.alias).speaker).toBe(guest.uuid);
  });
});

describe('CORS and the node going away', () => {
  test('preflight allows the token, pin and content-type headers; answers carry the CORS origin', async () => {
    const px = await start();
    const res = await fetch(`${px.url}/api/client/v2/conferences/${ROOM.alias}/request_token`, {
      method: 'OPTIONS',
      headers: {
        origin: 'null',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,pin',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const allowed = (res.headers.get('access-control-allow-headers') ?? '').split(/,\s*/);
    expect(allowed).toEqual(expect.arrayContaining(['content-type', 'token', 'pin']));
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');

    const prompt = await requestToken(px, undefined, 'Dr Sam Placeholder');
    expect(prompt.headers.get('access-control-allow-origin')).toBe('*');
  });

  test('with configured origins, answers only those: a foreign origin is refused at the preflight and gets no CORS header', async () => {
    const px = await start();
    px.setCorsOrigins(['http://console.invalid:8080']);
    const preflight = (origin: string) =>
      fetch(`${px.url}/api/client/v2/conferences/${ROOM.alias}/request_token`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,pin' },
      });
    const ok = await preflight('http://console.invalid:8080');
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe('http://console.invalid:8080');
    expect(ok.headers.get('vary')).toBe('Origin');
    const foreign = await preflight('https://elsewhere.invalid');
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    const answer = await fetch(`${px.url}/api/client/v2/conferences/${ROOM.alias}/request_token`, {
      method: 'POST',
      headers: { origin: 'https://elsewhere.invalid', 'content-type': 'application/json' },
      body: JSON.stringify({ display_name: 'Jo Tester' }),
    });
    expect(answer.headers.get('access-control-allow-origin')).toBeNull();

    // allowOrigin adds one more page (as the e2e fixtures add each console and guest page).
    px.allowOrigin('https://elsewhere.invalid');
    expect((await preflight('https://elsewhere.invalid')).status).toBe(204);
    expect(px.corsOrigins()).toEqual(['http://console.invalid:8080', 'https://elsewhere.invalid']);
  });

  test('setDown cuts every connection and refuses new ones; back up, old tokens are gone', async () => {
    const px = await start();
    const host = await joinWithMedia(px, ROOM.hostPin, 'Dr Sam Placeholder');
    const events = await SseClient.open(px, host.token);
    await events.waitFor('participant_sync_end');

    px.setDown(true);
    await until(() => events.ended, { what: 'the event stream to be cut' });
    await expect(requestToken(px, ROOM.hostPin, 'Dr Sam Placeholder')).rejects.toThrow();
    expect(px.participants(ROOM.alias)).toEqual([]);
    expect(px.media(ROOM.alias).legs).toEqual([]);

    px.setDown(false);
    expect((await api(px, 'participants', { method: 'GET', token: host.token })).status).toBe(403);
    await joinAs(px, ROOM.hostPin, 'Dr Sam Placeholder');
  });
});

describe('the Management API participant status', () => {
  /** The fields docs.pexip.com lists for /api/admin/status/v1/participant/. */
  const DOCUMENTED = [
    'bandwidth', 'call_direction', 'call_quality', 'call_tag', 'call_uuid', 'conference', 'connect_time', 'conversation_id',
    'destination_alias', 'display_name', 'encryption', 'has_media', 'id', 'idp_uuid', 'is_client_muted', 'is_direct',
    'is_disconnect_supported', 'is_idp_authenticated', 'is_mute_supported', 'is_muted', 'is_on_hold', 'is_presentation_supported',
    'is_presenting', 'is_recording', 'is_streaming', 'is_transcribing', 'is_transfer_supported', 'license_count', 'license_type',
    'media_node', 'parent_id', 'participant_alias', 'protocol', 'proxy_node', 'remote_address', 'remote_port', 'resource_uri', 'role',
    'rx_bandwidth', 'service_tag', 'service_type', 'signalling_node', 'source_alias', 'system_location', 'transcoding_enabled',
    'tx_bandwidth', 'vendor',
  ];

  async function status(px: PexipHandle, query = '', opts: { auth?: string | null; method?: string; path?: string } = {}): Promise<ApiResponse> {
    const auth = opts.auth === undefined ? `${px.statusApi.username}:${px.statusApi.password}` : opts.auth;
    const res = await fetch(`${px.statusApi.url}/api/admin/status/v1/participant/${opts.path ?? ''}${query}`, {
      method: opts.method ?? 'GET',
      headers: auth === null ? {} : { authorization: `Basic ${Buffer.from(auth).toString('base64')}` },
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    const isJson = (res.headers.get('content-type') ?? '').startsWith('application/json');
    return { status: res.status, headers: res.headers, body: isJson ? JSON.parse(text) : text };
  }

  /** A guest's request_token with the call tag its link set (the console's invitations: the role). */
  async function guestWithTag(px: PexipHandle, name: string, callTag: string): Promise<Joined> {
    const res = await api(px, 'request_token', { pin: ROOM.guestPin, body: { display_name: name, call_tag: callTag } });
    expect(res.status).toBe(200);
    return { token: res.body.result.token, uuid: res.body.result.participant_uuid, body: res.body };
  }

  test('answers only GET, only with the account (HTTP Basic), and is no browser API (no CORS)', async () => {
    const px = await start();
    const none = await status(px, '', { auth: null });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Basic /);
    expect(none.body).toBe('');
    expect((await status(px, '', { auth: `${px.statusApi.username}:wrong-password` })).status).toBe(401);
    expect((await status(px, '', { auth: `someone-else:${px.statusApi.password}` })).status).toBe(401);
    expect((await status(px, '', { method: 'POST' })).status).toBe(405);
    const ok = await status(px);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBeNull();
    // The request log keeps the path only: no query, no credentials.
    expect(px.requestLog.filter((e) => e.path.startsWith('/api/admin/')).every((e) => !e.path.includes('?') && !e.path.includes(px.statusApi.password))).toBe(true);
  });

  test('lists participants in Tastypie form with the documented fields; `conference` filters by the VMR name', async () => {
    const other: PexipRoom = { alias: 'vmr-clinic-2', hostPin: '11223344', guestPin: '55667788' };
    const px = await start();
    px.addRoom(other);
    const guest = await guestWithTag(px, 'Alex Example', 'patient');
    expect((await api(px, 'request_token', { alias: other.alias, pin: other.guestPin, body: { display_name: 'Jo Tester' } })).status).toBe(200);

    const mine = await status(px, `?conference=${encodeURIComponent(ROOM.name!)}`);
    expect(mine.status).toBe(200);
    expect(mine.body.meta).toEqual({ limit: 20, next: null, offset: 0, previous: null, total_count: 1 });
    const [p] = mine.body.objects;
    expect(Object.keys(p).sort()).toEqual([...DOCUMENTED].sort());
    expect(p).toMatchObject({
      id: guest.uuid,
      resource_uri: `/api/admin/status/v1/participant/${guest.uuid}/`,
      conference: 'Clinic room',
      display_name: 'Alex Example',
      role: 'guest',
      service_type: 'waiting_room',
      call_tag: 'patient',
      call_direction: 'in',
      destination_alias: ROOM.alias,
      protocol: 'API',
      has_media: false,
      is_muted: false,
    });
    expect(p.connect_time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/);
    // An alias is not the conference's name; no filter lists every conference's participants.
    expect((await status(px, `?conference=${ROOM.alias}`)).body.meta.total_count).toBe(0);
    expect((await status(px)).body.meta.total_count).toBe(2);

    // A host with media: role chair, in the conference; the waiting guest is let in.
    const host = await joinWithMedia(px, ROOM.hostPin, 'Dr Sam Placeholder');
    await until(() => serviceTypeOf(px, guest.uuid) === 'conference', { what: 'the guest let in' });
    const after = (await status(px, `?conference=${encodeURIComponent(ROOM.name!)}`)).body.objects as Array<Record<string, unknown>>;
    expect(after.find((o) => o.id === host.uuid)).toMatchObject({ role: 'chair', service_type: 'conference', protocol: 'WebRTC', has_media: true });
    expect(after.find((o) => o.id === guest.uuid)).toMatchObject({ role: 'guest', service_type: 'conference' });
  });

  test('pages with limit and offset, finds one participant by id, and changes nothing by reading', async () => {
    const px = await start();
    const guests = [await guestWithTag(px, 'Alex Example', 'patient'), await guestWithTag(px, 'Jo Tester', 'relative'), await guestWithTag(px, 'Max Muster', 'interpreter')];
    const events = await SseClient.open(px, guests[0]!.token);
    await events.waitFor('participant_sync_end');
    const seen = events.messages.length;

    const first = await status(px, '?limit=2');
    expect(first.body.objects).toHaveLength(2);
    expect(first.body.meta).toMatchObject({ limit: 2, offset: 0, previous: null, total_count: 3 });
    expect(first.body.meta.next).toBe('/api/admin/status/v1/participant/?limit=2&offset=2');
    const second = await status(px, '?limit=2&offset=2');
    expect(second.body.objects).toHaveLength(1);
    expect(second.body.meta).toMatchObject({ next: null, previous: '/api/admin/status/v1/participant/?limit=2&offset=0' });
    expect((await status(px, '?limit=0')).body.objects).toHaveLength(3);

    const one = await status(px, '', { path: `${guests[1]!.uuid}/` });
    expect(one.body).toMatchObject({ id: guests[1]!.uuid, call_tag: 'relative', service_type: 'waiting_room' });
    expect((await status(px, '', { path: '00000000-0000-4000-8000-000000000000/' })).status).toBe(404);

    // Nobody noticed: still waiting, no event on anyone's stream.
    expect(guests.map((g) => serviceTypeOf(px, g.uuid))).toEqual(['waiting_room', 'waiting_room', 'waiting_room']);
    expect(events.messages.length).toBe(seen);
  });
});

describe('the Management Node: its own port, the VMR configuration, and a rate limit', () => {
  const basic = (px: PexipHandle) => ({ authorization: `Basic ${Buffer.from(`${px.statusApi.username}:${px.statusApi.password}`).toString('base64')}` });
  async function get(px: PexipHandle, path: string): Promise<Pick<ApiResponse, "status" | "body">> {
    const res = await fetch(`${px.statusApi.url}${path}`, { headers: basic(px), signal: AbortSignal.timeout(10_000) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : '' };
  }

  test('is another port than the Conferencing Node, which does not serve the Management API', async () => {
    const px = await start();
    expect(new URL(px.statusApi.url).port).not.toBe(new URL(px.url).port);
    const res = await fetch(`${px.url}/api/admin/status/v1/participant/`, { headers: basic(px) });
    expect(res.status).toBe(404);
  });

  test('a VMR has a name that is none of its aliases; conference_alias?alias= names its VMR (Go SDK shapes)', async () => {
    const px = await start({}, { alias: `vmr-clinic-3@pexip.sandbox.test`, hostPin: '13572468', guestPin: '24681357' });
    const name = px.vmrName('vmr-clinic-3')!;
    expect(name).not.toMatch(/vmr-clinic-3/);
    const found = await get(px, `/api/admin/configuration/v1/conference_alias/?alias=${encodeURIComponent('vmr-clinic-3@pexip.sandbox.test')}`);
    expect(found.status).toBe(200);
    expect(found.body.meta.total_count).toBe(1);
    const [alias] = found.body.objects;
    expect(Object.keys(alias).sort()).toEqual(['alias', 'conference', 'creation_time', 'description', 'id', 'resource_uri']);
    expect(alias.conference).toMatch(/^\/api\/admin\/configuration\/v1\/conference\/\d+\/$/);
    const vmr = await get(px, alias.conference);
    expect(vmr.body).toMatchObject({ name, service_type: 'conference' });
    expect(vmr.body.aliases.map((a: { alias: string }) => a.alias).sort()).toEqual(['vmr-clinic-3', 'vmr-clinic-3@pexip.sandbox.test']);
    // Exact alias only; the name is no alias.
    expect((await get(px, `/api/admin/configuration/v1/conference_alias/?alias=VMR-CLINIC-3`)).body.objects).toEqual([]);
    expect((await get(px, `/api/admin/configuration/v1/conference_alias/?alias=${encodeURIComponent(name)}`)).body.objects).toEqual([]);
  });

  test('answers 429, empty and without Retry-After, beyond its limit per window, refused requests counted', async () => {
    const px = await start({ managementRateLimit: { requests: 3, windowMs: 60_000 } });
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push((await get(px, '/api/admin/status/v1/participant/')).status);
    expect(answers).toEqual([200, 200, 200, 429, 429]);
    const res = await fetch(`${px.statusApi.url}/api/admin/status/v1/participant/`, { headers: basic(px) });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBeNull();
    expect(await res.text()).toBe('');
  });
});
