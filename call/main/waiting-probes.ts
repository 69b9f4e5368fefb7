/**
 * Asking a meeting's conference server who waits in its room, without joining it and
 * without anything a waiting guest could notice. One probe per meeting open now, kept while
 * it stays open; each `poll` is one request (the Janus probe's first adds the PIN check).
 *
 * - Janus: the room guard's lobby watcher (janus-guard/guard.ts), bought once with the host
 *   PIN and given back when the meeting closes. It can only count who waits, by role: far
 *   less than the host session a call holds (admit, remove, end). A wrong host PIN is not
 *   tried again; a room locked by PIN guessing is left alone until the guard says.
 * - Pexip: the Management API's participant status with IT's read-only account. A host token
 *   (request_token with the host PIN) would start the conference and let the waiting guests
 *   in, so the Client API is not used for this. Guests waiting are those in the service type
 *   `waiting_room`; their role is the call tag the patient portal joins with (the console's
 *   invitation links set it), `other` when there is none; since when: the participant's
 *   `connect_time` (a guest waiting connected to the waiting room then).
 *
 * Only roles come out of here: the status answer's names are dropped when it is parsed.
 * Nothing with a PIN, a token, a password or a name is logged.
 */
import { z } from 'zod';
import { GuestRole, type GuestRole as GuestRoleT } from '../common/call-model';
import type { Logger } from '../../main/log/logger';
import type { PexipStatusApi } from '../../main/settings/settings';
import { guardAnswers, guardRoomUrl } from '../providers/janus/guard-api';

/** One guest waiting: the role, and since when by the server's clock (null: it did not say). */
export interface WaitingEntry {
  role: GuestRoleT;
  since: string | null;
}

export interface WaitingProbe {
  /** The guests waiting now, by role and since when; null when that is not known this round. */
  poll(): Promise<WaitingEntry[] | null>;
  /** The meeting is no longer open, or the user signed out: give back what was bought. */
  close(): Promise<void>;
  /**
   * A short message to everyone waiting ("running late"), where the server lets a host send
   * one to a waiting guest: how many it reached. Absent where it cannot (Pexip, running-late.ts).
   */
  notify?(text: string): Promise<number>;
}

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

/** The fields of a participant status this needs; z.object drops the rest (names included). */
const StatusList = z.object({
  objects: z
    .array(z.object({ role: z.string(), service_type: z.string(), call_tag: z.string().nullish(), connect_time: z.string().nullish() }))
    .max(1000),
});

/** Roles the Management API gives a host (its docs say `host`, its answers `chair`). */
const HOST_ROLES = new Set(['chair', 'host']);

/**
 * The Management API's read-only account for one Pexip server, shared by its meetings' probes:
 * refused once, it is not used again until the console restarts (a wrong password repeated
 * every round could lock the account).
 */
export interface StatusAccount {
  readonly api: PexipStatusApi;
  refused: boolean;
}

/**
 * A Management API datetime as ISO 8601 UTC. The API writes naive UTC with microseconds
 * (`2015-04-02T09:08:15.565590`, [inferred] UTC: the status API's examples carry no offset and
 * Pexip nodes run in UTC); an offset, if one is given, is kept. Null when unreadable.
 */
export function statusTime(value: string | null | undefined): string | null {
  if (!value) return null;
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/.exec(value.trim());
  if (!m) return null;
  const ms = Date.parse(`${m[1]}${(m[2] ?? '').slice(0, 4)}${m[3] ?? 'Z'}`);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

export function pexipStatusProbe(opts: HttpOptions & { account: StatusAccount; conference: string; log: Logger }): WaitingProbe {
  const { api } = opts.account;
  // The VMR's name: VDX provisions each meeting's VMR under its uriWithDomain [inferred].
  const url = `${api.url.replace(/\/+$/, '')}/api/admin/status/v1/participant/?${new URLSearchParams({ conference: opts.conference, limit: '100' }).toString()}`;
  const authorization = `Basic ${Buffer.from(`${api.username}:${api.password}`, 'utf8').toString('base64')}`;
  return {
    async poll() {
      if (opts.account.refused) return null;
      const res = await opts.fetch(url, { headers: { authorization, accept: 'application/json' }, signal: AbortSignal.timeout(opts.timeoutMs) });
      if (res.status === 401 || res.status === 403) {
        opts.account.refused = true;
        opts.log.warn(`waiting: the Pexip Management API refused the status account for ${api.domain} (HTTP ${res.status}); its meetings get no waiting badge`);
      }
      if (!res.ok) {
        await res.body?.cancel();
        return null;
      }
      const parsed = StatusList.safeParse(await res.json().catch(() => null));
      if (!parsed.success) return null;
      return parsed.data.objects
        .filter((p) => p.service_type === 'waiting_room' && !HOST_ROLES.has(p.role))
        .map((p) => {
          const role = GuestRole.safeParse(p.call_tag);
          return { role: role.success ? role.data : 'other', since: statusTime(p.connect_time) };
        });
    },
    close: async () => undefined,
  };
}
