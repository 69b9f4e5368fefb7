/**
 * The Pexip call client's event mapping (PexipCallClient) without a browser, at the
 * client's own seam: the InfinityClient that @pexip/infinity's createInfinityClient returns.
 * The signals are the library's own (createInfinityClientSignals, createCallSignals, real
 * here, batching included); the fake InfinityClient (call, disconnect, muteVideo, setStream,
 * sendMessage, shaped from the library's InfinityClient type) records what it is asked and
 * the test emits what the library would. Participants are shaped from its Participant type;
 * the disconnect texts are the ones Infinity sends (its client API's `disconnect` reasons),
 * as the Pexip double in test/stack says them. The real library and node run in the e2e.
 *
 * The window's globals the client touches (window.fetch, wrapped for the one request_token
 * it answers from main's; RTCPeerConnection, wrapped to find the library's connection for
 * getStats) are Node's fetch and an empty class here.
 */
import { describe, expect, it, vi } from 'vitest';
import { ClientCallType, type InfinityClient, type Participant } from '@pexip/infinity';
import type { JoinInfo, RosterEntry } from '../../../../../../call/common/call-model';
import type { CallClientEvents, HostPort } from '../../../../../../call/window/call-client';
import { PexipCallClient, type CreateInfinityClient } from '../../../../../../call/providers/pexip/window/pexip-call-client';
import { until } from '../../../../../support/until';

vi.stubGlobal('window', globalThis);
/**
 * The network under the window's fetch: refresh_token answers a new token, as a node does
 * (the library's own requests never get here: its client is the fake below, so only the
 * tests' own calls of window.fetch do).
 */
const refreshed: string[] = [];
vi.stubGlobal('fetch', async (input: string | URL | Request) => {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  if (!url.endsWith('/refresh_token')) return new Response('{}', { status: 404 });
  const token = `session-token-refreshed-${refreshed.length + 1}`;
  refreshed.push(token);
  return new Response(JSON.stringify({ status: 'success', result: { token, expires: '120' } }), { status: 200, headers: { 'content-type': 'application/json' } });
});
vi.stubGlobal('RTCPeerConnection', class {});

type Signals = Parameters<CreateInfinityClient>[0];
type CallSignals = Parameters<CreateInfinityClient>[1];

const info = (n: number): Extract<JoinInfo, { provider: 'pexip' }> => ({
  provider: 'pexip',
  nodeUrl: 'https://node.example.org',
  alias: 'vmr-invented@example.org',
  tokenResponse: { status: 'success', result: { token: `session-token-${n}`, expires: '120' } },
});

/** The InfinityClient as the test sees it: what it was asked, and the signals it was given. */
class FakeInfinity {
  readonly calls: Array<Record<string, unknown>> = [];
  readonly disconnects: unknown[] = [];
  readonly videoMutes: boolean[] = [];
  readonly sentMessages: string[] = [];
  callStatus = 200;
  constructor(
    readonly signals: Signals,
    readonly callSignals: CallSignals,
  ) {}
  async call(opts: Record<string, unknown>) {
    this.calls.push(opts);
    return { status: this.callStatus } as unknown;
  }
  async disconnect(opts: unknown) {
    this.disconnects.push(opts);
  }
  async muteVideo({ muteVideo }: { muteVideo: boolean }) {
    this.videoMutes.push(muteVideo);
  }
  setStream() {}
  readonly presented: unknown[] = [];
  stopPresentings = 0;
  present(stream: unknown) {
    this.presented.push(stream);
  }
  stopPresenting() {
    this.stopPresentings++;
  }
  async sendMessage({ payload }: { payload: string }) {
    this.sentMessages.push(payload);
    return { status: 200 } as unknown;
  }
}

function person(uuid: string, over: Partial<Participant> = {}): Participant {
  return {
    uuid,
    displayName: `Invented ${uuid}`,
    uri: `sip:${uuid}@example.org`,
    callType: 'video' as Participant['callType'],
    isHost: false,
    isWaiting: false,
    isConnecting: false,
    isMuted: false,
    isCameraMuted: false,
    rawData: {},
    ...over,
  } as unknown as Participant;
}

function setUp(prepare?: (n: number) => Promise<JoinInfo>, callStatus = 200) {
  const made: FakeInfinity[] = [];
  let prepares = 0;
  const joined: Array<[string, string | undefined]> = [];
  const tokens: string[] = [];
  let roster: (entries: RosterEntry[]) => void = () => undefined;
  const port: HostPort = {
    prepare: () => (prepare ? prepare(++prepares) : Promise.resolve(info(++prepares))),
    joined: (id, token) => joined.push([id, token]),
    sessionToken: (token) => tokens.push(token),
    onRoster: (l) => ((roster = l), () => undefined),
    onLobby: () => () => undefined,
  };
  const create: CreateInfinityClient = (signals, callSignals) => {
    const fake = new FakeInfinity(signals, callSignals);
    fake.callStatus = callStatus;
    made.push(fake);
    return fake as unknown as InfinityClient;
  };
  const client = new PexipCallClient(port, 'Dr Example', create);
  const seen: { [K in keyof CallClientEvents]: Array<CallClientEvents[K]> } = { state: [], participants: [], lobby: [], media: [], conference: [], message: [], warning: [], content: [], presenting: [] };
  for (const k of Object.keys(seen) as Array<keyof CallClientEvents>) client.on(k, (p) => (seen[k] as unknown[]).push(p));
  const local = { getAudioTracks: () => [], getVideoTracks: () => [] } as unknown as MediaStream;
  const states = () => seen.state.map((s) => (s.reason ? `${s.state}:${s.reason}` : s.state));
  return { client, seen, made, joined, tokens, local, states, prepares: () => prepares, roster: (e: RosterEntry[]) => roster(e), lib: () => made.at(-1)! };
}

/** Joined: the call answered and the library said the call is connected, with us as `me`. */
async function joined() {
  const t = setUp();
  await t.client.join(t.local);
  t.lib().signals.onMe.emit({ id: 'main', participant: person('me-uuid', { isHost: true }) });
  t.lib().callSignals.onCallConnected.emit(undefined);
  return t;
}

describe('PexipCallClient: joining', () => {
  it('calls the alias on the node as the host with what main prepared; joined when the library says connected', async () => {
    const t = await joined();
    expect(t.made).toHaveLength(1);
    expect(t.lib().calls[0]).toMatchObject({ conferenceAlias: 'vmr-invented@example.org', displayName: 'Dr Example', host: 'https://node.example.org', callTag: 'host' });
    expect(t.states()).toEqual(['connecting', 'joined']);
    // Main learns who we are, with the session token it will use for the host's powers.
    expect(t.joined).toEqual([['me-uuid', 'session-token-1']]);
    t.lib().signals.onTokenRefreshed.emit({ token: 'session-token-1b' } as never);
    expect(t.tokens).toEqual(['session-token-1b']);
  });

  it('a token from a refresh the library does not announce (after a renegotiation) still reaches main, once', async () => {
    const t = await joined();
    // @pexip/infinity 20's refresh after `update` goes through window.fetch but emits no
    // onTokenRefreshed; the window reads the token from the answer.
    const res = await window.fetch('https://node.example.org/api/client/v2/conferences/vmr-invented%40example.org/refresh_token', { method: 'POST' });
    expect(res.status).toBe(200);
    await until(() => t.tokens.length === 1, { what: 'the token at main' });
    expect(t.tokens).toEqual([refreshed.at(-1)]);
    // The same token announced as well (a timed refresh): not sent twice.
    t.lib().signals.onTokenRefreshed.emit({ token: refreshed.at(-1)! } as never);
    expect(t.tokens).toHaveLength(1);
    // Another conference's refresh is not this call's token.
    await window.fetch('https://node.example.org/api/client/v2/conferences/another%40example.org/refresh_token', { method: 'POST' });
    expect(t.tokens).toHaveLength(1);
  });

  it('main could not prepare (wrong host PIN, server gone): failed, refused', async () => {
    const t = setUp(() => Promise.reject(new Error('host-pin-refused')));
    await expect(t.client.join(t.local)).rejects.toThrow('host-pin-refused');
    expect(t.states()).toEqual(['connecting', 'failed:refused']);
    expect(t.made).toHaveLength(0);
  });

  it('asks main to prepare while the camera opens, and calls once both are there', async () => {
    const t = setUp();
    let open: (s: MediaStream) => void = () => undefined;
    const joining = t.client.join(new Promise<MediaStream>((resolve) => (open = resolve)));
    await until(() => t.prepares() === 1, { what: 'the prepare, camera still opening' });
    expect(t.made).toHaveLength(0);
    open(t.local);
    await joining;
    expect(t.lib().calls).toHaveLength(1);
  });

  it('no camera or microphone after all: failed, media-failed, and no call', async () => {
    const t = setUp();
    await expect(t.client.join(Promise.reject(new Error('NotAllowedError')))).rejects.toThrow('NotAllowedError');
    expect(t.states()).toEqual(['connecting', 'failed:media-failed']);
    expect(t.made).toHaveLength(0);
  });

  it('the node refuses the call: failed, refused', async () => {
    const t = setUp(undefined, 403);
    await expect(t.client.join(t.local)).rejects.toThrow(/403/);
    expect(t.states()).toEqual(['connecting', 'failed:refused']);
  });
});

describe('PexipCallClient: who is there', () => {
  it('participants and lobby: self left out, roles from Pexip, main and the invitation\'s call tag, knocks in the lobby', async () => {
    const t = await joined();
    t.roster([{ id: 'dialled', role: 'interpreter', muted: { audio: false, video: false } }]);
    t.lib().signals.onParticipants.emit({
      id: 'main',
      participants: [
        person('me-uuid', { isHost: true }),
        person('colleague', { isHost: true }),
        person('patient', { rawData: { call_tag: 'patient' } as never }),
        person('knocking', { isWaiting: true, rawData: { call_tag: 'relative' } as never }),
        person('dialled', { isWaiting: true, callType: 'audio' as Participant['callType'] }),
        person('spoof', { rawData: { call_tag: 'host' } as never }),
      ],
    });
    const people = await until(() => t.seen.participants.find((l) => l.length > 0), { what: 'the participants' });
    expect(people.map((p) => [p.id, p.role, p.connecting, p.hasVideo])).toEqual([
      ['colleague', 'host', false, true],
      ['patient', 'patient', false, true],
      // Someone the host dialled waits only for main to let them in: connecting, not a knock.
      ['dialled', 'interpreter', true, false],
      // A call tag never makes anyone a host.
      ['spoof', 'other', false, true],
    ]);
    expect(t.seen.lobby.at(-1)).toEqual([{ id: 'knocking', displayName: 'Invented knocking', role: 'relative' }]);

    // Admitted: out of the lobby, among the participants.
    t.lib().signals.onParticipantUpdated.emit({ id: 'main', participant: person('knocking', { rawData: { call_tag: 'relative' } as never }) });
    await until(() => t.seen.lobby.at(-1)!.length === 0, { what: 'the lobby to empty' });
    expect(t.seen.participants.at(-1)!.map((p) => p.id)).toContain('knocking');
    t.lib().signals.onParticipantLeft.emit({ id: 'main', participant: person('patient') });
    await until(() => !t.seen.participants.at(-1)!.some((p) => p.id === 'patient'), { what: 'the patient to go' });
  });

  it('the meeting\'s lock and mutes, and chat from others only (sender as the node stamped it)', async () => {
    const t = await joined();
    t.lib().signals.onConferenceStatus.emit({ id: 'main', status: { locked: true, guestsMuted: false } as never });
    expect(t.seen.conference).toEqual([{ locked: true, guestsMuted: false }]);
    t.lib().signals.onMessage.emit({ at: new Date(), id: 'x1', message: '  Hello  ', displayName: 'Pat', userId: 'patient' as Participant['uuid'], direct: false });
    t.lib().signals.onMessage.emit({ at: new Date(), id: 'x2', message: 'mine', displayName: 'Dr Example', userId: 'me-uuid' as Participant['uuid'], direct: false });
    expect(t.seen.message.map((m) => [m.id, m.from, m.text, m.own])).toEqual([['x1', 'patient', 'Hello', false]]);
    const own = await t.client.sendMessage('Hi');
    expect(own).toMatchObject({ from: 'me-uuid', text: 'Hi', own: true });
    expect(t.lib().sentMessages).toEqual(['Hi']);
  });

  it('the stage: the library\'s one remote stream', async () => {
    const t = await joined();
    const stream = {} as MediaStream;
    t.lib().callSignals.onRemoteStream.emit(stream);
    expect(t.seen.media).toEqual([[{ id: 'stage', stream }]]);
  });

  it('camera off tells the node (it stops relaying us)', async () => {
    const t = await joined();
    t.client.setVideoEnabled(false);
    expect(t.lib().videoMutes).toEqual([true]);
  });
});

describe('PexipCallClient: content (Pexip presentation)', () => {
  it('calls with presentation, so the library offers the slides line', async () => {
    const t = await joined();
    expect(t.lib().calls[0]!.callType).toBe(ClientCallType.AudioVideoPresentation);
  });

  it("someone's presentation: content with the stream, then its presenter once Pexip says who presents; gone on presentation_stop", async () => {
    const t = await joined();
    t.lib().signals.onParticipants.emit({ id: 'main', participants: [person('me-uuid', { isHost: true }), person('patient', { rawData: { call_tag: 'patient' } as never })] });
    await until(() => t.seen.participants.length > 0, { what: 'the participants' });
    const stream = { getVideoTracks: () => [{ id: 'slides-track' }] } as unknown as MediaStream;
    t.lib().callSignals.onPresentationConnectionChange.emit({ send: 'new', recv: 'connecting' } as never);
    t.lib().callSignals.onRemotePresentationStream.emit(stream);
    expect(t.seen.content).toEqual([{ participantId: null, stream }]);
    t.lib().signals.onParticipantUpdated.emit({ id: 'main', participant: person('patient', { isPresenting: true, rawData: { call_tag: 'patient' } as never }) });
    await until(() => t.seen.content.length === 2, { what: 'the presenter' });
    expect(t.seen.content[1]).toEqual({ participantId: 'patient', stream });
    // An update that changes nothing about the content says nothing again.
    t.lib().signals.onParticipantUpdated.emit({ id: 'main', participant: person('patient', { isPresenting: true, isMuted: true, rawData: { call_tag: 'patient' } as never }) });
    await until(() => t.seen.participants.at(-1)?.[0]?.muted.audio === true, { what: 'the update' });
    expect(t.seen.content).toHaveLength(2);
    // presentation_stop: the library stops receiving on the slides line.
    t.lib().callSignals.onPresentationConnectionChange.emit({ send: 'new', recv: 'disconnected' } as never);
    expect(t.seen.content.at(-1)).toBeNull();
    // Our own presentation is not content to show.
    expect(t.seen.presenting).toEqual([]);
  });

  it('our share goes out with the library\'s present(); presenting while its line is connected, over when the node ends it', async () => {
    const t = await joined();
    const screen = {} as MediaStream;
    await t.client.present(screen);
    expect(t.lib().presented).toEqual([screen]);
    t.lib().callSignals.onPresentationConnectionChange.emit({ send: 'connecting', recv: 'disconnected' } as never);
    expect(t.seen.presenting).toEqual([]);
    t.lib().callSignals.onPresentationConnectionChange.emit({ send: 'connected', recv: 'disconnected' } as never);
    expect(t.seen.presenting).toEqual([true]);
    // Someone else took the floor: the library released ours.
    t.lib().callSignals.onPresentationConnectionChange.emit({ send: 'disconnected', recv: 'connecting' } as never);
    expect(t.seen.presenting).toEqual([true, false]);
    // The share then stops: the library is not asked again (its stopPresenting would turn the
    // slides line inactive and cut the new presenter's content).
    await t.client.stopPresenting();
    expect(t.lib().stopPresentings).toBe(0);
    expect(t.seen.presenting).toEqual([true, false]);
  });

  it('stopPresenting: the library releases the floor; presenting false once', async () => {
    const t = await joined();
    await t.client.present({} as MediaStream);
    t.lib().callSignals.onPresentationConnectionChange.emit({ send: 'connected', recv: 'disconnected' } as never);
    await t.client.stopPresenting();
    expect(t.lib().stopPresentings).toBe(1);
    t.lib().callSignals.onPresentationConnectionChange.emit({ send: 'disconnected', recv: 'disconnected' } as never);
    expect(t.seen.presenting).toEqual([true, false]);
  });
});

describe('PexipCallClient: losing and ending the call', () => {
  it.each([
    ['Disconnected by another participant', 'left:kicked'],
    ['Conference terminated by another participant', 'left:ended'],
    ['All conference hosts departed hosted conference', 'left:ended'],
    ['Invalid PIN', 'failed:refused'],
    ['Something the window has no word for', 'failed:error'],
  ])('disconnected ("%s"): %s', async (error, expected) => {
    const t = await joined();
    t.lib().signals.onDisconnected.emit({ error, errorCode: '#pex0' } as never);
    await until(() => t.states().length === 3, { what: 'the end' });
    expect(t.states().at(-1)).toBe(expected);
  });

  it('received video stalls (the library restarts ICE): reconnecting, then joined on its onReconnected', async () => {
    const t = await joined();
    t.lib().callSignals.onReconnecting.emit(undefined);
    t.lib().callSignals.onReconnected.emit(undefined);
    expect(t.states()).toEqual(['connecting', 'joined', 'reconnecting:media-failed', 'joined']);
  });

  it('media path lost (the library reconnects its call): reconnecting, media-failed, then joined', async () => {
    const t = await joined();
    t.lib().callSignals.onReconnecting.emit(undefined);
    t.lib().callSignals.onCallConnected.emit(undefined);
    expect(t.states()).toEqual(['connecting', 'joined', 'reconnecting:media-failed', 'joined']);
  });

  it('server gone: reconnecting (server-unreachable), main prepares again, the same client calls again', async () => {
    const t = await joined();
    t.lib().signals.onDisconnected.emit({ error: 'Network error: failed to reconnect', errorCode: '#pex0' } as never);
    expect(t.states().at(-1)).toBe('reconnecting:server-unreachable');
    await until(() => t.lib().calls.length === 2, { what: 'the second call' });
    expect(t.prepares()).toBe(2);
    expect(t.made).toHaveLength(1);
    t.lib().callSignals.onCallConnected.emit(undefined);
    expect(t.states().at(-1)).toBe('joined');
  });

  it('server gone for good: tries under the rejoin policy, then failed, server-unreachable', async () => {
    let down = false;
    const t = setUp((n) => (down ? Promise.reject(new Error('call-server-unreachable')) : Promise.resolve(info(n))));
    await t.client.join(t.local);
    t.lib().callSignals.onCallConnected.emit(undefined);
    vi.useFakeTimers({ toFake: ['setTimeout', 'Date'] });
    try {
      down = true;
      t.lib().signals.onDisconnected.emit({ error: 'Network error', errorCode: '#pex0' } as never);
      for (let i = 0; i < 80 && t.states().at(-1) !== 'failed:server-unreachable'; i++) await vi.advanceTimersByTimeAsync(1000);
    } finally {
      vi.useRealTimers();
    }
    expect(t.states().at(-1)).toBe('failed:server-unreachable');
    expect(t.prepares() - 1).toBeGreaterThan(20);
    expect(t.prepares() - 1).toBeLessThan(40);
  });

  it('leave: disconnects from the node, left, user-left; a disconnect after that is ours, not a failure', async () => {
    const t = await joined();
    await t.client.leave();
    expect(t.lib().disconnects).toHaveLength(1);
    t.lib().signals.onDisconnected.emit({ error: 'Network error', errorCode: '#pex0' } as never);
    expect(t.states()).toEqual(['connecting', 'joined', 'left:user-left']);
  });
});
