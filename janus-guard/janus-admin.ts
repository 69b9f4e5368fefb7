/**
 * The guard's own line to Janus's VideoRoom plugin, over the HTTP API: one short session per
 * call (create, attach, request, destroy), so nothing has to survive a Janus restart.
 *
 * Plugin errors arrive inside a top-level "success"; they are thrown as VideoRoomError with
 * Janus's error_code. Requests carry room secrets and the admin key: they are never logged.
 */
import { randomBytes } from 'node:crypto';

export type Json = Record<string, unknown>;

export class VideoRoomError extends Error {
  constructor(
    /** VideoRoom error_code (426 no such room, 427 exists, 428 no such feed, 433 unauthorized), 0 for transport problems. */
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

export interface JanusAdmin {
  request(body: Json): Promise<Json>;
}

export function createJanusAdmin(opts: { httpUrl: string; timeoutMs?: number }): JanusAdmin {
  const base = opts.httpUrl.replace(/\/+$/, '');
  const timeoutMs = opts.timeoutMs ?? 5000;

  async function post(url: string, body: Json, signal: AbortSignal): Promise<Json> {
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...body, transaction: randomBytes(8).toString('hex') }),
        signal,
      });
    } catch {
      throw new VideoRoomError(0, 'Janus cannot be reached');
    }
    if (!res.ok) throw new VideoRoomError(0, `Janus HTTP ${res.status}`);
    const json = (await res.json()) as Json;
    if (json.janus === 'error') {
      const e = (json.error ?? {}) as { code?: number; reason?: string };
      throw new VideoRoomError(0, `Janus error ${e.code ?? '?'}`);
    }
    return json;
  }

  const idOf = (res: Json): number => {
    const id = (res.data as { id?: unknown } | undefined)?.id;
    if (typeof id !== 'number') throw new VideoRoomError(0, 'Janus reply without an id');
    return id;
  };

  return {
    async request(body) {
      const signal = AbortSignal.timeout(timeoutMs);
      const session = `${base}/${idOf(await post(base, { janus: 'create' }, signal))}`;
      try {
        const handle = `${session}/${idOf(await post(session, { janus: 'attach', plugin: 'janus.plugin.videoroom' }, signal))}`;
        const res = await post(handle, { janus: 'message', body }, signal);
        const data = (res.plugindata as { data?: Json } | undefined)?.data;
        if (!data) throw new VideoRoomError(0, 'VideoRoom gave no answer');
        if (typeof data.error_code === 'number') throw new VideoRoomError(data.error_code, String(data.error ?? 'VideoRoom error'));
        return data;
      } finally {
        await post(session, { janus: 'destroy' }, AbortSignal.timeout(1000)).catch(() => undefined);
      }
    },
  };
}
