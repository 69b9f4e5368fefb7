/**
 * What the call window talks to: one interface, two implementations (janus-call-client.ts
 * over janus.js, pexip-call-client.ts over Pexip's @pexip/infinity). The window does not
 * know which server it is on; it knows only how the server lays out the others' video:
 *   - 'tiles': a stream per participant (Janus: the window subscribes to each);
 *   - 'stage': one stream of whoever speaks (Pexip's voice-switched layout), the
 *     participants listed beside it.
 */
import type { JoinInfo, Role, RosterEntry, WaitingGuest } from '../common/call-model';
import type { MediaStats } from '../common/media-stats';

/**
 * Where this window's connection to the room is, the one enum of both clients (JanusRoom
 * reports it too) and of the window's CallState. Not who is in the room: that is main's
 * RoomPresence (call/main/provider.ts).
 */
export type RoomConnectionState = 'idle' | 'connecting' | 'joined' | 'reconnecting' | 'left' | 'failed';

/**
 * Why the call ended (state 'left' or 'failed'):
 * - left: `user-left`, `kicked` (removed by someone), `ended` (the meeting ended for all);
 * - failed: `refused` (the server turned us away), `room-missing`, `server-unreachable`,
 *   `media-failed`, `error`.
 */
export type EndReason = 'user-left' | 'kicked' | 'ended' | 'refused' | 'room-missing' | 'server-unreachable' | 'media-failed' | 'error';

/**
 * Why the connection is being rebuilt (state 'reconnecting'): `server-unreachable` (the
 * signalling connection or the server went away), `media-failed` (the media path to the
 * server failed: ICE, while signalling still works).
 */
export type ReconnectReason = Extract<EndReason, 'server-unreachable' | 'media-failed'>;

export interface CallStateChange {
  state: RoomConnectionState;
  /** Why it ended ('left', 'failed'), or why it is reconnecting ('reconnecting'). */
  reason?: EndReason;
}

export interface CallParticipant {
  id: string;
  displayName: string;
  /** From whoever let them in (main, the server), never from what they typed. */
  role: Role;
  hasAudio: boolean;
  hasVideo: boolean;
  /** Muted for everybody by the host. */
  muted: { audio: boolean; video: boolean };
  /** A participant being dialled who has not answered yet. */
  connecting: boolean;
  /** Stream ids, where the server mutes per stream (Janus). */
  audioMid?: string;
  videoMid?: string;
}

/** The id of the one stream in the 'stage' layout. */
export const STAGE = 'stage';

/**
 * A participant's presentation (content: a shared screen or slides), apart from their camera:
 * the window shows it in a larger tile of its own. Pexip: the presentation stream; Janus: a
 * second feed marked as screen.
 */
export interface RemoteContent {
  /** Who presents (a participant's id), where the server says; null when it does not (yet). */
  participantId: string | null;
  stream: MediaStream;
}

/** The stats id of the content stream (beside a participant's id or STAGE). */
export const CONTENT = 'content';

export interface RemoteMedia {
  /** A participant's id ('tiles') or STAGE. */
  id: string;
  stream: MediaStream;
}

/**
 * A chat message of this call: kept in the window's memory for the call only, never stored
 * and never logged (it may say anything about the patient).
 */
export interface ChatMessage {
  /** Unique within the call (the server's id, or one the sender made). */
  id: string;
  /** The sender's participant id, as the server knows it (not what the message claims). */
  from: string;
  displayName: string;
  text: string;
  /** Milliseconds since the epoch, when this window sent or received it. */
  at: number;
  /** Sent from this window. */
  own: boolean;
}

/** Longer messages are refused before sending (and cut when received). */
export const CHAT_MAX_LENGTH = 1000;

/** The one media-stats shape (call/common/media-stats.ts). */
export type { MediaStats };

export interface CallClientEvents {
  state: CallStateChange;
  /** Everybody else in the room (not the ones waiting). */
  participants: CallParticipant[];
  /** Who waits to be let in. */
  lobby: WaitingGuest[];
  /** The remote streams there are now. */
  media: RemoteMedia[];
  /** Someone else's presentation started (or its presenter became known); null: it stopped. */
  content: RemoteContent | null;
  /** Our own presentation (present()) is out (true) or over (false), e.g. someone else took the floor. */
  presenting: boolean;
  /** Meeting-wide state, where the server has it. */
  conference: { locked: boolean; guestsMuted: boolean };
  /** A chat message from someone else in the call. */
  message: ChatMessage;
  /** Non-fatal problems, for the log (technical text: no names, no PINs). */
  warning: string;
}

export interface CallClient {
  readonly layout: 'tiles' | 'stage';
  /** Our own participant id once joined. */
  readonly selfId: string | null;
  /**
   * `local` may still be opening: a client starts what needs no camera (main's ticket, the
   * server's session, where it can the others' video) and waits for it only to send. A
   * rejected `local` fails the join with the reason 'media-failed'.
   */
  join(local: MediaStream | Promise<MediaStream>): Promise<void>;
  leave(): Promise<void>;
  setAudioEnabled(on: boolean): void;
  /** Camera off sends no video at all (not black frames). */
  setVideoEnabled(on: boolean): void;
  /** A new camera, microphone or shared screen, in place of the current one. */
  replaceTrack(track: MediaStreamTrack): Promise<void>;
  /**
   * Sends a shared screen as content beside the camera (the others see it as content), where
   * the server has presentation; without these two a share replaces the camera.
   */
  present?(stream: MediaStream): Promise<void>;
  stopPresenting?(): Promise<void>;
  stats(): Promise<MediaStats[]>;
  /** Sends a chat message to everybody in the call; resolves with it as this window shows it. */
  sendMessage(text: string): Promise<ChatMessage>;
  on<K extends keyof CallClientEvents>(event: K, listener: (payload: CallClientEvents[K]) => void): () => void;
}

/** What a client needs of the host's side (main, through the bridge). */
export interface HostPort {
  /** Readies the room and answers what to join with (first join and every rejoin). */
  prepare(): Promise<JoinInfo>;
  /** We are in the room as this participant (Pexip: with our session token). */
  joined(participantId: string, sessionToken?: string): void;
  sessionToken(token: string): void;
  /** Main's roster (roles it knows, the host's mutes). */
  onRoster(listener: (entries: RosterEntry[]) => void): () => void;
  /** Who waits, where main watches the lobby (Janus). */
  onLobby(listener: (waiting: WaitingGuest[]) => void): () => void;
}
