/**
 * Real media for one conference: every participant's single WebRTC call ends here (werift),
 * and the relay forwards RTP the way Pexip's voice-switched 1:0 layout looks to a client:
 * each participant receives one video and one audio stream, the current speaker's; the
 * speaker receives the previous speaker's.
 *
 * What keeps Chromium decoding across speaker switches (see the research notes in the
 * brief): one SSRC per receiver with seq/timestamp continuity (werift's sender rewrites SSRC,
 * payload type, seq and timestamp; we only tell it where a new source starts), a PLI to the
 * new source, and the new source's video held back until its next keyframe. Empty (padding)
 * packets are dropped and header extensions cleared, since their ids belong to the source's
 * negotiation; werift adds this call's own.
 *
 * A muted participant's audio (or video) is never forwarded. Participants that are not
 * active (waiting room, connecting) neither send nor receive.
 *
 * Presentation: each call's second video m-line is its slides line (`a=content:slides`, as
 * @pexip/infinity offers it for a presentation call type). The conference names the one
 * presenter (take_floor); that leg's slides RTP goes to every other active leg whose client
 * asked to receive slides (its offer's slides line `recvonly`, which @pexip/infinity sets on
 * `presentation_start`), with the same keyframe hold and seq continuity as the main video.
 *
 * Loopback only: sockets bound to 127.0.0.1, and STUN and candidate pairs filtered to it.
 * Chromium offers loopback candidates only with --allow-loopback-in-peer-connection.
 */
import {
  MediaStreamTrack,
  PictureLossIndication,
  RTCPeerConnection,
  RTP_EXTENSION_URI,
  RtcpPayloadSpecificFeedback,
  useAudioLevelIndication,
  useOPUS,
  useSdesMid,
  useVP8,
  type RTCRtpReceiver,
  type RTCRtpSender,
  type RTCRtpTransceiver,
  type RtcpPacket,
  type RtpPacket,
} from 'werift';
import { isLoopback, keepRejectedMLines, markSlides } from './sdp';
import { isVp8KeyframeStart } from './vp8';

type Kind = 'audio' | 'video';
const KINDS: readonly Kind[] = ['audio', 'video'];
const CLOCK_RATE: Record<Kind, number> = { audio: 48_000, video: 90_000 };

/** ssrc-audio-level is -dBov, 0 (loud) to 127 (silence); below this counts as speech. */
const VOICE_LEVEL = 50;
/** The current speaker keeps the floor until silent this long. */
const SPEAKER_HOLD_MS = 1_500;
/** At most one PLI per source this often (a burst of requests becomes one trailing PLI). */
const PLI_MIN_INTERVAL_MS = 200;
/** While a receiver waits for a keyframe that does not come, ask again this often. */
const PLI_RETRY_MS = 1_000;
const GATHER_TIMEOUT_MS = 3_000;

export interface LegPolicy {
  /** In the conference (not waiting, not ringing): sends to and receives from the others. */
  active: boolean;
  audioMuted: boolean;
  videoMuted: boolean;
}

export interface LegSnapshot {
  id: string;
  connected: boolean;
  audioFrom: string | null;
  videoFrom: string | null;
  packetsIn: Record<Kind, number>;
  packetsOut: Record<Kind, number>;
  /** Presentation packets this leg sent us, and we sent it. */
  slidesIn: number;
  slidesOut: number;
}

interface Outbound {
  track: MediaStreamTrack;
  sender?: RTCRtpSender;
  /** The leg whose packets this receiver gets now (null: none, or that leg is muted). */
  source: Leg | null;
  continuityPending: boolean;
  lastSentAt: number;
  packets: number;
}

interface Leg {
  id: string;
  pc: RTCPeerConnection;
  policy: LegPolicy;
  connected: boolean;
  closed: boolean;
  main: Partial<Record<Kind, RTCRtpTransceiver>>;
  out: Record<Kind, Outbound>;
  /** Receivers currently fed by this leg, per kind. */
  feeds: Record<Kind, Set<Leg>>;
  inVideo?: { receiver: RTCRtpReceiver; ssrc: number };
  waitKeyframe: boolean;
  lastVoiceAt: number;
  lastPliAt: number;
  pliTimer?: NodeJS.Timeout;
  packetsIn: Record<Kind, number>;
  /** The slides m-line's transceiver (the second video m-line), once offered. */
  slides?: RTCRtpTransceiver;
  slidesIn?: { receiver: RTCRtpReceiver; ssrc: number };
  slidesOut: Outbound;
  /** This leg's client asked to receive slides (our side of its slides line sends). */
  slidesReceiving: boolean;
  slidesWaitKeyframe: boolean;
  lastSlidesPliAt: number;
  slidesPacketsIn: number;
}

export interface MediaRelayEvents {
  /** The speaker order changed (most recent first): the conference sends `stage`. */
  onSpeakers?: (order: string[]) => void;
  /** A call's transport failed or closed without the signalling saying so. */
  onLegLost?: (id: string) => void;
}

export class MediaRelay {
  private readonly legs = new Map<string, Leg>();
  /** Speaker history, most recent first; a new leg goes to the end. */
  private history: string[] = [];
  private forced: string | null = null;
  /** Who holds the floor (their slides are relayed), or nobody. */
  private presenter: string | null = null;

  constructor(private readonly events: MediaRelayEvents = {}) {}

  /** Answers a participant's call (replacing an earlier one); returns the SDP answer, candidates inline. */
  async answer(id: string, offer: string, policy: LegPolicy): Promise<string> {
    const forced = this.forced === id;
    this.close(id);
    const leg = this.newLeg(id, policy);
    this.legs.set(id, leg);
    // A forced speaker keeps the floor across a new call; anyone else starts last in line.
    if (forced) {
      this.forced = id;
      this.history.unshift(id);
    } else {
      this.history.push(id);
    }
    try {
      return await this.negotiate(leg, offer);
    } catch (e) {
      this.close(id);
      throw e;
    }
  }

  /** `calls/<id>/update`: a new offer on the same call. */
  async renegotiate(id: string, offer: string): Promise<string> {
    const leg = this.legs.get(id);
    if (!leg) throw new Error('no call');
    return this.negotiate(leg, offer);
  }

  async addCandidate(id: string, candidate: string, sdpMid: string | undefined): Promise<void> {
    const leg = this.legs.get(id);
    if (!leg || !candidate) return;
    // werift drops pairs with non-loopback remotes (iceFilterCandidatePair); a candidate it
    // cannot parse is simply ignored, as a real node would.
    await leg.pc.addIceCandidate({ candidate, ...(sdpMid !== undefined ? { sdpMid } : {}) }).catch(() => undefined);
  }

  has(id: string): boolean {
    return this.legs.has(id);
  }

  setPolicy(id: string, policy: LegPolicy): void {
    const leg = this.legs.get(id);
    if (!leg) return;
    leg.policy = { ...policy };
    this.route();
  }

  /** Test hook: pin the speaker (null: back to audio levels). */
  forceSpeaker(id: string | null): void {
    this.forced = id;
    if (id && this.legs.has(id)) this.setSpeaker(id);
  }

  speaker(): string | null {
    return this.history[0] ?? null;
  }

  /** take_floor / release_floor: whose slides go to the others (null: nobody's). */
  setPresenter(id: string | null): void {
    if (this.presenter === id) return;
    this.presenter = id;
    for (const dst of this.legs.values()) {
      dst.slidesOut.continuityPending = true;
      dst.slidesWaitKeyframe = true;
    }
    const src = id ? this.legs.get(id) : undefined;
    if (src) this.requestSlidesKeyframe(src);
  }

  close(id: string): void {
    const leg = this.legs.get(id);
    if (!leg) return;
    leg.closed = true;
    this.legs.delete(id);
    clearTimeout(leg.pliTimer);
    this.history = this.history.filter((h) => h !== id);
    if (this.forced === id) this.forced = null;
    if (this.presenter === id) this.presenter = null;
    this.route();
    for (const kind of KINDS) leg.out[kind].source?.feeds[kind].delete(leg);
    void leg.pc.close().catch(() => undefined);
  }

  closeAll(): void {
    for (const id of [...this.legs.keys()]) this.close(id);
  }

  snapshot(): { speaker: string | null; legs: LegSnapshot[] } {
    return {
      speaker: this.speaker(),
      legs: [...this.legs.values()].map((l) => ({
        id: l.id,
        connected: l.connected,
        audioFrom: l.out.audio.source?.id ?? null,
        videoFrom: l.out.video.source?.id ?? null,
        packetsIn: { ...l.packetsIn },
        packetsOut: { audio: l.out.audio.packets, video: l.out.video.packets },
        slidesIn: l.slidesPacketsIn,
        slidesOut: l.slidesOut.packets,
      })),
    };
  }

  private newLeg(id: string, policy: LegPolicy): Leg {
    const pc = new RTCPeerConnection({
      // No STUN/TURN (werift's default is a public STUN server) and loopback only.
      iceServers: [],
      iceUseIpv4: false,
      iceUseIpv6: false,
      iceUseTcp: false,
      iceAdditionalHostAddresses: ['127.0.0.1'],
      iceInterfaceAddresses: { udp4: '127.0.0.1' },
      iceFilterStunResponse: (_msg, addr) => isLoopback(addr[0]),
      iceFilterCandidatePair: (pair) => isLoopback(pair.remoteCandidate.host),
      codecs: { audio: [useOPUS()], video: [useVP8()] },
      headerExtensions: { audio: [useSdesMid(), useAudioLevelIndication()], video: [useSdesMid()] },
    });
    const outbound = (kind: Kind): Outbound => ({
      track: new MediaStreamTrack({ kind }),
      source: null,
      continuityPending: false,
      lastSentAt: 0,
      packets: 0,
    });
    const leg: Leg = {
      id,
      pc,
      policy: { ...policy },
      connected: false,
      closed: false,
      main: {},
      out: { audio: outbound('audio'), video: outbound('video') },
      feeds: { audio: new Set(), video: new Set() },
      waitKeyframe: false,
      lastVoiceAt: 0,
      lastPliAt: 0,
      packetsIn: { audio: 0, video: 0 },
      slidesOut: outbound('video'),
      slidesReceiving: false,
      slidesWaitKeyframe: true,
      lastSlidesPliAt: 0,
      slidesPacketsIn: 0,
    };
    // Transceivers and their tracks appear inside setRemoteDescription: subscribe first.
    pc.onRemoteTransceiverAdded.subscribe((t) => this.adoptTransceiver(leg, t));
    pc.connectionStateChange.subscribe((state) => {
      if (leg.closed) return;
      if (state === 'connected') {
        leg.connected = true;
        this.route();
        // A PLI sent before this receiver's DTLS was up is lost: ask its source again now.
        if (leg.out.video.source) {
          leg.waitKeyframe = true;
          this.requestKeyframe(leg.out.video.source);
        }
      } else if (state === 'failed' || state === 'closed') {
        leg.connected = false;
        this.route();
        this.events.onLegLost?.(id);
      }
    });
    return leg;
  }

  private async negotiate(leg: Leg, offer: string): Promise<string> {
    const { pc } = leg;
    await pc.setRemoteDescription({ type: 'offer', sdp: offer });
    for (const kind of KINDS) {
      const t = leg.main[kind];
      if (!t || t.sender.track === leg.out[kind].track) continue;
      t.setDirection('sendrecv');
      await t.sender.replaceTrack(leg.out[kind].track);
      leg.out[kind].sender = t.sender;
    }
    const slides = leg.slides;
    if (slides && slides.sender.track !== leg.slidesOut.track) {
      // sendrecv with our track: werift answers the offer's slides direction reversed
      // (inactive stays inactive, recvonly gets sendonly, sendonly gets recvonly).
      slides.setDirection('sendrecv');
      await slides.sender.replaceTrack(leg.slidesOut.track);
      leg.slidesOut.sender = slides.sender;
    }
    await pc.setLocalDescription(await pc.createAnswer());
    const receiving = slides?.currentDirection === 'sendonly' || slides?.currentDirection === 'sendrecv';
    if (receiving && !leg.slidesReceiving) {
      leg.slidesOut.continuityPending = true;
      leg.slidesWaitKeyframe = true;
      const src = this.presenter ? this.legs.get(this.presenter) : undefined;
      if (src) this.requestSlidesKeyframe(src);
    }
    leg.slidesReceiving = receiving;
    await gatheringComplete(pc);
    const sdp = pc.localDescription?.sdp;
    if (!sdp) throw new Error('no answer');
    return markSlides(offer, keepRejectedMLines(sdp));
  }

  /** The first audio and the first video m-line are the call's main media; the second video line is its slides. */
  private adoptTransceiver(leg: Leg, t: RTCRtpTransceiver): void {
    if (t.kind !== 'audio' && t.kind !== 'video') return;
    const kind: Kind = t.kind;
    if (leg.main[kind]) {
      if (kind === 'video' && !leg.slides) this.adoptSlides(leg, t);
      return;
    }
    leg.main[kind] = t;
    t.onTrack.subscribe((track) => {
      if (kind === 'video' && track.ssrc !== undefined) leg.inVideo = { receiver: t.receiver, ssrc: track.ssrc };
      track.onReceiveRtp.subscribe((rtp, ext) => this.onRtp(leg, kind, rtp, ext));
    });
    if (kind === 'video') {
      t.sender.onPictureLossIndication.subscribe(() => this.onReceiverPli(leg));
      // werift routes PSFB by the RTCP *sender* SSRC first; on a sendrecv m-line that is
      // Chromium's own outgoing video SSRC, registered for our receiver, so a PLI for what we
      // send may arrive here instead of on the sender.
      t.receiver.onRtcp.subscribe((rtcp: RtcpPacket) => {
        if (
          rtcp.type === RtcpPayloadSpecificFeedback.type &&
          rtcp.feedback.count === PictureLossIndication.count &&
          rtcp.feedback.mediaSsrc === t.sender.ssrc
        ) {
          this.onReceiverPli(leg);
        }
      });
    }
  }

  private adoptSlides(leg: Leg, t: RTCRtpTransceiver): void {
    leg.slides = t;
    t.onTrack.subscribe((track) => {
      if (track.ssrc !== undefined) leg.slidesIn = { receiver: t.receiver, ssrc: track.ssrc };
      track.onReceiveRtp.subscribe((rtp) => this.onSlidesRtp(leg, rtp));
    });
    const pli = () => {
      const src = this.presenter ? this.legs.get(this.presenter) : undefined;
      if (src && src !== leg) this.requestSlidesKeyframe(src);
    };
    t.sender.onPictureLossIndication.subscribe(pli);
    // As for the main video: a PLI for what we send may arrive on the receiver (see adoptTransceiver).
    t.receiver.onRtcp.subscribe((rtcp: RtcpPacket) => {
      if (rtcp.type === RtcpPayloadSpecificFeedback.type && rtcp.feedback.count === PictureLossIndication.count && rtcp.feedback.mediaSsrc === t.sender.ssrc) pli();
    });
  }

  /** The presenter's slides, to every other active leg that receives slides. */
  private onSlidesRtp(src: Leg, rtp: RtpPacket): void {
    if (src.closed) return;
    src.slidesPacketsIn++;
    if (src.id !== this.presenter || !src.policy.active || rtp.payload.length === 0) return;
    const packet = rtp.clone();
    packet.header.extensions = [];
    packet.header.padding = false;
    packet.header.paddingSize = 0;
    const now = Date.now();
    let keyframe: boolean | undefined;
    for (const dst of this.legs.values()) {
      const out = dst.slidesOut;
      if (dst === src || !dst.policy.active || !dst.connected || !dst.slidesReceiving || !out.sender) continue;
      if (dst.slidesWaitKeyframe) {
        keyframe ??= isVp8KeyframeStart(packet.payload);
        if (!keyframe) {
          if (now - src.lastSlidesPliAt > PLI_RETRY_MS) this.requestSlidesKeyframe(src);
          continue;
        }
        dst.slidesWaitKeyframe = false;
      }
      if (out.continuityPending) {
        const elapsed = out.lastSentAt ? now - out.lastSentAt : 20;
        out.sender.replaceRTP(packet.header, false, Math.max(1, Math.round((elapsed * CLOCK_RATE.video) / 1000)));
        out.continuityPending = false;
      }
      out.lastSentAt = now;
      out.packets++;
      void out.sender.sendRtp(packet).catch(() => undefined);
    }
  }

  /** At most one PLI per PLI_MIN_INTERVAL_MS to the presenter's slides; the keyframe hold asks again. */
  private requestSlidesKeyframe(src: Leg): void {
    if (src.closed || !src.slidesIn) return;
    const now = Date.now();
    if (now - src.lastSlidesPliAt < PLI_MIN_INTERVAL_MS) return;
    src.lastSlidesPliAt = now;
    void src.slidesIn.receiver.sendRtcpPLI(src.slidesIn.ssrc).catch(() => undefined);
  }

  private onRtp(src: Leg, kind: Kind, rtp: RtpPacket, ext: Record<string, unknown> | undefined): void {
    if (src.closed) return;
    src.packetsIn[kind]++;
    if (!src.policy.active) return;
    const muted = kind === 'audio' ? src.policy.audioMuted : src.policy.videoMuted;
    if (kind === 'audio' && !muted) this.onAudioLevel(src, ext);
    if (muted || rtp.payload.length === 0 || src.feeds[kind].size === 0) return;

    const packet = rtp.clone();
    packet.header.extensions = [];
    packet.header.padding = false;
    packet.header.paddingSize = 0;
    const now = Date.now();
    let keyframe: boolean | undefined;
    for (const dst of src.feeds[kind]) {
      const out = dst.out[kind];
      if (!out.sender || !dst.connected) continue;
      if (kind === 'video' && dst.waitKeyframe) {
        keyframe ??= isVp8KeyframeStart(packet.payload);
        if (!keyframe) {
          if (now - src.lastPliAt > PLI_RETRY_MS) this.requestKeyframe(src);
          continue;
        }
        dst.waitKeyframe = false;
      }
      if (out.continuityPending) {
        // The new source's first packet continues this receiver's seq/timestamp line; the
        // timestamp advances by the wall-clock time since the last packet we sent it.
        const elapsed = out.lastSentAt ? now - out.lastSentAt : 20;
        out.sender.replaceRTP(packet.header, false, Math.max(1, Math.round((elapsed * CLOCK_RATE[kind]) / 1000)));
        out.continuityPending = false;
      }
      out.lastSentAt = now;
      out.packets++;
      void out.sender.sendRtp(packet).catch(() => undefined);
    }
  }

  private onAudioLevel(src: Leg, ext: Record<string, unknown> | undefined): void {
    const al = ext?.[RTP_EXTENSION_URI.audioLevelIndication] as { level?: number } | undefined;
    if (typeof al?.level !== 'number' || al.level > VOICE_LEVEL) return;
    const now = Date.now();
    src.lastVoiceAt = now;
    if (this.forced || this.history[0] === src.id) return;
    const current = this.legs.get(this.history[0] ?? '');
    const currentSpeaking =
      current && current.policy.active && !current.policy.audioMuted && now - current.lastVoiceAt < SPEAKER_HOLD_MS;
    if (!currentSpeaking) this.setSpeaker(src.id);
  }

  private setSpeaker(id: string): void {
    if (!this.legs.has(id) || this.history[0] === id) return;
    this.history = [id, ...this.history.filter((h) => h !== id)];
    this.route();
    this.events.onSpeakers?.(this.history.filter((h) => this.legs.get(h)?.policy.active));
  }

  /** Recomputes who receives whom, and prepares every receiver whose source changed. */
  private route(): void {
    for (const dst of this.legs.values()) {
      const src = this.pickSource(dst);
      for (const kind of KINDS) {
        const muted = src && (kind === 'audio' ? src.policy.audioMuted : src.policy.videoMuted);
        const next = src && !muted ? src : null;
        const out = dst.out[kind];
        if (out.source === next) continue;
        out.source?.feeds[kind].delete(dst);
        out.source = next;
        next?.feeds[kind].add(dst);
        out.continuityPending = true;
        if (kind === 'video' && next) {
          dst.waitKeyframe = true;
          this.requestKeyframe(next);
        }
      }
    }
  }

  /** Voice switching: the most recent speaker other than the receiver who can send. */
  private pickSource(dst: Leg): Leg | null {
    if (!dst.policy.active) return null;
    for (const id of this.history) {
      if (id === dst.id) continue;
      const leg = this.legs.get(id);
      if (leg && leg.policy.active && leg.connected) return leg;
    }
    return null;
  }

  private onReceiverPli(dst: Leg): void {
    const src = dst.out.video.source;
    if (src) this.requestKeyframe(src);
  }

  private requestKeyframe(src: Leg): void {
    if (src.closed || !src.inVideo || src.pliTimer) return;
    const wait = src.lastPliAt + PLI_MIN_INTERVAL_MS - Date.now();
    if (wait > 0) {
      src.pliTimer = setTimeout(() => {
        src.pliTimer = undefined;
        this.requestKeyframe(src);
      }, wait);
      src.pliTimer.unref();
      return;
    }
    src.lastPliAt = Date.now();
    void src.inVideo.receiver.sendRtcpPLI(src.inVideo.ssrc).catch(() => undefined);
  }
}

function gatheringComplete(pc: RTCPeerConnection): Promise<void> {
  if (pc.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, GATHER_TIMEOUT_MS);
    const { unSubscribe } = pc.iceGatheringStateChange.subscribe((s) => {
      if (s === 'complete') done();
    });
    function done() {
      clearTimeout(timer);
      unSubscribe();
      resolve();
    }
  });
}
