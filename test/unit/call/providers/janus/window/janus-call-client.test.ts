/**
 * The Janus call client's event mapping (JanusCallClient over JanusRoom) without a browser,
 * at the client's own seam: janus.js itself (JanusRoomOptions.janus). The fake below is
 * shaped from janus.js's typings (janus-gateway/npm/janus.d.ts: Janus.init, new Janus({server,
 * token, success, error}), attach, PluginHandle.send/createOffer/createAnswer/data) and
 * answers as Janus 1.x's VideoRoom plugin does (its documented `joined`, `event`, `attached`,
 * `destroyed` messages, error codes 433 unauthorized and 426 no such room). Inferred, not
 * from the docs: the order in which janus.js calls success callbacks (always asynchronously
 * here). The real server and janus.js run in the call e2e specs.
 *
 * janus.js's module cannot load in Node (a UMD wrapper that writes module.exports), so its
 * import is replaced by a class that refuses to be used: every test hands in the fake.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { JoinInfo, RosterEntry, WaitingGuest } from '../../../../../../call/common/call-model';
import type { CallClientEvents, HostPort } from '../../../../../../call/window/call-client';
import type { JanusLibrary } from '../../../../../../call/providers/janus/window/janus-room';
import { JanusCallClient } from '../../../../../../call/providers/janus/window/janus-call-client';
import { until } from '../../../../../support/until';

vi.mock('janus-gateway', () => ({
  default: class {
    constructor() {
      throw new Error('the real janus.js is not for Node: pass the fake');
    }
  },
}));

// A MediaStream stand-in (the DOM's, as JanusRoom uses it: tracks added, removed, looked up).
class FakeMediaStream {
  private readonly tracks: FakeTrack[] = [];
  constructor(tracks: FakeTrack[] = []) {
    this.tracks.push(...tracks);
  }
  addTrack(t: FakeTrack) {
    this.tracks.push(t);
  }
  removeTrack(t: FakeTrack) {
    this.tracks.splice(this.tracks.indexOf(t), 1);
  }
  getTrackById(id: string) {
    return this.tracks.find((t) => t.id === id) ?? null;
  }
  getTracks() {
    return [...this.tracks];
  }
  getAudioTracks() {
    return this.tracks.filter((t) => t.kind === 'audio');
  }
  getVideoTracks() {
    return this.tracks.filter((t) => t.kind === 'video');
  }
}
interface FakeTrack {
  id: string;
  kind: 'audio' | 'video';
  enabled: boolean;
}
vi.stubGlobal('MediaStream', FakeMediaStream);

type Message = Record<string, unknown>;
interface Sent {
  message: Message;
  jsep?: unknown;
}

/** One plugin handle: records what the client sends; `reply` delivers a plugin message. */
class FakeHandle {
  readonly sent: Sent[] = [];
  readonly webrtcStuff: { pc?: unknown } = {};
  constructor(
    readonly janus: FakeJanus,
    readonly callbacks: { onmessage?: (m: Message, jsep?: unknown) => void; onremotetrack?: (t: FakeTrack, mid: string, on: boolean) => void; ondata?: (data: unknown, label: unknown) => void; iceState?: (s: string) => void },
  ) {}
  send(request: Sent & { error?: (e: unknown) => void }) {
    this.sent.push({ message: request.message, ...(request.jsep ? { jsep: request.jsep } : {}) });
    queueMicrotask(() => this.janus.server.onRequest(this, request.message, request.jsep));
  }
  reply(message: Message, jsep?: unknown) {
    this.callbacks.onmessage?.(message, jsep);
  }
  /** The tracks of each createOffer (janus.js's TrackOption list). */
  readonly offers: unknown[][] = [];
  createOffer(p: { tracks?: unknown[]; success?: (jsep: unknown) => void }) {
    this.offers.push(p.tracks ?? []);
    queueMicrotask(() => p.success?.({ type: 'offer', sdp: 'v=0 (fake)' }));
  }
  createAnswer(p: { success?: (jsep: unknown) => void }) {
    queueMicrotask(() => p.success?.({ type: 'answer', sdp: 'v=0 (fake)' }));
  }
  handleRemoteJsep() {}
  data(p: { text: string; success?: () => void }) {
    this.janus.server.dataSent.push(p.text);
    p.success?.();
  }
}

/** A session (new Janus({...})): connects at once unless the server is down. */
class FakeJanus {
  readonly handles: FakeHandle[] = [];
  destroyed = false;
  constructor(
    readonly server: FakeVideoRoom,
    readonly options: { server: string; token?: string; success?: () => void; error?: (e: unknown) => void },
  ) {
    server.sessions.push(this);
    queueMicrotask(() => (server.down ? options.error?.('Lost connection to the server (is it down?)') : options.success?.()));
  }
  attach(o: FakeHandle['callbacks'] & { plugin: string; success?: (h: FakeHandle) => void }) {
    const handle = new FakeHandle(this, o);
    this.handles.push(handle);
    queueMicrotask(() => o.success?.(handle));
  }
  destroy(o?: { success?: () => void }) {
    this.destroyed = true;
    o?.success?.();
  }
  /** janus.js's session error after connecting: the signalling connection is gone. */
  lose() {
    this.options.error?.('Lost connection to the server (is it down?)');
  }
  get publisher() {
    return this.handles[0]!;
  }
}

/** The VideoRoom as this test scripts it: who publishes, and what the next publisher join answers. */
class FakeVideoRoom {
  readonly sessions: FakeJanus[] = [];
  readonly dataSent: string[] = [];
  down = false;
  publishers: Message[] = [];
  /** The next publisher join's answer: joined, or a VideoRoom error. */
  nextJoin: { error_code: number; error: string } | null = null;
  onRequest(handle: FakeHandle, message: Message, _jsep: unknown) {
    if (message.request === 'join' && message.ptype === 'publisher') {
      const answer = this.nextJoin;
      this.nextJoin = null;
      if (answer) handle.reply({ videoroom: 'event', ...answer });
      else handle.reply({ videoroom: 'joined', room: message.room, id: message.id, private_id: 4711, publishers: this.publishers });
    } else if (message.request === 'publish') {
      handle.reply({ videoroom: 'event', configured: 'ok' }, { type: 'answer', sdp: 'v=0 (fake)' });
    } else if (message.request === 'join' && message.ptype === 'subscriber') {
      const streams = (message.streams as Array<{ feed: string }>).flatMap(({ feed }, i) => [
        { mid: String(2 * i), type: 'audio', feed_id: feed, active: true },
        { mid: String(2 * i + 1), type: 'video', feed_id: feed, active: true },
      ]);
      handle.reply({ videoroom: 'attached', streams }, { type: 'offer', sdp: 'v=0 (fake)' });
    }
  }
  get session() {
    return this.sessions.at(-1)!;
  }
  library(): JanusLibrary {
    const server: FakeVideoRoom = this; // eslint-disable-line @typescript-eslint/no-this-alias -- the class below is made per room
    return class extends FakeJanus {
      static init(o: { callback?: () => void }) {
        o.callback?.();
      }
      static useDefaultDependencies() {
        return {};
      }
      constructor(options: FakeJanus['options']) {
        super(server, options);
      }
    } as unknown as JanusLibrary;
  }
}

function joinInfo(n: number): Extract<JoinInfo, { provider: 'janus' }> {
  return { provider: 'janus', serverUrl: 'ws://127.0.0.1:8188/', room: 'room-a', feedId: 'host-feed', token: `token-${n}-${'x'.repeat(24)}` };
}

function setUp() {
  const server = new FakeVideoRoom();
  let prepares = 0;
  const joined: string[] = [];
  let roster: (entries: RosterEntry[]) => void = () => undefined;
  let lobby: (list: WaitingGuest[]) => void = () => undefined;
  const port: HostPort = {
    prepare: async () => joinInfo(++prepares),
    joined: (id) => joined.push(id),
    sessionToken: () => undefined,
    onRoster: (l) => ((roster = l), () => undefined),
    onLobby: (l) => ((lobby = l), () => undefined),
  };
  const client = new JanusCallClient(port, 'Dr Example', server.library());
  const seen: { [K in keyof CallClientEvents]: Array<CallClientEvents[K]> } = { state: [], participants: [], lobby: [], media: [], conference: [], message: [], warning: [], content: [], presenting: [] };
  for (const k of Object.keys(seen) as Array<keyof CallClientEvents>) client.on(k, (p) => (seen[k] as unknown[]).push(p));
  const local = new FakeMediaStream();
  local.addTrack({ id: 'mic', kind: 'audio', enabled: true });
  local.addTrack({ id: 'cam', kind: 'video', enabled: true });
  return { server, client, seen, joined, local: local as unknown as MediaStream, prepares: () => prepares, roster: (e: RosterEntry[]) => roster(e), lobby: (l: WaitingGuest[]) => lobby(l) };
}

const guestFeed = { id: 'guest-feed', display: 'Pat Example', streams: [{ type: 'audio', mid: '0' }, { type: 'video', mid: '1' }, { type: 'data', mid: '2' }] };
/** The states seen, with their reasons; a repeat in a row counts once (the client and JanusRoom both say 'connecting'). */
const states = (t: ReturnType<typeof setUp>) =>
  t.seen.state.map((s) => (s.reason ? `${s.state}:${s.reason}` : s.state)).filter((s, i, all) => i === 0 || s !== all[i - 1]);

afterEach(() => vi.useRealTimers());

describe('JanusCallClient: joining', () => {
  it('joins with what main prepared, reports connecting then joined, and tells main the feed id', async () => {
    const t = setUp();
    await t.client.join(t.local);
    expect(states(t)).toEqual(['connecting', 'joined']);
    expect(t.joined).toEqual(['host-feed']);
    expect(t.client.selfId).toBe('host-feed');
    // The token opens the Janus session and is checked again at the room's join.
    expect(t.server.session.options.token).toBe(joinInfo(1).token);
    expect(t.server.session.publisher.sent[0]!.message).toMatchObject({ request: 'join', ptype: 'publisher', room: 'room-a', display: 'Dr Example', token: joinInfo(1).token, id: 'host-feed' });
    expect(t.server.session.publisher.sent[1]!.message).toEqual({ request: 'publish' });
    expect(t.prepares()).toBe(1);
  });

  it('wrong PIN or token (VideoRoom 433): failed, refused', async () => {
    const t = setUp();
    t.server.nextJoin = { error_code: 433, error: 'Unauthorized (not in the allowed list)' };
    await expect(t.client.join(t.local)).rejects.toThrow(/433/);
    expect(states(t)).toEqual(['connecting', 'failed:refused']);
    expect(t.joined).toEqual([]);
  });

  it('no such room (426): failed, room-missing', async () => {
    const t = setUp();
    t.server.nextJoin = { error_code: 426, error: 'No such room' };
    await expect(t.client.join(t.local)).rejects.toThrow(/426/);
    expect(states(t)).toEqual(['connecting', 'failed:room-missing']);
  });

  it('server gone before joining: failed, server-unreachable', async () => {
    const t = setUp();
    t.server.down = true;
    await expect(t.client.join(t.local)).rejects.toThrow();
    expect(states(t)).toEqual(['connecting', 'failed:server-unreachable']);
  });
});

describe('JanusCallClient: joining while the camera opens', () => {
  it("joins the room and subscribes to the others' feeds before the camera has opened; publishes once it has", async () => {
    const t = setUp();
    t.server.publishers = [guestFeed];
    let open: (s: MediaStream) => void = () => undefined;
    const camera = new Promise<MediaStream>((resolve) => (open = resolve));
    const joining = t.client.join(camera);
    const subscriber = await until(() => t.server.session?.handles[1]?.sent.find((s) => s.message.ptype === 'subscriber'), { what: 'the subscription, camera still opening' });
    expect(subscriber.message).toMatchObject({ request: 'join', ptype: 'subscriber', streams: [{ feed: 'guest-feed' }] });
    const publisher = t.server.session.publisher;
    expect(publisher.sent.map((s) => s.message.request)).toEqual(['join']);
    expect(publisher.offers).toEqual([]);
    expect(states(t)).toEqual(['connecting']);
    open(t.local);
    await joining;
    expect(publisher.sent.map((s) => s.message.request)).toEqual(['join', 'publish']);
    expect(publisher.offers[0]).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'audio', capture: t.local.getAudioTracks()[0] })]));
    expect(states(t)).toEqual(['connecting', 'joined']);
  });

  it('muted while the camera opened: the microphone goes out off', async () => {
    const t = setUp();
    let open: (s: MediaStream) => void = () => undefined;
    const joining = t.client.join(new Promise<MediaStream>((resolve) => (open = resolve)));
    t.client.setAudioEnabled(false);
    open(t.local);
    await joining;
    expect(t.local.getAudioTracks()[0]!.enabled).toBe(false);
    expect(t.local.getVideoTracks()[0]!.enabled).toBe(true);
  });

  it('no camera or microphone after all: failed, media-failed, and nothing was published', async () => {
    const t = setUp();
    await expect(t.client.join(Promise.reject(new Error('NotAllowedError')))).rejects.toThrow(/NotAllowedError/);
    expect(states(t)).toEqual(['connecting', 'failed:media-failed']);
    expect(t.server.session.publisher.sent.map((s) => s.message.request)).toEqual(['join']);
    expect(t.joined).toEqual([]);
  });
});

describe('JanusCallClient: who is there', () => {
  it('participants: feeds with roles and mutes from main (never from the display name), their stream ids', async () => {
    const t = setUp();
    t.server.publishers = [guestFeed];
    await t.client.join(t.local);
    expect(t.seen.participants.at(-1)).toEqual([
      { id: 'guest-feed', displayName: 'Pat Example', role: 'other', hasAudio: true, hasVideo: true, muted: { audio: false, video: false }, connecting: false, audioMid: '0', videoMid: '1' },
    ]);
    t.roster([{ id: 'guest-feed', role: 'patient', muted: { audio: true, video: false } }]);
    expect(t.seen.participants.at(-1)![0]).toMatchObject({ role: 'patient', muted: { audio: true, video: false } });
  });

  it('the lobby is main\'s (the guard keeps it), passed on as it comes', async () => {
    const t = setUp();
    await t.client.join(t.local);
    const waiting: WaitingGuest[] = [{ id: 'knock-1', displayName: 'Ida Invented', role: 'interpreter' }];
    t.lobby(waiting);
    expect(t.seen.lobby).toEqual([waiting]);
  });

  it('a newcomer publishes: subscribed, and their tracks become their media', async () => {
    const t = setUp();
    await t.client.join(t.local);
    t.server.session.publisher.reply({ videoroom: 'event', publishers: [guestFeed] });
    expect(t.seen.participants.at(-1)!.map((p) => p.id)).toEqual(['guest-feed']);
    const sub = await until(() => t.server.session.handles[1], { what: 'the subscriber handle' });
    await until(() => sub.sent.some((s) => s.message.request === 'start'), { what: 'the subscriber to answer' });
    expect(sub.sent[0]!.message).toMatchObject({ request: 'join', ptype: 'subscriber', private_id: 4711, streams: [{ feed: 'guest-feed' }] });
    sub.callbacks.onremotetrack!({ id: 'v1', kind: 'video', enabled: true }, '1', true);
    const media = t.seen.media.at(-1)!;
    expect(media.map((m) => m.id)).toEqual(['guest-feed']);
    expect((media[0]!.stream as unknown as FakeMediaStream).getTracks().map((x) => x.id)).toEqual(['v1']);
    // They leave: gone from the participants and the media.
    t.server.session.publisher.reply({ videoroom: 'event', leaving: 'guest-feed' });
    expect(t.seen.participants.at(-1)).toEqual([]);
    expect(t.seen.media.at(-1)).toEqual([]);
  });

  it('chat: from the feed Janus labels it with, shown under that feed\'s name; a label of no participant is dropped', async () => {
    const t = setUp();
    t.server.publishers = [guestFeed];
    await t.client.join(t.local);
    const sub = await until(() => t.server.session.handles[1], { what: 'the subscriber handle' });
    sub.callbacks.ondata!(JSON.stringify({ chat: 1, id: 'c1', text: '  Hello  ', from: 'host-feed' }), 'guest-feed');
    sub.callbacks.ondata!(JSON.stringify({ chat: 1, id: 'c2', text: 'spoofed' }), 'nobody');
    expect(t.seen.message).toHaveLength(1);
    expect(t.seen.message[0]).toMatchObject({ id: 'guest-feed:c1', from: 'guest-feed', displayName: 'Pat Example', text: 'Hello', own: false });
    const own = await t.client.sendMessage('Hi there');
    expect(own).toMatchObject({ from: 'host-feed', text: 'Hi there', own: true });
    expect(JSON.parse(t.server.dataSent[0]!)).toMatchObject({ chat: 1, text: 'Hi there' });
  });
});

describe('JanusCallClient: content (a shared screen)', () => {
  const withScreen = (disabled = false) => ({ ...guestFeed, streams: [...guestFeed.streams, { type: 'video', mid: '3', description: 'screen', ...(disabled ? { disabled: true } : {}) }] });

  it("a feed's stream described screen: subscribed by feed and mid, shown as content (not in their tile); unsubscribed and gone when it stops", async () => {
    const t = setUp();
    t.server.publishers = [guestFeed];
    await t.client.join(t.local);
    const sub = await until(() => t.server.session.handles[1], { what: 'the subscriber handle' });
    await until(() => sub.sent.some((s) => s.message.request === 'start'), { what: 'the subscriber to answer' });
    sub.callbacks.onremotetrack!({ id: 'cam', kind: 'video', enabled: true }, '1', true);

    // The guest starts sharing: Janus announces the feed again with its new stream.
    t.server.session.publisher.reply({ videoroom: 'event', publishers: [withScreen()] });
    await until(() => sub.sent.some((s) => s.message.request === 'subscribe'), { what: 'the screen subscription' });
    expect(sub.sent.find((s) => s.message.request === 'subscribe')!.message).toEqual({ request: 'subscribe', streams: [{ feed: 'guest-feed', mid: '3' }] });
    // Still one participant with their camera's stream ids, the screen not among them.
    expect(t.seen.participants.at(-1)).toMatchObject([{ id: 'guest-feed', audioMid: '0', videoMid: '1' }]);
    sub.reply(
      {
        videoroom: 'updated',
        streams: [
          { mid: '0', type: 'audio', feed_id: 'guest-feed', feed_mid: '0', active: true },
          { mid: '1', type: 'video', feed_id: 'guest-feed', feed_mid: '1', active: true },
          { mid: '2', type: 'video', feed_id: 'guest-feed', feed_mid: '3', feed_description: 'screen', active: true },
        ],
      },
      { type: 'offer', sdp: 'v=0 (fake)' },
    );
    sub.callbacks.onremotetrack!({ id: 'screen', kind: 'video', enabled: true }, '2', true);
    const content = t.seen.content.at(-1)!;
    expect(content.participantId).toBe('guest-feed');
    expect((content.stream as unknown as FakeMediaStream).getTracks().map((x) => x.id)).toEqual(['screen']);
    const media = t.seen.media.at(-1)!;
    expect((media[0]!.stream as unknown as FakeMediaStream).getTracks().map((x) => x.id)).toEqual(['cam']);

    // They stop: the stream is disabled in the feed's next announcement.
    t.server.session.publisher.reply({ videoroom: 'event', publishers: [withScreen(true)] });
    expect(t.seen.content.at(-1)).toBeNull();
    expect(sub.sent.at(-1)!.message).toEqual({ request: 'unsubscribe', streams: [{ feed: 'guest-feed', mid: '3' }] });
  });

  it('a feed that already shares when we subscribe brings its screen with it (no second subscription)', async () => {
    const t = setUp();
    t.server.publishers = [withScreen()];
    await t.client.join(t.local);
    const sub = await until(() => t.server.session.handles[1], { what: 'the subscriber handle' });
    await until(() => sub.sent.some((s) => s.message.request === 'start'), { what: 'the subscriber to answer' });
    expect(sub.sent.filter((s) => s.message.request === 'subscribe')).toEqual([]);
  });

  it("our share: a second video stream on our feed, configured with the description 'screen'; stopping removes it", async () => {
    const t = setUp();
    await t.client.join(t.local);
    const pub = t.server.session.publisher;
    const screenTrack = { id: 'my-screen', kind: 'video', enabled: true };
    pub.webrtcStuff.pc = { getTransceivers: () => [{ mid: '3', sender: { track: screenTrack } }] };
    const screen = new FakeMediaStream();
    screen.addTrack(screenTrack as FakeTrack);
    await t.client.present(screen as unknown as MediaStream);
    expect(pub.offers.at(-1)).toEqual([{ type: 'video', capture: screenTrack, recv: false, add: true, dontStop: true }]);
    expect(pub.sent.at(-1)).toEqual({ message: { request: 'configure', descriptions: [{ mid: '3', description: 'screen' }] }, jsep: { type: 'offer', sdp: 'v=0 (fake)' } });
    expect(t.seen.presenting).toEqual([true]);

    await t.client.stopPresenting();
    expect(pub.offers.at(-1)).toEqual([{ type: 'video', mid: '3', capture: false, remove: true }]);
    expect(pub.sent.at(-1)).toEqual({ message: { request: 'configure' }, jsep: { type: 'offer', sdp: 'v=0 (fake)' } });
    expect(t.seen.presenting).toEqual([true, false]);
  });
});

describe('JanusCallClient: losing and ending the call', () => {
  it('kicked by the host: left, kicked', async () => {
    const t = setUp();
    await t.client.join(t.local);
    t.server.session.publisher.reply({ videoroom: 'event', leaving: 'ok', reason: 'kicked' });
    await until(() => states(t).length === 3, { what: 'the end' });
    expect(states(t)).toEqual(['connecting', 'joined', 'left:kicked']);
  });

  it('the room destroyed (the meeting ended for all): left, ended', async () => {
    const t = setUp();
    await t.client.join(t.local);
    t.server.session.publisher.reply({ videoroom: 'destroyed', room: 'room-a' });
    await until(() => states(t).length === 3, { what: 'the end' });
    expect(states(t)).toEqual(['connecting', 'joined', 'left:ended']);
  });

  it('leave: left, user-left, and the session is destroyed', async () => {
    const t = setUp();
    await t.client.join(t.local);
    const session = t.server.session;
    await t.client.leave();
    expect(states(t)).toEqual(['connecting', 'joined', 'left:user-left']);
    expect(session.destroyed).toBe(true);
  });

  it('signalling lost: reconnecting (server-unreachable), main prepares again, back in with a new session and token', async () => {
    const t = setUp();
    await t.client.join(t.local);
    const first = t.server.session;
    first.lose();
    expect(states(t)).toEqual(['connecting', 'joined', 'reconnecting:server-unreachable']);
    await until(() => states(t).length === 4, { what: 'the rejoin' });
    expect(states(t).at(-1)).toBe('joined');
    expect(t.prepares()).toBe(2);
    expect(t.server.sessions).toHaveLength(2);
    expect(t.server.session.options.token).toBe(joinInfo(2).token);
    expect(t.joined).toEqual(['host-feed', 'host-feed']);
  });

  it('media path lost (publisher ICE failed): reconnecting (media-failed), then back', async () => {
    const t = setUp();
    await t.client.join(t.local);
    t.server.session.publisher.callbacks.iceState!('failed');
    expect(states(t).at(-1)).toBe('reconnecting:media-failed');
    await until(() => states(t).at(-1) === 'joined', { what: 'the rejoin' });
  });

  it('a rejoin the server refuses (433) ends at once: failed, refused (not worth another try)', async () => {
    const t = setUp();
    await t.client.join(t.local);
    t.server.nextJoin = { error_code: 433, error: 'Unauthorized' };
    t.server.session.lose();
    await until(() => ['left', 'failed'].includes(t.seen.state.at(-1)!.state), { what: 'the end' });
    expect(states(t)).toEqual(['connecting', 'joined', 'reconnecting:server-unreachable', 'failed:refused']);
    expect(t.prepares()).toBe(2);
  });

  it('server gone for good: keeps trying under the rejoin policy, then failed, server-unreachable', async () => {
    const t = setUp();
    await t.client.join(t.local);
    vi.useFakeTimers({ toFake: ['setTimeout', 'Date'] });
    t.server.down = true;
    t.server.session.lose();
    // A minute of attempts, in virtual time (the policy: 250 ms doubling to every 2 s).
    for (let i = 0; i < 80 && !['failed', 'left'].includes(t.seen.state.at(-1)!.state); i++) await vi.advanceTimersByTimeAsync(1000);
    expect(states(t).at(-1)).toBe('failed:server-unreachable');
    // One prepare per attempt after the first join: a handful a minute, not a storm.
    expect(t.prepares() - 1).toBeGreaterThan(20);
    expect(t.prepares() - 1).toBeLessThan(40);
  });
});
