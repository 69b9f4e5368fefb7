/**
 * The call window's state (call/window/call-state.svelte.ts) without a browser: main is a
 * table of channel answers (the call channels of call/common/call-contract.ts), the provider
 * client a fake CallClient (the interface both real clients implement, call-client.ts), the
 * camera and the stats timer fakes the test drives. Text is the i18n key (the fake `t`).
 */
import { describe, expect, it } from 'vitest';
import type { CallTicket, JoinInfo, WaitingGuest } from '../../../../call/common/call-model';
import type { CallDevices } from '../../../../call/common/call-contract';
import type { CallClient, CallClientEvents, CallParticipant, CallStateChange, ChatMessage, EndReason, HostPort, MediaStats } from '../../../../call/window/call-client';
import { CallState, type CallStateDeps } from '../../../../call/window/call-state.svelte';
import { Emitter } from '../../../../call/window/emitter';
import type { LocalMedia } from '../../../../call/window/check';
import { until } from '../../../support/until';

const ticket: CallTicket = {
  meetingId: '00000000-0000-4000-8000-000000000001',
  subject: 'Invented follow-up',
  provider: 'janus',
  displayName: 'Dr Example',
  capabilities: { dialOut: false, lock: false, muteGuests: false },
};
const joinInfo: JoinInfo = { provider: 'janus', serverUrl: 'ws://127.0.0.1:8188/', room: 'room-1', feedId: 'feed-host', token: 'a'.repeat(32) };

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A stand-in MediaStream: what CallState touches (its tracks, to stop them). */
function fakeStream() {
  const stopped: string[] = [];
  const tracks = [{ kind: 'audio', stop: () => stopped.push('audio') }, { kind: 'video', stop: () => stopped.push('video') }];
  return { stream: { getTracks: () => tracks } as unknown as MediaStream, stopped };
}

/** A CallClient the test drives: it records what the window asks and emits what the test says. */
class FakeClient implements CallClient {
  readonly layout = 'tiles' as const;
  readonly selfId = 'feed-host';
  readonly events = new Emitter<CallClientEvents>();
  readonly joining = deferred<void>();
  joinedWith: MediaStream | null = null;
  left = 0;
  audio: boolean[] = [];
  video: boolean[] = [];
  statsAnswer: MediaStats[] = [];
  constructor(readonly port: HostPort) {}
  on<K extends keyof CallClientEvents>(event: K, listener: (payload: CallClientEvents[K]) => void) {
    return this.events.on(event, listener);
  }
  async join(local: MediaStream | Promise<MediaStream>) {
    // As the real clients: main's ticket while the camera opens; the stream is needed to send.
    const prepared = this.port.prepare();
    this.joinedWith = await local;
    await prepared;
    return this.joining.promise;
  }
  async leave() {
    this.left++;
  }
  setAudioEnabled(on: boolean) {
    this.audio.push(on);
  }
  setVideoEnabled(on: boolean) {
    this.video.push(on);
  }
  async replaceTrack() {}
  async stats() {
    return this.statsAnswer;
  }
  async sendMessage(text: string): Promise<ChatMessage> {
    return { id: 'm-own', from: this.selfId, displayName: 'Dr Example', text, at: 1, own: true };
  }
}

interface Options {
  devices?: CallDevices;
  ticket?: () => Promise<CallTicket>;
  media?: Promise<LocalMedia>;
  refuse?: Partial<Record<string, unknown>>;
  /** The end screen started this call with the devices unchanged. */
  skipCheckOnce?: boolean;
}

/** A CallState with fakes all round; `calls` is every request to main, in order. */
function setUp(opts: Options = {}) {
  const calls: Array<{ channel: string; request: unknown }> = [];
  const listeners = new Map<string, (payload: unknown) => void>();
  const timers: Array<{ ms: number; fn: () => void; stopped: boolean }> = [];
  const knocks: Array<[string, string]> = [];
  const marks: string[] = [];
  const clients: FakeClient[] = [];
  const module = deferred<(port: HostPort, name: string) => CallClient>();
  const mediaAsked: CallDevices[] = [];
  const media = opts.media ?? Promise.resolve({ stream: fakeStream().stream, camera: null, microphone: null });
  const answers: Record<string, (request: unknown) => unknown> = {
    'call.devices': () => opts.devices ?? { skipCheck: true },
    'call.ticket': () => (opts.ticket ? opts.ticket() : ticket),
    'call.prepare': () => joinInfo,
  };
  const deps: CallStateDeps = {
    call: (async (channel: string, request: unknown) => {
      calls.push({ channel, request });
      if (opts.refuse && channel in opts.refuse) throw opts.refuse[channel];
      return answers[channel] ? answers[channel](request) : {};
    }) as CallStateDeps['call'],
    on: ((event: string, listener: (payload: unknown) => void) => {
      listeners.set(event, listener);
      return () => listeners.delete(event);
    }) as CallStateDeps['on'],
    errorText: (e) => `error:${e instanceof Error ? e.message : String(e)}`,
    t: (key, params) => (params ? `${key} ${JSON.stringify(params)}` : key),
    openLocalMedia: (prefs) => {
      mediaAsked.push(prefs);
      return media;
    },
    loadCallClient: () => module.promise,
    logClient: () => () => undefined,
    knock: (title, body) => knocks.push([title, body]),
    markTiming: (key) => marks.push(key),
    setTitle: () => undefined,
    every: (ms, fn) => {
      const timer = { ms, fn, stopped: false };
      timers.push(timer);
      return () => (timer.stopped = true);
    },
    tick: () => Promise.resolve(),
  };
  const state = new CallState(deps, opts.skipCheckOnce);
  const loadModule = () =>
    module.resolve((port) => {
      const c = new FakeClient(port);
      clients.push(c);
      return c;
    });
  const channels = () => calls.map((c) => c.channel);
  return { state, calls, channels, listeners, timers, knocks, marks, clients, loadModule, module, mediaAsked };
}

/** Opened with the check skipped and joined: the client has said 'joined'. */
async function joined(opts: Options = {}) {
  const t = setUp(opts);
  t.loadModule();
  const started = t.state.start();
  const client = await until(() => t.clients[0], { what: 'the client to be made' });
  client.events.emit('state', { state: 'connecting' });
  client.joining.resolve();
  await started;
  client.events.emit('state', { state: 'joined' });
  return { ...t, client };
}

const guest: WaitingGuest = { id: 'guest-1', displayName: 'Pat Example', role: 'patient' };
const patient: CallParticipant = {
  id: 'guest-1',
  displayName: 'Pat Example',
  role: 'patient',
  hasAudio: true,
  hasVideo: true,
  muted: { audio: false, video: false },
  connecting: false,
  audioMid: '0',
  videoMid: '1',
};

describe('CallState: opening the window', () => {
  it('with the check skipped, asks main to prepare and opens the camera without waiting for the ticket or the client', async () => {
    const ticketAnswer = deferred<CallTicket>();
    const t = setUp({ ticket: () => ticketAnswer.promise });
    const started = t.state.start();
    // The ticket and the client module are still on their way: the camera and main's
    // preparation are already asked for.
    await until(() => t.channels().includes('call.prepare') && t.mediaAsked.length === 1, { what: 'prepare and the camera' });
    expect(t.state.phase).toBe('loading');
    expect(t.clients).toHaveLength(0);
    ticketAnswer.resolve(ticket);
    t.loadModule();
    const client = await until(() => t.clients[0], { what: 'the client' });
    client.joining.resolve();
    await started;
    // The client's own first prepare got the one main was already working on.
    expect(t.channels().filter((c) => c === 'call.prepare')).toHaveLength(1);
    expect(t.state.phase).toBe('call');
    expect(t.marks).toEqual(expect.arrayContaining(['startAt', 'mediaAt', 'preparedAt', 'joinedAt']));
  });

  it('uses the devices chosen last time for the camera and the speaker', async () => {
    const t = setUp({ devices: { skipCheck: true, camera: 'cam-2', speaker: 'spk-3' } });
    t.loadModule();
    const started = t.state.start();
    (await until(() => t.clients[0], { what: 'the client' })).joining.resolve();
    await started;
    expect(t.mediaAsked).toEqual([{ skipCheck: true, camera: 'cam-2', speaker: 'spk-3' }]);
    expect(t.state.sinkId).toBe('spk-3');
  });

  it('shows the check and readies nothing at main until Join is pressed', async () => {
    const t = setUp({ devices: {} });
    t.loadModule();
    await t.state.start();
    expect(t.state.phase).toBe('check');
    expect(t.channels()).not.toContain('call.prepare');
    expect(t.mediaAsked).toHaveLength(0);

    const { stream } = fakeStream();
    const joining = t.state.joinFromCheck(stream, 'spk-1', true);
    const client = await until(() => t.clients[0], { what: 'the client' });
    client.joining.resolve();
    await joining;
    expect(client.joinedWith).toBe(stream);
    expect(t.state.sinkId).toBe('spk-1');
    // "Skip the check next time" is remembered by main; prepare was asked once.
    expect(t.calls.find((c) => c.channel === 'call.setDevices')?.request).toEqual({ skipCheck: true });
    expect(t.channels().filter((c) => c === 'call.prepare')).toHaveLength(1);
  });

  it('the next patient with unchanged devices: straight into the call though the setting shows the check', async () => {
    const t = setUp({ devices: { skipCheck: false }, skipCheckOnce: true });
    t.loadModule();
    const started = t.state.start();
    const client = await until(() => t.clients[0], { what: 'the client' });
    client.joining.resolve();
    await started;
    expect(t.state.phase).toBe('call');
    expect(t.mediaAsked).toHaveLength(1);
    expect(t.channels()).toContain('call.prepare');
  });

  it('says so when neither camera nor microphone opened, and the join sends nothing', async () => {
    const t = setUp({ media: Promise.resolve({ stream: null, camera: 'denied', microphone: 'denied' } as LocalMedia) });
    t.loadModule();
    await t.state.start();
    expect(t.state.phase).toBe('call');
    expect(t.state.error).toBe('call.noMedia');
    // The join started while the camera opened; the client never got a stream to send.
    expect(t.clients).toHaveLength(1);
    expect(t.clients[0]!.joinedWith).toBeNull();
    expect(t.state.localStream).toBeNull();
  });

  it('starts the join before the camera has opened, and hands the client the camera once it has', async () => {
    const camera = deferred<LocalMedia>();
    const t = setUp({ media: camera.promise });
    t.loadModule();
    const started = t.state.start();
    const client = await until(() => t.clients[0], { what: 'the client, with the camera still opening' });
    expect(client.joinedWith).toBeNull();
    expect(t.state.localStream).toBeNull();
    const { stream } = fakeStream();
    camera.resolve({ stream, camera: null, microphone: null });
    await until(() => client.joinedWith === stream, { what: 'the client to get the camera' });
    expect(t.state.localStream).toBe(stream);
    client.joining.resolve();
    await started;
    expect(t.state.error).toBeNull();
  });

  it('server gone (no ticket): says why, and turns the camera opened meanwhile off again', async () => {
    const { stream, stopped } = fakeStream();
    const t = setUp({ ticket: () => Promise.reject(new Error('no-call')), media: Promise.resolve({ stream, camera: null, microphone: null }) });
    await t.state.start();
    expect(t.state.phase).toBe('call');
    expect(t.state.error).toBe('error:no-call');
    await until(() => stopped.length === 2, { what: 'the tracks to stop' });
    expect(t.clients).toHaveLength(0);
  });
});

describe('CallState: the connection', () => {
  it('join: connecting, then joined; the stats timer samples quality once a second', async () => {
    const t = await joined();
    expect(t.state.connection).toEqual({ state: 'joined' });
    expect(t.state.stateText).toBe('call.joined');
    expect(t.state.inCall).toBe(true);
    expect(t.timers).toHaveLength(1);
    expect(t.timers[0]!.ms).toBe(1000);

    t.client.statsAnswer = [{ id: 'guest-1', framesDecoded: 10, packetsLost: 0, packetsReceived: 100 }];
    t.timers[0]!.fn();
    await until(() => t.state.stats['guest-1'], { what: 'a sample' });
    t.client.statsAnswer = [{ id: 'guest-1', framesDecoded: 10, packetsLost: 0, packetsReceived: 100 }];
    t.timers[0]!.fn();
    // No new video packets since the last sample: the tile shows the camera as off.
    await until(() => t.state.videoFlowing['guest-1'] === false, { what: 'video to count as stopped' });
    expect(t.state.quality['guest-1']).toBeDefined();
  });

  it('lobby: a newcomer knocks once (role, never the name), the host admits them', async () => {
    const t = await joined();
    t.client.events.emit('lobby', [guest]);
    t.client.events.emit('lobby', [guest]);
    expect(t.state.waiting).toEqual([guest]);
    expect(t.knocks).toEqual([['call.lobby.notifyTitle', 'call.lobby.notifyRole {"role":"call.role.patient"}']]);
    expect(JSON.stringify(t.knocks)).not.toContain('Pat Example');

    await t.state.admit('guest-1');
    expect(t.calls.at(-1)).toEqual({ channel: 'call.admit', request: { participantId: 'guest-1' } });
    // Admitted: out of the lobby, in the room.
    t.client.events.emit('lobby', []);
    t.client.events.emit('participants', [patient]);
    expect(t.state.waiting).toEqual([]);
    expect(t.state.participants).toEqual([patient]);
  });

  it('a host action main refuses shows as the notice, cleared by the next one', async () => {
    const t = await joined({ refuse: { 'call.deny': new Error('guard-unreachable') } });
    await t.state.deny('guest-1');
    expect(t.state.notice).toBe('error:guard-unreachable');
    await t.state.mute(patient, 'audio', true);
    expect(t.state.notice).toBeNull();
    expect(t.calls.at(-1)).toEqual({ channel: 'call.mute', request: { participantId: 'guest-1', kind: 'audio', muted: true, mid: '0' } });
  });

  it.each<[CallStateChange['reason']]>([['server-unreachable'], ['media-failed']])('reconnecting (%s): still in the call, says why', async (reason) => {
    const t = await joined();
    t.client.events.emit('state', { state: 'reconnecting', reason });
    expect(t.state.connection).toEqual({ state: 'reconnecting', reason });
    expect(t.state.stateText).toBe('call.reconnecting');
    expect(t.state.inCall).toBe(true);
    expect(t.state.phase).toBe('call');
    expect(t.timers[0]!.stopped).toBe(false);
    t.client.events.emit('state', { state: 'joined' });
    expect(t.state.connection.state).toBe('joined');
  });

  const endings: Array<['left' | 'failed', EndReason]> = [
    ['left', 'user-left'],
    ['left', 'kicked'],
    ['left', 'ended'],
    ['failed', 'refused'],
    ['failed', 'room-missing'],
    ['failed', 'server-unreachable'],
    ['failed', 'media-failed'],
    ['failed', 'error'],
  ];
  it.each(endings)('ended (%s, %s): the window says why, leaves the call view and stops sampling', async (state, reason) => {
    const t = await joined();
    t.client.events.emit('state', { state, reason });
    expect(t.state.phase).toBe('ended');
    expect(t.state.ended).toBe(true);
    expect(t.state.callShown).toBe(true);
    expect(t.state.inCall).toBe(false);
    expect(t.state.stateText).toBe(`call.ended.${reason}`);
    expect(t.timers[0]!.stopped).toBe(true);
    // The end screen says why; main's session ends too, so the next call may start.
    expect(t.state.endReason).toBe(reason);
    expect(t.channels().at(-1)).toBe('call.leave');
  });

  it('kicked while joining: no stats timer is started for a call that is over', async () => {
    const t = setUp();
    t.loadModule();
    const started = t.state.start();
    const client = await until(() => t.clients[0], { what: 'the client' });
    client.events.emit('state', { state: 'left', reason: 'kicked' });
    client.joining.resolve();
    await started;
    expect(t.state.stateText).toBe('call.ended.kicked');
    expect(t.timers).toHaveLength(0);
  });

  it('wrong PIN: the join is refused, the window says so and samples nothing', async () => {
    const t = setUp();
    t.loadModule();
    const started = t.state.start();
    const client = await until(() => t.clients[0], { what: 'the client' });
    client.events.emit('state', { state: 'failed', reason: 'refused' });
    client.joining.reject(new Error('host-pin-refused'));
    await started;
    expect(t.state.error).toBe('error:host-pin-refused');
    expect(t.state.stateText).toBe('call.ended.refused');
    expect(t.state.phase).toBe('ended');
    expect(t.timers).toHaveLength(0);
  });

  it('server gone at the client: its failure is the window error', async () => {
    const t = setUp();
    t.module.reject(new Error('client-load-failed'));
    await t.state.start();
    expect(t.state.error).toBe('error:client-load-failed');
  });

  it('a rejoin asks main again (only the first prepare is the early one)', async () => {
    const t = await joined();
    await t.client.port.prepare();
    expect(t.channels().filter((c) => c === 'call.prepare')).toHaveLength(2);
  });
});

describe('CallState: content (a presentation)', () => {
  it("someone's content shows with its presenter's role (never a name), its frames sampled; it goes on stop", async () => {
    const t = await joined();
    expect(t.state.content).toBeNull();
    t.client.events.emit('participants', [patient]);
    const stream = {} as MediaStream;
    // The server has not said who presents yet: shown, as from someone.
    t.client.events.emit('content', { participantId: null, stream });
    expect(t.state.content?.stream).toBe(stream);
    expect(t.state.contentRole).toBe('other');
    t.client.events.emit('content', { participantId: 'guest-1', stream });
    expect(t.state.contentRole).toBe('patient');

    t.client.statsAnswer = [{ id: 'content', framesDecoded: 42, packetsLost: 0, packetsReceived: 90 }];
    t.timers[0]!.fn();
    await until(() => t.state.stats.content?.framesDecoded === 42, { what: 'the content sampled' });

    t.client.events.emit('content', null);
    expect(t.state.content).toBeNull();
    expect(t.state.contentRole).toBe('other');
  });

  it('the call ends: the content goes with it', async () => {
    const t = await joined();
    t.client.events.emit('content', { participantId: null, stream: {} as MediaStream });
    t.client.events.emit('state', { state: 'left', reason: 'kicked' });
    expect(t.state.ended).toBe(true);
    expect(t.state.content).toBeNull();
  });
});

describe('CallState: the host in the call', () => {
  it('mic and camera toggles go to the client', async () => {
    const t = await joined();
    t.state.toggleMic();
    t.state.toggleCam();
    t.state.toggleCam();
    expect(t.state.micOn).toBe(false);
    expect(t.state.camOn).toBe(true);
    expect(t.client.audio).toEqual([false]);
    expect(t.client.video).toEqual([false, true]);
  });

  it('chat: unread counts while the chat is closed or the window is mini, and is announced once', async () => {
    const t = await joined();
    t.client.events.emit('participants', [patient]);
    const message: ChatMessage = { id: 'm1', from: 'guest-1', displayName: 'Pat Example', text: 'Hello', at: 1, own: false };
    t.client.events.emit('message', message);
    await until(() => t.state.announcement !== '', { what: 'the announcement' });
    expect(t.state.unread).toBe(1);
    expect(t.state.announcement).toBe('call.chat.announce {"name":"Pat Example (call.role.patient)","text":"Hello"}');
    t.state.togglePanel('chat');
    expect(t.state.unread).toBe(0);
    t.client.events.emit('message', { ...message, id: 'm2' });
    expect(t.state.unread).toBe(0);
    t.state.setMini(true);
    t.client.events.emit('message', { ...message, id: 'm3' });
    expect(t.state.unread).toBe(1);
    t.state.setMini(false);
    expect(t.state.unread).toBe(0);
    await t.state.sendMessage('Hi');
    expect(t.state.messages.map((m) => m.id)).toEqual(['m1', 'm2', 'm3', 'm-own']);
  });

  it('leave: stops sampling, leaves the room, tells main, lets the camera go; the end screen shows', async () => {
    const camera = fakeStream();
    const t = await joined({ media: Promise.resolve({ stream: camera.stream, camera: null, microphone: null }) });
    await t.state.leave();
    expect(t.timers[0]!.stopped).toBe(true);
    expect(t.client.left).toBe(1);
    expect(t.channels()).toContain('call.leave');
    expect(t.state.endReason).toBe('user-left');
    expect(t.state.phase).toBe('ended');
    expect(camera.stopped.sort()).toEqual(['audio', 'video']);
  });

  it('end for everyone: stops sampling and asks main; the end screen shows', async () => {
    const t = await joined();
    await t.state.endForAll();
    expect(t.timers[0]!.stopped).toBe(true);
    expect(t.channels().slice(-2)).toEqual(['call.end', 'call.leave']);
    expect(t.state.endReason).toBe('ended');
  });

  it('end for everyone refused by main: the notice says why and the call goes on', async () => {
    const t = await joined({ refuse: { 'call.end': new Error('guard-unreachable') } });
    await t.state.endForAll();
    expect(t.state.notice).toBe('error:guard-unreachable');
    expect(t.state.endReason).toBeNull();
    expect(t.state.phase).toBe('call');
  });
});
