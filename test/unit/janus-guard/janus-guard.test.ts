/**
 * The Janus room guard against Debian's real Janus: no room capability rests on a PIN.
 * A script with the room id and unlimited tries gets nowhere at Janus; PINs are checked by
 * the guard, which locks a room after a few wrong ones; guests get tokens only through an
 * admission; a participant the guard did not admit is removed; rooms come back after a
 * Janus restart. Participants are joined over Janus's HTTP API (no media needed to be in a room).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGuard } from '../../../janus-guard/guard';
import { createJanusAdmin } from '../../../janus-guard/janus-admin';
import { startGuardServer, type GuardServer } from '../../../janus-guard/server';
import { adminPost, startJanus, videoroomRequest, type JanusHandle } from '../../stack/janus';

let janus: JanusHandle;
let guard: GuardServer;
const provisionKey = randomBytes(24).toString('base64url');
const LOCK_MS = 1_500; // the first back-off here (30 s on a site)

beforeAll(async () => {
  janus = await startJanus();
  guard = await startGuardServer({
    guard: createGuard({
      janus: createJanusAdmin({ adminUrl: janus.adminUrl, adminSecret: janus.adminSecret }),
      adminKey: janus.adminKey,
      limits: { maxFailures: 5, backoffMs: LOCK_MS, maxFailuresPerSource: 1000 },
    }),
    provisionKey,
  });
}, 60_000);
afterAll(async () => {
  await guard?.stop();
  await janus?.stop();
});

const newRoom = () => randomBytes(16).toString('hex');
const hostPin = '51749302';
const guestPin = '83920475';

async function api(method: string, path: string, bearer?: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${guard.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json().catch(() => ({}))) as Record<string, unknown> };
}

async function provision(room: string): Promise<void> {
  expect((await api('POST', '/v1/rooms', provisionKey, { room, hostPin, guestPin })).status).toBe(201);
}

async function hostSession(room: string): Promise<string> {
  const res = await api('POST', `/v1/rooms/${room}/host`, undefined, { pin: hostPin });
  expect(res.status).toBe(200);
  return String(res.json.session);
}

/** Janus's client API, as a browser would use it (HTTP; every request carries the token). */
interface Client {
  su: string;
  hu: string;
  token: string | undefined;
  rid: number;
}

async function janusPost(url: string, body: Record<string, unknown>, token?: string): Promise<Record<string, unknown>> {
  const res = await fetch(url, { method: 'POST', body: JSON.stringify({ ...body, transaction: randomBytes(6).toString('hex'), ...(token ? { token } : {}) }) });
  return (await res.json()) as Record<string, unknown>;
}

/** A session with one VideoRoom handle, or Janus's error code when it refuses. */
async function openClient(token?: string): Promise<Client | { error: number }> {
  const session = await janusPost(janus.httpUrl, { janus: 'create' }, token);
  if (session.janus === 'error') return { error: (session.error as { code: number }).code };
  const su = `${janus.httpUrl}/${(session.data as { id: number }).id}`;
  const handle = await janusPost(su, { janus: 'attach', plugin: 'janus.plugin.videoroom' }, token);
  if (handle.janus === 'error') return { error: (handle.error as { code: number }).code };
  return { su, hu: `${su}/${(handle.data as { id: number }).id}`, token, rid: 0 };
}

async function client(token?: string): Promise<Client> {
  const c = await openClient(token);
  if ('error' in c) throw new Error(`Janus refused a session (${c.error})`);
  return c;
}

/** A VideoRoom request on the client's handle: the answer (synchronous, or the first event). */
async function send(c: Client, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const reply = await janusPost(c.hu, { janus: 'message', body }, c.token);
  if (reply.janus === 'error') return { janus_error: (reply.error as { code: number }).code };
  const sync = (reply.plugindata as { data?: Record<string, unknown> } | undefined)?.data;
  if (sync) return sync;
  for (let i = 0; i < 20; i++) {
    const ev = (await fetch(`${c.su}?maxev=1&rid=${++c.rid}${c.token ? `&token=${encodeURIComponent(c.token)}` : ''}`).then((r) => r.json())) as {
      janus?: string;
      plugindata?: { data: Record<string, unknown> };
      error?: { code: number };
    };
    if (ev.janus === 'error') return { janus_error: ev.error?.code };
    if (ev.plugindata) return ev.plugindata.data;
  }
  throw new Error('no answer');
}

/** A participant in the room as Janus sees it (joined as publisher over HTTP, no media). */
async function joinRoom(room: string, id: string, token?: string): Promise<Record<string, unknown>> {
  const c = await openClient(token);
  if ('error' in c) return { janus_error: c.error };
  return send(c, { request: 'join', ptype: 'publisher', room, id, display: 'Someone', ...(token ? { token } : {}) });
}

async function inRoom(room: string): Promise<string[]> {
  const data = await videoroomRequest(janus, { request: 'listparticipants', room });
  return ((data.participants as Array<{ id: unknown }> | undefined) ?? []).map((p) => String(p.id));
}

/** The host in its room: a host session, prepare (the Janus room's id comes with it) and a join. */
async function hostIn(room: string): Promise<{ session: string; feedId: string; token: string; janusRoom: string; c: Client }> {
  const session = await hostSession(room);
  const host = (await api('POST', `/v1/rooms/${room}/prepare`, session, { name: 'Dr Example' })).json as { feedId: string; token: string; room: string };
  const c = await client(host.token);
  expect(await send(c, { request: 'join', ptype: 'publisher', room: host.room, id: host.feedId, display: 'Dr Example', token: host.token })).toMatchObject({ videoroom: 'joined' });
  return { session, feedId: host.feedId, token: host.token, janusRoom: host.room, c };
}

/** A patient who knocked and was admitted: the guard's answer to their poll. */
async function admitGuest(room: string, session: string): Promise<{ guestId: string; secret: string; feedId: string; token: string; room: string }> {
  const { guestId, secret } = (await api('POST', `/v1/rooms/${room}/guests`, undefined, { pin: guestPin, name: 'Pat Example', role: 'patient' })).json as { guestId: string; secret: string };
  expect((await api('POST', `/v1/rooms/${room}/admit`, session, { guestId, token: randomBytes(16).toString('base64url') })).status).toBe(200);
  const answer = (await api('GET', `/v1/rooms/${room}/guests/${guestId}?wait=0`, secret)).json as { feedId: string; token: string; room: string };
  return { guestId, secret, ...answer };
}

async function sessionsOnJanus(): Promise<number[]> {
  const res = await adminPost(janus.adminUrl, janus.adminSecret, { janus: 'list_sessions' });
  return (res.sessions as number[] | undefined) ?? [];
}

const sessionIdOf = (c: Client) => Number(c.su.split('/').pop());

describe('Janus without takeover', () => {
  it('a link alone opens nothing at Janus: no session, so no participant list and no subscription', async () => {
    const room = newRoom();
    await provision(room);
    const { session } = await hostIn(room);
    await admitGuest(room, session);
    // What a forwarded invitation carries (server, guard, room reference) and what one could
    // guess: Janus answers nothing but `info` without a token the guard stored.
    for (const token of [undefined, '', room, hostPin, guestPin, randomBytes(16).toString('base64url')]) {
      expect(await openClient(token), `token ${token === undefined ? 'none' : 'guessed'}`).toEqual({ error: 403 });
    }
    // The reference is not the Janus room's id either: nothing by that name exists there.
    expect(await videoroomRequest(janus, { request: 'exists', room })).toMatchObject({ exists: false });
  });

  it('an admitted token gives no room power, and only a publisher in the room can subscribe', async () => {
    const room = newRoom();
    await provision(room);
    const host = await hostIn(room);
    const guest = await admitGuest(room, host.session);
    const c = await client(guest.token);
    const guesses = [hostPin, guestPin, '', '0000', room, host.token, ...Array.from({ length: 20 }, () => String(Math.floor(Math.random() * 1e8)))];
    const attempts: Array<[string, Record<string, unknown>]> = [
      ['allowed', { action: 'add', allowed: ['mine'] }],
      ['kick', { id: host.feedId }],
      ['moderate', { id: host.feedId, mid: '0', mute: true }],
      ['edit', { new_description: 'taken' }],
      ['destroy', {}],
      ['rtp_forward', { publisher_id: host.feedId, host: '127.0.0.1', audio_port: 5000 }],
    ];
    for (const [request, extra] of attempts) {
      for (const secret of guesses) {
        expect(await send(c, { request, room: guest.room, secret, ...extra }), `${request} with a guessed secret`).toMatchObject({ error_code: expect.any(Number) });
      }
    }
    expect(await send(c, { request: 'create', room: newRoom() })).toMatchObject({ error_code: 429 }); // admin_key
    // Watching needs a private_id of a publisher in this room (Janus checks it once the feed
    // publishes; with real media in test/e2e/stack/guard-guests.spec.ts).
    const listed = await videoroomRequest(janus, { request: 'list', admin_key: janus.adminKey });
    expect((listed.list as Array<{ room: string; require_pvtid: boolean }>).find((r) => r.room === guest.room)).toMatchObject({ require_pvtid: true });
    expect(await inRoom(guest.room)).toEqual([host.feedId]);
  });

  it('checks the host PIN itself, says a wrong one once, and makes a caller wait after five', async () => {
    const room = newRoom();
    await provision(room);
    for (let i = 0; i < 5; i++) expect((await api('POST', `/v1/rooms/${room}/host`, undefined, { pin: '12345678' })).status).toBe(403);
    const locked = await api('POST', `/v1/rooms/${room}/host`, undefined, { pin: hostPin });
    expect(locked.status).toBe(429); // the right PIN too, while this caller waits
    expect(Number(locked.json.retryAfter ?? 1)).toBeGreaterThan(0);
    // The wait runs out by itself (asking meanwhile does not extend it).
    await expect
      .poll(async () => (await api('POST', `/v1/rooms/${room}/host`, undefined, { pin: hostPin })).status, { timeout: LOCK_MS * 4, interval: 200 })
      .toBe(200);
  });

  it('admits a guest with a token main minted; a participant the guard did not admit is removed', async () => {
    const room = newRoom();
    await provision(room);
    const { session, feedId: hostFeed, janusRoom } = await hostIn(room);

    // A guest with the wrong PIN is refused; with the right one they wait in the lobby.
    expect((await api('POST', `/v1/rooms/${room}/guests`, undefined, { pin: '00000000', name: 'Pat Example', role: 'patient' })).status).toBe(403);
    const knock = await api('POST', `/v1/rooms/${room}/guests`, undefined, { pin: guestPin, name: 'Pat Example', role: 'patient' });
    expect(knock.status).toBe(201);
    const { guestId, secret } = knock.json as { guestId: string; secret: string };
    const waiting = await api('GET', `/v1/rooms/${room}/state`, session);
    expect(waiting.json.waiting).toEqual([{ guestId, name: 'Pat Example', role: 'patient', since: expect.any(String) }]);
    // Another guest's secret does not read this guest's answer.
    expect((await api('GET', `/v1/rooms/${room}/guests/${guestId}?wait=0`, randomBytes(24).toString('base64url'))).status).toBe(401);

    const poll = api('GET', `/v1/rooms/${room}/guests/${guestId}?wait=10000`, secret);
    const minted = randomBytes(16).toString('base64url');
    expect((await api('POST', `/v1/rooms/${room}/admit`, session, { guestId, token: minted })).status).toBe(200);
    const admitted = (await poll).json as { state: string; token: string; feedId: string; room: string };
    expect(admitted).toMatchObject({ state: 'admitted', token: minted, room: janusRoom });
    expect(await joinRoom(janusRoom, admitted.feedId, admitted.token)).toMatchObject({ videoroom: 'joined' });
    // The roster says who is who, once the host's watch has swept; nobody's display name decides it.
    const roster = async () => (await api('GET', `/v1/rooms/${room}/state`, session)).json.roster as Array<{ feedId: string; role: string; present: boolean }>;
    await expect.poll(async () => (await roster()).find((p) => p.feedId === admitted.feedId), { timeout: 10_000 }).toMatchObject({ role: 'patient', present: true });
    expect((await roster()).find((p) => p.feedId === hostFeed)).toMatchObject({ role: 'host', present: true });
    expect(await inRoom(janusRoom)).toEqual(expect.arrayContaining([hostFeed, admitted.feedId]));

    // Removed: out of the room, told so on the next poll, and the token opens nothing more.
    expect((await api('POST', `/v1/rooms/${room}/kick`, session, { feedId: admitted.feedId })).status).toBe(200);
    await expect.poll(() => inRoom(janusRoom)).not.toContain(admitted.feedId);
    expect((await api('GET', `/v1/rooms/${room}/guests/${guestId}?wait=0`, secret)).json).toEqual({ state: 'removed' });
    expect(await openClient(admitted.token)).toEqual({ error: 403 });
  });

  it('a kicked guest loses every Janus session it had, subscriptions included', async () => {
    const room = newRoom();
    await provision(room);
    const host = await hostIn(room);
    const guest = await admitGuest(room, host.session);
    const publisher = await client(guest.token);
    const joined = await send(publisher, { request: 'join', ptype: 'publisher', room: guest.room, id: guest.feedId, display: 'Pat Example', token: guest.token });
    expect(joined).toMatchObject({ videoroom: 'joined' });
    // A second session with the same token, as the guest's page holds for its subscriptions
    // (subscribing itself needs media: test/e2e/stack/guard-guests.spec.ts).
    const watcher = await client(guest.token);
    expect(await sessionsOnJanus()).toEqual(expect.arrayContaining([sessionIdOf(publisher), sessionIdOf(watcher)]));

    expect((await api('POST', `/v1/rooms/${room}/kick`, host.session, { feedId: guest.feedId })).status).toBe(200);
    const left = await sessionsOnJanus();
    expect(left).not.toContain(sessionIdOf(publisher));
    expect(left).not.toContain(sessionIdOf(watcher));
    expect(left).toContain(sessionIdOf(host.c));
  });

  it('an admitted guest who joins under the host id (or any id not theirs) is removed, and never counts as the host', async () => {
    const room = newRoom();
    await provision(room);
    const host = await hostIn(room);
    const guest = await admitGuest(room, host.session);
    expect(await joinRoom(guest.room, guest.feedId, guest.token)).toMatchObject({ videoroom: 'joined' });
    // The host's connection drops (its session goes); the guest takes the host's id meanwhile.
    await fetch(`${host.c.su}`, { method: 'POST', body: JSON.stringify({ janus: 'destroy', transaction: 'bye', token: host.token }) });
    await expect.poll(() => inRoom(guest.room)).not.toContain(host.feedId);
    const impostor = await client(guest.token);
    expect(await send(impostor, { request: 'join', ptype: 'publisher', room: guest.room, id: host.feedId, display: 'Dr Example', token: guest.token })).toMatchObject({
      videoroom: 'joined',
    });
    // The host's watch sweeps: the impostor's session goes, the guest's admission with it.
    const roster = async () => (await api('GET', `/v1/rooms/${room}/state`, host.session)).json.roster as Array<{ feedId: string; role: string; present: boolean }>;
    const seen = await roster();
    expect(seen.find((p) => p.feedId === host.feedId)?.present).toBe(false);
    await expect.poll(async () => (await roster(), await inRoom(guest.room)), { timeout: 10_000 }).toEqual([]);
    expect(await sessionsOnJanus()).not.toContain(sessionIdOf(impostor));
    expect((await api('GET', `/v1/rooms/${room}/guests/${guest.guestId}?wait=0`, guest.secret)).json).toEqual({ state: 'removed' });
    expect((await roster()).find((p) => p.feedId === guest.feedId)).toBeUndefined();
    // The host comes back under its own id with a fresh token, and is the host again.
    const again = (await api('POST', `/v1/rooms/${room}/prepare`, host.session, { name: 'Dr Example' })).json as { feedId: string; token: string; room: string };
    expect(await joinRoom(again.room, again.feedId, again.token)).toMatchObject({ videoroom: 'joined' });
    await expect.poll(async () => (await roster()).find((p) => p.feedId === host.feedId)?.present, { timeout: 10_000 }).toBe(true);
  });

  it('counts each join of a feed, so a guest who rejoined between two sweeps still shows as a new connection', async () => {
    const room = newRoom();
    await provision(room);
    const { session } = await hostIn(room);
    const first = await admitGuest(room, session);
    expect(await joinRoom(first.room, first.feedId, first.token)).toMatchObject({ videoroom: 'joined' });
    const joinsOf = async () => {
      const roster = (await api('GET', `/v1/rooms/${room}/state`, session)).json.roster as Array<{ feedId: string; joins: number; present: boolean }>;
      return roster.find((p) => p.feedId === first.feedId);
    };
    await expect.poll(joinsOf, { timeout: 10_000 }).toMatchObject({ joins: 1, present: true }); // sweeps: at most every 2 s
    // The guest's page lost its connection and asks again: a fresh token, one more join.
    const again = (await api('GET', `/v1/rooms/${room}/guests/${first.guestId}?wait=0`, first.secret)).json as { feedId: string; token: string; room: string };
    expect(again.feedId).toBe(first.feedId);
    expect(again.token).not.toBe(first.token);
    expect(await joinRoom(again.room, again.feedId, again.token)).toMatchObject({ videoroom: 'joined' });
    await expect.poll(joinsOf, { timeout: 10_000 }).toMatchObject({ joins: 2, present: true });
    // The host's own rejoin is counted on the host's feed, not the guest's.
    await api('POST', `/v1/rooms/${room}/prepare`, session, { name: 'Dr Example' });
    expect((await joinsOf())?.joins).toBe(2);
  });

  it('a denied guest is told; the end of the meeting ends every wait and the room', async () => {
    const room = newRoom();
    await provision(room);
    const { session, janusRoom, token } = await hostIn(room);
    const knock = async (name: string) => (await api('POST', `/v1/rooms/${room}/guests`, undefined, { pin: guestPin, name, role: 'relative' })).json as { guestId: string; secret: string };
    const a = await knock('Rel Example');
    const b = await knock('Other Example');
    await api('POST', `/v1/rooms/${room}/deny`, session, { guestId: a.guestId });
    expect((await api('GET', `/v1/rooms/${room}/guests/${a.guestId}?wait=0`, a.secret)).json).toEqual({ state: 'denied' });
    const waitingB = api('GET', `/v1/rooms/${room}/guests/${b.guestId}?wait=10000`, b.secret);
    expect(await videoroomRequest(janus, { request: 'exists', room: janusRoom })).toMatchObject({ exists: true });
    expect((await api('POST', `/v1/rooms/${room}/end`, session)).status).toBe(200);
    expect((await waitingB).json).toEqual({ state: 'ended' });
    expect(await videoroomRequest(janus, { request: 'exists', room: janusRoom })).toMatchObject({ exists: false });
    expect(await openClient(token)).toEqual({ error: 403 });
    // The host's session ended with the meeting.
    expect((await api('GET', `/v1/rooms/${room}/state`, session)).status).toBe(401);
  });

  it('brings a room back after a Janus restart, with token checking on, when the host prepares', async () => {
    const room = newRoom();
    await provision(room);
    const session = await hostSession(room);
    const before = (await api('POST', `/v1/rooms/${room}/prepare`, session, { name: 'Dr Example' })).json as { room: string };
    await janus.restart();
    expect(await videoroomRequest(janus, { request: 'exists', room: before.room })).toMatchObject({ exists: false });
    const host = (await api('POST', `/v1/rooms/${room}/prepare`, session, { name: 'Dr Example' })).json as { feedId: string; token: string; room: string };
    expect(host.room).toBe(before.room);
    expect(await openClient()).toEqual({ error: 403 });
    // A token Janus has, but not in this room's allowed list: no join.
    expect(await joinRoom(host.room, 'intruder', await janus.addToken())).toMatchObject({ error_code: 433 });
    expect(await joinRoom(host.room, host.feedId, host.token)).toMatchObject({ videoroom: 'joined' });
  });

  it('refuses provisioning without the provision key, and every host call without a session', async () => {
    expect((await api('POST', '/v1/rooms', 'wrong-key-wrong-key-wrong', { room: newRoom(), hostPin, guestPin })).status).toBe(401);
    const room = newRoom();
    await provision(room);
    for (const path of ['prepare', 'admit', 'deny', 'kick', 'moderate', 'end']) {
      expect((await api('POST', `/v1/rooms/${room}/${path}`, randomBytes(24).toString('base64url'), {})).status, path).not.toBe(200);
    }
    expect((await api('GET', `/v1/rooms/${room}/state`)).status).toBe(401);
  });
});
