/**
 * Janus's waiting probe: the room guard's lobby watcher (janus-guard/guard.ts), bought once
 * with the host PIN and given back when the meeting closes. It can only count who waits, by
 * role: far less than the host session a call holds (admit, remove, end). A wrong host PIN is
 * not tried again; a room locked by PIN guessing is left alone until the guard says.
 *
 * Nothing with a PIN or a token is logged.
 */
import type { Logger } from '../../../../main/log/logger';
import type { WaitingProbe } from '../../../main/waiting-probes';
import { guardAnswers, guardRoomUrl } from '../guard-api';

interface HttpOptions {
  fetch: typeof fetch;
  timeoutMs: number;
}

const { watcher: Watcher, lobby: Lobby, noticed: Noticed } = guardAnswers;

/** Janus, through the room guard: a lobby watcher for the meeting's lifetime. */
export function janusLobbyProbe(opts: HttpOptions & { guardUrl: string; room: string; hostPin: string; log: Logger; now?: () => number }): WaitingProbe {
  const now = opts.now ?? Date.now;
  const base = guardRoomUrl(opts.guardUrl, opts.room);
  let watcher: string | null = null;
  /** The guard said the host PIN is wrong: said once, never tried again (it counts as a guess). */
  let refused = false;
  /** The room's PIN check is locked (someone guessed): not before this. */
  let notBefore = 0;

  const request = (method: string, path: string, init: { bearer?: string; body?: unknown } = {}) =>
    opts.fetch(base + path, {
      method,
      headers: {
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(init.bearer ? { authorization: `Bearer ${init.bearer}` } : {}),
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      signal: AbortSignal.timeout(opts.timeoutMs),
    });

  async function buy(): Promise<string | null> {
    const res = await request('POST', '/watcher', { body: { pin: opts.hostPin } });
    if (res.status === 403) {
      refused = true;
      opts.log.warn('waiting: the room guard refused the host PIN of an open meeting; it gets no waiting badge');
    } else if (res.status === 429) {
      notBefore = now() + Math.max(60, Number(res.headers.get('retry-after') ?? '600') || 600) * 1000;
    }
    if (!res.ok) {
      await res.body?.cancel();
      return null;
    }
    const parsed = Watcher.safeParse(await res.json().catch(() => null));
    return parsed.success ? parsed.data.watcher : null;
  }

  return {
    async poll() {
      if (refused || now() < notBefore) return null;
      watcher ??= await buy();
      if (!watcher) return null;
      const res = await request('GET', '/lobby', { bearer: watcher });
      if (res.status === 401) watcher = null; // expired, or the guard restarted: bought again next round
      if (!res.ok) {
        await res.body?.cancel();
        return null;
      }
      const parsed = Lobby.safeParse(await res.json().catch(() => null));
      // `since`: the guard's record of the knock (an older guard leaves it out).
      return parsed.success ? parsed.data.waiting.map((g) => ({ role: g.role, since: g.since ?? null })) : null;
    },
    async notify(text) {
      if (refused || now() < notBefore) throw new Error('no lobby watcher');
      watcher ??= await buy();
      if (!watcher) throw new Error('no lobby watcher');
      const res = await request('POST', '/notice', { bearer: watcher, body: { text } });
      if (res.status === 401) watcher = null;
      if (!res.ok) {
        await res.body?.cancel();
        throw new Error(`the room guard refused the notice (HTTP ${res.status})`);
      }
      return Noticed.parse(await res.json()).reached;
    },
    async close() {
      const given = watcher;
      watcher = null;
      if (given) await request('DELETE', '/watcher', { bearer: given }).then((r) => r.body?.cancel(), () => undefined);
    },
  };
}
