/**
 * The call window on Janus: JanusRoom (janus.js) for media, the room prepared by main
 * through the room guard (a token for the feed id the guard issued), roles and the host's
 * mutes from main's roster, the lobby from main (the guard keeps it).
 */
import type { JoinInfo, RosterEntry, WaitingGuest } from '../../../common/call-model';
import type { CallClient, CallClientEvents, CallParticipant, ChatMessage, HostPort, MediaStats, RemoteMedia } from '../../../window/call-client';
import { Emitter } from '../../../window/emitter';
import { initJanus, JanusRoom, type JanusLibrary, type Participant } from './janus-room';

export class JanusCallClient implements CallClient {
  readonly layout = 'tiles' as const;
  private readonly events = new Emitter<CallClientEvents>();
  private room: JanusRoom | null = null;
  private roster = new Map<string, RosterEntry>();
  private feeds: Participant[] = [];
  private readonly streams = new Map<string, MediaStream>();
  /** What the window last asked for the microphone and camera, kept for a room made later. */
  private audioOn = true;
  private videoOn = true;
  private readonly unsubscribe: Array<() => void> = [];

  constructor(
    private readonly port: HostPort,
    private readonly displayName: string,
    /** janus.js (JanusRoom's seam, for unit tests); default the real library. */
    private readonly janus?: JanusLibrary,
  ) {
    this.unsubscribe.push(
      port.onRoster((entries) => {
        this.roster = new Map(entries.map((e) => [e.id, e]));
        this.emitParticipants();
      }),
      port.onLobby((waiting: WaitingGuest[]) => this.events.emit('lobby', waiting)),
    );
  }

  get selfId(): string | null {
    return this.room?.id ?? null;
  }

  on<K extends keyof CallClientEvents>(event: K, listener: (payload: CallClientEvents[K]) => void): () => void {
    return this.events.on(event, listener);
  }

  async join(local: MediaStream | Promise<MediaStream>): Promise<void> {
    this.events.emit('state', { state: 'connecting' });
    // janus.js readies itself while main answers (the room joins after both).
    void initJanus(false, this.janus).catch(() => undefined);
    let info: JoinInfo;
    try {
      info = await this.port.prepare();
    } catch (error) {
      this.events.emit('state', { state: 'failed', reason: 'refused' });
      throw error;
    }
    if (info.provider !== 'janus') throw new Error('not a Janus room');
    let first = true;
    const room = new JanusRoom({
      server: info.serverUrl,
      room: info.room,
      displayName: this.displayName,
      token: info.token,
      id: info.feedId,
      ...(this.janus ? { janus: this.janus } : {}),
      // The first join uses what main prepared; every rejoin asks main (and the guard) again.
      beforeJoin: async () => {
        if (first) {
          first = false;
          return undefined;
        }
        const again = await this.port.prepare();
        return again.provider === 'janus' ? { token: again.token, id: again.feedId, room: again.room } : undefined;
      },
    });
    this.room = room;
    // Muted or camera off while main prepared the room: so from the start.
    if (!this.audioOn) room.setAudioEnabled(false);
    if (!this.videoOn) room.setVideoEnabled(false);
    room.on('state', (s) => {
      if (s.state === 'joined' && room.id) this.port.joined(room.id);
      if (s.state === 'idle') return;
      this.events.emit('state', { state: s.state, ...(s.reason ? { reason: s.reason } : {}) });
    });
    room.on('participants', (list) => {
      this.feeds = list;
      this.emitParticipants();
    });
    room.on('trackAdded', ({ participantId, stream }) => {
      this.streams.set(participantId, stream);
      this.emitMedia();
    });
    room.on('trackRemoved', ({ participantId, stream }) => {
      if (stream.getTracks().length === 0) this.streams.delete(participantId);
      this.emitMedia();
    });
    room.on('warning', (w) => this.events.emit('warning', w));
    room.on('content', (c) => this.events.emit('content', c));
    room.on('chat', (m) => this.events.emit('message', { ...m, at: Date.now(), own: false }));
    await room.join(local);
  }

  async leave(): Promise<void> {
    for (const off of this.unsubscribe.splice(0)) off();
    await this.room?.leave();
  }

  setAudioEnabled(on: boolean): void {
    this.audioOn = on;
    this.room?.setAudioEnabled(on);
  }

  setVideoEnabled(on: boolean): void {
    this.videoOn = on;
    this.room?.setVideoEnabled(on);
  }

  async replaceTrack(track: MediaStreamTrack): Promise<void> {
    await this.room?.replaceTrack(track);
  }

  /** Our share as a second stream on our feed, described `screen` (janus-room.ts). */
  async present(stream: MediaStream): Promise<void> {
    if (!this.room) throw new Error('not in the call');
    await this.room.present(stream);
    this.events.emit('presenting', true);
  }

  async stopPresenting(): Promise<void> {
    await this.room?.stopPresenting();
    this.events.emit('presenting', false);
  }

  async sendMessage(text: string): Promise<ChatMessage> {
    const room = this.room;
    if (!room?.id) throw new Error('not in the call');
    const id = await room.sendChat(text);
    return { id, from: room.id, displayName: this.displayName, text: text.trim(), at: Date.now(), own: true };
  }

  async stats(): Promise<MediaStats[]> {
    const list = (await this.room?.stats()) ?? [];
    return list.map((s) => ({
      id: s.id,
      framesDecoded: s.framesDecoded,
      packetsLost: s.packetsLost,
      packetsReceived: s.packetsReceived,
      ...(s.roundTripTime !== undefined ? { roundTripTime: s.roundTripTime } : {}),
      ...(s.bitrateKbps !== undefined ? { bitrateKbps: s.bitrateKbps } : {}),
      ...(s.frameRate !== undefined ? { frameRate: s.frameRate } : {}),
      ...(s.audioBytesReceived !== undefined ? { audioBytesReceived: s.audioBytesReceived } : {}),
      ...(s.audioLevel !== undefined ? { audioLevel: s.audioLevel } : {}),
      ...(s.totalAudioEnergy !== undefined ? { totalAudioEnergy: s.totalAudioEnergy } : {}),
      ...(s.totalSamplesDuration !== undefined ? { totalSamplesDuration: s.totalSamplesDuration } : {}),
    }));
  }

  private emitParticipants(): void {
    const list: CallParticipant[] = this.feeds.map((p) => {
      const known = this.roster.get(p.id);
      return {
        id: p.id,
        displayName: p.displayName,
        role: known?.role ?? 'other',
        hasAudio: p.hasAudio,
        hasVideo: p.hasVideo,
        muted: known?.muted ?? { audio: false, video: false },
        connecting: false,
        ...(p.audioMid !== undefined ? { audioMid: p.audioMid } : {}),
        ...(p.videoMid !== undefined ? { videoMid: p.videoMid } : {}),
      };
    });
    this.events.emit('participants', list);
  }

  private emitMedia(): void {
    const media: RemoteMedia[] = [...this.streams].map(([id, stream]) => ({ id, stream }));
    this.events.emit('media', media);
  }
}
