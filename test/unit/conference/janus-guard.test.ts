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
import { startJanus, videoroomRequest, type JanusHandle } from '../../stack/janus';

let janus: JanusHandle;
let guard: GuardServer;
const provisionKey = randomBytes(24).toString('base64url');
const LOCK_MS = 1_500;

beforeAll(async () => {
  janus = await startJanus();
  guard = await startGuardServer({
    guard: createGuard({
      janus: createJanusAdmin({ httpUrl: janus.httpUrl }),
      adminKey: janus.adminKey,
      limits: { maxFailures: 5, windowMs: 60_000, lockMs: LOCK_MS, maxFailuresPerSource: 1000 },
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

/** A participant in the room as Janus sees it (joined as publisher over HTTP, no media). */
async function joinRoom(room: string, id: string, token?: string): Promise<Record<string, unknown>> {
  const session = await fetch(janus.httpUrl, { method: 'POST', body: JSON.stringify({ janus: 'create', transaction: 't1' }) }).then((r) => r.json() as Promise<{ data: { id: number } }>);
  const su = `${janus.httpUrl}/${session.data.id}`;
  const handle = await fetch(su, { method: 'POST', body: JSON.stringify({ janus: 'attach', plugin: 'janus.plugin.videoroom', transaction: 't2' }) }).then((r) => r.json() as Promise<{ data: { id: number } }>);
  await fetch(`${su}/${handle.data.id}`, {
    method: 'POST',
    body: JSON.stringify({ janus: 'message', transaction: 't3', body: { request: 'join', ptype: 'publisher', room, id, display: 'Someone', ...(token ? { token } : {}) } }),
  });
  // The join's answer is an event on the session.
  for (let i = 0; i < 20; i++) {
    const ev = (await fetch(`${su}?maxev=1&rid=${i}`).then((r) => r.json())) as { plugindata?: { data: Record<string, unknown> } };
    if (ev.plugindata) return ev.plugindata.data;
  }
  throw new Error('no answer to join');
}

async function inRoom(room: string): Promise<string[]> {
  const data = await videoroomRequest(janus.httpUrl, { request: 'listparticipants', room });
  return ((data.participants as Array<{ id: unknown }> | undefined) ?? []).map((p) => String(p.id));
}

describe('Janus without takeover', () => {
  it('with the room id and unlimited tries, a script gets no room power at Janus (PINs included)', async () => {
    const room = newRoom();
    await provision(room);
    const guesses = [hostPin, guestPin, '', '0000', '1234', room, ...Array.from({ length: 40 }, () => String(Math.floor(Math.random() * 1e8)))];
    const attempts: Array<[string, Record<string, unknown>]> = [
      ['allowed', { action: 'add', allowed: ['mine'] }],
      ['kick', { id: 'someone' }],
      ['moderate', { id: 'someone', mid: '0', mute: true }],
      ['edit', { new_description: 'taken' }],
      ['destroy', {}],
      ['rtp_forward', { publisher_id: 'someone', host: '127.0.0.1', audio_port: 5000 }],
    ];
    for (const [request, extra] of attempts) {
      for (const secret of guesses) {
        const err = await videoroomRequest(janus.httpUrl, { request, room, secret, ...extra }).catch((e: unknown) => e as { code?: number });
        expect(err, `${request} with a guessed secret`).toMatchObject({ code: expect.any(Number) });
      }
    }
    // rtp_forward needs the admin key even with the real secret; create needs it too.
    expect(await videoroomRequest(janus.httpUrl, { request: 'create', room: newRoom() }).catch((e: unknown) => e)).toMatchObject({ code: 429 });
    expect(await videoroomRequest(janus.httpUrl, { request: 'exists', room })).toMatchObject({ exists: true });
    // And nobody gets in without a token the guard minted.
    expect(await joinRoom(room, 'intruder')).toMatchObject({ error_code: 433 });
  });

  it('checks the host PIN itself, says a wrong one once, and locks the room after five', async () => {
    const room = newRoom();
    await provision(room);
    for (let i = 0; i < 5; i++) expect((await api('POST', `/v1/rooms/${room}/host`, undefined, { pin: '12345678' })).status).toBe(403);
    const locked = await api('POST', `/v1/rooms/${room}/host`, undefined, { pin: hostPin });
    expect(locked.status).toBe(429); // the right PIN too, while locked
    expect(Number(locked.json.retryAfter ?? 1)).toBeGreaterThan(0);
    // The lock runs out by itself (asking while locked does not extend it).
    await expect
      .poll(async () => (await api('POST', `/v1/rooms/${room}/host`, undefined, { pin: hostPin })).status, { timeout: LOCK_MS * 4, interval: 200 })
      .toBe(200);
  });

  it('admits a guest with a token main minted; a participant the guard did not admit is removed', async () => {
    const room = newRoom();
    await provision(room);
    const session = await hostSession(room);
    const host = await api('POST', `/v1/rooms/${room}/prepare`, session, { name: 'Dr Example' });
    expect(await joinRoom(room, String(host.json.feedId), String(host.json.token))).toMatchObject({ videoroom: 'joined' });

    // A guest with the wrong PIN is refused; with the right one they wait in the lobby.
    expect((await api('POST', `/v1/rooms/${room}/guests`, undefined, { pin: '00000000', name: 'Pat Example', role: 'patient' })).status).toBe(403);
    const knock = await api('POST', `/v1/rooms/${room}/guests`, undefined, { pin: guestPin, name: 'Pat Example', role: 'patient' });
    expect(knock.status).toBe(201);
    const { guestId, secret } = knock.json as { guestId: string; secret: string };
    const waiting = await api('GET', `/v1/rooms/${room}/state`, session);
    expect(waiting.json.waiting).toEqual([{ guestId, name: 'Pat Example', role: 'patient' }]);
    // Another guest's secret does not read this guest's answer.
    expect((await api('GET', `/v1/rooms/${room}/guests/${guestId}?wait=0`, randomBytes(24).toString('base64url'))).status).toBe(401);

    const poll = api('GET', `/v1/rooms/${room}/guests/${guestId}?wait=10000`, secret);
    const minted = randomBytes(16).toString('base64url');
    expect((await api('POST', `/v1/rooms/${room}/admit`, session, { guestId, token: minted })).status).toBe(200);
    const admitted = (await poll).json as { state: string; token: string; feedId: string };
    expect(admitted).toMatchObject({ state: 'admitted', token: minted });
    expect(await joinRoom(room, admitted.feedId, admitted.token)).toMatchObject({ videoroom: 'joined' });

    // The same token copied under another id: in for a moment, then removed.
    expect(await joinRoom(room, 'copycat', admitted.token)).toMatchObject({ videoroom: 'joined' });
    await api('GET', `/v1/rooms/${room}/state`, session); // the host's watch sweeps the room
    await expect.poll(async () => (await api('GET', `/v1/rooms/${room}/state`, session), await inRoom(room)), { timeout: 10_000 }).not.toContain('copycat');
    expect(await inRoom(room)).toEqual(expect.arrayContaining([String(host.json.feedId), admitted.feedId]));

    // The roster says who is who; nobody's display name decides it.
    const roster = (await api('GET', `/v1/rooms/${room}/state`, session)).json.roster as Array<{ feedId: string; role: string }>;
    expect(roster.find((p) => p.feedId === admitted.feedId)?.role).toBe('patient');
    expect(roster.find((p) => p.feedId === host.json.feedId)?.role).toBe('host');

    // Removed: out of the room, told so on the next poll.
    expect((await api('POST', `/v1/rooms/${room}/kick`, session, { feedId: admitted.feedId })).status).toBe(200);
    await expect.poll(() => inRoom(room)).not.toContain(admitted.feedId);
    expect((await api('GET', `/v1/rooms/${room}/guests/${guestId}?wait=0`, secret)).json).toEqual({ state: 'removed' });
  });

  it('counts each join of a feed, so a guest who rejoined between two sweeps still shows as a new connection', async () => {
    const room = newRoom();
    await provision(room);
    const session = await hostSession(room);
    const host = await api('POST', `/v1/rooms/${room}/prepare`, session, { name: 'Dr Example' });
    expect(await joinRoom(room, String(host.json.feedId), String(host.json.token))).toMatchObject({ videoroom: 'joined' });
    const { guestId, secret } = (await api('POST', `/v1/rooms/${room}/guests`, undefined, { pin: guestPin, name: 'Pat Example', role: 'patient' })).json as { guestId: string; secret: string };
    await api('POST', `/v1/rooms/${room}/admit`, session, { guestId, token: randomBytes(16).toString('base64url') });
    const first = (await api('GET', `/v1/rooms/${room}/guests/${guestId}?wait=0`, secret)).json as { feedId: string; token: string };
    expect(await joinRoom(room, first.feedId, first.token)).toMatchObject({ videoroom: 'joined' });
    const joinsOf = async () => {
      const roster = (await api('GET', `/v1/rooms/${room}/state`, session)).json.roster as Array<{ feedId: string; joins: number; present: boolean }>;
      return roster.find((p) => p.feedId === first.feedId);
    };
    await expect.poll(joinsOf, { timeout: 10_000 }).toMatchObject({ joins: 1, present: true }); // sweeps: at most every 2 s
    // The guest's page lost its connection and asks again: a fresh token, one more join.
    const again = (await api('GET', `/v1/rooms/${room}/guests/${guestId}?wait=0`, secret)).json as { feedId: string; token: string };
    expect(again.feedId).toBe(first.feedId);
    expect(again.token).not.toBe(first.token);
    expect(await joinRoom(room, again.feedId, again.token)).toMatchObject({ videoroom: 'joined' });
    await expect.poll(joinsOf, { timeout: 10_000 }).toMatchObject({ joins: 2, present: true });
    // The host's own rejoin is counted on the host's feed, not the guest's.
    await api('POST', `/v1/rooms/${room}/prepare`, session, { name: 'Dr Example' });
    expect((await joinsOf())?.joins).toBe(2);
  });

  it('a denied guest is told; the end of the meeting ends every wait and the room', async () => {
    const room = newRoom();
    await provision(room);
    const session = await hostSession(room);
    await api('POST', `/v1/rooms/${room}/prepare`, session, { name: 'Dr Example' });
    const knock = async (name: string) => (await api('POST', `/v1/rooms/${room}/guests`, undefined, { pin: guestPin, name, role: 'relative' })).json as { guestId: string; secret: string };
    const a = await knock('Rel Example');
    const b = await knock('Other Example');
    await api('POST', `/v1/rooms/${room}/deny`, session, { guestId: a.guestId });
    expect((await api('GET', `/v1/rooms/${room}/guests/${a.guestId}?wait=0`, a.secret)).json).toEqual({ state: 'denied' });
    const waitingB = api('GET', `/v1/rooms/${room}/guests/${b.guestId}?wait=10000`, b.secret);
    expect((await api('POST', `/v1/rooms/${room}/end`, session)).status).toBe(200);
    expect((await waitingB).json).toEqual({ state: 'ended' });
    expect(await videoroomRequest(janus.httpUrl, { request: 'exists', room })).toMatchObject({ exists: false });
    // The host's session ended with the meeting.
    expect((await api('GET', `/v1/rooms/${room}/state`, session)).status).toBe(401);
  });

  it('brings a room back after a Janus restart, with token checking on, when the host prepares', async () => {
    const room = newRoom();
    await provision(room);
    const session = await hostSession(room);
    await janus.restart();
    expect(await videoroomRequest(janus.httpUrl, { request: 'exists', room })).toMatchObject({ exists: false });
    const host = await api('POST', `/v1/rooms/${room}/prepare`, session, { name: 'Dr Example' });
    expect(host.status).toBe(200);
    expect(await joinRoom(room, 'intruder')).toMatchObject({ error_code: 433 });
    expect(await joinRoom(room, String(host.json.feedId), String(host.json.token))).toMatchObject({ videoroom: 'joined' });
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
