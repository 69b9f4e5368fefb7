/**
 * The call session's transitions, with the Janus provider over the real room guard and
 * Debian's real Janus: join, rejoin (reconnect), kick, end for all, a wrong host PIN (said
 * once, never retried) and the server gone. Events to the windows are recorded as main
 * would send them.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGuard, type Guard } from '../../../../janus-guard/guard';
import { createJanusAdmin } from '../../../../janus-guard/janus-admin';
import { startGuardServer, type GuardServer } from '../../../../janus-guard/server';
import { createCallSession, type CallSession } from '../../../../call/main/call-session';
import { createJanusProvider } from '../../../../call/providers/janus/main/janus-provider';
import { createSmsSender } from '../../../../call/main/sms-gateway';
import type { EventSink } from '../../../../main/core/ports';
import { createLogger } from '../../../../main/log/logger';
import { startJanus, videoroomRequest, type JanusHandle } from '../../../stack/janus';

let janus: JanusHandle;
let guard: GuardServer;
let guardCore: Guard;
const provisionKey = randomBytes(24).toString('base64url');
const hostPin = '61830274';
const guestPin = '40718253';

beforeAll(async () => {
  janus = await startJanus();
  guardCore = createGuard({ janus: createJanusAdmin({ adminUrl: janus.adminUrl, adminSecret: janus.adminSecret }), adminKey: janus.adminKey });
  guard = await startGuardServer({ guard: guardCore, provisionKey });
}, 60_000);
afterAll(async () => {
  await guard?.stop();
  await janus?.stop();
});

async function provisioned(): Promise<string> {
  const room = randomBytes(16).toString('hex');
  const res = await fetch(`${guard.url}/v1/rooms`, {
    method: 'POST',
    headers: { authorization: `Bearer ${provisionKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ room, hostPin, guestPin }),
  });
  expect(res.status).toBe(201);
  return room;
}

function open(room: string, pin = hostPin, guardUrl = guard.url) {
  const events: Array<{ target: string; event: string; payload: unknown }> = [];
  const lines: string[] = [];
  let ended = 0;
  const emit: EventSink = (target, event, payload) => events.push({ target, event, payload });
  const provider = createJanusProvider({ serverUrl: janus.wsUrl, guardUrl, fetch, timeoutMs: 3000 });
  const session: CallSession = createCallSession({
    meeting: { id: '00000000-0000-4000-8000-000000000001', subject: 'Invented check-up', guestPin },
    room: provider.open({ id: room, uri: `${room}@video.sandbox.test`, hostPin: pin }),
    guestRoom: { provider: 'janus', serverUrl: janus.wsUrl, guardUrl, room },
    displayName: 'Dr Example',
    invitationBaseUrl: 'https://guest.example.org/',
    emit,
    openExternal: async () => undefined,
    sms: createSmsSender({ gatewayUrl: '', timeoutMs: 1000 }),
    log: createLogger([(line) => lines.push(line)]),
    onEnded: () => ended++,
  });
  return { session, events, lines, ended: () => ended };
}

describe('call session', () => {
  it('prepares the room while the window loads, joins, and prepares again for a rejoin', async () => {
    const room = await provisioned();
    const { session, events } = open(room);
    expect(session.phase).toBe('preparing');
    const first = await session.prepare();
    expect(session.phase).toBe('ready');
    // The Janus room's own id, not the meeting's reference that links carry.
    expect(first).toMatchObject({ provider: 'janus', serverUrl: janus.wsUrl, room: guardCore.janusRoomOf(room) });
    expect(first).not.toMatchObject({ room });
    if (first.provider !== 'janus') throw new Error('janus expected');
    expect(JSON.stringify(first)).not.toContain(hostPin);
    expect(session.ticket()).toMatchObject({ provider: 'janus', capabilities: { dialOut: false, lock: false, muteGuests: false } });

    session.joined({ participantId: first.feedId });
    expect(session.phase).toBe('joined');
    await expect.poll(() => events.filter((e) => e.event === 'call.roster').at(-1)?.payload).toMatchObject({ entries: [{ id: first.feedId, role: 'host' }] });

    // The window lost the room: a fresh token for the same feed, with the same guard session.
    const again = await session.prepare();
    if (again.provider !== 'janus') throw new Error('janus expected');
    expect(again.feedId).toBe(first.feedId);
    expect(again.token).not.toBe(first.token);
    expect(session.phase).toBe('ready');
    await session.leave();
    expect(session.phase).toBe('ended');
    expect(() => session.ticket()).toThrow(expect.objectContaining({ code: 'no-call' }));
  });

  it('watches the lobby while joined, admits, removes, and ends the meeting for everyone', async () => {
    const room = await provisioned();
    const { session, events, ended } = open(room);
    const join = await session.prepare();
    if (join.provider !== 'janus') throw new Error('janus expected');
    session.joined({ participantId: join.feedId });

    const knockedFrom = Date.now();
    const knock = await fetch(`${guard.url}/v1/rooms/${room}/guests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pin: guestPin, name: 'Pat Example', role: 'patient' }),
    }).then((r) => r.json() as Promise<{ guestId: string; secret: string }>);
    const knockedBy = Date.now();
    await expect
      .poll(() => events.filter((e) => e.event === 'call.lobby').at(-1)?.payload, { timeout: 10_000 })
      .toEqual({ waiting: [{ id: knock.guestId, displayName: 'Pat Example', role: 'patient', since: expect.any(String) }] });
    // Since when: the guard's record of the knock, for the lobby's minutes.
    const since = Date.parse((events.filter((e) => e.event === 'call.lobby').at(-1)!.payload as { waiting: Array<{ since: string }> }).waiting[0]!.since);
    expect(since).toBeGreaterThanOrEqual(knockedFrom);
    expect(since).toBeLessThanOrEqual(knockedBy);

    await session.admit(knock.guestId);
    const admitted = await fetch(`${guard.url}/v1/rooms/${room}/guests/${knock.guestId}?wait=0`, { headers: { authorization: `Bearer ${knock.secret}` } }).then(
      (r) => r.json() as Promise<{ state: string; feedId: string }>,
    );
    expect(admitted.state).toBe('admitted');
    await expect.poll(() => events.filter((e) => e.event === 'call.lobby').at(-1)?.payload, { timeout: 10_000 }).toEqual({ waiting: [] });
    await expect
      .poll(() => (events.filter((e) => e.event === 'call.roster').at(-1)?.payload as { entries: Array<{ id: string; role: string }> } | undefined)?.entries, { timeout: 10_000 })
      .toEqual(expect.arrayContaining([expect.objectContaining({ id: admitted.feedId, role: 'patient' })]));

    await session.kick(admitted.feedId);
    expect(await fetch(`${guard.url}/v1/rooms/${room}/guests/${knock.guestId}?wait=0`, { headers: { authorization: `Bearer ${knock.secret}` } }).then((r) => r.json())).toEqual({ state: 'removed' });
    // The host cannot remove themselves.
    await expect(session.kick(join.feedId)).rejects.toMatchObject({ code: 'host-action-failed' });

    await session.endForAll();
    expect(session.phase).toBe('ended');
    expect(ended()).toBe(1);
    expect(await videoroomRequest(janus, { request: 'exists', room: join.room })).toMatchObject({ exists: false });
    await expect(session.admit(knock.guestId)).rejects.toMatchObject({ code: 'no-call' });
  });

  it('says a wrong host PIN once and does not try again by itself', async () => {
    const room = await provisioned();
    const { session, lines } = open(room, '99999999');
    await expect(session.prepare()).rejects.toMatchObject({ code: 'host-pin-wrong' });
    expect(session.phase).toBe('failed');
    // No retry loop: asked again (the window), the session says the same without asking the
    // guard, which saw exactly one attempt; the window can still show the meeting's ticket.
    await expect(session.prepare()).rejects.toMatchObject({ code: 'host-pin-wrong' });
    expect(session.ticket()).toMatchObject({ provider: 'janus' });
    for (let i = 0; i < 4; i++) {
      const res = await fetch(`${guard.url}/v1/rooms/${room}/host`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pin: '11111111' }) });
      expect(res.status, `attempt ${i + 2}`).toBe(403); // the fifth wrong PIN in all
    }
    const sixth = await fetch(`${guard.url}/v1/rooms/${room}/host`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pin: hostPin }) });
    expect(sixth.status).toBe(429);
    const locked = open(room);
    await expect(locked.session.prepare()).rejects.toMatchObject({ code: 'room-locked-out' });
    expect(lines.join('\n')).not.toContain('99999999');
  });

  it('reports the server gone as unreachable', async () => {
    const room = await provisioned();
    const { session } = open(room, hostPin, 'http://127.0.0.1:9');
    await expect(session.prepare()).rejects.toMatchObject({ code: 'conference-unreachable' });
    expect(session.phase).toBe('failed');
  });

  it('asks whether to end the meeting when the host closes the window, and does what the host answers', async () => {
    const room = await provisioned();
    const { session, events } = open(room);
    const join = await session.prepare();
    if (join.provider !== 'janus') throw new Error('janus expected');
    session.joined({ participantId: join.feedId });
    session.windowClosed(true);
    expect(session.phase).toBe('asking-end');
    expect(events.find((e) => e.event === 'call.askEnd')).toMatchObject({ target: 'main', payload: { subject: 'Invented check-up' } });
    await session.endAfterClose();
    expect(session.phase).toBe('ended');
    expect(await videoroomRequest(janus, { request: 'exists', room: join.room })).toMatchObject({ exists: false });
  });
});
