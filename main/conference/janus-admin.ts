/**
 * Main's own line to the Janus VideoRoom plugin, for the requests that need the room
 * secret (host powers). Built on janode over the Janus WebSocket API, because the console
 * is configured with the WebSocket URL only and Node 20 has no built-in WebSocket; janode
 * speaks the Janus protocol (transactions, session keepalives) for us.
 *
 * One connection, session and handle, opened on first use and reopened after it drops
 * (Janus restarted, network loss). janode's own logger is silenced: it would print whole
 * requests, which carry the room secret, to stdout.
 */
import Janode, { type JanodeConnection, type JanodeHandle } from 'janode';

export type Json = Record<string, unknown>;

export class VideoRoomError extends Error {
  constructor(
    /** VideoRoom error_code (426 no such room, 427 exists, 433 unauthorized, ...), 0 for transport problems. */
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'VideoRoomError';
  }
}

export interface VideoRoomAdmin {
  /** Sends one synchronous VideoRoom request; resolves with its plugin data, or throws VideoRoomError. */
  request(body: Json): Promise<Json>;
  close(): Promise<void>;
}

Janode.Logger.setLevel('none');

const REQUEST_TIMEOUT_MS = 5_000;

export function createVideoRoomAdmin(opts: { url: string; timeoutMs?: number }): VideoRoomAdmin {
  const timeoutMs = opts.timeoutMs ?? REQUEST_TIMEOUT_MS;
  let open: Promise<{ conn: JanodeConnection; handle: JanodeHandle }> | null = null;

  function connect(): Promise<{ conn: JanodeConnection; handle: JanodeHandle }> {
    open ??= (async () => {
      const conn = await Janode.connect({ address: { url: opts.url }, retry_time_secs: 1, max_retries: 1 });
      const dropped = () => {
        open = null;
      };
      conn.once('connection_closed', dropped);
      conn.once('connection_error', dropped);
      try {
        const session = await conn.create(25);
        session.once('session_destroyed', dropped);
        const handle = await session.attach({ id: 'janus.plugin.videoroom' });
        handle.once('handle_detached', dropped);
        return { conn, handle };
      } catch (err) {
        await conn.close().catch(() => undefined);
        throw err;
      }
    })();
    open.catch(() => {
      open = null;
    });
    return open;
  }

  async function once(body: Json): Promise<Json> {
    const { handle } = await connect();
    const reply = await withTimeout(handle.message(body), timeoutMs);
    const data = pluginData(reply);
    if (typeof data.error_code === 'number') {
      throw new VideoRoomError(data.error_code, typeof data.error === 'string' ? data.error : 'VideoRoom error');
    }
    return data;
  }

  return {
    async request(body) {
      try {
        return await once(body);
      } catch (err) {
        if (err instanceof VideoRoomError && err.code !== 0) throw err;
        // The line dropped (Janus restarted): one fresh attempt on a new session.
        open = null;
        try {
          return await once(body);
        } catch (again) {
          if (again instanceof VideoRoomError) throw again;
          // The transport's error text never holds the request body; keep it short anyway.
          throw new VideoRoomError(0, `conference server unreachable: ${String((again as Error).message).slice(0, 120)}`);
        }
      }
    },
    async close() {
      const current = open;
      open = null;
      if (!current) return;
      const { conn } = await current.catch(() => ({ conn: null }));
      await conn?.close().catch(() => undefined);
    },
  };
}

/** janode resolves a raw handle's message with Janus's reply; the VideoRoom's answer is in plugindata. */
function pluginData(reply: unknown): Json {
  const r = reply as { plugindata?: { data?: Json }; data?: Json } | null;
  const data = r?.plugindata?.data ?? r?.data;
  if (!data || typeof data !== 'object') throw new VideoRoomError(0, 'VideoRoom gave no answer');
  return data;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new VideoRoomError(0, 'the conference server did not answer in time')), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
