/**
 * A guest's wait in the lobby room (`<room>~lobby`, see main/conference/host-controls.ts):
 * join it with the guest PIN under a random ticket id, publish nothing, and wait until the
 * host lets us go (admitted or denied: we find out by trying the meeting room with the
 * ticket as token) or the meeting ends.
 */
import Janus, { type JanusJS } from 'janus-gateway';
import adapter from 'webrtc-adapter';
import { encodeDisplay, type Role } from '../../common/display-name';
import { JanusRoomError } from './janus-room';

export type LobbyOutcome =
  /** The host answered: try the room with the ticket. */
  | 'released'
  /** The meeting ended while we waited. */
  | 'ended'
  /** This meeting has no lobby (admission is off): join directly. */
  | 'no-lobby';

export interface LobbyOptions {
  server: string;
  room: string;
  pin: string;
  displayName: string;
  role: Role;
  ticket: string;
  /** Called once we are in the lobby and the host can see us. */
  onWaiting?: () => void;
  signal?: AbortSignal;
}

export function lobbyRoomId(room: string): string {
  return `${room}~lobby`;
}

/** A random ticket: the lobby participant id, later the admission token. */
export function newTicket(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

let initDone: Promise<void> | null = null;
function init(): Promise<void> {
  initDone ??= new Promise<void>((resolve) =>
    Janus.init({ debug: false, dependencies: Janus.useDefaultDependencies({ adapter }), callback: () => resolve() }),
  );
  return initDone;
}

interface LobbyMessage {
  videoroom?: string;
  error_code?: number;
  error?: string;
  leaving?: string | number;
  kicked?: string | number;
  reason?: string;
}

/**
 * Resolves with how the wait ended; rejects with JanusRoomError 'wrong-pin' (433) or
 * 'server-unreachable'.
 */
export async function waitInLobby(opts: LobbyOptions): Promise<LobbyOutcome> {
  await init();
  let janus: JanusJS.Janus | null = null;
  try {
    return await new Promise<LobbyOutcome>((resolve, reject) => {
      opts.signal?.addEventListener('abort', () => reject(new JanusRoomError('user-left', 'left the lobby')));
      janus = new Janus({
        server: opts.server,
        iceServers: [],
        destroyOnUnload: true,
        error: (e: unknown) => reject(new JanusRoomError('server-unreachable', String(e))),
        success: () =>
          janus?.attach({
            plugin: 'janus.plugin.videoroom',
            error: (e) => reject(new JanusRoomError('server-unreachable', String(e))),
            success: (handle) =>
              handle.send({
                message: {
                  request: 'join',
                  ptype: 'publisher',
                  room: lobbyRoomId(opts.room),
                  pin: opts.pin,
                  id: opts.ticket,
                  display: encodeDisplay(opts.role, opts.displayName),
                },
              }),
            onmessage: (raw) => {
              const msg = raw as LobbyMessage;
              if (msg.error_code === 426) return resolve('no-lobby');
              if (msg.error_code === 433) return reject(new JanusRoomError('wrong-pin', '433'));
              if (msg.error_code) return reject(new JanusRoomError('error', `${msg.error_code}`));
              if (msg.videoroom === 'joined') return opts.onWaiting?.();
              if (msg.videoroom === 'destroyed') return resolve('ended');
              const ours = String(msg.kicked) === opts.ticket || (msg.leaving === 'ok' && msg.reason === 'kicked');
              if (ours) resolve('released');
            },
          }),
      });
    });
  } finally {
    const j = janus as JanusJS.Janus | null;
    j?.destroy({ notifyDestroyed: false });
  }
}
