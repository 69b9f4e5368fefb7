/**
 * One Virtual Meeting Room and the conference in it: who is in, in which role and service
 * type, lock and guest mute, the rules for waiting guests, dial-outs, and the events every
 * participant's stream gets. Media goes through this conference's MediaRelay.
 *
 * Pexip behaviour mimicked (docs.pexip.com; [inferred] where the docs leave the REST detail open):
 * - Guests wait (service type `waiting_room`) until a Host with media is in; when the first
 *   Host's call starts (its `ack`, which "starts media"), waiting guests move to `conference`.
 * - Lock: new guests wait until admitted (`participants/<id>/unlock`) or until the
 *   conference is unlocked, which admits everyone waiting; hosts join directly. A dial-out
 *   with the Guest role that answers while the conference is locked waits like any guest;
 *   one with the Host role joins directly (docs.pexip.com, "Locking a conference":
 *   "manually-invited participants who have been given a role of Guest are held at the
 *   Waiting for the host screen", said for rooms without a Host PIN; [inferred] the same
 *   with one).
 * - Guests-only timeout: after the last Host leaves, the guests are disconnected with
 *   "All conference hosts departed hosted conference" unless a Host comes back in time.
 * - Mute guests mutes every guest, present and future; unmute guests unmutes them [inferred].
 * - Dial-out: the new participant is `connecting` (call_direction `out`) until answered,
 *   then `conference`; unanswered within the ring timeout, it goes (participant_delete).
 * - Presentation (the floor): `take_floor` makes the caller the presenter (`is_presenting`),
 *   the others get `presentation_start` {presenter_name, presenter_uri, presenter_uuid} (the
 *   shape @pexip/infinity's event source documents and normalizes) and the relay sends them
 *   its slides; a second presenter takes the floor from the first (who gets
 *   `presentation_start` too, on which @pexip/infinity releases its floor). `release_floor`,
 *   the presenter's call ending or leaving send `presentation_stop` (null). The presenter
 *   gets neither event about its own presentation [inferred: @pexip/infinity releases its
 *   floor on any presentation_start, its own included]. A stream that (re)connects while
 *   someone presents gets `presentation_start` after the sync [inferred].
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { EndpointRegistry } from './endpoint/registry';
import { EventHub, type SseEvent } from './events';
import { MediaRelay, type LegPolicy } from './media-relay';
import { offeredCallType } from './sdp';
import {
  participantJson,
  type ParticipantRecord,
  type ParticipantRole,
  type Protocol,
  type ServiceType,
} from './participant-json';
import type { TokenStore } from './tokens';

export interface RoomConfig {
  alias: string;
  hostPin: string;
  guestPin: string;
  /** The VMR's name (unique on a real node, what the Management API's status calls `conference`); not an alias. */
  name?: string;
  /** The room asks for single sign-on with these identity providers before any PIN (routes-token.ts). */
  ssoIdps?: string[];
}

export interface ConferenceTimings {
  guestsOnlyTimeoutMs: number;
  ringTimeoutMs: number;
}

export const REASON = {
  kicked: 'Disconnected by another participant',
  terminated: 'Conference terminated by another participant',
  adminTerminated: 'Conference terminated by an administrator',
  hostsDeparted: 'All conference hosts departed hosted conference',
  tokenExpired: 'Timer expired awaiting token refresh',
  callFailed: 'Call disconnected',
} as const;

export type DialProtocol = 'sip' | 'h323' | 'mssip' | 'rtmp' | 'auto';

export interface DialRequest {
  role: 'HOST' | 'GUEST';
  destination: string;
  protocol: DialProtocol;
  remoteDisplayName?: string;
  sourceDisplayName?: string;
}

interface Call {
  callUuid: string;
}

interface DialOut {
  callId: string;
  ringTimer?: NodeJS.Timeout;
}

export class Conference {
  readonly events = new EventHub();
  readonly relay: MediaRelay;
  locked = false;
  /** The VMR's configuration id (the Management API's `/configuration/v1/conference/<id>/`); set by the node. */
  id = 0;
  guestsMuted = false;
  guestsCanUnmute = false;
  private readonly participants = new Map<string, ParticipantRecord>();
  private readonly calls = new Map<string, Call>();
  private readonly dialOuts = new Map<string, DialOut>();
  private startedByApi = false;
  private started = false;
  private guestsOnlyTimer: NodeJS.Timeout | undefined;
  /** Who holds the floor (presents), or nobody. */
  private presenter: string | null = null;

  constructor(
    public room: RoomConfig,
    private readonly deps: { tokens: TokenStore; endpoints: EndpointRegistry; timings: ConferenceTimings },
  ) {
    this.relay = new MediaRelay({
      onSpeakers: (order) =>
        this.events.broadcast(
          'stage',
          order.map((uuid, i) => ({ participant_uuid: uuid, stage_index: i, vad: i === 0 ? 100 : 0 })),
        ),
      onLegLost: (uuid) => this.onLegLost(uuid),
    });
  }

  get name(): string {
    return this.room.name ?? this.room.alias;
  }

  get(uuid: string): ParticipantRecord | undefined {
    return this.participants.get(uuid);
  }

  list(): ParticipantRecord[] {
    return [...this.participants.values()];
  }

  isStarted(): boolean {
    return this.started;
  }

  status(): Record<string, unknown> {
    return {
      locked: this.locked,
      guests_muted: this.guestsMuted,
      started: this.started,
      guests_can_unmute: this.guestsCanUnmute,
      presentation_allowed: true,
    };
  }

  /** A participant from request_token (a WebRTC or API client). */
  join(opts: { displayName: string; role: ParticipantRole; callTag: string; localAlias: string }): ParticipantRecord {
    const isGuest = opts.role === 'guest';
    const p: ParticipantRecord = {
      uuid: randomUUID(),
      displayName: opts.displayName,
      role: opts.role,
      serviceType: isGuest && (!this.started || this.locked) ? 'waiting_room' : 'conference',
      protocol: 'api',
      callDirection: 'in',
      uri: '',
      callTag: opts.callTag,
      localAlias: opts.localAlias,
      isMuted: isGuest && this.guestsMuted,
      isClientMuted: false,
      isVideoMuted: false,
      isPresenting: false,
      hasMedia: false,
      callType: 'api',
      spotlight: 0,
      buzzTime: 0,
      startTime: Math.floor(Date.now() / 1000),
      vendor: 'WebRTC client',
    };
    this.participants.set(p.uuid, p);
    this.events.broadcast('participant_create', participantJson(p), p.uuid);
    this.evaluate();
    return p;
  }

  /** The (re)connect replay: participant sync, then conference state and the stage. */
  attachEvents(uuid: string, res: ServerResponse): void {
    const initial: SseEvent[] = [
      ['participant_sync_begin', null],
      ...this.list().map((p): SseEvent => ['participant_create', participantJson(p)]),
      ['participant_sync_end', null],
      ['conference_update', this.status()],
    ];
    const speaker = this.relay.speaker();
    if (speaker) initial.push(['stage', [{ participant_uuid: speaker, stage_index: 0, vad: 100 }]]);
    const presenter = this.presenter ? this.participants.get(this.presenter) : undefined;
    if (presenter && presenter.uuid !== uuid) initial.push(['presentation_start', presentationStart(presenter)]);
    this.events.attach(uuid, res, initial);
  }

  // ---- presentation -----------------------------------------------------------------------

  /** Whose presentation the others get now (null: nobody presents). */
  presenterUuid(): string | null {
    return this.presenter;
  }

  /** `participants/<uuid>/take_floor`: this participant presents, taking the floor from anyone else. */
  takeFloor(uuid: string): void {
    const p = this.mustGet(uuid);
    const previous = this.presenter ? this.participants.get(this.presenter) : undefined;
    if (previous && previous !== p) this.update(previous, { isPresenting: false });
    this.presenter = uuid;
    this.relay.setPresenter(uuid);
    if (!p.isPresenting) this.update(p, { isPresenting: true });
    this.events.broadcast('presentation_start', presentationStart(p), uuid);
  }

  /** `participants/<uuid>/release_floor`: the presenter stops (anyone else: no change). */
  releaseFloor(uuid: string): void {
    const p = this.participants.get(uuid);
    if (p?.isPresenting) this.update(p, { isPresenting: false });
    if (this.presenter === uuid) this.endPresentation();
  }

  private endPresentation(): void {
    const uuid = this.presenter;
    if (!uuid) return;
    this.presenter = null;
    this.relay.setPresenter(null);
    this.events.broadcast('presentation_stop', null, uuid);
  }

  // ---- leaving ----------------------------------------------------------------------------

  /** release_token: the participant leaves; the others see participant_delete. */
  leave(uuid: string): void {
    this.remove(uuid);
  }

  /** Removes a participant; with a reason, their own stream first gets `disconnect`. */
  kick(uuid: string, reason: string = REASON.kicked): void {
    this.remove(uuid, reason);
  }

  /** `POST …/disconnect` and removeRoom: everyone, the caller included, gets `disconnect`. */
  disconnectAll(reason: string): void {
    for (const uuid of [...this.participants.keys()]) this.remove(uuid, reason, false);
    this.evaluate();
  }

  /** The node went away: everything ends at once, nobody is told (their connections are cut). */
  drop(): void {
    for (const uuid of [...this.participants.keys()]) {
      this.clearDialOut(uuid);
      this.deps.tokens.revokeParticipant(uuid);
    }
    this.participants.clear();
    this.calls.clear();
    this.presenter = null;
    this.relay.closeAll();
    this.events.endAll();
    clearTimeout(this.guestsOnlyTimer);
    this.guestsOnlyTimer = undefined;
    this.locked = false;
    this.guestsMuted = false;
    this.startedByApi = false;
    this.started = false;
  }

  // ---- host controls ----------------------------------------------------------------------

  setLocked(locked: boolean): void {
    this.locked = locked;
    this.evaluate(true);
  }

  setGuestsMuted(muted: boolean): void {
    this.guestsMuted = muted;
    for (const p of this.participants.values()) {
      if (p.role === 'guest' && p.isMuted !== muted) this.update(p, { isMuted: muted });
    }
    this.evaluate(true);
  }

  setGuestsCanUnmute(setting: boolean): void {
    this.guestsCanUnmute = setting;
    this.evaluate(true);
  }

  startConference(): void {
    this.startedByApi = true;
    this.evaluate();
  }

  admit(uuid: string): void {
    const p = this.participants.get(uuid);
    if (p?.serviceType === 'waiting_room') this.update(p, { serviceType: 'conference' });
    this.evaluate();
  }

  setRole(uuid: string, role: ParticipantRole): void {
    const p = this.participants.get(uuid);
    if (!p) return;
    const changes: Partial<ParticipantRecord> = { role };
    // Hosts never wait; a guest joining a muted-guests conference is muted.
    if (role === 'chair' && p.serviceType === 'waiting_room') changes.serviceType = 'conference';
    if (role === 'guest' && this.guestsMuted) changes.isMuted = true;
    this.update(p, changes);
    this.evaluate();
  }

  setParticipant(uuid: string, changes: Partial<ParticipantRecord>): void {
    const p = this.participants.get(uuid);
    if (p) this.update(p, changes);
  }

  message(from: ParticipantRecord, type: string, payload: string, to?: string): void {
    const data = { origin: from.displayName, uuid: from.uuid, type, payload, direct: to !== undefined };
    if (to !== undefined) this.events.send(to, 'message_received', data);
    else this.events.broadcast('message_received', data, from.uuid);
  }

  // ---- WebRTC calls -----------------------------------------------------------------------

  async answerCall(uuid: string, offer: string): Promise<{ callUuid: string; sdp: string }> {
    const p = this.mustGet(uuid);
    const callUuid = randomUUID();
    this.calls.set(uuid, { callUuid });
    const sdp = await this.relay.answer(uuid, offer, this.policyOf(p));
    if (!this.participants.has(uuid)) {
      this.relay.close(uuid);
      throw new Error('participant left');
    }
    // The call's media decide what Pexip reports it as (audio only, video); an ICE restart's
    // new offer keeps them.
    const callType = offeredCallType(offer);
    if (p.protocol === 'api' || p.callType !== callType) this.update(p, { protocol: 'webrtc', callType });
    return { callUuid, sdp };
  }

  callOf(uuid: string, callUuid: string): boolean {
    return this.calls.get(uuid)?.callUuid === callUuid;
  }

  /** `ack` starts media for the call (Pexip docs): from now on this participant has media. */
  ackCall(uuid: string): void {
    const p = this.participants.get(uuid);
    if (p && !p.hasMedia) this.update(p, { hasMedia: true });
    this.evaluate();
  }

  async updateCall(uuid: string, offer: string): Promise<string> {
    return this.relay.renegotiate(uuid, offer);
  }

  disconnectCall(uuid: string): void {
    if (this.presenter === uuid) this.endPresentation();
    this.calls.delete(uuid);
    this.relay.close(uuid);
    const p = this.participants.get(uuid);
    if (p) this.update(p, { hasMedia: false, isPresenting: false, callType: 'api' });
    this.evaluate();
  }

  // ---- dial-out ---------------------------------------------------------------------------

  dial(req: DialRequest): string {
    const uuid = randomUUID();
    const callId = randomUUID();
    const protocol: Protocol =
      req.protocol === 'auto' ? (/^h323:/i.test(req.destination) ? 'h323' : 'sip') : req.protocol;
    const p: ParticipantRecord = {
      uuid,
      displayName: req.remoteDisplayName || req.destination.replace(/^(sips?|h323|tel):/i, ''),
      role: req.role === 'HOST' ? 'chair' : 'guest',
      serviceType: 'connecting',
      protocol,
      callDirection: 'out',
      uri: req.destination,
      callTag: '',
      localAlias: this.room.alias,
      isMuted: req.role === 'GUEST' && this.guestsMuted,
      isClientMuted: false,
      isVideoMuted: false,
      isPresenting: false,
      hasMedia: false,
      callType: 'video',
      spotlight: 0,
      buzzTime: 0,
      startTime: Math.floor(Date.now() / 1000),
      vendor: 'Test endpoint',
    };
    this.participants.set(uuid, p);
    const dialOut: DialOut = { callId };
    this.dialOuts.set(uuid, dialOut);
    dialOut.ringTimer = setTimeout(() => this.remove(uuid), this.deps.timings.ringTimeoutMs);
    dialOut.ringTimer.unref();
    this.events.broadcast('participant_create', participantJson(p));
    this.deps.endpoints.ring(
      req.destination,
      { type: 'ring', callId, from: req.sourceDisplayName || this.name, role: req.role, protocol },
      {
        answer: (sdp) => this.answerDialOut(uuid, sdp),
        hangup: () => this.remove(uuid),
      },
    );
    return uuid;
  }

  private async answerDialOut(uuid: string, offer: string): Promise<string> {
    const p = this.mustGet(uuid);
    const dialOut = this.dialOuts.get(uuid);
    if (p.serviceType !== 'connecting' || !dialOut) throw new Error('not ringing');
    clearTimeout(dialOut.ringTimer);
    dialOut.ringTimer = undefined;
    // A Guest dialled in waits like any guest: for a host with media, and while the meeting is locked.
    const serviceType: ServiceType = p.role === 'guest' && (!this.started || this.locked) ? 'waiting_room' : 'conference';
    const next = { ...p, serviceType, hasMedia: true };
    const sdp = await this.relay.answer(uuid, offer, this.policyOf(next));
    if (!this.participants.has(uuid)) {
      this.relay.close(uuid);
      throw new Error('call ended');
    }
    this.update(p, { serviceType, hasMedia: true });
    this.evaluate();
    return sdp;
  }

  // ---- internals --------------------------------------------------------------------------

  private mustGet(uuid: string): ParticipantRecord {
    const p = this.participants.get(uuid);
    if (!p) throw new Error('no such participant');
    return p;
  }

  private remove(uuid: string, reason?: string, evaluate = true): void {
    const p = this.participants.get(uuid);
    if (!p) return;
    this.participants.delete(uuid);
    if (this.presenter === uuid) this.endPresentation();
    this.calls.delete(uuid);
    this.deps.tokens.revokeParticipant(uuid);
    this.relay.close(uuid);
    this.clearDialOut(uuid, reason ?? REASON.callFailed, p.serviceType !== 'connecting');
    if (reason) this.events.send(uuid, 'disconnect', { reason });
    this.events.end(uuid);
    this.events.broadcast('participant_delete', { uuid });
    if (evaluate) this.evaluate();
  }

  private clearDialOut(uuid: string, reason: string = REASON.callFailed, answered = false): void {
    const d = this.dialOuts.get(uuid);
    if (!d) return;
    this.dialOuts.delete(uuid);
    clearTimeout(d.ringTimer);
    this.deps.endpoints.end(d.callId, reason, answered);
  }

  private onLegLost(uuid: string): void {
    const p = this.participants.get(uuid);
    if (!p) return;
    // An endpoint's call is the participant; a WebRTC client keeps its token and may call again.
    if (this.dialOuts.has(uuid)) this.remove(uuid);
    else this.disconnectCall(uuid);
  }

  private update(p: ParticipantRecord, changes: Partial<ParticipantRecord>): void {
    Object.assign(p, changes);
    this.relay.setPolicy(p.uuid, this.policyOf(p));
    this.events.broadcast('participant_update', participantJson(p));
  }

  private policyOf(p: ParticipantRecord): LegPolicy {
    return {
      active: p.serviceType === 'conference' && p.hasMedia,
      audioMuted: p.isMuted,
      videoMuted: p.isVideoMuted,
    };
  }

  /**
   * Re-derives `started`, lets waiting guests in when a host is there and the room is not
   * locked, runs the guests-only timer, and sends conference_update when something a client
   * shows changed (or `announce` asks for it: lock, mute guests).
   */
  private evaluate(announce = false): void {
    // The last one out ends the conference instance (as on Pexip): the next starts unlocked.
    if (this.participants.size === 0) {
      this.locked = false;
      this.guestsMuted = false;
    }
    const hosts = this.list().filter((p) => p.role === 'chair' && p.serviceType === 'conference');
    const started = hosts.some((p) => p.hasMedia) || (this.startedByApi && hosts.length > 0);
    if (!hosts.length) this.startedByApi = false;
    const changed = started !== this.started;
    const hostsLeft = this.started && !started;
    this.started = started;

    if (started && !this.locked) {
      for (const p of this.participants.values()) {
        if (p.serviceType === 'waiting_room') this.update(p, { serviceType: 'conference' });
      }
    }

    if (started) {
      clearTimeout(this.guestsOnlyTimer);
      this.guestsOnlyTimer = undefined;
    } else if (hostsLeft && !this.guestsOnlyTimer && this.participants.size > 0) {
      this.guestsOnlyTimer = setTimeout(() => {
        this.guestsOnlyTimer = undefined;
        if (this.started) return;
        for (const p of this.list()) if (p.role === 'guest') this.remove(p.uuid, REASON.hostsDeparted, false);
        this.evaluate();
      }, this.deps.timings.guestsOnlyTimeoutMs);
      this.guestsOnlyTimer.unref();
    }
    if (changed || announce) this.events.broadcast('conference_update', this.status());
  }
}

/** `presentation_start`'s data, as @pexip/infinity's event source documents it. */
function presentationStart(p: ParticipantRecord): Record<string, string> {
  return { presenter_name: p.displayName, presenter_uri: p.uri, presenter_uuid: p.uuid };
}
