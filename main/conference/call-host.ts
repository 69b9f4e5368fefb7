/**
 * The host side of the active call, in main: joins the renderer's requests to the room's
 * host controls (which hold the secret), and watches the lobby so the call window hears of
 * every guest who knocks. One call at a time, like the call window.
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from '../log/logger';
import { UserFacingError } from '../core/errors';
import { createHostControls, type HostControls, type RoomCredentials, type WaitingGuest } from './host-controls';
import { createVideoRoomAdmin, VideoRoomError, type VideoRoomAdmin } from './janus-admin';

export interface CallHost {
  /** A call starts: credentials stay here, in main. */
  start(creds: RoomCredentials): void;
  /** The call is over for us (left, window closed, signed out): stop watching the lobby. */
  stop(): void;
  /** Stops watching the lobby but keeps the controls (the host may still end the meeting). */
  stopWatching(): void;
  prepare(): Promise<{ token: string }>;
  admit(guestId: string): Promise<void>;
  deny(guestId: string): Promise<void>;
  moderate(participantId: string, mid: string, muted: boolean): Promise<void>;
  kick(participantId: string): Promise<void>;
  endForAll(): Promise<void>;
  dispose(): Promise<void>;
}

const LOBBY_POLL_MS = 1_000;

export function createCallHost(opts: {
  serverUrl: string;
  log: Logger;
  onLobby: (waiting: WaitingGuest[]) => void;
  admin?: VideoRoomAdmin;
}): CallHost {
  const { log } = opts;
  let admin: VideoRoomAdmin | null = opts.admin ?? null;
  let controls: HostControls | null = null;
  let timer: ReturnType<typeof setInterval> | undefined;
  let lastLobby = '[]';
  let polling = false;

  function current(): HostControls {
    if (!controls) throw new UserFacingError('no-call');
    return controls;
  }

  async function act<T>(what: string, fn: (c: HostControls) => Promise<T>): Promise<T> {
    try {
      return await fn(current());
    } catch (err) {
      if (err instanceof UserFacingError) throw err;
      // Codes and Janus's own error text only: requests (with the secret) are never logged.
      log.warn(`call: ${what} failed: ${err instanceof VideoRoomError ? `${err.code} ${err.message}` : 'unexpected error'}`);
      throw new UserFacingError('host-action-failed');
    }
  }

  async function pollLobby(): Promise<void> {
    if (polling || !controls) return;
    polling = true;
    try {
      const waiting = await controls.waiting();
      const json = JSON.stringify(waiting);
      if (json !== lastLobby) {
        lastLobby = json;
        opts.onLobby(waiting);
      }
    } catch {
      // Janus unreachable for a moment: the next poll tries again; the call window shows reconnecting.
    } finally {
      polling = false;
    }
  }

  return {
    start(creds) {
      this.stop();
      admin ??= createVideoRoomAdmin({ url: opts.serverUrl });
      controls = createHostControls(admin, creds, () => randomBytes(16).toString('hex'));
    },
    stopWatching() {
      clearInterval(timer);
      timer = undefined;
    },
    stop() {
      clearInterval(timer);
      timer = undefined;
      controls = null;
      lastLobby = '[]';
    },
    async prepare() {
      const result = await act('prepare', (c) => c.prepare());
      if (!timer) timer = setInterval(() => void pollLobby(), LOBBY_POLL_MS);
      void pollLobby();
      return result;
    },
    admit: (guestId) => act('admit', (c) => c.admit(guestId)).then(() => pollLobby()),
    deny: (guestId) => act('deny', (c) => c.deny(guestId)).then(() => pollLobby()),
    moderate: (participantId, mid, muted) => act('moderate', (c) => c.moderate(participantId, mid, muted)),
    kick: (participantId) => act('kick', (c) => c.kick(participantId)),
    endForAll: () => act('end', (c) => c.endForAll()),
    async dispose() {
      this.stop();
      await admin?.close();
      admin = null;
    },
  };
}
