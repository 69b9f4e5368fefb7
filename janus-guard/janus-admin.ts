/**
 * The guard's only line to Janus: Janus's Admin API (HTTP, `admin_secret`), never the client
 * API that browsers use.
 *
 * Why the Admin API: Janus runs with `token_auth`, so its client API answers nobody without a
 * stored token, and only the Admin API can store one. Through the same API the guard sends
 * the VideoRoom its synchronous requests (`message_plugin`: create, destroy, allowed, kick,
 * moderate, listparticipants) and reads each handle's `handle_info`: which token a handle
 * was attached with and, for a VideoRoom publisher, which room and feed id it joined. That
 * pair is what lets the guard bind a feed id to the admission it was issued for.
 *
 * Plugin errors arrive inside a "success"; they are thrown as VideoRoomError with Janus's
 * error_code. Requests carry the admin secret, room secrets, tokens and the admin key: they
 * are never logged.
 */
import { randomBytes } from 'node:crypto';

export type Json = Record<string, unknown>;

export class VideoRoomError extends Error {
  constructor(
    /**
     * VideoRoom error_code (426 no such room, 427 exists, 428 no such feed, 433 unauthorized),
     * a Janus core error as its negative (-458 no such session, -459 no such handle, -490
     * unknown), 0 for transport problems.
     */
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'VideoRoomError';
  }
}

export const NO_SUCH_ROOM = 426;
export const ROOM_EXISTS = 427;
export const NO_SUCH_FEED = 428;

const VIDEOROOM = 'janus.plugin.videoroom';

/** One VideoRoom handle as Janus's handle_info describes it (what the guard needs of it). */
export interface VideoRoomHandle {
  session: number;
  handle: number;
  /** The stored token the handle was attached with (token_auth). */
  token: string | null;
  type: 'publisher' | 'subscriber' | 'none' | string;
  room: string | null;
  /** The publisher's feed id (publishers only). */
  feedId: string | null;
}

export interface JanusAdmin {
  /** A synchronous VideoRoom request; answers the plugin's data. */
  request(body: Json): Promise<Json>;
  /** Stores a client token that may reach the VideoRoom plugin only. */
  addToken(token: string): Promise<void>;
  /** Forgets a stored token: the client API refuses every request carrying it from now on. */
  removeToken(token: string): Promise<void>;
  /** Every VideoRoom handle on this Janus, read from handle_info. */
  videoRoomHandles(): Promise<VideoRoomHandle[]>;
  /** Ends a client session and all its handles (publisher and subscriptions alike). */
  destroySession(session: number): Promise<void>;
}

export function createJanusAdmin(opts: { adminUrl: string; adminSecret: string; timeoutMs?: number }): JanusAdmin {
  const base = opts.adminUrl.replace(/\/+$/, '');
  const timeoutMs = opts.timeoutMs ?? 5000;

  async function post(path: string, body: Json): Promise<Json> {
    let res: Response;
    try {
      res = await fetch(base + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...body, admin_secret: opts.adminSecret, transaction: randomBytes(8).toString('hex') }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch {
      throw new VideoRoomError(0, 'Janus cannot be reached');
    }
    if (!res.ok) throw new VideoRoomError(0, `Janus HTTP ${res.status}`);
    const json = (await res.json()) as Json;
    if (json.janus === 'error') {
      const e = (json.error ?? {}) as { code?: number };
      throw new VideoRoomError(typeof e.code === 'number' ? -e.code : 0, `Janus error ${e.code ?? '?'}`);
    }
    return json;
  }

  // Gone between listing and asking (a client that just left).
  const gone = (error: unknown) => error instanceof VideoRoomError && (error.code === -458 || error.code === -459);

  return {
    async request(body) {
      const res = await post('', { janus: 'message_plugin', plugin: VIDEOROOM, request: body });
      const data = res.response as Json | undefined;
      if (!data) throw new VideoRoomError(0, 'VideoRoom gave no answer');
      if (typeof data.error_code === 'number') throw new VideoRoomError(data.error_code, String(data.error ?? 'VideoRoom error'));
      return data;
    },

    async addToken(token) {
      await post('', { janus: 'add_token', token, plugins: [VIDEOROOM] });
    },

    async removeToken(token) {
      // "Error removing token" (unknown token, e.g. after a Janus restart) is what we wanted anyway.
      await post('', { janus: 'remove_token', token }).catch((error: unknown) => {
        if (!(error instanceof VideoRoomError && error.code === -490)) throw error;
      });
    },

    async videoRoomHandles() {
      const sessions = ((await post('', { janus: 'list_sessions' })).sessions as unknown[] | undefined) ?? [];
      const found: VideoRoomHandle[] = [];
      for (const session of sessions.filter((s): s is number => typeof s === 'number')) {
        let handles: unknown[] = [];
        try {
          handles = ((await post(`/${session}`, { janus: 'list_handles' })).handles as unknown[] | undefined) ?? [];
        } catch (error) {
          if (gone(error)) continue;
          throw error;
        }
        for (const handle of handles.filter((h): h is number => typeof h === 'number')) {
          let info: Json;
          try {
            info = ((await post(`/${session}/${handle}`, { janus: 'handle_info' })).info as Json | undefined) ?? {};
          } catch (error) {
            if (gone(error)) continue;
            throw error;
          }
          if (info.plugin !== VIDEOROOM) continue;
          const p = (info.plugin_specific ?? {}) as Json;
          found.push({
            session,
            handle,
            token: typeof info.token === 'string' ? info.token : null,
            type: typeof p.type === 'string' ? p.type : 'none',
            room: p.room === undefined || p.room === null ? null : String(p.room),
            feedId: p.id === undefined || p.id === null ? null : String(p.id),
          });
        }
      }
      return found;
    },

    async destroySession(session) {
      await post(`/${session}`, { janus: 'destroy_session' }).catch((error: unknown) => {
        if (!gone(error)) throw error;
      });
    },
  };
}
