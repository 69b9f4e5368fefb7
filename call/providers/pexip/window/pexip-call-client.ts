/**
 * The call window on Pexip Infinity, with Pexip's own client, @pexip/infinity: its event
 * stream, its WebRTC call, its token refreshes.
 *
 * The host PIN stays in main: main asked request_token with it and handed us the answer.
 * @pexip/infinity always starts a call with request_token and its HTTP is not injectable,
 * so the one request_token of each (re)join is answered here from main's answer (a scoped
 * stand-in for window.fetch that touches nothing else). From then on the library carries
 * the session; each new token goes to main, whose host powers use it.
 *
 * Pexip lays out video itself (voice-switched: everybody receives whoever speaks), so this
 * client has one remote stream, the stage, and content apart from it: the call is made with
 * presentation (the library adds a slides m-line), the library receives a participant's
 * presentation on `presentation_start` (onRemotePresentationStream) and stops on
 * `presentation_stop`; our own share is presented with take_floor and that line (present()).
 */
import {
  ClientCallType,
  createCallSignals,
  createInfinityClient,
  createInfinityClientSignals,
  setLogger,
  type InfinityClient,
  type Participant as PexipParticipant,
} from '@pexip/infinity';
import { GuestRole, type JoinInfo, type RosterEntry, type WaitingGuest } from '../../../common/call-model';
import { CHAT_MAX_LENGTH, CONTENT, STAGE, type CallClient, type CallClientEvents, type CallParticipant, type ChatMessage, type EndReason, type HostPort, type MediaStats } from '../../../window/call-client';
import { refreshTokenUrl, requestTokenUrl } from '../request-token-seam';
import { Emitter } from '../../../window/emitter';
import { rejoin, REJOIN_POLICY } from '../../../window/rejoin-policy';

type PexipJoin = Extract<JoinInfo, { provider: 'pexip' }>;

/**
 * How the client gets its InfinityClient: @pexip/infinity's createInfinityClient, which
 * receives the signals it will emit on. The seam for unit tests (a fake client that is handed
 * the real signals); default the library's.
 */
export type CreateInfinityClient = (signals: Parameters<typeof createInfinityClient>[0], callSignals: Parameters<typeof createInfinityClient>[1]) => InfinityClient;

/** main answered a rejoin with another provider's room: not worth another try. */
class WrongProvider extends Error {}

export class PexipCallClient implements CallClient {
  readonly layout = 'stage' as const;
  private readonly events = new Emitter<CallClientEvents>();
  private client: InfinityClient | null = null;
  private readonly people = new Map<string, PexipParticipant>();
  private roster = new Map<string, RosterEntry>();
  private me: string | null = null;
  private local: MediaStream | null = null;
  /** What the window last asked for the microphone and camera (applied to a stream that opens later). */
  private audioOn = true;
  private videoOn = true;
  private leaving = false;
  private rejoinUntil = 0;
  /** Someone else's presentation as the library handed it over (until it stops). */
  private contentStream: MediaStream | null = null;
  private contentFrom: string | null = null;
  private presentingNow = false;
  /** present() was called and the library has not said our presentation is over. */
  private presentAsked = false;
  /** The session token as of now (main's answer, then each refresh). */
  private token: string | undefined;
  private readonly unsubscribe: Array<() => void> = [];

  constructor(
    private readonly port: HostPort,
    private readonly displayName: string,
    private readonly createClientOf: CreateInfinityClient = createInfinityClient,
  ) {
    this.unsubscribe.push(
      port.onRoster((entries) => {
        this.roster = new Map(entries.map((e) => [e.id, e]));
        this.emitPeople();
      }),
    );
  }

  get selfId(): string | null {
    return this.me;
  }

  on<K extends keyof CallClientEvents>(event: K, listener: (payload: CallClientEvents[K]) => void): () => void {
    return this.events.on(event, listener);
  }

  async join(local: MediaStream | Promise<MediaStream>): Promise<void> {
    this.events.emit('state', { state: 'connecting' });
    // The camera may still be opening while main readies the room; the call needs both.
    const media = Promise.resolve(local);
    media.catch(() => undefined);
    const info = await this.port.prepare().catch((error: unknown) => {
      this.events.emit('state', { state: 'failed', reason: 'refused' });
      throw error;
    });
    if (info.provider !== 'pexip') throw new Error('not a Pexip room');
    try {
      this.local = await media;
    } catch (error) {
      this.events.emit('state', { state: 'failed', reason: 'media-failed' });
      throw error;
    }
    // Muted or camera off while it opened: off from the first packet (never turned on here).
    if (!this.audioOn) for (const t of this.local.getAudioTracks()) t.enabled = false;
    if (!this.videoOn) for (const t of this.local.getVideoTracks()) t.enabled = false;
    this.client = this.createClient();
    await this.call(info);
  }

  async leave(): Promise<void> {
    this.leaving = true;
    for (const off of this.unsubscribe.splice(0)) off();
    await this.client?.disconnect({ reason: 'User initiated disconnect' }).catch(() => undefined);
    this.events.emit('state', { state: 'left', reason: 'user-left' });
  }

  setAudioEnabled(on: boolean): void {
    this.audioOn = on;
    for (const t of this.local?.getAudioTracks() ?? []) t.enabled = on;
  }

  setVideoEnabled(on: boolean): void {
    this.videoOn = on;
    for (const t of this.local?.getVideoTracks() ?? []) t.enabled = on;
    // Pexip stops relaying a participant whose camera is muted: the others see it as off.
    void this.client?.muteVideo({ muteVideo: !on }).catch(() => undefined);
  }

  async replaceTrack(track: MediaStreamTrack): Promise<void> {
    const local = this.local;
    if (!local) return;
    for (const old of track.kind === 'audio' ? local.getAudioTracks() : local.getVideoTracks()) {
      if (old !== track) local.removeTrack(old);
    }
    if (!local.getTrackById(track.id)) local.addTrack(track);
    this.client?.setStream(local);
  }

  /** Our share as Pexip content: take_floor, then the slides line sends it (the library's present). */
  async present(stream: MediaStream): Promise<void> {
    if (!this.client) throw new Error('not in the call');
    this.presentAsked = true;
    this.client.present(stream);
  }

  /**
   * Releases the floor, unless our presentation is already over (someone else took the
   * floor): the library's stopPresenting would then also turn the slides line inactive and
   * stop receiving the new presenter's content.
   */
  async stopPresenting(): Promise<void> {
    const asked = this.presentAsked;
    this.presentAsked = false;
    if (asked) this.client?.stopPresenting();
    if (!this.presentingNow) return;
    this.presentingNow = false;
    this.events.emit('presenting', false);
  }

  /** Pexip's conference messages (the `message` request; the others get `message_received`). */
  async sendMessage(text: string): Promise<ChatMessage> {
    const body = text.trim().slice(0, CHAT_MAX_LENGTH);
    const client = this.client;
    if (!client || !this.me || !body) throw new Error('not in the call');
    const result = await client.sendMessage({ payload: body });
    if (result?.status !== 200) throw new Error(`the message was refused (${result?.status ?? 'no answer'})`);
    return { id: crypto.randomUUID(), from: this.me, displayName: this.displayName, text: body, at: Date.now(), own: true };
  }

  async stats(): Promise<MediaStats[]> {
    const pc = latestPeerConnection();
    if (!pc) return [];
    const report = await pc.getStats();
    let video: RTCInboundRtpStreamStats | undefined;
    let audio: (RTCInboundRtpStreamStats & { audioLevel?: number; totalAudioEnergy?: number; totalSamplesDuration?: number }) | undefined;
    let rtt: number | undefined;
    let content: RTCInboundRtpStreamStats | undefined;
    const contentTrack = this.contentStream?.getVideoTracks()[0]?.id;
    report.forEach((s: RTCStats & Record<string, unknown>) => {
      // The slides line's inbound video is the content; every other inbound video the stage.
      if (s.type === 'inbound-rtp' && s.kind === 'video' && contentTrack !== undefined && s.trackIdentifier === contentTrack) {
        content = s as unknown as RTCInboundRtpStreamStats;
        return;
      }
      if (s.type === 'inbound-rtp' && s.kind === 'video' && (!video || (s.framesDecoded as number) > (video.framesDecoded ?? 0))) video = s as unknown as RTCInboundRtpStreamStats;
      if (s.type === 'inbound-rtp' && s.kind === 'audio') audio = s as unknown as RTCInboundRtpStreamStats & { audioLevel?: number; totalAudioEnergy?: number; totalSamplesDuration?: number };
      if (s.type === 'candidate-pair' && s.nominated === true && typeof s.currentRoundTripTime === 'number') rtt = s.currentRoundTripTime;
    });
    const shown: RTCInboundRtpStreamStats | undefined = content;
    const contentStats: MediaStats[] = shown
      ? [{ id: CONTENT, framesDecoded: shown.framesDecoded ?? 0, packetsLost: shown.packetsLost ?? 0, packetsReceived: shown.packetsReceived ?? 0, ...(shown.framesPerSecond !== undefined ? { frameRate: shown.framesPerSecond } : {}) }]
      : [];
    if (!video && !audio) return contentStats;
    return [
      ...contentStats,
      {
        id: STAGE,
        framesDecoded: video?.framesDecoded ?? 0,
        packetsLost: video?.packetsLost ?? 0,
        packetsReceived: video?.packetsReceived ?? 0,
        ...(rtt !== undefined ? { roundTripTime: rtt } : {}),
        ...(video?.framesPerSecond !== undefined ? { frameRate: video.framesPerSecond } : {}),
        ...(audio?.bytesReceived !== undefined ? { audioBytesReceived: audio.bytesReceived } : {}),
        ...(audio?.audioLevel !== undefined ? { audioLevel: audio.audioLevel } : {}),
        ...(audio?.totalAudioEnergy !== undefined ? { totalAudioEnergy: audio.totalAudioEnergy } : {}),
        ...(audio?.totalSamplesDuration !== undefined ? { totalSamplesDuration: audio.totalSamplesDuration } : {}),
      },
    ];
  }

  /** A new session token, however the library got it: main's host powers use the newest. */
  private tokenRefreshed(token: string): void {
    if (token === this.token) return;
    this.token = token;
    this.port.sessionToken(token);
  }

  /** One request_token (answered from main's answer), the event stream, the call. */
  private async call(info: PexipJoin): Promise<void> {
    const token = (info.tokenResponse as { result?: { token?: unknown } }).result?.token;
    this.token = typeof token === 'string' ? token : undefined;
    answerRequestTokenOnce(info, (next) => this.tokenRefreshed(next));
    const result = await this.client!.call({
      conferenceAlias: info.alias,
      displayName: this.displayName,
      // With presentation: a slides line, for content both ways.
      callType: ClientCallType.AudioVideoPresentation,
      bandwidth: 0,
      host: info.nodeUrl,
      mediaStream: this.local ?? undefined,
      callTag: 'host',
    });
    if (!result || result.status !== 200) {
      this.events.emit('state', { state: 'failed', reason: 'refused' });
      throw new Error(`the conference refused the call (${result?.status ?? 'no answer'})`);
    }
  }

  private createClient(): InfinityClient {
    capturePeerConnections();
    quietLibraryLog();
    // Participant events arrive batched (the library needs a buffer > 0): at most 50 ms late.
    const signals = createInfinityClientSignals([], { batchScheduleTimeoutMS: 50, batchBufferSize: 50 });
    const callSignals = createCallSignals([]);
    const client = this.createClientOf(signals, callSignals);

    const upsert = (events: Array<{ participant: PexipParticipant }>) => {
      for (const { participant } of events) this.people.set(participant.uuid, participant);
      this.emitPeople();
    };
    signals.onParticipants.add(({ participants }) => {
      this.people.clear();
      upsert(participants.map((participant) => ({ participant })));
    });
    signals.onParticipantJoined.add(upsert);
    signals.onParticipantUpdated.add(upsert);
    signals.onParticipantLeft.add((events) => {
      for (const { participant } of events) this.people.delete(participant.uuid);
      this.emitPeople();
    });
    signals.onMe.add(({ participant }) => {
      const first = this.me !== participant.uuid;
      this.me = participant.uuid;
      if (first) this.port.joined(participant.uuid, this.token);
    });
    signals.onTokenRefreshed.add(({ token }) => this.tokenRefreshed(token));
    signals.onConferenceStatus.add(({ status }) => this.events.emit('conference', { locked: status.locked, guestsMuted: status.guestsMuted }));
    // Sender and name as the node stamped them (the participant's uuid), not as typed.
    signals.onMessage.add((m) => {
      const text = m.message.trim().slice(0, CHAT_MAX_LENGTH);
      if (!text || m.userId === this.me) return;
      this.events.emit('message', { id: m.id, from: m.userId, displayName: m.displayName, text, at: Date.now(), own: false });
    });
    callSignals.onRemoteStream.add((stream) => this.events.emit('media', [{ id: STAGE, stream }]));
    // Someone else presents (presentation_start): the library receives it on the slides line.
    callSignals.onRemotePresentationStream.add((stream) => {
      this.contentStream = stream;
      this.emitContent(true);
    });
    callSignals.onPresentationConnectionChange.add(({ send, recv }) => {
      // presentation_stop (or our own share taking over the line): the content is gone.
      if ((recv === 'disconnected' || recv === 'failed') && this.contentStream) {
        this.contentStream = null;
        this.contentFrom = null;
        this.events.emit('content', null);
      }
      if (send === 'disconnected' || send === 'failed') this.presentAsked = false;
      const presenting = send === 'connected';
      if (presenting !== this.presentingNow && (presenting || send === 'disconnected' || send === 'failed')) {
        this.presentingNow = presenting;
        this.events.emit('presenting', presenting);
      }
    });
    callSignals.onCallConnected.add(() => {
      this.rejoinUntil = 0;
      this.events.emit('state', { state: 'joined' });
    });
    // The library rebuilds the media path itself (ICE restart) while its event stream holds,
    // e.g. when received video stalls; onReconnected (not onCallConnected) says it is back.
    callSignals.onReconnecting.add(() => this.events.emit('state', { state: 'reconnecting', reason: 'media-failed' }));
    callSignals.onReconnected.add(() => this.events.emit('state', { state: 'joined' }));
    signals.onDisconnected.add(({ error }) => void this.disconnected(String(error)));
    signals.onError.add(({ error }) => this.events.emit('warning', `pexip: ${String(error)}`));
    return client;
  }

  private async disconnected(error: string): Promise<void> {
    if (this.leaving) return;
    const reason = reasonOf(error);
    if (reason !== 'server-unreachable') {
      this.events.emit('state', { state: reason === 'refused' || reason === 'error' ? 'failed' : 'left', reason });
      return;
    }
    // The node went away: ask main for a fresh session and call again, under the window's
    // rejoin policy (the deadline holds across repeated losses until the call is back).
    this.rejoinUntil ||= Date.now() + REJOIN_POLICY.forMs;
    this.events.emit('state', { state: 'reconnecting', reason: 'server-unreachable' });
    const result = await rejoin({
      deadline: this.rejoinUntil,
      lost: { reason, detail: error },
      active: () => !this.leaving,
      attempt: async () => {
        const info = await this.port.prepare();
        if (info.provider !== 'pexip') throw new WrongProvider('not a Pexip room');
        await this.call(info);
      },
      // Main or the node not back yet, or the call refused meanwhile: tried again until the
      // deadline, as the node may still be starting.
      reasonOf: (err) => (err instanceof WrongProvider ? 'error' : 'server-unreachable'),
    });
    if (result.outcome === 'gave-up' && !this.leaving) this.events.emit('state', { state: 'failed', reason: 'server-unreachable' });
  }

  private emitPeople(): void {
    const others: CallParticipant[] = [];
    const waiting: WaitingGuest[] = [];
    for (const p of this.people.values()) {
      if (p.uuid === this.me) continue;
      // The role: Pexip's (host or guest); for a guest, the one main knows (whom the host
      // dialled), else the call tag the guest's invitation link set (never 'host').
      const tagged = GuestRole.safeParse(p.rawData?.call_tag);
      const known = this.roster.get(p.uuid)?.role;
      const role = p.isHost ? 'host' : known && known !== 'other' ? known : tagged.success ? tagged.data : 'other';
      // Someone the host dialled (main knows them) and the lock holds: main lets them in at
      // once (dialled-admission.ts), so they show as still connecting, not as a knock to answer.
      const dialled = p.isWaiting && this.roster.has(p.uuid);
      if (p.isWaiting && !dialled) {
        // start_time: when the participant connected, i.e. began to wait in the waiting room.
        const since = Number.isFinite(p.startTime) && p.startTime > 0 ? new Date(p.startTime * 1000).toISOString() : undefined;
        waiting.push({ id: p.uuid, displayName: p.displayName ?? '', role: role === 'host' ? 'other' : role, ...(since ? { since } : {}) });
        continue;
      }
      others.push({
        id: p.uuid,
        displayName: p.displayName ?? p.uri,
        role,
        hasAudio: p.callType !== 'api',
        hasVideo: p.callType === 'video',
        muted: { audio: p.isMuted, video: p.isCameraMuted },
        connecting: p.isConnecting || dialled,
      });
    }
    this.events.emit('participants', others);
    this.events.emit('lobby', waiting);
    this.emitContent(false);
  }

  /** The content with its presenter (the participant Pexip says is presenting), when either is new. */
  private emitContent(newStream: boolean): void {
    const stream = this.contentStream;
    if (!stream) return;
    const from = [...this.people.values()].find((p) => p.isPresenting && p.uuid !== this.me)?.uuid ?? null;
    if (!newStream && from === this.contentFrom) return;
    this.contentFrom = from;
    this.events.emit('content', { participantId: from, stream });
  }
}

/** Pexip's disconnect reasons, as @pexip/infinity passes them on, in the window's terms. */
function reasonOf(error: string): EndReason {
  if (/disconnected by another participant/i.test(error)) return 'kicked';
  if (/conference terminated|all conference hosts departed|api initiated conference termination/i.test(error)) return 'ended';
  if (/user initiated/i.test(error)) return 'user-left';
  if (/invalid pin|exceeded pin|not found|invalid token/i.test(error)) return 'refused';
  if (/reconnect|network|critical|timeout|failed to gather/i.test(error)) return 'server-unreachable';
  return 'error';
}

/**
 * @pexip/infinity logs every request (with the token in the event stream's URL) and its
 * participants' details to the console. The window keeps its console to warnings and errors,
 * as messages only, without the objects they carry.
 */
function quietLibraryLog(): void {
  const drop = () => undefined;
  // eslint-disable-next-line no-console -- the library's warnings, without their objects
  const message = (level: 'warn' | 'error') => (meta: unknown, text?: string) => console[level](`pexip: ${text ?? (typeof meta === 'string' ? meta : '')}`);
  setLogger({
    trace: drop,
    debug: drop,
    info: drop,
    warn: message('warn'),
    error: message('error'),
    fatal: message('error'),
    silent: drop,
    addRedactPattern: drop,
    redact: (text) => text,
  });
}

// ---------------------------------------------------------------------------------------------
// The two narrow stand-ins: main's request_token answer, and finding the library's
// RTCPeerConnection for getStats (it does not expose it).

let pendingTokenAnswer: { url: string; body: string } | null = null;
/** The current call's refresh_token URL and who wants each new token from it. */
let refreshWatch: { url: string; onToken: (token: string) => void } | null = null;
let fetchWrapped = false;

/**
 * Also watches the call's refresh_token answers: the library announces a new token
 * (onTokenRefreshed) only for its timed refresh, not for the refresh it makes after a media
 * renegotiation (`update`) or a server's refresh_token event; a real node refuses the old
 * token soon after, so main would lose its host powers (found against the double's tokens).
 */
function answerRequestTokenOnce(info: PexipJoin, onToken: (token: string) => void): void {
  pendingTokenAnswer = {
    url: requestTokenUrl(info.nodeUrl, info.alias),
    body: JSON.stringify(info.tokenResponse),
  };
  refreshWatch = { url: refreshTokenUrl(info.nodeUrl, info.alias), onToken };
  if (fetchWrapped) return;
  fetchWrapped = true;
  const realFetch = window.fetch.bind(window);
  window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const answer = pendingTokenAnswer;
    if (answer && url === answer.url && (init?.method ?? 'GET').toUpperCase() === 'POST') {
      pendingTokenAnswer = null;
      return Promise.resolve(new Response(answer.body, { status: 200, headers: { 'content-type': 'application/json' } }));
    }
    const watch = refreshWatch;
    if (watch && url === watch.url) {
      return realFetch(input, init).then((res) => {
        if (res.ok) {
          void res
            .clone()
            .json()
            .then((body: { result?: { token?: unknown } }) => {
              if (typeof body.result?.token === 'string') watch.onToken(body.result.token);
            })
            .catch(() => undefined);
        }
        return res;
      });
    }
    return realFetch(input, init);
  };
}

const peerConnections: RTCPeerConnection[] = [];
let pcWrapped = false;

function latestPeerConnection(): RTCPeerConnection | null {
  if (!pcWrapped) capturePeerConnections();
  for (let i = peerConnections.length - 1; i >= 0; i--) {
    const pc = peerConnections[i]!;
    if (pc.connectionState !== 'closed') return pc;
  }
  return null;
}

/** Keeps a reference to each RTCPeerConnection made in this window (the library's call). */
export function capturePeerConnections(): void {
  if (pcWrapped) return;
  pcWrapped = true;
  const Original = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends Original {
    constructor(config?: RTCConfiguration) {
      super(config);
      peerConnections.push(this);
      if (peerConnections.length > 8) peerConnections.shift();
    }
  };
}
