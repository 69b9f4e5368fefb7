/**
 * The Janus room guard: what stands between a meeting link and a Janus room.
 *
 * Janus limits no attempts and a VideoRoom `secret` is full control of a room (allowed,
 * kick, moderate, edit, destroy), so no PIN may ever be a Janus secret. Here:
 *   - Janus runs with `token_auth`: its client API answers nobody without a token the guard
 *     stored through the Admin API, so a room reference, a link or a Janus address alone
 *     cannot even open a Janus session (no listparticipants, no subscribing). The guard
 *     itself speaks only the Admin API (janus-admin.ts);
 *   - the link and the booking system know the meeting by its room *reference*; the Janus
 *     room has another, random id that only admitted participants are told;
 *   - each room's secret is 128 random bits that only the guard knows; the VideoRoom runs
 *     with an `admin_key` (only the guard creates rooms) and `lock_rtp_forward`; rooms
 *     require a publisher's `private_id` to subscribe (`require_pvtid`), so only someone
 *     publishing in the room can watch it, and a removed publisher's subscriptions stop;
 *   - a PIN buys a session from the guard, never a Janus capability: the host PIN a host
 *     session, the guest PIN a place in the lobby; every PIN check counts (attempts.ts);
 *   - every admission (the host's prepare, a guest's admission or rejoin) gets one fresh
 *     token, stored in Janus both as the client token (token_auth) and in the room's
 *     `allowed` list, and bound to one feed id. Janus does not bind a token to the id a
 *     client joins with, so the sweep does: from the Admin API's handle_info it reads which
 *     token each publisher attached with, and a publisher under an id that token was not
 *     issued for (a guest posing as the host or as a departed patient) is kicked, its Janus
 *     session destroyed and the admission it abused revoked. Revoking a token also destroys
 *     every Janus session that carries it, subscriptions included;
 *   - the lobby is the guard's own list of guests who knocked with the right guest PIN.
 *     The host (the console's main process, with its host session) admits with a token it
 *     minted; the guest, polling with its own secret, then gets that token, a feed id and
 *     the Janus room id;
 *   - a lobby watcher (also bought with the host PIN) may only count who waits, by role:
 *     no names, no ids, no host power, nothing a guest could notice. The console's day view
 *     holds one per open meeting to say "patient waiting" before the clinician joins.
 *
 * Roles and names live here, not in Janus display names, so nobody can claim to be the host
 * by typing it.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createAttemptLimiter, DEFAULT_LIMITS, type AttemptLimits } from './attempts';
import { NO_SUCH_FEED, NO_SUCH_ROOM, ROOM_EXISTS, VideoRoomError, type JanusAdmin } from './janus-admin';
import { createPinChecker, hashPin, PinCheckBusy, type PinCheckerOptions, type PinHash } from './pins';
import { GUARD_GUEST_ROLES, GUARD_ROOM_REFERENCE } from '../call/providers/janus/guard-api';

export const GUEST_ROLES = GUARD_GUEST_ROLES;
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
  /** When this guest knocked (ISO 8601): the host's "waiting for 7 min" counts from here. */
  since: string;
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
  /** When the guest knocked (the guard's clock): how long they have waited counts from here. */
  knockedAt: number;
  /** The host's last word to the waiting guest ("running late"), shown on their page. */
  notice: { text: string; seq: number } | null;
  feedId: string | null;
  /** The admission token the host minted, handed over once. */
  admissionToken: string | null;
  wake: Set<() => void>;
}

interface Room {
  /** The room reference: what the booking system provisioned and links carry. */
  id: string;
  /** The Janus room's own id: random, told only to admitted participants. */
  janusRoom: string;
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
  /** PIN attempt and knock limits (attempts.ts); unset fields keep their defaults. */
  limits?: Partial<AttemptLimits>;
  /** How many PIN checks (scrypt) run at once and may wait (pins.ts). */
  pinChecks?: PinCheckerOptions;
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
  /** `room` is the Janus room's own id, told only here and to admitted guests. */
  prepare(room: string, session: string, name: string): Promise<{ feedId: string; token: string; room: string }>;
  /** Who waits in the lobby and who is in the room (with roles): what the host's window shows. */
  state(room: string, session: string): Promise<{ waiting: WaitingGuest[]; roster: RosterEntry[] }>;
  /**
   * A lobby watcher for the host PIN (the same attempt limits as a host session, and its right
   * PIN does not reset its source's count of wrong ones): it reads `lobby` and nothing else.
   * Far less than a host session, which can admit, remove and end.
   */
  watcher(room: string, pin: string, source: string): Promise<{ watcher: string; expiresInMs: number }>;
  releaseWatcher(room: string, watcher: string): void;
  /** The roles of the guests waiting now and since when (no names, no ids); touches neither Janus nor the guests. */
  lobby(room: string, watcher: string): { waiting: Array<{ role: GuestRole; since: string }> };
  /**
   * A short message from the host to everyone waiting ("running late"), shown on their page
   * at their next (or current, woken) poll. Allowed with a host session or a lobby watcher:
   * it admits, removes and reveals nothing. Returns how many guests it reached.
   */
  notify(room: string, bearer: string, text: string): { reached: number };
  admit(room: string, session: string, guestId: string, token: string): Promise<{ feedId: string }>;
  deny(room: string, session: string, guestId: string): void;
  kick(room: string, session: string, feedId: string): Promise<void>;
  moderate(room: string, session: string, feedId: string, mid: string, muted: boolean): Promise<void>;
  end(room: string, session: string): Promise<void>;
  /** Limited per source (attempts.ts) and per room (a lobby of at most `limits.maxLobby`). */
  knock(room: string, input: { pin: string; name: string; role: GuestRole }, source: string): Promise<{ guestId: string; secret: string }>;
  /** The guest's wait: answers at once when something is to say, else after up to waitMs. */
  poll(
    room: string,
    guestId: string,
    secret: string,
    waitMs: number,
    /** The last notice the page showed: a newer one answers at once. */
    seenNotice?: number,
  ): Promise<{ state: GuestState; feedId?: string; token?: string; room?: string; notice?: { text: string; seq: number } }>;
  /** The roster for an admitted guest's page; it sweeps too (at most every 2 s a room), so roles follow who is really in. */
  guestRoster(room: string, guestId: string, secret: string): Promise<RosterEntry[]>;
  leave(room: string, guestId: string, secret: string): void;
  /** The Janus room's id behind a reference (for the operator's tools and tests; never over HTTP). */
  janusRoomOf(room: string): string | null;
}

/** A busy PIN check queue: ask again in about this long. */
const PIN_CHECK_BUSY_RETRY_MS = 1_000;
/** A guest not seen (no poll) for this long is forgotten, unless admitted (see pruneGuests). */
const GUEST_FORGET_MS = 2 * 60_000;

const token = (bytes = 16) => randomBytes(bytes).toString('base64url');

export function createGuard(opts: GuardOptions): Guard {
  const { janus } = opts;
  const now = opts.now ?? Date.now;
  const limiter = createAttemptLimiter(opts.limits, now);
  const pinChecker = createPinChecker(opts.pinChecks);
  const maxLobby = opts.limits?.maxLobby ?? DEFAULT_LIMITS.maxLobby;
  const hostSessionMs = opts.hostSessionMs ?? 8 * 3600_000;
  const guestStaleMs = opts.guestStaleMs ?? 30_000;
  const rooms = new Map<string, Room>();
  /** Numbers the host's notices, so a guest's page shows each once. */
  let noticeSeq = 0;

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
      if (error instanceof VideoRoomError && error.code <= 0) throw new GuardError('unavailable');
      throw error;
    }
  }

  /** Creates the Janus room when it is missing (first use, or Janus restarted) with token checking on from the start. */
  async function ensureRoom(r: Room): Promise<void> {
    const exists = await janusCall({ request: 'exists', room: r.janusRoom });
    if (exists?.exists === true) return;
    // A token nobody has: `allowed` given at create turns checking on before anyone can join.
    const tokens = [token(), ...[...r.issued.values()].flatMap((i) => (i.token ? [i.token] : []))];
    await janusCall(
      {
        request: 'create',
        room: r.janusRoom,
        secret: r.secret,
        admin_key: opts.adminKey,
        publishers: r.publishers,
        description: 'Appointment',
        is_private: true,
        permanent: false,
        // Subscribing needs the private_id of a publisher in this room: only someone admitted
        // and publishing can watch, and Janus stops a kicked publisher's subscriptions.
        require_pvtid: true,
        allowed: tokens,
      },
      [ROOM_EXISTS],
    );
    // A restarted Janus forgot its stored tokens too.
    for (const t of tokens.slice(1)) await unavailableAsGuardError(() => janus.addToken(t));
    for (const i of r.issued.values()) i.present = false;
  }

  async function allowed(r: Room, action: 'add' | 'remove', list: string[]): Promise<void> {
    if (list.length === 0) return;
    await janusCall({ request: 'allowed', room: r.janusRoom, secret: r.secret, action, allowed: list }, [NO_SUCH_ROOM]);
  }

  /** A token stops working everywhere: Janus's client API, the room's allowed list, and every session that carries it. */
  async function revoke(r: Room, tokens: string[]): Promise<void> {
    if (tokens.length === 0) return;
    const dead = new Set(tokens);
    for (const t of tokens) await unavailableAsGuardError(() => janus.removeToken(t));
    await allowed(r, 'remove', tokens);
    const handles = await unavailableAsGuardError(() => janus.videoRoomHandles());
    const sessions = new Set(handles.filter((h) => h.token !== null && dead.has(h.token)).map((h) => h.session));
    for (const session of sessions) await unavailableAsGuardError(() => janus.destroySession(session));
  }

  async function unavailableAsGuardError<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof VideoRoomError && error.code <= 0) throw new GuardError('unavailable');
      throw error;
    }
  }

  /**
   * Brings the guard's idea of the room up to date with Janus, from the Admin API's view of
   * every VideoRoom handle in the room:
   *   - a publisher counts as present only under the feed id its token was issued for;
   *   - a publisher under any other id (a guest posing as the host, as a departed patient,
   *     or under an id nobody was given) is kicked and its Janus session destroyed, and the
   *     admission whose token it used is revoked (that guest is removed);
   *   - a handle in the room whose token is no longer issued (a ghost of a dropped
   *     connection, a removed guest's subscriptions) loses its session;
   *   - a feed that left has its token revoked (a rejoin gets a fresh one).
   */
  async function sweep(r: Room, force = false): Promise<void> {
    if (!force && now() - r.lastSweep < 2_000) return;
    r.lastSweep = now();
    const handles = (await unavailableAsGuardError(() => janus.videoRoomHandles())).filter((h) => h.room === r.janusRoom);
    const byToken = new Map<string, string>();
    for (const [feedId, i] of r.issued) if (i.token) byToken.set(i.token, feedId);
    const present = new Set<string>();
    const impostors: Array<{ feedId: string; session: number; token: string | null }> = [];
    const strays = new Set<number>();
    for (const h of handles) {
      const owner = h.token ? byToken.get(h.token) : undefined;
      if (h.type === 'publisher' && h.feedId !== null) {
        if (owner !== undefined && owner === h.feedId) present.add(h.feedId);
        else impostors.push({ feedId: h.feedId, session: h.session, token: h.token });
      } else if (owner === undefined) {
        strays.add(h.session);
      }
    }
    const abused = new Set<string>();
    for (const imp of impostors) {
      await janusCall({ request: 'kick', room: r.janusRoom, secret: r.secret, id: imp.feedId }, [NO_SUCH_FEED, NO_SUCH_ROOM]);
      strays.add(imp.session);
      const owner = imp.token ? byToken.get(imp.token) : undefined;
      if (owner !== undefined) abused.add(owner);
    }
    for (const session of strays) await unavailableAsGuardError(() => janus.destroySession(session));
    // The admission whose token joined under someone else's id is over: its own feed goes too.
    for (const feedId of abused) {
      const i = r.issued.get(feedId);
      r.issued.delete(feedId);
      present.delete(feedId);
      for (const g of r.guests.values()) if (g.feedId === feedId) setGuestState(g, 'removed');
      // As a host's removal: kicked first (its page is told, Janus stops the subscriptions
      // tied to its private_id), then its token and every session carrying it go.
      await janusCall({ request: 'kick', room: r.janusRoom, secret: r.secret, id: feedId }, [NO_SUCH_FEED, NO_SUCH_ROOM]);
      if (i?.token) await revoke(r, [i.token]);
    }
    const gone: string[] = [];
    for (const [feedId, issued] of r.issued) {
      const was = issued.present;
      issued.present = present.has(feedId);
      if (was && !issued.present && issued.token) {
        gone.push(issued.token);
        issued.token = null;
      }
    }
    await revoke(r, gone);
  }

  /**
   * The PIN, within the attempt limits (attempts.ts; backing off: 429 without a check) and
   * off the event loop (pins.ts; too busy: 503, counts for nothing). `reset`: a right PIN
   * starts its source's count in this room again (a person who mistyped); not for a
   * machine's check.
   */
  async function checkPin(r: Room, which: 'host' | 'guest', pin: string, source: string, reset = true): Promise<void> {
    const verdict = limiter.begin({ room: r.id, kind: which, source });
    if (!verdict.ok) throw new GuardError('locked', verdict.retryAfterMs);
    let right: boolean;
    try {
      right = await pinChecker.matches(pin, which === 'host' ? r.hostPin : r.guestPin, { priority: which, group: `${which}:${r.id}` });
    } catch (error) {
      verdict.attempt.abandoned();
      if (error instanceof PinCheckBusy) throw new GuardError('unavailable', PIN_CHECK_BUSY_RETRY_MS);
      throw error;
    }
    if (!right) {
      verdict.attempt.failed();
      throw new GuardError('wrong-pin');
    }
    verdict.attempt.succeeded(reset);
    // Unprovisioned while the PIN was checked: nothing to open.
    if (rooms.get(r.id) !== r) throw new GuardError('no-room');
  }

  /**
   * Guests who stopped asking go: a knock that is never polled (a script, a closed tab), and
   * a refused, removed or ended guest once it had time to read that. Admitted guests stay
   * (they rejoin with their feed id) until they leave, are removed or the meeting ends.
   */
  function pruneGuests(r: Room): void {
    const before = now() - GUEST_FORGET_MS;
    for (const g of r.guests.values()) {
      if (g.state !== 'admitted' && g.wake.size === 0 && g.lastSeen < before) r.guests.delete(g.id);
    }
  }

  /** Room for one more knock: at most maxLobby waiting; 429 when full (the host deals with those first). */
  function lobbyPlace(r: Room): void {
    pruneGuests(r);
    const waiting = [...r.guests.values()].filter((g) => g.state === 'waiting').length;
    if (waiting >= maxLobby) throw new GuardError('locked', GUEST_FORGET_MS);
  }

  /**
   * A fresh token for a feed that is about to (re)join: stored in Janus as a client token and
   * added to the room's allowed list, bound to this feed id. Its previous token is revoked
   * (with any session still carrying it: a ghost of the previous connection), and whoever
   * holds the id in the room now is removed (a ghost, or someone posing under it).
   */
  async function mint(r: Room, feedId: string, role: Role, name: string, minted?: string): Promise<string> {
    const t = minted ?? token();
    const previous = r.issued.get(feedId);
    if (previous?.token) await revoke(r, [previous.token]);
    await janusCall({ request: 'kick', room: r.janusRoom, secret: r.secret, id: feedId }, [NO_SUCH_FEED, NO_SUCH_ROOM]);
    r.issued.set(feedId, { role, name, token: t, present: false, joins: (previous?.joins ?? 0) + 1 });
    await unavailableAsGuardError(() => janus.addToken(t));
    await allowed(r, 'add', [t]);
    return t;
  }

  function roster(r: Room): RosterEntry[] {
    return [...r.issued].map(([feedId, i]) => ({ feedId, role: i.role, name: i.name, present: i.present, joins: i.joins }));
  }

  return {
    async provision({ room: id, hostPin, guestPin, publishers = 6 }) {
      if (!GUARD_ROOM_REFERENCE.test(id)) throw new GuardError('bad-request');
      // Both hashes first (off the event loop), then the room is read and written with no
      // await between, so two provisions of one room cannot interleave there.
      const [hostHash, guestHash] = await Promise.all([hashPin(hostPin), hashPin(guestPin)]);
      const existing = rooms.get(id);
      const r: Room = existing ?? {
        id,
        janusRoom: token(16),
        secret: randomBytes(16).toString('hex'),
        hostPin: hostHash,
        guestPin: guestHash,
        publishers,
        hosts: new Map(),
        watchers: new Map(),
        guests: new Map(),
        issued: new Map(),
        lastSweep: 0,
      };
      r.hostPin = hostHash;
      r.guestPin = guestHash;
      r.publishers = publishers;
      rooms.set(id, r);
      await ensureRoom(r);
    },

    async unprovision(id) {
      const r = rooms.get(id);
      if (!r) return;
      rooms.delete(id);
      for (const g of r.guests.values()) setGuestState(g, 'ended');
      await janusCall({ request: 'destroy', room: r.janusRoom, secret: r.secret, permanent: false }, [NO_SUCH_ROOM]);
      await revoke(r, [...r.issued.values()].flatMap((i) => (i.token ? [i.token] : [])));
    },

    async hostSession(id, pin, source) {
      const r = room(id);
      await checkPin(r, 'host', pin, source);
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
      return { feedId, token: t, room: r.janusRoom };
    },

    async state(id, session) {
      const r = room(id);
      host(r, session);
      await sweep(r);
      const waiting = waitingGuests(r).map((g) => ({ guestId: g.id, name: g.name, role: g.role, since: new Date(g.knockedAt).toISOString() }));
      return { waiting, roster: roster(r) };
    },

    async watcher(id, pin, source) {
      const r = room(id);
      // The console buys one automatically for every open meeting: its right PIN is no
      // failure, but it must not wipe a guesser's count on its source either.
      await checkPin(r, 'host', pin, source, false);
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
      return { waiting: waitingGuests(r).map((g) => ({ role: g.role, since: new Date(g.knockedAt).toISOString() })) };
    },

    notify(id, bearer, text) {
      const r = room(id);
      if (r.watchers.has(bearer)) watching(r, bearer);
      else host(r, bearer);
      const waiting = waitingGuests(r);
      noticeSeq += 1;
      for (const g of waiting) {
        g.notice = { text, seq: noticeSeq };
        for (const wake of [...g.wake]) wake();
      }
      return { reached: waiting.length };
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
      r.issued.delete(feedId);
      for (const g of r.guests.values()) if (g.feedId === feedId) setGuestState(g, 'removed');
      // Kicked first, so Janus stops the subscriptions tied to its private_id at once; then
      // the token goes with every session that still carries it.
      await janusCall({ request: 'kick', room: r.janusRoom, secret: r.secret, id: feedId }, [NO_SUCH_FEED, NO_SUCH_ROOM]);
      if (issued?.token) await revoke(r, [issued.token]);
    },

    async moderate(id, session, feedId, mid, muted) {
      const r = room(id);
      host(r, session);
      if (!r.issued.has(feedId)) throw new GuardError('bad-request');
      await janusCall({ request: 'moderate', room: r.janusRoom, secret: r.secret, id: feedId, mid, mute: muted });
    },

    async end(id, session) {
      const r = room(id);
      host(r, session);
      for (const g of r.guests.values()) if (g.state === 'waiting' || g.state === 'admitted') setGuestState(g, 'ended');
      const tokens = [...r.issued.values()].flatMap((i) => (i.token ? [i.token] : []));
      r.guests.clear();
      r.issued.clear();
      r.hosts.clear();
      await janusCall({ request: 'destroy', room: r.janusRoom, secret: r.secret, permanent: false }, [NO_SUCH_ROOM]);
      await revoke(r, tokens);
    },

    async knock(id, { pin, name, role }, source) {
      const r = room(id);
      // Cheap refusals first: every knock that gets further costs a scrypt.
      const budget = limiter.knock(source);
      if (!budget.ok) throw new GuardError('locked', budget.retryAfterMs);
      lobbyPlace(r);
      await checkPin(r, 'guest', pin, source);
      lobbyPlace(r);
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
        knockedAt: now(),
        notice: null,
        feedId: null,
        admissionToken: null,
        wake: new Set(),
      };
      r.guests.set(g.id, g);
      return { guestId: g.id, secret: secret.toString('base64url') };
    },

    async poll(id, guestId, secret, waitMs, seenNotice = 0) {
      const r = room(id);
      const g = guest(r, guestId, secret);
      const fresh = () => (g.notice && g.notice.seq > seenNotice ? g.notice : null);
      if (g.state === 'waiting' && waitMs > 0 && !fresh()) {
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
      const notice = g.state === 'waiting' ? fresh() : null;
      if (g.state !== 'admitted' || !g.feedId) return { state: g.state, ...(notice ? { notice } : {}) };
      // The host's token the first time; after that (a rejoin), a fresh one, and the room
      // recreated if Janus lost it.
      await ensureRoom(r);
      const first = g.admissionToken;
      g.admissionToken = null;
      const t = first ?? (await mint(r, g.feedId, g.role, g.name));
      return { state: 'admitted', feedId: g.feedId, token: t, room: r.janusRoom };
    },

    async guestRoster(id, guestId, secret) {
      const r = room(id);
      const g = guest(r, guestId, secret);
      if (g.state !== 'admitted') throw new GuardError('unauthorized');
      await sweep(r);
      return roster(r);
    },

    janusRoomOf(id) {
      return rooms.get(id)?.janusRoom ?? null;
    },

    leave(id, guestId, secret) {
      const r = room(id);
      const g = guest(r, guestId, secret);
      r.guests.delete(g.id);
      setGuestState(g, 'ended');
    },
  };
}
