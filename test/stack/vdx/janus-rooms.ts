// Provisions VideoRoom rooms in Janus over its HTTP API, the way VDX provisions a virtual
// meeting room on its conference platform: room id = provisionVmrId (a string; Janus runs
// with string_ids = true), pin = guest PIN, secret = host PIN.
//
// Each call uses its own short session (create, attach, request, destroy) instead of one
// long-lived session: HTTP sessions die after 60 s without keepalive and all of them die
// when Janus restarts, and a sandbox that must survive both is simpler without state.
import { randomBytes } from 'node:crypto';

export interface JanusRoomsOptions {
  /** Janus HTTP API root, e.g. http://10.77.N.1:8088/janus */
  httpUrl: string;
  /** Only if Janus is configured with an admin_key for room creation. */
  adminKey?: string;
  /** Upper bound for one ensure/destroy call, all requests together. Default 3000 ms. */
  timeoutMs?: number;
}

export interface RoomSpec {
  room: string;
  pin: string;
  secret: string;
  publishers: number;
  description: string;
}

export class JanusError extends Error {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
    this.name = 'JanusError';
  }
}

/** VideoRoom error code for "room already exists" (a concurrent create won the race). */
const ROOM_EXISTS = 427;
/** VideoRoom error code for "no such room". */
const NO_SUCH_ROOM = 426;

type Json = Record<string, unknown>;

export class JanusRooms {
  private readonly timeoutMs: number;

  constructor(private readonly opts: JanusRoomsOptions) {
    this.timeoutMs = opts.timeoutMs ?? 3000;
  }

  /** Makes sure the room exists (creates it when missing). Throws JanusError or a network error. */
  async ensureRoom(spec: RoomSpec): Promise<'existed' | 'created'> {
    return this.withHandle(async (send) => {
      const exists = await send({ request: 'exists', room: spec.room });
      if (exists.exists === true) return 'existed';
      try {
        await send({
          request: 'create',
          room: spec.room,
          pin: spec.pin,
          secret: spec.secret,
          publishers: spec.publishers,
          description: spec.description,
          is_private: false,
          permanent: false,
          ...(this.opts.adminKey ? { admin_key: this.opts.adminKey } : {}),
        });
        return 'created';
      } catch (e) {
        if (e instanceof JanusError && e.code === ROOM_EXISTS) return 'existed';
        throw e;
      }
    });
  }

  async destroyRoom(room: string, secret: string): Promise<void> {
    await this.withHandle(async (send) => {
      try {
        await send({ request: 'destroy', room, secret, permanent: false });
      } catch (e) {
        if (e instanceof JanusError && e.code === NO_SUCH_ROOM) return;
        throw e;
      }
    });
  }

  private async withHandle<T>(fn: (send: (body: Json) => Promise<Json>) => Promise<T>): Promise<T> {
    const signal = AbortSignal.timeout(this.timeoutMs);
    const base = this.opts.httpUrl.replace(/\/+$/, '');
    const created = await post(base, { janus: 'create' }, signal);
    const sessionUrl = `${base}/${idOf(created)}`;
    try {
      const attached = await post(sessionUrl, { janus: 'attach', plugin: 'janus.plugin.videoroom' }, signal);
      const handleUrl = `${sessionUrl}/${idOf(attached)}`;
      return await fn(async (body) => {
        const res = await post(handleUrl, { janus: 'message', body }, signal);
        // Plugin errors come inside a top-level "success": the verdict is in plugindata.
        const data = (res.plugindata as { data?: Json } | undefined)?.data;
        if (!data) throw new JanusError('VideoRoom gave no plugin data', 0);
        if (typeof data.error_code === 'number') {
          throw new JanusError(String(data.error ?? 'VideoRoom error'), data.error_code);
        }
        return data;
      });
    } finally {
      await post(sessionUrl, { janus: 'destroy' }, AbortSignal.timeout(1000)).catch(() => undefined);
    }
  }
}

function idOf(res: Json): number {
  const id = (res.data as { id?: unknown } | undefined)?.id;
  if (typeof id !== 'number') throw new JanusError('Janus reply without an id', 0);
  return id;
}

async function post(url: string, body: Json, signal: AbortSignal): Promise<Json> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...body, transaction: randomBytes(8).toString('hex') }),
    signal,
  });
  if (!res.ok) throw new JanusError(`Janus HTTP ${res.status}`, res.status);
  const json = (await res.json()) as Json;
  if (json.janus === 'error') {
    const e = (json.error ?? {}) as { code?: number; reason?: string };
    throw new JanusError(e.reason ?? 'Janus error', e.code ?? 0);
  }
  return json;
}
