/**
 * A conference server behind one interface, so the call session (and the call window) do
 * not care which one a meeting is on. Two implementations: Janus (through the room guard,
 * janus/) and Pexip Infinity (its Client REST API, pexip/).
 *
 * A provider opens one `ConferenceRoom` per call. The room holds the host's credential for
 * the call (a guard session, or the Pexip session token) and performs the host's powers
 * with it. The host PIN goes in once, to the server that checks it, and is not kept.
 */
import type { CallCapabilities, DialRequest, JoinInfo, ProviderKind, Role, WaitingGuest } from '../common/call-model';

/** A meeting's room as the booking system provisioned it. */
export interface RoomRef {
  /** The platform's room id (VDX provisionVmrId). */
  id: string;
  /** The room's address (VDX uriWithDomain): its domain chose the provider. */
  uri: string;
  hostPin: string;
}

/** Who waits and who is in the room, as the server tells the host (Janus; Pexip tells the window itself). Not the window's connection state (janus-room.ts's RoomConnectionState). */
export interface RoomPresence {
  waiting: WaitingGuest[];
  /**
   * Participants the server knows a role of, whether they are in the room now, and (where
   * the server counts them) how many times they joined: a new count is a new connection.
   */
  roster: Array<{ id: string; role: Role; present: boolean; joins?: number }>;
}

export interface ConferenceRoom {
  readonly kind: ProviderKind;
  readonly capabilities: CallCapabilities;
  /**
   * Readies the room for the host to (re)join and returns what the window joins with. The
   * first call checks the host PIN at the server; later calls (rejoins) reuse the session.
   * Throws UserFacingError: host-pin-wrong, room-locked-out, room-not-found, conference-unreachable
   * (Pexip also: room-pin-retries-exceeded, room-sso-required, host-pin-not-host, conference-refused,
   * conference-capacity).
   */
  prepare(displayName: string): Promise<JoinInfo>;
  /** The window's current session token (Pexip: it refreshes the token itself). */
  sessionToken(token: string): void;
  /** Polls who waits and who is in (null: the provider's window client knows that itself). */
  state(): Promise<RoomPresence | null>;
  admit(participantId: string): Promise<void>;
  deny(participantId: string): Promise<void>;
  kick(participantId: string): Promise<void>;
  /** `mid`: the stream id, for servers that mute per stream (Janus). */
  mute(participantId: string, kind: 'audio' | 'video', muted: boolean, mid?: string): Promise<void>;
  lock(locked: boolean): Promise<void>;
  muteGuests(muted: boolean): Promise<void>;
  /** Calls a destination directly; resolves with the new participant's id. */
  dial(request: DialRequest): Promise<string>;
  endForAll(): Promise<void>;
  /**
   * The host's window is gone (closed) while the host may still end the meeting: whatever
   * kept the host in the room is given up, the right to end it is not. Janus: nothing to do
   * (Janus drops a participant whose connection closed). Pexip: the window's token is
   * released, so the host leaves the conference at once rather than when the token expires.
   */
  windowGone(): Promise<void>;
  /** The host is done with the room (left, window closed, signed out): give the credential back. */
  close(): Promise<void>;
}

export interface ConferenceProvider {
  readonly kind: ProviderKind;
  open(room: RoomRef): ConferenceRoom;
}
