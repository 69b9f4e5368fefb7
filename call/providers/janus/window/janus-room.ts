/**
 * A Janus VideoRoom participant, framework-agnostic (DOM only). The console's call window
 * and the test guest page both build on it.
 *
 * - One publisher handle sends our audio + video.
 * - One subscriber handle receives everybody else (Janus 1.x multistream): the first remote
 *   feed creates it with `join`, later feeds are added with `subscribe`. Janus removes a
 *   leaving publisher's streams by itself and sends a new offer, which we answer.
 * - Display names are names only: roles come from whoever admitted the participant (the
 *   room guard, through main), never from what a participant typed.
 * - If the signalling connection drops (Janus restarted, network blip), the room tries a
 *   full rejoin with a new session under the window's one rejoin policy
 *   (call/window/rejoin-policy.ts), reusing the local stream.
 * - Chat rides on VideoRoom data channels: each publisher also publishes a data channel, and
 *   Janus relays what it sends to everybody subscribed to that feed, which is everybody
 *   admitted to the room (the room guard's allowed list), so no other plugin, room or secret
 *   is needed. Janus labels each relayed message with the sending feed's id (the channel's
 *   label on our subscriber connection), so the sender is the server's word, not the
 *   message's; it is shown under the name that feed joined with. Like Pexip's conference
 *   messages, a message reaches whoever is connected when it is sent (no history).
 * - Content (a shared screen): a second video stream on the same feed (one feed per
 *   admission: the room guard removes anyone publishing under an id not issued to them),
 *   published with `configure` and the VideoRoom's `descriptions` naming it `screen`. The
 *   others see it in the feed's `streams` (description) and their subscription's
 *   (`feed_description`), subscribe to it by feed and mid, and get it as `content`, apart from
 *   the feed's camera.
 */
import Janus, { type JanusJS } from 'janus-gateway';
import adapter from 'webrtc-adapter';
import type { MediaStats } from '../../../common/media-stats';
import { CONTENT, type EndReason, type ReconnectReason, type RoomConnectionState } from '../../../window/call-client';
import { rejoin, REJOIN_POLICY, type RejoinPolicy } from '../../../window/rejoin-policy';
import { Emitter } from '../../../window/emitter';

export interface JanusRoomOptions {
  /** Janus WebSocket (ws://, wss://) or HTTP (http://, https://) API URL. */
  server: string;
  /** VideoRoom room id (an unguessable string: the server runs with string_ids). */
  room: string;
  /** The room's PIN, for rooms that have one (the guard's rooms check tokens instead). */
  pin?: string;
  displayName: string;
  /** Default []: janus.js would otherwise use a public STUN server. */
  iceServers?: RTCIceServer[];
  /** How to rejoin after the connection drops. Default the call window's one policy. */
  rejoinPolicy?: RejoinPolicy;
  /** Bound for connecting and joining once. Default 15 s. */
  joinTimeoutMs?: number;
  /** janus.js console logging. */
  debug?: boolean;
  /**
   * Admission token (the room guard mints one per admission): Janus runs with token_auth,
   * so the token opens the Janus session itself (every request carries it) and the room's
   * allowed list checks it again at the join.
   */
  token?: string;
  /** Our participant id (the room guard issues it with the token). */
  id?: string;
  /**
   * Runs before every join and rejoin: the room guard (through main, for the host) readies
   * the room and answers a fresh token for our id (and the Janus room's id), which replace
   * `token`, `id` and `room`.
   */
  beforeJoin?: () => Promise<{ token: string; id: string; room?: string } | undefined>;
  /**
   * janus.js itself (its `Janus` class: init, sessions, plugin handles). The seam for unit
   * tests, which hand in a fake shaped from janus.js's typings; default the real library.
   */
  janus?: JanusLibrary;
}

/** The part of janus.js JanusRoom uses: Janus.init and new Janus(...). */
export interface JanusLibrary {
  init(options: JanusJS.InitOptions): void;
  useDefaultDependencies(deps?: Partial<JanusJS.DefaultDependencies>): JanusJS.DependenciesResult;
  new (options: JanusJS.ConstructorOptions): JanusJS.Janus;
}

/** Where this page's connection to the room is: the call window's one enum (call-client.ts). */
export type { RoomConnectionState };

/**
 * Why the call ended (state 'left' or 'failed'), in the one EndReason of the call window
 * (call-client.ts). Here: left: `user-left` (leave()), `kicked` (removed by the host), `ended`
 * (the room was destroyed: the meeting ended); failed: `refused` (VideoRoom 433: no valid token
 * or PIN), `room-missing` (426), `server-unreachable`, `media-failed` (no camera/microphone, or
 * WebRTC setup failed), `error` (anything else).
 */
export type { EndReason };

export interface StateChange {
  state: RoomConnectionState;
  reason?: EndReason;
  /** Technical detail for logs (no PINs, no names). */
  detail?: string;
}

export interface Participant {
  /** Janus feed id. */
  id: string;
  displayName: string;
  hasVideo: boolean;
  hasAudio: boolean;
  /** The publisher's stream ids (what the host's `moderate` names). */
  audioMid?: string;
  videoMid?: string;
}

export interface RemoteTrackEvent {
  participantId: string;
  track: MediaStreamTrack;
  /** One MediaStream per participant; tracks are added to and removed from it. */
  stream: MediaStream;
}

/** A chat message another participant sent over their feed's data channel. */
export interface RoomChat {
  id: string;
  /** The sender's feed id (a participant of the room). */
  from: string;
  displayName: string;
  text: string;
}

/** Longest chat text sent or shown (characters). */
export const ROOM_CHAT_MAX = 1000;

/** Someone's shared screen (their feed's stream described `screen`); null: it stopped. */
export interface RoomContent {
  participantId: string;
  stream: MediaStream;
}

/** The VideoRoom stream description that marks a shared screen. */
export const SCREEN_DESCRIPTION = 'screen';

export interface JanusRoomEvents {
  state: StateChange;
  content: RoomContent | null;
  chat: RoomChat;
  participants: Participant[];
  trackAdded: RemoteTrackEvent;
  trackRemoved: RemoteTrackEvent;
  /** Non-fatal problems, for the app's logger (technical text: no names, no PINs). */
  warning: string;
}

export interface LocalVideoStats {
  framesEncoded: number;
  framesSent: number;
  packetsSent: number;
  /** As reported back by Janus (remote-inbound-rtp). */
  packetsLost?: number;
  roundTripTime?: number;
  bitrateKbps?: number;
  frameRate?: number;
  qualityLimitationReason?: string;
}

export class JanusRoomError extends Error {
  constructor(
    readonly reason: EndReason,
    detail: string,
  ) {
    super(detail);
    this.name = 'JanusRoomError';
  }
}

const VIDEOROOM = 'janus.plugin.videoroom';
const ERR_UNAUTHORIZED = 433;
const ERR_NO_SUCH_ROOM = 426;

/** VideoRoom messages as Janus 1.1 sends them (only the fields we read). */
interface PublisherInfo {
  id: string | number;
  display?: string;
  streams?: Array<{ type: string; mid: string; disabled?: boolean; description?: string }>;
}
interface SubscriberStream {
  mid: string;
  type: string;
  feed_id?: string | number;
  feed_mid?: string;
  feed_description?: string;
  active?: boolean;
}
interface VideoRoomMessage {
  videoroom?: string;
  error_code?: number;
  error?: string;
  id?: string | number;
  private_id?: number;
  publishers?: PublisherInfo[];
  leaving?: string | number;
  unpublished?: string | number;
  kicked?: string | number;
  reason?: string;
  streams?: SubscriberStream[];
}

const initDone = new WeakMap<JanusLibrary, Promise<void>>();
/** Janus.init, once per library (it sets up janus.js's globals); may start before a join. */
export function initJanus(debug = false, lib: JanusLibrary = Janus): Promise<void> {
  let done = initDone.get(lib);
  if (!done) {
    done = new Promise<void>((resolve) =>
      lib.init({
        debug: debug ? 'all' : false,
        dependencies: lib.useDefaultDependencies({ adapter }),
        callback: () => resolve(),
      }),
    );
    initDone.set(lib, done);
  }
  return done;
}

export class JanusRoom {
  private readonly opts: Required<Omit<JanusRoomOptions, 'debug' | 'pin' | 'token' | 'id' | 'beforeJoin' | 'janus'>> &
    Pick<JanusRoomOptions, 'pin' | 'token' | 'id' | 'beforeJoin'> & { debug: boolean };
  private readonly events = new Emitter<JanusRoomEvents>();
  private current: StateChange = { state: 'idle' };

  private local: MediaStream | null = null;
  /** The camera and microphone while they open (join's argument): publishing waits for them, nothing else does. */
  private opening: Promise<MediaStream> | null = null;
  private ownsLocal = false;
  private audioEnabled = true;
  private videoEnabled = true;

  /** Bumped on every (re)connect: callbacks of an older session are ignored. */
  private gen = 0;
  private janus: JanusJS.Janus | null = null;
  private pub: JanusJS.PluginHandle | null = null;
  private sub: JanusJS.PluginHandle | null = null;
  private myId: string | null = null;
  private privateId: number | null = null;
  /** The publisher's `join` in flight: resolved by 'joined', rejected by an error event. */
  private pendingPub: { resolve: (m: VideoRoomMessage) => void; reject: (e: Error) => void } | null = null;

  private readonly publishers = new Map<string, Participant>();
  private readonly subscribed = new Set<string>();
  /** Subscriber mid -> feed id, from the `streams` list of `attached`/`updated`. */
  private readonly midFeed = new Map<string, string>();
  private readonly remoteStreams = new Map<string, MediaStream>();
  /** Publishers' screen streams: feed id -> their mid (as the publisher published it). */
  private readonly screens = new Map<string, string>();
  /** "feed:mid" of the screen streams we subscribed to. */
  private readonly subscribedScreens = new Set<string>();
  /** Our subscription's mids that carry a screen (feed_description). */
  private readonly screenMids = new Set<string>();
  /** The content shown now (one at a time: the latest screen to arrive). */
  private content: { participantId: string; track: MediaStreamTrack } | null = null;
  /** Our own screen's mid on the publisher connection, while we present. */
  private presentingMid: string | null = null;
  /** Subscription changes one at a time, each waiting for its offer to be answered. */
  private subChain: Promise<void> = Promise.resolve();
  private offerAnswered: (() => void) | null = null;
  private readonly prevBytes = new Map<string, { bytes: number; ts: number }>();
  private readonly lib: JanusLibrary;

  constructor(options: JanusRoomOptions) {
    this.lib = options.janus ?? Janus;
    this.opts = {
      iceServers: [],
      rejoinPolicy: REJOIN_POLICY,
      joinTimeoutMs: 15_000,
      ...options,
      debug: options.debug ?? false,
    };
  }

  on<K extends keyof JanusRoomEvents>(event: K, listener: (payload: JanusRoomEvents[K]) => void): () => void {
    return this.events.on(event, listener);
  }

  get state(): StateChange {
    return this.current;
  }

  /** Our own feed id once joined. */
  get id(): string | null {
    return this.myId;
  }

  get localStream(): MediaStream | null {
    return this.local;
  }

  participants(): Participant[] {
    return [...this.publishers.values()];
  }

  remoteStream(participantId: string): MediaStream | undefined {
    return this.remoteStreams.get(participantId);
  }

  /**
   * Joins as a publisher and publishes audio + video. `localStream` may still be opening: the
   * room is joined and the others' feeds are subscribed to meanwhile, and only publishing
   * waits for it (a camera's first frame can take longer than the whole join). Without it the
   * camera and microphone are opened here (and stopped on leave); a given stream stays the
   * caller's. Rejects with JanusRoomError (reason 'refused', 'room-missing', 'media-failed'
   * when the stream could not be had, ...) and moves to 'failed'.
   */
  async join(localStream?: MediaStream | Promise<MediaStream>): Promise<void> {
    if (this.current.state !== 'idle') throw new Error(`join() in state ${this.current.state}`);
    this.setState({ state: 'connecting' });
    this.ownsLocal = !localStream;
    const opening = (localStream ? Promise.resolve(localStream) : navigator.mediaDevices.getUserMedia({ audio: true, video: true })).catch((err: unknown) => {
      throw new JanusRoomError('media-failed', `${localStream ? 'local media' : 'getUserMedia'}: ${err instanceof Error ? err.message : String(err)}`);
    });
    // Awaited where publishing needs it; a join that ends first leaves it unawaited.
    opening.catch(() => undefined);
    this.opening = opening;
    try {
      await this.connectAndJoin();
      if (this.phase() !== 'connecting') throw new JanusRoomError('user-left', 'left while joining');
      this.setState({ state: 'joined' });
    } catch (err) {
      // leave() during join: the state already says 'left'.
      const e = this.phase() === 'left' ? new JanusRoomError('user-left', 'left while joining') : asRoomError(err);
      await this.end('failed', e.reason, e.message);
      // A camera we opened that arrives after the end is let go too.
      if (this.ownsLocal && !this.local) void opening.then((stream) => stream.getTracks().forEach((t) => t.stop()), () => undefined);
      throw e;
    }
  }

  /** Leaves the room (others see us go at once). */
  async leave(): Promise<void> {
    await this.end('left', 'user-left');
  }

  setAudioEnabled(on: boolean): void {
    this.audioEnabled = on;
    for (const t of this.local?.getAudioTracks() ?? []) t.enabled = on;
  }

  /**
   * Camera off sends nothing at all (the sender's track is taken away), not the black frames
   * of a disabled track: the others then see "camera off" rather than a frozen black picture
   * that their quality check would call poor. No renegotiation either way.
   */
  setVideoEnabled(on: boolean): void {
    this.videoEnabled = on;
    for (const t of this.local?.getVideoTracks() ?? []) t.enabled = on;
    void this.applyVideoSending();
  }

  private async applyVideoSending(): Promise<void> {
    const pc = this.pub?.webrtcStuff?.pc;
    const sender = pc?.getTransceivers().find((t) => t.sender.track?.kind === 'video' || t.receiver.track.kind === 'video')?.sender;
    if (!sender) return;
    const track = this.videoEnabled ? (this.local?.getVideoTracks()[0] ?? null) : null;
    if (sender.track !== track) await sender.replaceTrack(track).catch((err: unknown) => this.events.emit('warning', `camera switch: ${String(err)}`));
  }

  /**
   * Switches the camera or microphone (or to a shared screen) without renegotiating: the
   * new track takes the old one's place on the publisher connection and in the local stream.
   * The old track is stopped when this room opened it.
   */
  async replaceTrack(track: MediaStreamTrack): Promise<void> {
    const kind = track.kind as 'audio' | 'video';
    track.enabled = kind === 'audio' ? this.audioEnabled : this.videoEnabled;
    // By transceiver: with the camera off the video sender has no track to find it by.
    const sender = this.pub?.webrtcStuff?.pc
      ?.getTransceivers()
      .find((t) => t.sender.track?.kind === kind || t.receiver.track.kind === kind)?.sender;
    if (sender && (kind === 'audio' || this.videoEnabled)) await sender.replaceTrack(track);
    const local = this.local;
    if (!local) return;
    for (const old of kind === 'audio' ? local.getAudioTracks() : local.getVideoTracks()) {
      if (old === track) continue;
      local.removeTrack(old);
      if (this.ownsLocal) old.stop();
    }
    if (!local.getTrackById(track.id)) local.addTrack(track);
  }

  /**
   * Presents a shared screen: a second video stream on our feed, described `screen` (see the
   * header), beside the camera. Resolves once Janus has the new offer.
   */
  async present(stream: MediaStream): Promise<void> {
    const pub = this.pub;
    const track = stream.getVideoTracks()[0];
    if (!pub || !track || this.current.state !== 'joined') throw new JanusRoomError('error', 'not in the room');
    if (this.presentingMid) await this.stopPresenting();
    const gen = this.gen;
    const jsep = await new Promise<JanusJS.JSEP>((resolve, reject) =>
      pub.createOffer({
        tracks: [{ type: 'video', capture: track, recv: false, add: true, dontStop: true }],
        success: resolve,
        error: (err) => reject(new JanusRoomError('media-failed', `present: ${String(err)}`)),
      }),
    );
    const mid = pub.webrtcStuff?.pc?.getTransceivers().find((t) => t.sender.track === track)?.mid;
    if (!mid || gen !== this.gen) throw new JanusRoomError('error', 'present: no stream for the screen');
    this.presentingMid = mid;
    pub.send({ message: { request: 'configure', descriptions: [{ mid, description: SCREEN_DESCRIPTION }] }, jsep });
  }

  /** Stops presenting: the screen's stream is removed from our feed (the others' content ends). */
  async stopPresenting(): Promise<void> {
    const pub = this.pub;
    const mid = this.presentingMid;
    this.presentingMid = null;
    if (!pub || !mid || this.current.state !== 'joined') return;
    const gen = this.gen;
    const jsep = await new Promise<JanusJS.JSEP>((resolve, reject) =>
      pub.createOffer({
        tracks: [{ type: 'video', mid, capture: false, remove: true }],
        success: resolve,
        error: (err) => reject(new JanusRoomError('media-failed', `stop presenting: ${String(err)}`)),
      }),
    );
    if (gen === this.gen) pub.send({ message: { request: 'configure' }, jsep });
  }

  /**
   * Sends a chat message to everybody in the room over our feed's data channel (Janus queues
   * nothing: janus.js holds it until the channel is open). Resolves with the message's id.
   */
  sendChat(text: string): Promise<string> {
    const pub = this.pub;
    const body = text.trim().slice(0, ROOM_CHAT_MAX);
    if (!pub || !this.myId || this.current.state !== 'joined') return Promise.reject(new JanusRoomError('error', 'not in the room'));
    if (!body) return Promise.reject(new JanusRoomError('error', 'empty message'));
    const id = crypto.randomUUID();
    return new Promise((resolve, reject) =>
      pub.data({
        text: JSON.stringify({ chat: 1, id, text: body }),
        success: () => resolve(id),
        error: (err) => reject(new JanusRoomError('error', `data channel: ${String(err)}`)),
      }),
    );
  }

  get isAudioEnabled(): boolean {
    return this.audioEnabled;
  }

  get isVideoEnabled(): boolean {
    return this.videoEnabled;
  }

  /** Inbound media per remote participant (video, with its audio; or audio alone), from the subscriber PeerConnection. */
  async stats(): Promise<MediaStats[]> {
    const pc = this.sub?.webrtcStuff?.pc;
    if (!pc) return [];
    const report = await pc.getStats();
    const rtt = selectedPairRtt(report);
    const out: MediaStats[] = [];
    const audio = new Map<string, { bytes: number; level?: number; energy?: number; duration?: number; lost: number }>();
    report.forEach((s: RTCInboundRtpStreamStats & { mid?: string; audioLevel?: number; totalAudioEnergy?: number; totalSamplesDuration?: number }) => {
      if (s.type !== 'inbound-rtp' || s.kind !== 'audio' || !s.mid) return;
      const participantId = this.midFeed.get(s.mid);
      if (participantId) audio.set(participantId, { bytes: s.bytesReceived ?? 0, level: s.audioLevel, energy: s.totalAudioEnergy, duration: s.totalSamplesDuration, lost: s.packetsLost ?? 0 });
    });
    report.forEach((s: RTCInboundRtpStreamStats & { mid?: string }) => {
      if (s.type !== 'inbound-rtp' || s.kind !== 'video' || !s.mid) return;
      if (this.screenMids.has(s.mid)) {
        // The content shown now (a screen's stream), under the call window's content id.
        if (this.content && s.trackIdentifier === this.content.track.id) {
          out.push({ id: CONTENT, framesDecoded: s.framesDecoded ?? 0, packetsLost: s.packetsLost ?? 0, packetsReceived: s.packetsReceived ?? 0, frameRate: s.framesPerSecond });
        }
        return;
      }
      const participantId = this.midFeed.get(s.mid);
      if (!participantId || !this.publishers.has(participantId)) return;
      out.push({
        id: participantId,
        framesDecoded: s.framesDecoded ?? 0,
        packetsLost: s.packetsLost ?? 0,
        packetsReceived: s.packetsReceived ?? 0,
        roundTripTime: rtt,
        bitrateKbps: this.bitrate(s.id, s.bytesReceived, s.timestamp),
        frameRate: s.framesPerSecond,
        frameWidth: s.frameWidth,
        frameHeight: s.frameHeight,
        audioBytesReceived: audio.get(participantId)?.bytes,
        audioLevel: audio.get(participantId)?.level,
        totalAudioEnergy: audio.get(participantId)?.energy,
        totalSamplesDuration: audio.get(participantId)?.duration,
        audioPacketsLost: audio.get(participantId)?.lost,
      });
    });
    // A participant who publishes audio only (no camera, or an audio-only guest) has no video
    // stats to hang the audio on: their entry has the audio alone (its loss is the audio's),
    // so their level, speaking and quality still show.
    for (const [participantId, a] of audio) {
      if (!this.publishers.has(participantId) || out.some((o) => o.id === participantId)) continue;
      out.push({
        id: participantId,
        framesDecoded: 0,
        packetsLost: a.lost,
        packetsReceived: 0,
        roundTripTime: rtt,
        audioBytesReceived: a.bytes,
        audioLevel: a.level,
        totalAudioEnergy: a.energy,
        totalSamplesDuration: a.duration,
        audioPacketsLost: a.lost,
      });
    }
    return out;
  }

  /** Our outbound video, from the publisher PeerConnection; null before publishing. */
  async localStats(): Promise<LocalVideoStats | null> {
    const pc = this.pub?.webrtcStuff?.pc;
    if (!pc) return null;
    const report = await pc.getStats();
    let result: LocalVideoStats | null = null;
    report.forEach((s: RTCOutboundRtpStreamStats) => {
      if (s.type !== 'outbound-rtp' || s.kind !== 'video') return;
      const remote = [...report.values()].find(
        (r: RemoteInboundStats) => r.type === 'remote-inbound-rtp' && r.localId === s.id,
      ) as RemoteInboundStats | undefined;
      result = {
        framesEncoded: s.framesEncoded ?? 0,
        framesSent: s.framesSent ?? 0,
        packetsSent: s.packetsSent ?? 0,
        packetsLost: remote?.packetsLost,
        roundTripTime: remote?.roundTripTime,
        bitrateKbps: this.bitrate(s.id, s.bytesSent, s.timestamp),
        frameRate: s.framesPerSecond,
        qualityLimitationReason: s.qualityLimitationReason,
      };
    });
    return result;
  }

  // -------------------------------------------------------------------------------------------
  // Connecting and joining.

  private async connectAndJoin(): Promise<void> {
    const gen = ++this.gen;
    // A leave() or reconnect meanwhile bumps gen: stop this attempt there.
    const current = (): void => {
      if (gen !== this.gen) throw new JanusRoomError('error', 'superseded');
    };
    await initJanus(this.opts.debug, this.lib);
    let waitingForMedia = false;
    const work = (async () => {
      if (this.opts.beforeJoin) {
        // Main unreachable or the conference server not back yet: retry like a lost connection.
        const ready = await this.opts.beforeJoin().catch((err: unknown) => {
          throw new JanusRoomError('server-unreachable', `before join: ${err instanceof Error ? err.message : String(err)}`);
        });
        if (ready) {
          this.opts.token = ready.token;
          this.opts.id = ready.id;
          if (ready.room) this.opts.room = ready.room;
        }
        current();
      }
      const janus = await this.connect(gen);
      const pub = await attach(janus, {
        plugin: VIDEOROOM,
        onmessage: (msg, jsep) => this.onPublisherMessage(gen, msg as VideoRoomMessage, jsep),
        iceState: (s) => {
          // Media path to Janus lost for good: rejoin like after a signalling drop.
          if (s === 'failed' && gen === this.gen) void this.reconnect('media-failed', 'publisher ICE failed');
        },
      });
      current();
      this.pub = pub;
      const reply = await this.request(pub, gen, {
        request: 'join',
        ptype: 'publisher',
        room: this.opts.room,
        ...(this.opts.pin ? { pin: this.opts.pin } : {}),
        display: this.opts.displayName,
        ...(this.opts.token ? { token: this.opts.token } : {}),
        ...(this.opts.id ? { id: this.opts.id } : {}),
      });
      current();
      this.myId = String(reply.id);
      this.privateId = reply.private_id ?? null;
      this.addPublishers(gen, reply.publishers ?? []);
      // The others' feeds are being subscribed to (addPublishers); ours waits for the camera.
      if (!this.local) {
        waitingForMedia = true;
        const local = await this.opening!;
        waitingForMedia = false;
        current();
        this.local = local;
        // Muted or camera off while it opened: off from the first packet (never turned on here).
        if (!this.audioEnabled) for (const t of local.getAudioTracks()) t.enabled = false;
        if (!this.videoEnabled) for (const t of local.getVideoTracks()) t.enabled = false;
      }
      await this.publish(gen, pub);
      // Rejoining with the camera off: keep sending no video.
      if (!this.videoEnabled) await this.applyVideoSending();
    })();
    // After a timeout the attempt may still fail later; teardown() has made it harmless.
    work.catch(() => undefined);
    try {
      await withTimeout(work, this.opts.joinTimeoutMs, () =>
        waitingForMedia
          ? new JanusRoomError('media-failed', 'timed out waiting for the camera and microphone')
          : new JanusRoomError('server-unreachable', 'timed out connecting to the conference server'),
      );
    } catch (err) {
      this.teardown();
      throw err;
    }
  }

  private connect(gen: number): Promise<JanusJS.Janus> {
    return new Promise((resolve, reject) => {
      let connected = false;
      const janus: JanusJS.Janus = new this.lib({
        server: this.opts.server,
        iceServers: this.opts.iceServers,
        ...(this.opts.token ? { token: this.opts.token } : {}),
        destroyOnUnload: true,
        success: () => {
          connected = true;
          if (gen !== this.gen) {
            janus.destroy({ notifyDestroyed: false });
            return;
          }
          this.janus = janus;
          resolve(janus);
        },
        error: (error: unknown) => {
          if (!connected) reject(new JanusRoomError('server-unreachable', String(error)));
          else if (gen === this.gen) void this.reconnect('server-unreachable', String(error));
        },
      });
    });
  }

  private publish(gen: number, pub: JanusJS.PluginHandle): Promise<void> {
    const tracks: JanusJS.TrackOption[] = [];
    const audio = this.local?.getAudioTracks()[0];
    const video = this.local?.getVideoTracks()[0];
    // dontStop: janus.js would otherwise stop our tracks on hangup, and we reuse them on rejoin.
    if (audio) tracks.push({ type: 'audio', capture: audio, recv: false, dontStop: true });
    if (video) tracks.push({ type: 'video', capture: video, recv: false, dontStop: true });
    // The chat's data channel (see the header): what we send goes to every subscriber of our feed.
    tracks.push({ type: 'data', capture: false });
    return new Promise((resolve, reject) => {
      pub.createOffer({
        tracks,
        success: (jsep) => {
          if (gen === this.gen) pub.send({ message: { request: 'publish' }, jsep });
          resolve();
        },
        error: (err) => reject(new JanusRoomError('media-failed', `createOffer: ${String(err)}`)),
      });
    });
  }

  private request(
    handle: JanusJS.PluginHandle,
    gen: number,
    message: JanusJS.PluginMessage['message'],
  ): Promise<VideoRoomMessage> {
    return new Promise((resolve, reject) => {
      this.pendingPub = { resolve, reject };
      handle.send({
        message,
        error: (err) => {
          if (gen === this.gen) reject(new JanusRoomError('server-unreachable', String(err)));
        },
      });
    });
  }

  private onPublisherMessage(gen: number, msg: VideoRoomMessage, jsep?: JanusJS.JSEP): void {
    if (gen !== this.gen) return;
    if (jsep) this.pub?.handleRemoteJsep({ jsep });
    if (msg.error_code) {
      const err = new JanusRoomError(reasonForCode(msg.error_code), `${msg.error_code} ${msg.error ?? ''}`.trim());
      if (this.pendingPub) {
        this.pendingPub.reject(err);
        this.pendingPub = null;
      } else {
        this.events.emit('warning', `VideoRoom error ${err.message}`);
      }
      return;
    }
    switch (msg.videoroom) {
      case 'joined':
        this.pendingPub?.resolve(msg);
        this.pendingPub = null;
        return;
      case 'destroyed':
        void this.end('left', 'ended');
        return;
      case 'event':
        break;
      default:
        return;
    }
    if (msg.publishers) this.addPublishers(gen, msg.publishers);
    if (msg.leaving !== undefined) {
      if (msg.leaving === 'ok' || String(msg.leaving) === this.myId) {
        // Our own departure: only unexpected when the host kicked us.
        if (msg.reason === 'kicked') void this.end('left', 'kicked');
      } else {
        this.removePublisher(String(msg.leaving));
      }
    }
    if (msg.unpublished !== undefined && msg.unpublished !== 'ok') this.removePublisher(String(msg.unpublished));
    if (msg.kicked !== undefined) {
      if (String(msg.kicked) === this.myId) void this.end('left', 'kicked');
      else this.removePublisher(String(msg.kicked));
    }
  }

  // -------------------------------------------------------------------------------------------
  // Remote participants and the subscriber handle.

  private addPublishers(gen: number, list: PublisherInfo[]): void {
    for (const p of list) {
      const id = String(p.id);
      if (id === this.myId) continue;
      const streams = (p.streams ?? []).filter((s) => !s.disabled);
      const audioMid = streams.find((s) => s.type === 'audio')?.mid;
      const videoMid = streams.find((s) => s.type === 'video' && s.description !== SCREEN_DESCRIPTION)?.mid;
      const screenMid = streams.find((s) => s.type === 'video' && s.description === SCREEN_DESCRIPTION)?.mid;
      this.updateScreen(gen, id, screenMid);
      this.publishers.set(id, {
        id,
        displayName: p.display ?? '',
        hasVideo: videoMid !== undefined,
        hasAudio: audioMid !== undefined,
        ...(audioMid !== undefined ? { audioMid } : {}),
        ...(videoMid !== undefined ? { videoMid } : {}),
      });
    }
    this.emitParticipants();
    const feeds = [...this.publishers.keys()].filter((id) => !this.subscribed.has(id));
    if (feeds.length === 0) return;
    this.subChain = this.subChain
      .then(() => this.subscribe(gen, feeds))
      .catch((err: unknown) => this.events.emit('warning', `subscription failed: ${String(err)}`));
  }

  /**
   * A publisher's screen stream came or went. A feed we subscribed to before its screen
   * existed does not bring the new stream by itself: it is subscribed to by feed and mid.
   */
  private updateScreen(gen: number, id: string, mid: string | undefined): void {
    const before = this.screens.get(id);
    if (before === mid) return;
    if (before !== undefined) {
      this.screens.delete(id);
      const key = `${id}:${before}`;
      if (this.subscribedScreens.delete(key) && this.sub && gen === this.gen) this.sub.send({ message: { request: 'unsubscribe', streams: [{ feed: id, mid: before }] } });
      if (this.content?.participantId === id) this.dropContent();
    }
    if (mid === undefined) return;
    this.screens.set(id, mid);
    // Not subscribed to the feed yet: its subscription (by feed) brings every stream, the screen too.
    if (!this.subscribed.has(id)) return;
    const key = `${id}:${mid}`;
    if (this.subscribedScreens.has(key)) return;
    this.subscribedScreens.add(key);
    this.subChain = this.subChain
      .then(() => this.subscribeStreams(gen, [{ feed: id, mid }]))
      .catch((err: unknown) => this.events.emit('warning', `screen subscription failed: ${String(err)}`));
  }

  private async subscribeStreams(gen: number, streams: Array<{ feed: string; mid: string }>): Promise<void> {
    if (gen !== this.gen || !this.sub) return;
    const answered = new Promise<void>((resolve) => (this.offerAnswered = resolve));
    this.sub.send({ message: { request: 'subscribe', streams } });
    await Promise.race([answered, sleep(10_000)]);
  }

  private dropContent(): void {
    if (!this.content) return;
    this.content = null;
    this.events.emit('content', null);
  }

  private removePublisher(id: string): void {
    if (this.content?.participantId === id) this.dropContent();
    this.screens.delete(id);
    for (const key of [...this.subscribedScreens]) if (key.startsWith(`${id}:`)) this.subscribedScreens.delete(key);
    if (!this.publishers.delete(id)) return;
    // Janus drops the feed from our subscription by itself (and sends a new offer).
    this.subscribed.delete(id);
    const stream = this.remoteStreams.get(id);
    if (stream) {
      for (const track of stream.getTracks()) {
        stream.removeTrack(track);
        this.events.emit('trackRemoved', { participantId: id, track, stream });
      }
      this.remoteStreams.delete(id);
    }
    this.emitParticipants();
  }

  private async subscribe(gen: number, feeds: string[]): Promise<void> {
    const wanted = feeds.filter((f) => this.publishers.has(f) && !this.subscribed.has(f));
    if (gen !== this.gen || wanted.length === 0 || !this.janus) return;
    for (const f of wanted) {
      this.subscribed.add(f);
      // By feed: a screen it publishes already comes with it.
      const screen = this.screens.get(f);
      if (screen !== undefined) this.subscribedScreens.add(`${f}:${screen}`);
    }
    const streams = wanted.map((feed) => ({ feed }));
    const answered = new Promise<void>((resolve) => (this.offerAnswered = resolve));
    if (!this.sub) {
      this.sub = await attach(this.janus, {
        plugin: VIDEOROOM,
        onmessage: (msg, jsep) => this.onSubscriberMessage(gen, msg as VideoRoomMessage, jsep),
        onremotetrack: (track, mid, on) => this.onRemoteTrack(gen, track, mid, on),
        ondata: (data: unknown, label: unknown) => this.onData(gen, data, label),
      });
      if (gen !== this.gen) return;
      this.sub.send({
        message: {
          request: 'join',
          ptype: 'subscriber',
          room: this.opts.room,
          ...(this.opts.pin ? { pin: this.opts.pin } : {}),
          private_id: this.privateId,
          ...(this.opts.token ? { token: this.opts.token } : {}),
          streams,
        },
      });
    } else {
      this.sub.send({ message: { request: 'subscribe', streams } });
    }
    // Bounded: a lost reply must not block later subscriptions forever.
    await Promise.race([answered, sleep(10_000)]);
  }

  private onSubscriberMessage(gen: number, msg: VideoRoomMessage, jsep?: JanusJS.JSEP): void {
    if (gen !== this.gen || !this.sub) return;
    if (msg.error_code) {
      // Typically a feed that left between 'publishers' and our subscribe: nothing to do.
      this.events.emit('warning', `VideoRoom subscriber error ${msg.error_code} ${msg.error ?? ''}`);
      this.resolveOffer();
      return;
    }
    if (msg.streams) {
      this.midFeed.clear();
      this.screenMids.clear();
      for (const s of msg.streams) {
        if (s.active !== false && s.feed_id !== undefined) this.midFeed.set(s.mid, String(s.feed_id));
        if (s.active !== false && s.feed_description === SCREEN_DESCRIPTION) this.screenMids.add(s.mid);
      }
    }
    if (!jsep) {
      if (msg.videoroom === 'attached' || msg.videoroom === 'updated') this.resolveOffer();
      return;
    }
    const sub = this.sub;
    sub.createAnswer({
      jsep,
      // Receive only: no local media on the subscriber PeerConnection, but the data channel
      // on which Janus relays the others' chat.
      tracks: [{ type: 'data', capture: false }],
      success: (answer) => {
        if (gen === this.gen) sub.send({ message: { request: 'start' }, jsep: answer });
        this.resolveOffer();
      },
      error: (err) => {
        this.events.emit('warning', `subscriber answer failed: ${String(err)}`);
        this.resolveOffer();
      },
    });
  }

  /** A chat message relayed by Janus from the feed `label` names: shown only when that feed is in the room. */
  private onData(gen: number, data: unknown, label: unknown): void {
    if (gen !== this.gen || typeof data !== 'string' || typeof label !== 'string' || data.length > 16 * ROOM_CHAT_MAX) return;
    let message: unknown;
    try {
      message = JSON.parse(data);
    } catch {
      return;
    }
    if (typeof message !== 'object' || message === null) return;
    const { chat, id, text } = message as Record<string, unknown>;
    if (chat !== 1 || typeof id !== 'string' || typeof text !== 'string') return;
    const sender = this.publishers.get(label);
    const body = text.trim().slice(0, ROOM_CHAT_MAX);
    if (!sender || !body || id.length > 64) return;
    // The id is the sender's: prefixed with the feed, so no one can collide with another's.
    this.events.emit('chat', { id: `${label}:${id}`, from: label, displayName: sender.displayName, text: body });
  }

  private resolveOffer(): void {
    this.offerAnswered?.();
    this.offerAnswered = null;
  }

  private onRemoteTrack(gen: number, track: MediaStreamTrack, mid: string, on: boolean): void {
    if (gen !== this.gen) return;
    const participantId = this.midFeed.get(mid);
    if (this.screenMids.has(mid) || this.content?.track === track) {
      // A screen: content, apart from the feed's camera.
      if (on && participantId && this.publishers.has(participantId)) {
        if (this.content?.track === track) return;
        this.content = { participantId, track };
        this.events.emit('content', { participantId, stream: new MediaStream([track]) });
      } else if (!on && this.content?.track === track) {
        this.dropContent();
      }
      return;
    }
    if (on) {
      if (!participantId || !this.publishers.has(participantId)) return;
      let stream = this.remoteStreams.get(participantId);
      if (!stream) {
        stream = new MediaStream();
        this.remoteStreams.set(participantId, stream);
      }
      if (stream.getTrackById(track.id)) return;
      // A recycled transceiver may still hold this track for a participant who left.
      for (const [otherId, other] of this.remoteStreams) {
        if (otherId !== participantId && other.getTrackById(track.id)) {
          other.removeTrack(track);
          this.events.emit('trackRemoved', { participantId: otherId, track, stream: other });
        }
      }
      stream.addTrack(track);
      this.events.emit('trackAdded', { participantId, track, stream });
      return;
    }
    // 'ended' or 'mute' (janus.js reports a track without packets for ~2.5 s as muted).
    for (const [id, stream] of this.remoteStreams) {
      if (stream.getTrackById(track.id)) {
        stream.removeTrack(track);
        this.events.emit('trackRemoved', { participantId: id, track, stream });
      }
    }
  }

  private emitParticipants(): void {
    this.events.emit('participants', this.participants());
  }

  // -------------------------------------------------------------------------------------------
  // Reconnecting and ending.

  private async reconnect(reason: ReconnectReason, detail: string): Promise<void> {
    if (this.phase() !== 'joined') return;
    this.setState({ state: 'reconnecting', reason, detail });
    this.teardown();
    const policy = this.opts.rejoinPolicy;
    const result = await rejoin({
      policy,
      deadline: Date.now() + policy.forMs,
      lost: { reason: 'server-unreachable', detail },
      active: () => this.phase() === 'reconnecting',
      attempt: () => this.connectAndJoin(),
      reasonOf: (err) => asRoomError(err).reason,
    });
    if (result.outcome === 'back') {
      if (this.phase() === 'reconnecting') this.setState({ state: 'joined' });
    } else if (result.outcome === 'gave-up') {
      await this.end('failed', result.reason, result.detail);
    }
  }

  private async end(state: 'left' | 'failed', reason: EndReason, detail?: string): Promise<void> {
    if (this.current.state === 'left' || this.current.state === 'failed') return;
    const destroyed = this.teardown();
    if (this.ownsLocal) for (const t of this.local?.getTracks() ?? []) t.stop();
    this.setState({ state, reason, ...(detail ? { detail } : {}) });
    await destroyed;
  }

  /** Drops the current session; resolves when Janus confirmed or after 3 s. */
  private teardown(): Promise<void> {
    this.gen++;
    const janus = this.janus;
    this.janus = this.pub = this.sub = null;
    this.myId = null;
    this.privateId = null;
    this.pendingPub?.reject(new JanusRoomError('error', 'session closed'));
    this.pendingPub = null;
    this.resolveOffer();
    this.subChain = Promise.resolve();
    this.subscribed.clear();
    this.midFeed.clear();
    this.screenMids.clear();
    this.presentingMid = null;
    this.prevBytes.clear();
    for (const id of [...this.publishers.keys()]) this.removePublisher(id);
    this.dropContent();
    if (!janus) return Promise.resolve();
    return Promise.race([
      new Promise<void>((resolve) =>
        janus.destroy({ cleanupHandles: true, notifyDestroyed: false, success: resolve, error: () => resolve() }),
      ),
      sleep(3_000),
    ]);
  }

  /** Not a property read, so TypeScript does not keep a stale narrowing across awaits. */
  private phase(): RoomConnectionState {
    return this.current.state;
  }

  private setState(change: StateChange): void {
    this.current = change;
    this.events.emit('state', change);
  }

  private bitrate(id: string, bytes: number | undefined, ts: number): number | undefined {
    if (bytes === undefined) return undefined;
    const prev = this.prevBytes.get(id);
    this.prevBytes.set(id, { bytes, ts });
    if (!prev || ts <= prev.ts) return undefined;
    return ((bytes - prev.bytes) * 8) / (ts - prev.ts); // bits per ms = kbit/s
  }
}

// ---------------------------------------------------------------------------------------------

function attach(
  janus: JanusJS.Janus,
  callbacks: Omit<JanusJS.PluginOptions, 'success' | 'error'>,
): Promise<JanusJS.PluginHandle> {
  return new Promise((resolve, reject) =>
    janus.attach({
      ...callbacks,
      success: resolve,
      error: (err) => reject(new JanusRoomError('error', `attach: ${String(err)}`)),
    }),
  );
}

/** remote-inbound-rtp: what Janus reports back about our outbound stream (not in TS's DOM lib). */
interface RemoteInboundStats extends RTCStats {
  localId?: string;
  packetsLost?: number;
  roundTripTime?: number;
}

function reasonForCode(code: number): EndReason {
  if (code === ERR_UNAUTHORIZED) return 'refused';
  if (code === ERR_NO_SUCH_ROOM) return 'room-missing';
  return 'error';
}

function asRoomError(err: unknown): JanusRoomError {
  return err instanceof JanusRoomError ? err : new JanusRoomError('error', String(err));
}

function selectedPairRtt(report: RTCStatsReport): number | undefined {
  let rtt: number | undefined;
  report.forEach((s: RTCTransportStats) => {
    if (s.type !== 'transport' || !s.selectedCandidatePairId) return;
    const pair = report.get(s.selectedCandidatePairId) as RTCIceCandidatePairStats | undefined;
    rtt = pair?.currentRoundTripTime;
  });
  return rtt;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function withTimeout<T>(p: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(onTimeout()), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
