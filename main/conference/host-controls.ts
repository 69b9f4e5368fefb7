/**
 * Host powers over one meeting's VideoRoom, in main, where the room secret (the host PIN)
 * lives. The call window asks; this module acts with the secret; the secret never leaves.
 *
 * The lobby (admission), designed around what Janus 1.1 VideoRoom really offers:
 *  - The meeting room turns on token checking (`allowed` enable). Only holders of a token on
 *    its allowed list may join; the host gets a fresh token per call.
 *  - A participant who cannot join a room is invisible to Janus, so waiting guests need a
 *    room of their own: the lobby room `<room>~lobby`, same guest PIN, same secret. A guest
 *    joins it without publishing anything, under a random participant id of their choosing.
 *    `listparticipants` on the lobby is the waiting list (display carries role and name).
 *  - Admit: that id goes on the meeting room's allowed list, then the guest is kicked from
 *    the lobby. Deny: kicked without the token. Either way the guest, on leaving the lobby,
 *    tries the meeting room with its id as token: in (admitted) or 433 (denied).
 *  Known limit: anyone holding the invitation (room id and PIN) can list the lobby and see
 *  the ids of waiting guests, i.e. their future tokens. The PIN is still needed to join.
 */
import { decodeDisplay, type Role } from '../../common/display-name';
import { VideoRoomError, type Json, type VideoRoomAdmin } from './janus-admin';

export interface RoomCredentials {
  room: string;
  /** Guest PIN (the room's `pin`). */
  pin: string;
  /** Host PIN (the room's `secret`). */
  secret: string;
  /** Concurrent publishers when main has to (re)create the room. */
  publishers?: number;
}

export interface WaitingGuest {
  id: string;
  displayName: string;
  role: Role;
}

export interface HostControls {
  /**
   * Makes the room ready for the host to (re)join: recreates it when missing (after a Janus
   * restart), turns admission on, creates the lobby. Returns the host's join token.
   */
  prepare(): Promise<{ token: string }>;
  waiting(): Promise<WaitingGuest[]>;
  admit(guestId: string): Promise<void>;
  deny(guestId: string): Promise<void>;
  /** Stops (or restores) relaying one of a participant's streams to everybody. */
  moderate(participantId: string, mid: string, muted: boolean): Promise<void>;
  kick(participantId: string): Promise<void>;
  /** Ends the meeting for everyone: destroys the room and its lobby (guests see "ended"). */
  endForAll(): Promise<void>;
}

const NO_SUCH_ROOM = 426;
const ROOM_EXISTS = 427;
const NO_SUCH_FEED = 428;

export function lobbyRoomId(room: string): string {
  return `${room}~lobby`;
}

export function createHostControls(admin: VideoRoomAdmin, creds: RoomCredentials, newToken: () => string): HostControls {
  const { room, pin, secret } = creds;
  const lobby = lobbyRoomId(room);
  let hostToken: string | null = null;
  /** Tokens of admitted guests: put back when the room had to be recreated (Janus restart). */
  const admitted = new Set<string>();

  async function ensureRoom(id: string, publishers: number): Promise<void> {
    const exists = await admin.request({ request: 'exists', room: id });
    if (exists.exists === true) return;
    try {
      await admin.request({
        request: 'create',
        room: id,
        pin,
        secret,
        publishers,
        description: 'Appointment',
        is_private: true,
        permanent: false,
      });
    } catch (err) {
      if (!(err instanceof VideoRoomError && err.code === ROOM_EXISTS)) throw err;
    }
  }

  async function allowed(action: 'enable' | 'add' | 'remove', list?: string[]): Promise<void> {
    const body: Json = { request: 'allowed', room, secret, action };
    if (list) body.allowed = list;
    await admin.request(body);
  }

  async function kickFrom(id: string, participant: string): Promise<void> {
    try {
      await admin.request({ request: 'kick', room: id, secret, id: participant });
    } catch (err) {
      // Already gone: the outcome the host wanted.
      if (!(err instanceof VideoRoomError && (err.code === NO_SUCH_FEED || err.code === NO_SUCH_ROOM))) throw err;
    }
  }

  return {
    async prepare() {
      await ensureRoom(room, creds.publishers ?? 6);
      await ensureRoom(lobby, 1);
      hostToken ??= newToken();
      // `add` before `enable`: the host's token is valid the moment checking starts.
      await allowed('add', [hostToken, ...admitted]);
      await allowed('enable');
      return { token: hostToken };
    },

    async waiting() {
      let data: Json;
      try {
        data = await admin.request({ request: 'listparticipants', room: lobby });
      } catch (err) {
        if (err instanceof VideoRoomError && err.code === NO_SUCH_ROOM) return [];
        throw err;
      }
      const list = Array.isArray(data.participants) ? (data.participants as Array<{ id?: unknown; display?: unknown }>) : [];
      return list.map((p) => {
        const { role, name } = decodeDisplay(typeof p.display === 'string' ? p.display : '');
        return { id: String(p.id), displayName: name, role };
      });
    },

    async admit(guestId) {
      await allowed('add', [guestId]);
      admitted.add(guestId);
      await kickFrom(lobby, guestId);
    },

    async deny(guestId) {
      admitted.delete(guestId);
      await allowed('remove', [guestId]);
      await kickFrom(lobby, guestId);
    },

    async moderate(participantId, mid, muted) {
      await admin.request({ request: 'moderate', room, secret, id: participantId, mid, mute: muted });
    },

    async kick(participantId) {
      // Off the allowed list first, so the removed guest cannot come straight back in.
      admitted.delete(participantId);
      await allowed('remove', [participantId]).catch(() => undefined);
      await kickFrom(room, participantId);
    },

    async endForAll() {
      for (const id of [lobby, room]) {
        try {
          await admin.request({ request: 'destroy', room: id, secret, permanent: false });
        } catch (err) {
          if (!(err instanceof VideoRoomError && err.code === NO_SUCH_ROOM)) throw err;
        }
      }
      hostToken = null;
      admitted.clear();
    },
  };
}
