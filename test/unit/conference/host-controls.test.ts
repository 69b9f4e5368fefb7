/**
 * Host powers and the lobby against Debian's real Janus 1.1: main's VideoRoom line with the
 * room secret, and guests played by janode VideoRoom handles that join without media (the
 * admission rules do not depend on media).
 */
import { randomBytes } from 'node:crypto';
import Janode, { type JanodeConnection, type JanodeSession } from 'janode';
import VideoRoomPlugin, { type VideoRoomHandle } from 'janode/plugins/videoroom';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createVideoRoomAdmin, VideoRoomError, type VideoRoomAdmin } from '../../../main/conference/janus-admin';
import { createHostControls, lobbyRoomId, type HostControls } from '../../../main/conference/host-controls';
import { createRoom, startJanus, type JanusHandle } from '../../stack/janus';

let janus: JanusHandle;
let admin: VideoRoomAdmin;
let conn: JanodeConnection;
let session: JanodeSession;

beforeAll(async () => {
  janus = await startJanus();
  admin = createVideoRoomAdmin({ url: janus.wsUrl });
  conn = await Janode.connect({ address: { url: janus.wsUrl } });
  session = await conn.create(25);
});
afterAll(async () => {
  await admin?.close();
  await conn?.close().catch(() => undefined);
  await janus?.stop();
});

const pin = () => String(100_000 + (randomBytes(4).readUInt32BE() % 900_000));
const id = () => randomBytes(12).toString('hex');

async function guest(): Promise<VideoRoomHandle> {
  return (await session.attach(VideoRoomPlugin as unknown as { id: string })) as unknown as VideoRoomHandle;
}

async function meeting(): Promise<{ room: string; guestPin: string; controls: HostControls }> {
  const guestPin = pin();
  const secret = pin();
  const room = await createRoom(janus.httpUrl, { pin: guestPin, secret });
  return { room, guestPin, controls: createHostControls(admin, { room, pin: guestPin, secret }, id) };
}

/** Janus tells a kicked participant with `leaving: ok, reason: kicked` (janode: LEAVING or KICKED). */
function removed(h: VideoRoomHandle): Promise<void> {
  return new Promise((resolve) => {
    h.once(VideoRoomPlugin.EVENT.VIDEOROOM_KICKED!, () => resolve());
    h.once(VideoRoomPlugin.EVENT.VIDEOROOM_LEAVING!, () => resolve());
  });
}

function codeOf(err: unknown): unknown {
  return (err as { _code?: unknown; code?: unknown })._code ?? (err as { code?: unknown }).code ?? String(err);
}

describe('lobby', () => {
  test('a guest waits in the lobby, is listed with role and name, and gets in only once admitted', async () => {
    const { room, guestPin, controls } = await meeting();
    const { token } = await controls.prepare();

    // The host's own token lets the host in; a guest without one is refused.
    const host = await guest();
    await host.joinPublisher({ room, display: 'host|Dr Test', pin: guestPin, token });
    const direct = await guest();
    await expect(direct.joinPublisher({ room, display: 'patient|Pat Example', pin: guestPin })).rejects.toSatisfy(
      (e) => String(codeOf(e)).includes('433') || String(e).includes('433') || String(e).toLowerCase().includes('unauthorized'),
    );

    const ticket = id();
    const waitingGuest = await guest();
    const kicked = removed(waitingGuest);
    await waitingGuest.joinPublisher({ room: lobbyRoomId(room), feed: ticket, display: 'interpreter|Ina Example', pin: guestPin });
    expect(await controls.waiting()).toEqual([{ id: ticket, displayName: 'Ina Example', role: 'interpreter' }]);

    await controls.admit(ticket);
    await kicked;
    expect(await controls.waiting()).toEqual([]);
    const admitted = await guest();
    await admitted.joinPublisher({ room, feed: ticket, display: 'interpreter|Ina Example', pin: guestPin, token: ticket });
  });

  test('a denied guest leaves the lobby and cannot join the room', async () => {
    const { room, guestPin, controls } = await meeting();
    await controls.prepare();
    const ticket = id();
    const waitingGuest = await guest();
    await waitingGuest.joinPublisher({ room: lobbyRoomId(room), feed: ticket, display: 'relative|Rel Example', pin: guestPin });
    await controls.deny(ticket);
    expect(await controls.waiting()).toEqual([]);
    const retry = await guest();
    await expect(retry.joinPublisher({ room, feed: ticket, display: 'relative|Rel Example', pin: guestPin, token: ticket })).rejects.toBeTruthy();
  });

  test('the lobby checks the guest PIN', async () => {
    const { room, controls } = await meeting();
    await controls.prepare();
    const g = await guest();
    await expect(g.joinPublisher({ room: lobbyRoomId(room), feed: id(), display: 'patient|P', pin: '000' })).rejects.toBeTruthy();
    expect(await controls.waiting()).toEqual([]);
  });
});

describe('host powers', () => {
  test('kick removes a participant, who cannot come back with the same token', async () => {
    const { room, guestPin, controls } = await meeting();
    await controls.prepare();
    const ticket = id();
    const lobbyGuest = await guest();
    await lobbyGuest.joinPublisher({ room: lobbyRoomId(room), feed: ticket, display: 'patient|P', pin: guestPin });
    await controls.admit(ticket);
    const inRoom = await guest();
    const kicked = removed(inRoom);
    await inRoom.joinPublisher({ room, feed: ticket, display: 'patient|P', pin: guestPin, token: ticket });
    await controls.kick(ticket);
    await kicked;
    const back = await guest();
    await expect(back.joinPublisher({ room, feed: ticket, display: 'patient|P', pin: guestPin, token: ticket })).rejects.toBeTruthy();
  });

  test('end for all destroys the room and its lobby; everybody inside is told', async () => {
    const { room, guestPin, controls } = await meeting();
    const { token } = await controls.prepare();
    const host = await guest();
    const destroyed = new Promise<void>((resolve) => host.once(VideoRoomPlugin.EVENT.VIDEOROOM_DESTROYED!, () => resolve()));
    await host.joinPublisher({ room, display: 'host|Dr Test', pin: guestPin, token });
    await controls.endForAll();
    await destroyed;
    await expect(admin.request({ request: 'exists', room })).resolves.toMatchObject({ exists: false });
    await expect(admin.request({ request: 'exists', room: lobbyRoomId(room) })).resolves.toMatchObject({ exists: false });
  });

  test('a wrong secret is refused by Janus', async () => {
    const { room, guestPin } = await meeting();
    const wrong = createHostControls(admin, { room, pin: guestPin, secret: 'not-the-secret' }, id);
    await expect(wrong.kick('nobody')).rejects.toBeInstanceOf(VideoRoomError);
  });

  test('after a Janus restart, prepare brings back the room with its admitted guests', async () => {
    const { room, guestPin, controls } = await meeting();
    await controls.prepare();
    const ticket = id();
    const lobbyGuest = await guest();
    await lobbyGuest.joinPublisher({ room: lobbyRoomId(room), feed: ticket, display: 'patient|P', pin: guestPin });
    await controls.admit(ticket);
    await janus.restart();
    await controls.prepare();
    // A fresh janode session: the old one died with Janus.
    const c = await Janode.connect({ address: { url: janus.wsUrl } });
    try {
      const s = await c.create(25);
      const back = (await s.attach(VideoRoomPlugin as unknown as { id: string })) as unknown as VideoRoomHandle;
      await back.joinPublisher({ room, feed: ticket, display: 'patient|P', pin: guestPin, token: ticket });
      const stranger = (await s.attach(VideoRoomPlugin as unknown as { id: string })) as unknown as VideoRoomHandle;
      await expect(stranger.joinPublisher({ room, feed: id(), display: 'patient|X', pin: guestPin, token: id() })).rejects.toBeTruthy();
    } finally {
      await c.close().catch(() => undefined);
    }
  });

  test('prepare recreates a room that vanished with a Janus restart', async () => {
    const { room, controls } = await meeting();
    await janus.restart();
    await expect(admin.request({ request: 'exists', room })).resolves.toMatchObject({ exists: false });
    await controls.prepare();
    await expect(admin.request({ request: 'exists', room })).resolves.toMatchObject({ exists: true });
  });
});
