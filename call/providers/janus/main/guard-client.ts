/**
 * The host's side of the Janus room guard's API (janus-guard/server.ts), over the platform's
 * fetch. Every failure becomes a UserFacingError the window can explain; nothing with the
 * PIN, the session or a token is logged or put into an error.
 */
import { z } from 'zod';
import { UserFacingError } from '../../../../main/core/errors';
import { guardAnswers, guardRoomUrl } from '../guard-api';

const { session: Session, prepared: Prepared, state: State, admitted: Admitted, ok: Ok } = guardAnswers;

export interface GuardClient {
  hostSession(pin: string): Promise<string>;
  prepare(session: string, name: string): Promise<z.infer<typeof Prepared>>;
  state(session: string): Promise<z.infer<typeof State>>;
  admit(session: string, guestId: string, token: string): Promise<string>;
  deny(session: string, guestId: string): Promise<void>;
  kick(session: string, feedId: string): Promise<void>;
  moderate(session: string, feedId: string, mid: string, muted: boolean): Promise<void>;
  end(session: string): Promise<void>;
  release(session: string): Promise<void>;
}

export function createGuardClient(opts: { guardUrl: string; room: string; fetch: typeof fetch; timeoutMs: number }): GuardClient {
  const base = guardRoomUrl(opts.guardUrl, opts.room);

  async function call<T>(method: string, path: string, bearer: string | null, body: unknown, schema: z.ZodType<T>): Promise<T> {
    let res: Response;
    try {
      res = await opts.fetch(base + path, {
        method,
        headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(opts.timeoutMs),
      });
    } catch (error) {
      throw new UserFacingError('conference-unreachable', undefined, { cause: error });
    }
    if (res.status === 403) throw new UserFacingError('host-pin-wrong');
    if (res.status === 429) {
      const minutes = Math.max(1, Math.ceil(Number(res.headers.get('retry-after') ?? '60') / 60));
      throw new UserFacingError('room-locked-out', { minutes });
    }
    if (res.status === 404) throw new UserFacingError('room-not-found');
    if (res.status === 401) throw new UserFacingError('no-call');
    if (res.status === 409) throw new UserFacingError('host-action-failed');
    if (!res.ok) throw new UserFacingError(res.status === 503 ? 'conference-unreachable' : 'host-action-failed', { status: res.status });
    const parsed = schema.safeParse(await res.json().catch(() => null));
    if (!parsed.success) throw new UserFacingError('host-action-failed');
    return parsed.data;
  }

  return {
    hostSession: async (pin) => (await call('POST', '/host', null, { pin }, Session)).session,
    prepare: (session, name) => call('POST', '/prepare', session, { name }, Prepared),
    state: (session) => call('GET', '/state', session, undefined, State),
    admit: async (session, guestId, token) => (await call('POST', '/admit', session, { guestId, token }, Admitted)).feedId,
    deny: async (session, guestId) => void (await call('POST', '/deny', session, { guestId }, Ok)),
    kick: async (session, feedId) => void (await call('POST', '/kick', session, { feedId }, Ok)),
    moderate: async (session, feedId, mid, muted) => void (await call('POST', '/moderate', session, { feedId, mid, muted }, Ok)),
    end: async (session) => void (await call('POST', '/end', session, {}, Ok)),
    release: async (session) => void (await call('DELETE', '/host', session, undefined, Ok).catch(() => undefined)),
  };
}
