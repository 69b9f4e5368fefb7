/**
 * The Janus room guard: what stands between a meeting link and a Janus room's powers.
 *
 * Janus limits no attempts and a VideoRoom `secret` is full control of a room (allowed,
 * kick, moderate, edit, destroy), so no PIN may ever be a Janus secret. Here:
 *   - each room's secret is 128 random bits that only the guard knows; Janus runs with an
 *     `admin_key` (only the guard creates rooms) and `lock_rtp_forward`;
 *   - a PIN buys a session from the guard, never a Janus capability: the host PIN a host
 *     session, the guest PIN a place in the lobby; every PIN check counts against the
 *     room and the caller's address (attempts.ts) and a locked room answers nothing else;
 *   - rooms check tokens from the moment they exist (Janus `allowed`); every token is minted
 *     for one feed id and revoked when that feed leaves the room (Janus checks tokens on
 *     each join, subscriptions included, so it must live while its feed is in); anyone in
 *     the room under an id the guard did not issue (a copied token) is removed;
 *   - the lobby is the guard's own list of guests who knocked with the right guest PIN.
 *     The host (the console's main process, with its host session) admits with a token it
 *     minted; the guest, polling with its own secret, then gets that token and a feed id;
 *   - a lobby watcher (also bought with the host PIN) may only count who waits, by role:
 *     no names, no ids, no host power, nothing a guest could notice. The console's day view
 *     holds one per open meeting to say "patient waiting" before the clinician joins.
 *
 * Roles and names live here, not in Janus display names, so nobody can claim to be the host
 * by typing it.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createAttemptLimiter, type AttemptLimits } from './attempts';
import { NO_SUCH_FEED, NO_SUCH_ROOM, ROOM_EXISTS, VideoRoomError, type JanusAdmin } from './janus-admin';
import { hashPin, pinMatches, type PinHash } from './pins';

export const GUEST_ROLES = ['patient', 'interpreter', 'specialist', 'relative', 'other'] as const;
export type GuestRole = (typeof GUEST_ROLES)[number];
export type Role = 'host' | GuestRole;

export type GuestState = 'waiting' | 'admitted' | 'denied' | 'removed' | 'ended';

export interface RosterEntry {
  feedId: string;
  role: Role;
  name: string;
  /** In the Janus room now (as of the last sweep). */
  present: boolean;
  /**
   * How many times this feed was given a token to join (1 = the first join). A change means
   * a new connection, even one no sweep saw missing (a guest who dropped and came back
   * between two sweeps): the host applies its mutes again, which Janus forgot.
   */
  joins: number;
}

export interface WaitingGuest {
  guestId: string;
  name: string;
  role: GuestRole;
}

/** What a refused request says; the HTTP layer maps it to a status. */
export class GuardError extends Error {
  constructor(
    readonly reason: 'no-room' | 'wrong-pin' | 'locked' | 'unauthorized' | 'bad-request' | 'not-waiting' | 'unavailable',
    readonly retryAfterMs?: number,
  ) {
    super(reason);
    this.name = 'GuardError';
  }
}

interface Issued {
  role: Role;
  name: string;
  /** The token minted for this feed: valid until the feed leaves the room (or a fresh one replaces it). */
  token: string | null;
  present: boolean;
  joins: number;
}

interface Guest {
  id: string;
  secret: Buffer;
  name: string;
  role: GuestRole;
  state: GuestState;
  lastSeen: number;
  feedId: string | null;
  /** The admission token the host minted, handed over once. */
  admissionToken: string | null;
  wake: Set<() => void>;
}

interface Room {
  id: string;
  secret: string;
  hostPin: PinHash;
  guestPin: PinHash;
  publishers: number;
  /** Host session token -> the host's feed id. */
  hosts: Map<string, { feedId: string; expiresAt: number }>;
  /** Lobby watcher token -> when it expires unless used. */
  watchers: Map<string, number>;
  guests: Map<string, Guest>;
  issued: Map<string, Issued>;
  lastSweep: number;
}

export interface GuardOptions {
  janus: JanusAdmin;
  /** Janus's VideoRoom admin_key: only the guard may create rooms. */
  adminKey: string;
  limits?: AttemptLimits;
  /** How long a host session lasts without use. Default 8 h (a working day). */
  hostSessionMs?: number;
  /** A waiting guest who has not polled for this long is no longer shown. Default 30 s. */
  guestStaleMs?: number;
  now?: () => number;
}

export interface Guard {
  provision(input: { room: string; hostPin: string; guestPin: string; publishers?: number }): Promise<void>;
  unprovision(room: string): Promise<void>;
  hostSession(room: string, pin: string, source: string): Promise<{ session: string; expiresInMs: number }>;
  releaseHost(room: string, session: string): void;
  /** Readies the room for the host to (re)join: the room exists, strangers are out; a fresh token for the host's feed. */
  prepare(room: string, session: string, name: string): Promise<{ feedId: string; token: string }>;
  /** Who waits in the lobby and who is in the room (with roles): what the host's window shows. */
  state(room: string, session: string): Promise<{ waiting: WaitingGuest[]; roster: RosterEntry[] }>;
  /**
   * A lobby watcher for the host PIN (the same attempt limit as a host session, and its right
   * PIN does not reset the room's count of wrong ones): it reads `lobby` and nothing else.
   * Far less than a host session, which can admit, remove and end.
   */
  watcher(room: string, pin: string, source: string): { watcher: string; expiresInMs: number };
  releaseWatcher(room: string, watcher: string): void;
  /** The roles of the guests waiting now (no names, no ids); touches neither Janus nor the guests. */
  lobby(room: string, watcher: string): { waiting: Array<{ role: GuestRole }> };
  admit(room: string, session: string, guestId: string, token: string): Promise<{ feedId: string }>;
  deny(room: string, session: string, guestId: string): void;
  kick(room: string, session: string, feedId: string): Promise<void>;
  moderate(room: string, session: string, feedId: string, mid: string, muted: boolean): Promise<void>;
  end(room: string, session: string): Promise<void>;
  knock(room: string, input: { pin: string; name: string; role: GuestRole }, source: string): { guestId: string; secret: string };
  /** The guest's wait: answers at once when something is to say, else after up to waitMs. */
  poll(room: string, guestId: string, secret: string, waitMs: number): Promise<{ state: GuestState; feedId?: string; token?: string }>;
  guestRoster(room: string, guestId: string, secret: string): RosterEntry[];
  leave(room: string, guestId: string, secret: string): void;
}

const token = (bytes = 16) => randomBytes(bytes).toString('base64url');

export function createGuard(opts: GuardOptions): Guard {
  const { janus } = opts;
  const now = opts.now ?? Date.now;
  const limiter = createAttemptLimiter(opts.limits, now);
  const hostSessionMs = opts.hostSessionMs ?? 8 * 3600_000;
  const guestStaleMs = opts.guestStaleMs ?? 30_000;
  const rooms = new Map<string, Room>();

  function room(id: string): Room {
    const r = rooms.get(id);
    if (!r) throw new GuardError('no-room');
    return r;
  }

  function host(r: Room, session: string): { feedId: string } {
    const h = r.hosts.get(session);
    if (!h || h.expiresAt < now()) throw new GuardError('unauthorized');
    h.expiresAt = now() + hostSessionMs;
    return h;
  }

  function watching(r: Room, watcher: string): void {
    const expiresAt = r.watchers.get(watcher);
    if (expiresAt === undefined || expiresAt < now()) throw new GuardError('unauthorized');
    r.watchers.set(watcher, now() + hostSessionMs);
  }

  /** Knocked with the right PIN, not let in or turned away, and still polling. */
  function waitingGuests(r: Room): Guest[] {
    const fresh = now() - guestStaleMs;
    return [...r.guests.values()].filter((g) => g.state === 'waiting' && g.lastSeen >= fresh);
  }

  function guest(r: Room, guestId: string, secret: string): Guest {
    const g = r.guests.get(guestId);
    const given = Buffer.from(secret, 'base64url');
    if (!g || given.length !== g.secret.length || !timingSafeEqual(given, g.secret)) throw new GuardError('unauthorized');
    g.lastSeen = now();
    return g;
  }

  function setGuestState(g: Guest, state: GuestState): void {
    g.state = state;
    for (const wake of [...g.wake]) wake();
  }

  async function janusCall(body: Record<string, unknown>, tolerate: number[] = []): Promise<Record<string, unknown> | null> {
    try {
      return await janus.request(body);
    } catch (error) {
      if (error instanceof VideoRoomError && tolerate.includes(error.code)) return null;
      if (error instanceof VideoRoomError && error.code === 0) throw new GuardError('unavailable');
      throw error;
    }
  }

  /** Creates the Janus room when it is missing (first use, or Janus restarted) with token checking on from the start. */
  async function ensureRoom(r: Room): Promise<void> {
    const exists = await janusCall({ request: 'exists', room: r.id });
    if (exists?.exists === true) return;
    // A token nobody has: `allowed` given at create turns checking on before anyone can join.
    const tokens = [token(), ...[...r.issued.values()].flatMap((i) => (i.token ? [i.token] : []))];
    await janusCall(
      {
        request: 'create',
        room: r.id,
        secret: r.secret,
        admin_key: opts.adminKey,
        publishers: r.publishers,
        description: 'Appointment',
        is_private: true,
        permanent: false,
        allowed: tokens,
      },
      [ROOM_EXISTS],
    );
    for (const i of r.issued.values()) i.present = false;
  }

  async function allowed(r: Room, action: 'add' | 'remove', list: string[]): Promise<void> {
    if (list.length === 0) return;
    await janusCall({ request: 'allowed', room: r.id, secret: r.secret, action, allowed: list }, [NO_SUCH_ROOM]);
  }

  /**
   * Brings the guard's idea of the room up to date with Janus: a feed that left has its
   * token revoked (a rejoin gets a fresh one); participants the guard never issued an id
   * to are removed.
   */
  async function sweep(r: Room, force = false): Promise<void> {
    if (!force && now() - r.lastSweep < 2_000) return;
    r.lastSweep = now();
    const data = await janusCall({ request: 'listparticipants', room: r.id }, [NO_SUCH_ROOM]);
    const present = new Set(
      (Array.isArray(data?.participants) ? (data.participants as Array<{ id?: unknown }>) : []).map((p) => String(p.id)),
    );
    const gone: string[] = [];
    for (const [feedId, issued] of r.issued) {
      const was = issued.present;
      issued.present = present.has(feedId);
      if (was && !issued.present && issued.token) {
        gone.push(issued.token);
        issued.token = null;
      }
    }
    await allowed(r, 'remove', gone);
    for (const id of present) {
      if (!r.issued.has(id)) await janusCall({ request: 'kick', room: r.id, secret: r.secret, id }, [NO_SUCH_FEED, NO_SUCH_ROOM]);
    }
  }

  /** `reset`: a right PIN starts the room's count again (a person who mistyped); not for a machine's check. */
  function checkPin(r: Room, which: 'host' | 'guest', pin: string, source: string, reset = true): void {
    const keys = { room: `${which}:${r.id}`, source };
    const verdict = limiter.check(keys);
    if (!verdict.ok) throw new GuardError('locked', verdict.retryAfterMs);
    if (!pinMatches(pin, which === 'host' ? r.hostPin : r.guestPin)) {
      limiter.failed(keys);
      throw new GuardError('wrong-pin');
    }
    if (reset) limiter.succeeded(keys);
  }

  /**
   * A fresh token for a feed that is about to (re)join, added to the room's allowed list. Its
   * previous token goes, and so does a ghost of its previous connection still in the room
   * (Janus keeps a dropped session a while; the same id could not join again meanwhile).
   */
  async function mint(r: Room, feedId: string, role: Role, name: string, minted?: string): Promise<string> {
    const t = minted ?? token();
    const previous = r.issued.get(feedId);
    if (previous?.token) await allowed(r, 'remove', [previous.token]);
    if (previous?.present) await janusCall({ request: 'kick', room: r.id, secret: r.secret, id: feedId }, [NO_SUCH_FEED, NO_SUCH_ROOM]);
    r.issued.set(feedId, { role, name, token: t, present: false, joins: (previous?.joins ?? 0) + 1 });
    await allowed(r, 'add', [t]);
    return t;
  }

  function roster(r: Room): RosterEntry[] {
    return [...r.issued].map(([feedId, i]) => ({ feedId, role: i.role, name: i.name, present: i.present, joins: i.joins }));
  }

  return {
    async provision({ room: id, hostPin, guestPin, publishers = 6 }) {
      if (!/^[A-Za-z0-9_-]{16,64}$/.test(id)) throw new GuardError('bad-request');
      const existing = rooms.get(id);
      const r: Room = existing ?? {
        id,
        secret: randomBytes(16).toString('hex'),
        hostPin: hashPin(hostPin),
        guestPin: hashPin(guestPin),
        publishers,
        hosts: new Map(),
        watchers: new Map(),
        guests: new Map(),
        issued: new Map(),
        lastSweep: 0,
      };
      r.hostPin = hashPin(hostPin);
      r.guestPin = hashPin(guestPin);
      r.publishers = publishers;
      rooms.set(id, r);
      await ensureRoom(r);
    },

    async unprovision(id) {
      const r = rooms.get(id);
      if (!r) return;
      rooms.delete(id);
      for (const g of r.guests.values()) setGuestState(g, 'ended');
      await janusCall({ request: 'destroy', room: id, secret: r.secret, permanent: false }, [NO_SUCH_ROOM]);
    },

    async hostSession(id, pin, source) {
      const r = room(id);
      checkPin(r, 'host', pin, source);
      const session = token(24);
      r.hosts.set(session, { feedId: `h${token(9)}`, expiresAt: now() + hostSessionMs });
      return { session, expiresInMs: hostSessionMs };
    },

    releaseHost(id, session) {
      rooms.get(id)?.hosts.delete(session);
    },

    async prepare(id, session, name) {
      const r = room(id);
      const { feedId } = host(r, session);
      await ensureRoom(r);
      const t = await mint(r, feedId, 'host', name);
      await sweep(r, true);
      return { feedId, token: t };
    },

    async state(id, session) {
      const r = room(id);
      host(r, session);
      await sweep(r);
      const waiting = waitingGuests(r).map((g) => ({ guestId: g.id, name: g.name, role: g.role }));
      return { waiting, roster: roster(r) };
    },

    watcher(id, pin, source) {
      const r = room(id);
      // The console buys one automatically for every open meeting: its right PIN is no
      // failure, but it must not wipe a guesser's count either.
      checkPin(r, 'host', pin, source, false);
      const watcher = token(24);
      r.watchers.set(watcher, now() + hostSessionMs);
      return { watcher, expiresInMs: hostSessionMs };
    },

    releaseWatcher(id, watcher) {
      rooms.get(id)?.watchers.delete(watcher);
    },

    lobby(id, watcher) {
      const r = room(id);
      watching(r, watcher);
      // Roles only, in the order they knocked: the count and "is it the patient" is all a
      // day view needs. No sweep: reading the lobby must not change the room.
      return { waiting: waitingGuests(r).map((g) => ({ role: g.role })) };
    },

    async admit(id, session, guestId, minted) {
      const r = room(id);
      host(r, session);
      const g = r.guests.get(guestId);
      if (!g || g.state !== 'waiting') throw new GuardError('not-waiting');
      if (!/^[A-Za-z0-9_-]{22,64}$/.test(minted)) throw new GuardError('bad-request');
      const feedId = `g${token(9)}`;
      await ensureRoom(r);
      await mint(r, feedId, g.role, g.name, minted);
      g.feedId = feedId;
      g.admissionToken = minted;
      setGuestState(g, 'admitted');
      return { feedId };
    },

    deny(id, session, guestId) {
      const r = room(id);
      host(r, session);
      const g = r.guests.get(guestId);
      if (!g || g.state !== 'waiting') throw new GuardError('not-waiting');
      setGuestState(g, 'denied');
    },

    async kick(id, session, feedId) {
      const r = room(id);
      host(r, session);
      const issued = r.issued.get(feedId);
      if (issued?.token) await allowed(r, 'remove', [issued.token]);
      r.issued.delete(feedId);
      for (const g of r.guests.values()) if (g.feedId === feedId) setGuestState(g, 'removed');
      await janusCall({ request: 'kick', room: r.id, secret: r.secret, id: feedId }, [NO_SUCH_FEED, NO_SUCH_ROOM]);
    },

    async moderate(id, session, feedId, mid, muted) {
      const r = room(id);
      host(r, session);
      if (!r.issued.has(feedId)) throw new GuardError('bad-request');
      await janusCall({ request: 'moderate', room: r.id, secret: r.secret, id: feedId, mid, mute: muted });
    },

    async end(id, session) {
      const r = room(id);
      host(r, session);
      for (const g of r.guests.values()) if (g.state === 'waiting' || g.state === 'admitted') setGuestState(g, 'ended');
      r.guests.clear();
      r.issued.clear();
      r.hosts.clear();
      await janusCall({ request: 'destroy', room: r.id, secret: r.secret, permanent: false }, [NO_SUCH_ROOM]);
    },

    knock(id, { pin, name, role }, source) {
      const r = room(id);
      checkPin(r, 'guest', pin, source);
      const trimmed = name.trim().slice(0, 100);
      if (!trimmed || !GUEST_ROLES.includes(role)) throw new GuardError('bad-request');
      const secret = randomBytes(24);
      const g: Guest = {
        id: token(12),
        secret,
        name: trimmed,
        role,
        state: 'waiting',
        lastSeen: now(),
        feedId: null,
        admissionToken: null,
        wake: new Set(),
      };
      r.guests.set(g.id, g);
      return { guestId: g.id, secret: secret.toString('base64url') };
    },

    async poll(id, guestId, secret, waitMs) {
      const r = room(id);
      const g = guest(r, guestId, secret);
      if (g.state === 'waiting' && waitMs > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, waitMs);
          function done() {
            clearTimeout(timer);
            g.wake.delete(done);
            resolve();
          }
          g.wake.add(done);
        });
        g.lastSeen = now();
      }
      if (g.state !== 'admitted' || !g.feedId) return { state: g.state };
      // The host's token the first time; after that (a rejoin), a fresh one, and the room
      // recreated if Janus lost it.
      await ensureRoom(r);
      const first = g.admissionToken;
      g.admissionToken = null;
      const t = first ?? (await mint(r, g.feedId, g.role, g.name));
      return { state: 'admitted', feedId: g.feedId, token: t };
    },

    guestRoster(id, guestId, secret) {
      const r = room(id);
      const g = guest(r, guestId, secret);
      if (g.state !== 'admitted') throw new GuardError('unauthorized');
      return roster(r);
    },

    leave(id, guestId, secret) {
      const r = room(id);
      const g = guest(r, guestId, secret);
      r.guests.delete(g.id);
      setGuestState(g, 'ended');
    },
  };
}
