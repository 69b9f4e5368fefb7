/**
 * The call window's state and actions, in one Svelte 5 state class: which screen shows
 * (loading, the device check, the call, ended), the ticket and devices, the provider's
 * client and what it reports (connection, participants, lobby, media, chat, the meeting's
 * lock and mutes), the host's actions, and the stats timer. CallWindow.svelte is its
 * template; everything here runs without a browser (the unit tests hand in fakes for main,
 * the camera, the provider client and the timer).
 *
 * The join, from the moment the window opens (check skipped) or Join is pressed: the
 * camera, main's preparation of the room and the provider's client load at the same time,
 * and the client joins once all three are there. (With the check shown, main readies the
 * room only at Join: no host PIN reaches the server while the clinician tests a headset.)
 */
import type { call as backendCall, on as backendOn } from '../../renderer/src/lib/backend';
import type { CallDevices } from '../common/call-contract';
import type { CallTicket, JoinInfo, ProviderKind, RosterEntry, WaitingGuest } from '../common/call-model';
import type { CallClient, CallParticipant, CallStateChange, ChatMessage, EndReason, HostPort, MediaStats, RemoteContent, RemoteMedia } from './call-client';
import { endReasonOf } from './end-screen';
import type { LocalMedia } from './check';
import type { ClientFactory } from './provider-clients';
import { activeSpeaker, judgeQuality, type Quality } from './quality';
import type { CallTimings } from './timings';

/** Messages kept for the call (oldest dropped beyond this): memory only, never stored. */
export const CHAT_KEEP = 500;
/** How often the call's quality is sampled (getStats), while in the call only. */
export const STATS_EVERY_MS = 1000;

/** Which screen the window shows. */
export type CallPhase = 'loading' | 'check' | 'call' | 'ended';

/** What CallState needs of the window's world: main, the camera, the clients, the clock. */
export interface CallStateDeps {
  call: typeof backendCall;
  on: typeof backendOn;
  /** An error as the user reads it (main's code, translated). */
  errorText(error: unknown): string;
  t(key: string, params?: Record<string, unknown>): string;
  openLocalMedia(prefs: CallDevices): Promise<LocalMedia>;
  loadCallClient(provider: ProviderKind): Promise<ClientFactory>;
  /** The client's warnings and failures to main's log; returns the unsubscribe. */
  logClient(client: CallClient): () => void;
  /** A guest knocked: the tone and the OS notification (the role, never the name). */
  knock(title: string, body: string): void;
  markTiming(key: keyof CallTimings): void;
  setTitle(title: string): void;
  /** Calls `fn` every `ms` until the returned stop function runs. */
  every(ms: number, fn: () => void): () => void;
  /** Resolves after the view has caught up with a change (Svelte's tick). */
  tick(): Promise<void>;
}

export class CallState {
  phase = $state<CallPhase>('loading');
  prefs = $state<CallDevices>({});
  ticket = $state<CallTicket | null>(null);
  connection = $state<CallStateChange>({ state: 'connecting' });
  participants = $state<CallParticipant[]>([]);
  media = $state<RemoteMedia[]>([]);
  /** Someone else's presentation (content), shown in a larger tile of its own; null: none. */
  content = $state.raw<RemoteContent | null>(null);
  stats = $state<Record<string, MediaStats>>({});
  videoFlowing = $state<Record<string, boolean>>({});
  quality = $state<Record<string, Quality>>({});
  speaker = $state<string | null>(null);
  localStream = $state.raw<MediaStream | null>(null);
  micOn = $state(true);
  camOn = $state(true);
  /** Why the window cannot go on (no ticket, no media, the join failed). */
  error = $state<string | null>(null);
  client = $state.raw<CallClient | null>(null);
  waiting = $state<WaitingGuest[]>([]);
  conference = $state({ locked: false, guestsMuted: false });
  /** The server has said whether the meeting is locked: until then Lock could do the opposite. */
  conferenceKnown = $state(false);
  sinkId = $state('');
  /** A host action main refused, in the user's words. */
  notice = $state<string | null>(null);
  panel = $state<'chat' | 'devices' | null>(null);
  messages = $state<ChatMessage[]>([]);
  unread = $state(0);
  /** New chat messages, read out once by screen readers. */
  announcement = $state('');
  /** The installed app's mini view (the window shrank): unread counts even with the chat open. */
  mini = $state(false);
  /** Why the call is over (left, ended for all, removed, failed): the end screen shows it. */
  endReason = $state<EndReason | null>(null);

  private clientModule: Promise<ClientFactory> | undefined;
  /** main's preparation, started before the client asks (the first prepare only). */
  private earlyPrepare: Promise<JoinInfo> | null = null;
  private stopStats: (() => void) | undefined;
  private readonly offs: Array<() => void> = [];

  /** Main's side of the call, for the provider's client. */
  readonly port: HostPort;

  /**
   * skipCheckOnce: the end screen found the devices unchanged and started the next call in
   * this window (CallWindowRoot): that call skips the device check as if the setting said so.
   */
  constructor(
    private readonly d: CallStateDeps,
    private readonly skipCheckOnce = false,
  ) {
    this.port = {
      prepare: () => {
        const early = this.earlyPrepare;
        this.earlyPrepare = null;
        return early ?? this.prepare();
      },
      joined: (participantId, sessionToken) => void d.call('call.joined', { participantId, ...(sessionToken ? { sessionToken } : {}) }).catch(() => undefined),
      sessionToken: (token) => void d.call('call.sessionToken', { token }).catch(() => undefined),
      onRoster: (listener: (entries: RosterEntry[]) => void) => d.on('call.roster', ({ entries }) => listener(entries)),
      onLobby: (listener: (list: WaitingGuest[]) => void) => d.on('call.lobby', ({ waiting }) => listener(waiting)),
    };
  }

  /** In the call (joined or getting back in): the window may go mini; ended, it stays whole. */
  get inCall(): boolean {
    return this.connection.state === 'joined' || this.connection.state === 'reconnecting';
  }

  /** The connection as the header says it. */
  get stateText(): string {
    const { state, reason } = this.connection;
    if (state === 'joined') return this.d.t('call.joined');
    if (state === 'reconnecting') return this.d.t('call.reconnecting');
    if (state === 'connecting') return this.d.t('call.connecting');
    if (state === 'left' || state === 'failed') return this.d.t(`call.ended.${reason ?? 'error'}`);
    return '';
  }

  /** The window opened: the ticket and the devices, then the check, or straight into the call. */
  async start(): Promise<void> {
    const d = this.d;
    d.markTiming('startAt');
    // The devices chosen last time (and whether this workstation skips the check), asked at once.
    const devices = d.call('call.devices', {}).catch(() => ({}) as CallDevices);
    // Without the check, the camera opens and main readies the room as soon as the devices
    // are known, while the ticket arrives and the client loads: none waits for another.
    const media = devices.then((prefs) => (this.skipsCheck(prefs) ? this.openMedia(prefs) : null));
    void devices.then((prefs) => {
      if (this.skipsCheck(prefs)) this.prepareEarly();
    });
    try {
      const ticket = await d.call('call.ticket', {});
      this.ticket = ticket;
      void this.loadClient(ticket.provider).catch(() => undefined);
      d.setTitle(`${d.t('call.title')} – ${ticket.subject}`);
    } catch (e) {
      this.error = d.errorText(e);
      this.phase = 'call';
      // No call to join: the camera opened meanwhile goes off again.
      void media.then((m) => m?.stream?.getTracks().forEach((track) => track.stop()));
      return;
    }
    this.prefs = await devices;
    this.sinkId = this.prefs.speaker ?? '';
    if (!this.skipsCheck(this.prefs)) {
      this.phase = 'check';
      return;
    }
    this.phase = 'call';
    // The room is joined while the camera opens: the others' video does not wait for ours
    // (the camera's first frame took longer than the whole Janus join in the bench).
    await this.join(
      media.then((opened) => {
        if (!opened?.stream) throw new Error('neither camera nor microphone opened');
        return opened.stream;
      }),
    );
  }

  /** The check screen's Join: its camera and microphone are the call's from here on. */
  async joinFromCheck(stream: MediaStream | null, chosenSink: string, skipNextTime: boolean): Promise<void> {
    this.sinkId = chosenSink;
    if (skipNextTime !== (this.prefs.skipCheck === true)) {
      this.prefs = { ...this.prefs, skipCheck: skipNextTime };
      void this.d.call('call.setDevices', { skipCheck: skipNextTime }).catch(() => undefined);
    }
    this.phase = 'call';
    if (!stream) {
      this.error = this.d.t('call.noMedia');
      return;
    }
    // main readies the room while the client is created (it is loaded by now, or loading).
    this.prepareEarly();
    await this.join(stream);
  }

  /** Joins with `stream`, which may still be opening (the client waits for it only to send). */
  private async join(stream: MediaStream | Promise<MediaStream>): Promise<void> {
    const d = this.d;
    // Set when the camera failed, which is before the client's join fails because of it; a
    // join that fails for another reason does not wait for the camera to say which.
    let noMedia = false;
    const local = Promise.resolve(stream).then(
      (opened) => (this.localStream = opened),
      (error: unknown) => {
        noMedia = true;
        throw error;
      },
    );
    local.catch(() => undefined);
    let c: CallClient;
    try {
      c = (await this.loadClient(this.ticket!.provider))(this.port, this.ticket!.displayName);
    } catch (e) {
      this.error = d.errorText(e);
      return;
    }
    this.client = c;
    this.offs.push(
      d.logClient(c),
      c.on('state', (s) => this.onConnection(s)),
      c.on('participants', (list) => (this.participants = list)),
      c.on('lobby', (list) => this.onLobby(list)),
      c.on('media', (list) => (this.media = list)),
      c.on('content', (content) => (this.content = content)),
      c.on('conference', (status) => {
        this.conference = status;
        this.conferenceKnown = true;
      }),
      c.on('message', (m) => void this.onMessage(m)),
    );
    try {
      await c.join(local);
      d.markTiming('joinedAt');
    } catch (e) {
      this.error = noMedia ? d.t('call.noMedia') : d.errorText(e);
      return;
    }
    // Call quality, per remote stream, from getStats once a second, while the call lasts.
    if (!this.ended) this.stopStats = d.every(STATS_EVERY_MS, () => void this.sample(c));
  }

  /** Whether the call is over (left, failed): the window shows why and samples no more. */
  get ended(): boolean {
    return this.phase === 'ended';
  }

  /** The call's screen shows: in the call, or ended (it says why, its controls stay). */
  get callShown(): boolean {
    return this.phase === 'call' || this.phase === 'ended';
  }

  private onConnection(change: CallStateChange): void {
    this.connection = change;
    const over = endReasonOf(change);
    if (over) this.finish(over);
  }

  /**
   * Over: the end screen shows, the camera and microphone are let go, the window is whole
   * again, and main's session ends too where the server ended the call (removed, failed), so
   * the end screen may start the next one.
   */
  private finish(reason: EndReason): void {
    if (this.endReason) return;
    this.endReason = reason;
    this.phase = 'ended';
    this.content = null;
    this.stopTimer();
    for (const track of this.localStream?.getTracks() ?? []) track.stop();
    void this.d.call('call.leave', {}).catch(() => undefined);
    if (this.mini) void this.d.call('call.expand', {}).catch(() => undefined);
  }

  private async sample(c: CallClient): Promise<void> {
    const list = await c.stats().catch(() => [] as MediaStats[]);
    const previous = this.stats;
    this.stats = Object.fromEntries(list.map((s) => [s.id, s]));
    this.quality = Object.fromEntries(list.map((s) => [s.id, judgeQuality(s, previous[s.id])]));
    // No video packets since the last sample: the camera is off or the host muted the video.
    // (The browser does not end or mute a remote track when its sender simply stops.)
    this.videoFlowing = Object.fromEntries(list.map((s) => [s.id, previous[s.id] === undefined || s.packetsReceived > previous[s.id]!.packetsReceived]));
    this.speaker = activeSpeaker(list, previous);
  }

  private onLobby(list: WaitingGuest[]): void {
    const known = this.waiting.map((g) => g.id);
    const newcomers = list.filter((g) => !known.includes(g.id));
    this.waiting = list;
    if (newcomers.length > 0) {
      // The role, never the name: an OS notification shows on a screen anyone may see.
      this.d.knock(this.d.t('call.lobby.notifyTitle'), this.d.t('call.lobby.notifyRole', { role: this.d.t(`call.role.${newcomers[0]!.role}`) }));
    }
  }

  private async onMessage(m: ChatMessage): Promise<void> {
    this.messages = [...this.messages, m].slice(-CHAT_KEEP);
    if (this.panel !== 'chat' || this.mini) this.unread++;
    // Said once by screen readers, whether the chat is open or not (cleared first, so the
    // same words twice are said twice).
    this.announcement = '';
    await this.d.tick();
    this.announcement = this.d.t('call.chat.announce', { name: this.whoIs(m), text: m.text });
  }

  /**
   * Whose content shows, as the window names it for screen readers: the presenter's role
   * (never a name: the label is read out in a room others may hear), `other` when the server
   * has not said who presents.
   */
  get contentRole(): CallParticipant['role'] {
    const from = this.content?.participantId;
    return this.participants.find((p) => p.id === from)?.role ?? 'other';
  }

  /** Who sent a message, as the window shows people: name and role. */
  whoIs = (m: ChatMessage): string => {
    const p = this.participants.find((q) => q.id === m.from);
    return p ? `${p.displayName} (${this.d.t(`call.role.${p.role}`)})` : m.displayName;
  };

  sendMessage = async (text: string): Promise<void> => {
    if (!this.client) throw new Error('not in the call');
    const sent = await this.client.sendMessage(text);
    this.messages = [...this.messages, sent].slice(-CHAT_KEEP);
  };

  /** A host action through main; its refusal shows as the notice. */
  async hostAction(fn: () => Promise<unknown>): Promise<void> {
    this.notice = null;
    try {
      await fn();
    } catch (e) {
      this.notice = this.d.errorText(e);
    }
  }

  admit(participantId: string): Promise<void> {
    return this.hostAction(() => this.d.call('call.admit', { participantId }));
  }

  deny(participantId: string): Promise<void> {
    return this.hostAction(() => this.d.call('call.deny', { participantId }));
  }

  kick(participantId: string): Promise<void> {
    return this.hostAction(() => this.d.call('call.kick', { participantId }));
  }

  mute(p: CallParticipant, kind: 'audio' | 'video', muted: boolean): Promise<void> {
    const mid = kind === 'audio' ? p.audioMid : p.videoMid;
    return this.hostAction(() => this.d.call('call.mute', { participantId: p.id, kind, muted, ...(mid !== undefined ? { mid } : {}) }));
  }

  setLocked(locked: boolean): Promise<void> {
    return this.hostAction(() => this.d.call('call.lock', { locked }));
  }

  setGuestsMuted(muted: boolean): Promise<void> {
    return this.hostAction(() => this.d.call('call.muteGuests', { muted }));
  }

  /** Ends the meeting for everybody (main disconnects all); the end screen follows. */
  async endForAll(): Promise<void> {
    this.stopTimer();
    this.notice = null;
    try {
      await this.d.call('call.end', {});
      this.finish('ended');
    } catch (e) {
      this.notice = this.d.errorText(e);
    }
  }

  /** Leaves the call; the meeting goes on; the end screen follows. */
  async leave(): Promise<void> {
    this.stopTimer();
    await this.client?.leave().catch(() => undefined);
    await this.d.call('call.leave', {}).catch(() => undefined);
    this.finish('user-left');
  }

  toggleMic(): void {
    this.micOn = !this.micOn;
    this.client?.setAudioEnabled(this.micOn);
  }

  toggleCam(): void {
    this.camOn = !this.camOn;
    this.client?.setVideoEnabled(this.camOn);
  }

  /** Opens or closes a side panel; returns whether it closed (the focus goes back then). */
  togglePanel(which: 'chat' | 'devices'): boolean {
    const closing = this.panel === which;
    this.panel = closing ? null : which;
    if (this.panel === 'chat') this.unread = 0;
    return closing;
  }

  /** The window resized to or from the mini view; back with the chat open, its messages are read. */
  setMini(mini: boolean): void {
    this.mini = mini;
    if (!mini && this.panel === 'chat') this.unread = 0;
  }

  /** The window closes: the timer stops, the client leaves, main's events are not listened to. */
  destroy(): void {
    this.stopTimer();
    for (const off of this.offs.splice(0)) off();
    void this.client?.leave();
  }

  private stopTimer(): void {
    this.stopStats?.();
    this.stopStats = undefined;
  }

  private skipsCheck(prefs: CallDevices): boolean {
    return prefs.skipCheck === true || this.skipCheckOnce;
  }

  private loadClient(provider: ProviderKind): Promise<ClientFactory> {
    this.clientModule ??= this.d.loadCallClient(provider);
    return this.clientModule;
  }

  private async openMedia(prefs: CallDevices): Promise<LocalMedia> {
    const opened = await this.d.openLocalMedia(prefs);
    this.d.markTiming('mediaAt');
    return opened;
  }

  private prepare(): Promise<JoinInfo> {
    return this.d.call('call.prepare', {}).then((info) => {
      this.d.markTiming('preparedAt');
      return info;
    });
  }

  /** Starts main's preparation for the client's first prepare (a no-op once started). */
  private prepareEarly(): void {
    if (this.earlyPrepare || this.client) return;
    const pending = this.prepare();
    // Its failure is the client's to report when it asks; unasked, it is nobody's.
    pending.catch(() => undefined);
    this.earlyPrepare = pending;
  }
}
