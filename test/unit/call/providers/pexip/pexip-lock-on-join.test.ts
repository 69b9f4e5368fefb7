/**
 * Pexip: the console locks the meeting as the host joins, so a guest with the guest PIN waits
 * until the host admits them (against the Pexip double over real HTTP). The setting turns it
 * off; a rejoin locks again unless the host unlocked the meeting; a lock that fails does not
 * stop the join and is logged without the PINs, the names or the token.
 *
 * The host's media is what starts a Pexip conference; these tests have no WebRTC, so the host
 * starts it with `start_conference` (a Host's request), after which an unlocked meeting lets
 * guests straight in.
 */
import { startConference, withToken } from '@pexip/infinity-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCallSession } from '../../../../../call/main/call-session';
import { createPexipProvider } from '../../../../../call/providers/pexip/main/pexip-provider';
import { createSmsSender } from '../../../../../call/main/sms-gateway';
import { createLogger } from '../../../../../main/log/logger';
import { addRandomRoom, startPexip, type PexipHandle, type PexipRoom } from '../../../../stack/pexip';

let pexip: PexipHandle;

beforeAll(async () => {
  pexip = await startPexip();
});
afterAll(() => pexip?.stop());

function open(room: PexipRoom, opts: { lockOnHostJoin?: boolean; fetch?: typeof fetch } = {}) {
  const lines: string[] = [];
  const log = createLogger([(line) => lines.push(line)]);
  const provider = createPexipProvider({
    nodeUrl: pexip.url,
    fetch: opts.fetch ?? fetch,
    timeoutMs: 3000,
    log,
    ...(opts.lockOnHostJoin !== undefined ? { lockOnHostJoin: opts.lockOnHostJoin } : {}),
  });
  const session = createCallSession({
    meeting: { id: '00000000-0000-4000-8000-000000000003', subject: 'Invented check-up', guestPin: room.guestPin },
    room: provider.open({ id: room.alias, uri: room.alias, hostPin: room.hostPin }),
    guestRoom: { provider: 'pexip', nodeUrl: pexip.url, alias: room.alias },
    displayName: 'Dr Example',
    invitationBaseUrl: 'https://guest.example.org/',
    emit: () => undefined,
    openExternal: async () => undefined,
    sms: createSmsSender({ gatewayUrl: '', timeoutMs: 1000 }),
    log,
    onEnded: () => undefined,
  });
  return { session, lines };
}

/** The host's window joins with what main prepared, and its call starts the conference. */
async function hostJoins(session: ReturnType<typeof open>['session'], alias: string): Promise<{ token: string; participantUuid: string }> {
  const join = await session.prepare();
  if (join.provider !== 'pexip') throw new Error('pexip expected');
  const { token, participant_uuid: participantUuid } = (join.tokenResponse as { result: { token: string; participant_uuid: string } }).result;
  session.joined({ participantId: participantUuid, sessionToken: token });
  const started = await startConference({ fetcher: withToken(fetch, token), host: pexip.url, params: { conferenceAlias: alias } });
  expect(started.status).toBe(200);
  return { token, participantUuid };
}

/** A guest's request_token with the guest PIN, as @pexip/infinity sends it: where it lands. */
async function guestArrives(alias: string, pin: string): Promise<{ uuid: string; serviceType: string }> {
  const res = await fetch(`${pexip.url}/api/client/v2/conferences/${encodeURIComponent(alias)}/request_token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', pin },
    body: JSON.stringify({ display_name: 'Guest Example', call_tag: 'patient' }),
  });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { result: { participant_uuid: string; current_service_type: string } };
  return { uuid: body.result.participant_uuid, serviceType: body.result.current_service_type };
}

const serviceTypeOf = (alias: string, uuid: string) => pexip.participants(alias).find((p) => p.uuid === uuid)?.serviceType;

describe('Pexip: the meeting locks as the host joins', () => {
  it('a guest with the right PIN who arrives after the host waits until the host admits them', async () => {
    const room = addRandomRoom(pexip);
    const { session } = open(room);
    await hostJoins(session, room.alias);
    expect(pexip.locked(room.alias)).toBe(true);

    const guest = await guestArrives(room.alias, room.guestPin);
    expect(guest.serviceType).toBe('waiting_room');
    await session.admit(guest.uuid);
    expect(serviceTypeOf(room.alias, guest.uuid)).toBe('conference');
    await session.leave();
  });

  it('leaves the meeting open when the setting is off', async () => {
    const room = addRandomRoom(pexip);
    const { session } = open(room, { lockOnHostJoin: false });
    await hostJoins(session, room.alias);
    expect(pexip.locked(room.alias)).toBe(false);
    expect((await guestArrives(room.alias, room.guestPin)).serviceType).toBe('conference');
    await session.leave();
  });

  it('locks again when the host rejoins a conference that ended under them, but keeps the host\'s own unlock', async () => {
    const room = addRandomRoom(pexip);
    const { session } = open(room);
    await hostJoins(session, room.alias);

    // The conference ends under the host (an administrator ended it; a node restart does the
    // same): the room's next conference is a new, unlocked one, and the rejoin locks it.
    pexip.removeRoom(room.alias);
    pexip.addRoom(room);
    expect(pexip.locked(room.alias)).toBe(false);
    await hostJoins(session, room.alias);
    expect(pexip.locked(room.alias)).toBe(true);

    // The host opens the meeting; the window loses the node for a moment and rejoins: still open.
    await session.lock(false);
    await hostJoins(session, room.alias);
    expect(pexip.locked(room.alias)).toBe(false);
    expect((await guestArrives(room.alias, room.guestPin)).serviceType).toBe('conference');
    await session.leave();
  });

  it('a lock that fails does not stop the join, and is logged without PINs, names or the token', async () => {
    const room = addRandomRoom(pexip);
    // The connection breaks on the lock request only (everything else reaches the node).
    const breakLock: typeof fetch = (input, init) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      return url.endsWith('/lock') ? Promise.reject(new TypeError('fetch failed')) : fetch(input, init);
    };
    const { session, lines } = open(room, { fetch: breakLock });
    const { token } = await hostJoins(session, room.alias);
    expect(session.phase).toBe('joined');
    expect(pexip.locked(room.alias)).toBe(false);

    const said = lines.join('\n');
    expect(said).toMatch(/could not be locked/);
    for (const secret of [room.hostPin, room.guestPin, token, 'Dr Example', room.alias]) expect(said).not.toContain(secret);
    await session.leave();
  });
});
