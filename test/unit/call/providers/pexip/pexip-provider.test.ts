/**
 * The call session with the Pexip provider, against the Pexip double (test/stack/pexip) over
 * real HTTP: the host PIN goes to request_token once and never to the window; a wrong PIN is
 * said once and not retried; the alias locked by PIN guessing (no invented duration), a room
 * asking for single sign-on, a PIN that makes a guest, a room that does not exist and a node
 * that is down are told apart, with Pexip's raw answer logged for IT; the host's powers act on the node with the window's
 * session token; end for all works even after the window released its token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCallSession } from '../../../../../call/main/call-session';
import { createPexipProvider } from '../../../../../call/providers/pexip/main/pexip-provider';
import { createSmsSender } from '../../../../../call/main/sms-gateway';
import { createLogger } from '../../../../../main/log/logger';
import { startPexip, type PexipHandle } from '../../../../stack/pexip';

let pexip: PexipHandle;
const hostPin = '52719384';
const guestPin = '80461927';
let rooms = 0;

beforeAll(async () => {
  pexip = await startPexip({ maxPinAttempts: 3 });
});
afterAll(() => pexip?.stop());

function newRoom(pin = hostPin): string {
  const alias = `vmr-unit-${++rooms}@${pexip.domain}`;
  pexip.addRoom({ alias, hostPin: pin, guestPin });
  return alias;
}

function open(alias: string, pin = hostPin, nodeUrl = pexip.url) {
  const lines: string[] = [];
  const closed: string[] = [];
  const room = createPexipProvider({ nodeUrl, fetch, timeoutMs: 3000, log: createLogger([(line) => lines.push(line)]) }).open({ id: alias, uri: alias, hostPin: pin });
  const session = createCallSession({
    meeting: { id: '00000000-0000-4000-8000-000000000002', subject: 'Invented follow-up', guestPin },
    room,
    guestRoom: { provider: 'pexip', nodeUrl, alias },
    displayName: 'Dr Example',
    invitationBaseUrl: 'https://guest.example.org/',
    emit: () => undefined,
    openExternal: async () => undefined,
    sms: createSmsSender({ gatewayUrl: '', timeoutMs: 1000 }),
    log: createLogger([(line) => lines.push(line)]),
    onEnded: () => undefined,
  });
  return { session, lines, closed };
}

const tokenRequests = (alias: string) => pexip.requestLog.filter((e) => e.path.endsWith('/request_token') && e.path.includes(encodeURIComponent(alias))).length;

/** A guest's own request_token, as @pexip/infinity sends it. */
async function guestToken(alias: string, pin: string): Promise<Response> {
  return fetch(`${pexip.url}/api/client/v2/conferences/${encodeURIComponent(alias)}/request_token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', pin },
    body: JSON.stringify({ display_name: 'Guest Example', call_tag: 'patient' }),
  });
}

describe('Pexip provider', () => {
  it('hosts with the host PIN in main, and the window gets only the token answer', async () => {
    const alias = newRoom();
    const { session } = open(alias);
    const join = await session.prepare();
    if (join.provider !== 'pexip') throw new Error('pexip expected');
    expect(join).toMatchObject({ nodeUrl: pexip.url, alias });
    expect(JSON.stringify(join)).not.toContain(hostPin);
    const token = (join.tokenResponse as { result: { token: string; role: string; participant_uuid: string } }).result;
    expect(token.role).toBe('HOST');
    expect(session.ticket()).toMatchObject({ provider: 'pexip', capabilities: { dialOut: true, lock: true, muteGuests: true } });

    // The window joined with that token: the host's powers act on the node.
    session.joined({ participantId: token.participant_uuid, sessionToken: token.token });
    await session.lock(true);
    expect(pexip.locked(alias)).toBe(true);
    await session.lock(false);
    expect(pexip.locked(alias)).toBe(false);

    // A guest comes in (the host is there, the room unlocked); the host mutes, then removes them.
    const guest = (await (await guestToken(alias, guestPin)).json()) as { result: { participant_uuid: string } };
    const guestId = guest.result.participant_uuid;
    await session.mute(guestId, 'audio', true);
    expect(pexip.participants(alias).find((p) => p.uuid === guestId)?.isMuted).toBe(true);
    await session.kick(guestId);
    expect(pexip.participants(alias).some((p) => p.uuid === guestId)).toBe(false);

    // A stale token (the window's refreshes stopped): the host's power fails with a plain code.
    session.sessionToken('not-a-token');
    await expect(session.lock(true)).rejects.toMatchObject({ code: 'host-action-failed' });
    await session.leave();
    expect(session.phase).toBe('ended');
  });

  it('says a wrong host PIN once and never asks again; the guessed-at alias is then locked', async () => {
    const alias = newRoom('11223344'); // the booking says hostPin; the room has another
    const { session, lines } = open(alias);
    await expect(session.prepare()).rejects.toMatchObject({ code: 'host-pin-wrong' });
    expect(session.phase).toBe('failed');
    // Asked again (the window), the session answers the same without asking the node.
    await expect(session.prepare()).rejects.toMatchObject({ code: 'host-pin-wrong' });
    expect(tokenRequests(alias)).toBe(1);
    expect(lines.join('\n')).not.toContain(hostPin);

    // Someone guesses until the node locks the alias; the next host is told so.
    for (let i = 0; i < 10 && pexip.pinLockout(alias) === 'none'; i++) await guestToken(alias, String(90_000_000 + i));
    expect(pexip.pinLockout(alias)).toBe('retries-exceeded');
    const locked = open(alias, '11223344');
    const refused = await locked.session.prepare().catch((e: unknown) => e);
    // Pexip's answer, without a duration it does not give; the raw status logged for IT, no PIN.
    expect(refused).toMatchObject({ code: 'room-pin-retries-exceeded' });
    expect((refused as { info: { params?: unknown } }).info.params).toBeUndefined();
    expect(locked.lines.join('\n')).toContain('request_token refused: HTTP 403 "Participant exceeded PIN entry retries"');
    expect(locked.lines.join('\n')).not.toContain('11223344');
  });

  it('tells a room that does not exist from a node that does not answer', async () => {
    await expect(open(`vmr-missing@${pexip.domain}`).session.prepare()).rejects.toMatchObject({ code: 'room-not-found' });
    await expect(open(newRoom(), hostPin, 'http://127.0.0.1:9').session.prepare()).rejects.toMatchObject({ code: 'conference-unreachable' });
  });

  it('refuses a PIN that the node takes as a guest\'s (role GUEST) and gives that token back at once', async () => {
    const alias = newRoom();
    // The booking system handed the guest PIN as the host PIN.
    const { session, lines } = open(alias, guestPin);
    await expect(session.prepare()).rejects.toMatchObject({ code: 'host-pin-not-host' });
    expect(lines.join('\n')).toContain('gave role GUEST, not HOST; released');
    expect(lines.join('\n')).not.toContain(guestPin);
    // Nobody left waiting in the room on the clinician's behalf.
    await expect.poll(() => pexip.participants(alias)).toEqual([]);
  });

  it('explains a room that asks for single sign-on (403 with identity providers) instead of calling the PIN wrong', async () => {
    const alias = `vmr-unit-sso-${++rooms}@${pexip.domain}`;
    pexip.addRoom({ alias, hostPin, guestPin, ssoIdps: ['Hospital Entra ID'] });
    const { session, lines } = open(alias);
    await expect(session.prepare()).rejects.toMatchObject({ code: 'room-sso-required' });
    expect(lines.join('\n')).toContain('request_token refused: HTTP 403 {idp, version}');
  });

  it('lets the host leave by closing the window, and still end the meeting for everyone after, with a session of its own', async () => {
    const alias = newRoom();
    const { session } = open(alias);
    const join = await session.prepare();
    if (join.provider !== 'pexip') throw new Error('pexip expected');
    const token = (join.tokenResponse as { result: { token: string; participant_uuid: string } }).result;
    session.joined({ participantId: token.participant_uuid, sessionToken: token.token });
    expect((await guestToken(alias, guestPin)).status).toBe(200);
    expect(pexip.participants(alias).length).toBe(2);

    // The host closes the window: the host leaves the conference at once (main gives the
    // window's token back), while the host may still end the meeting.
    session.windowClosed(true);
    expect(session.phase).toBe('asking-end');
    await expect.poll(() => pexip.participants(alias).map((p) => p.role)).toEqual(['guest']);
    await session.endAfterClose();
    expect(session.phase).toBe('ended');
    expect(pexip.participants(alias)).toEqual([]);
  });
});
