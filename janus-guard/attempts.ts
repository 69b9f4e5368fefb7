/**
 * How the guard limits PIN guessing without letting a guesser lock the clinic out.
 *
 * The threat: someone with a meeting link (any invited guest, or whoever saw the link) guesses
 * the room's guest or host PIN online; 8 digits in the sandbox, perhaps 4 to 6 at a site. A
 * hard lock of the room after a few wrong PINs stops that, but hands the lock to anyone: one
 * guest's wrong host PINs locked the clinician out, and behind a TLS proxy (every caller one
 * address) twenty wrong guest PINs locked every room. So instead:
 *
 *   - Exponential back-off, never a lock. Every counter ("key") allows `maxFailures` (or its
 *     own allowance) wrong PINs; from then on each wrong PIN makes the key wait
 *     `backoffMs`·2^k before its next attempt, capped at `maxBackoffMs`. An attempt during the
 *     wait is refused (429, Retry-After) WITHOUT checking the PIN, so the right PIN is neither
 *     accepted nor told apart from a wrong one (no oracle); asking does not extend the wait. A
 *     key forgets after `windowMs` without a wrong PIN. In flight, attempts are reserved: past
 *     its allowance a key has one attempt at a time, so parallel requests (the PIN check is
 *     asynchronous) cannot slip past the back-off.
 *   - Separate keys for the host PIN and the guest PIN: a wrong guest PIN never slows a host
 *     PIN check, anywhere. Per PIN kind, three keys count a wrong PIN:
 *       1. (room, source): the source's own budget in this room, `maxFailures`; a right PIN
 *          from the source starts it again (a person who mistyped; not for the console's lobby
 *          watcher, a machine, whose right PIN must not wipe a guesser's count on its source).
 *       2. (source): the source's budget across all rooms, `maxFailuresPerSource`: one machine
 *          guessing many rooms. Never reset by a right PIN (its own room's PIN is no excuse).
 *       3. (room): the room-wide budget, `maxFailuresPerRoom`, against many sources guessing
 *          one room. One source counts here only up to `maxFailures` wrong PINs, so no single
 *          source (one guest, one NAT) can slow the room for others: it takes
 *          maxFailuresPerRoom / maxFailures + 1 sources. Sources that gave this room's right PIN
 *          (within windowMs) are exempt from this key: the clinician's console, which buys a
 *          lobby watcher with the host PIN as soon as the meeting is open in the day view, keeps
 *          hosting while strangers hammer the room; strangers stay slowed by the room key.
 *     A source is the real client address (the trusted proxy's X-Forwarded-For, see
 *     client-address.ts), an IPv6 client by its /64 (one host owns a whole /64).
 *   - What a guesser gets: per room and PIN kind, the allowance, then a ramp (30 s, 1, 2, 4, 8
 *     min) and one guess per 15 min: about 100 a day for the whole room however many
 *     addresses they have (the room key), against 720 a day under the old 5-per-10-minutes
 *     lock. 8 digits: hopeless; 4 digits: about 1 % a day per room, rooms live for a meeting.
 *   - What a clinician can suffer: guests' wrong guest PINs, nothing; one guest's wrong host
 *     PINs, nothing (their source); a distributed attack on one room's host PIN, nothing once
 *     the console's source gave the right host PIN (its watcher), at most the cap before. Only
 *     someone sharing the console's own address (the hospital's NAT) can slow it, by its own
 *     wrong host PINs, and by at most `maxBackoffMs` at a time.
 *
 * Right-PIN knocks cost a scrypt each (pins.ts runs them off the event loop, a few at a time):
 * `knock` limits how often one source may knock at all (a token bucket), right PIN or not;
the guard also keeps at most `maxLobby` waiting per room and forgets guests who stopped polling.
 *
 * Memory is bounded: forgotten keys are dropped, and past `maxKeys` the oldest go first
 * (a guesser would need that many addresses to be forgiven early).
 */
export interface AttemptLimits {
  /** Wrong PINs one source may make for one room's host (or guest) PIN before it backs off. */
  maxFailures: number;
  /** Wrong PINs one source may make across all rooms (per PIN kind) before it backs off. */
  maxFailuresPerSource: number;
  /** Wrong PINs one room's host (or guest) PIN may get from all sources before strangers back off. */
  maxFailuresPerRoom: number;
  /** The first back-off; each further wrong PIN doubles it. */
  backoffMs: number;
  /** The longest back-off. */
  maxBackoffMs: number;
  /** A counter with no wrong PIN for this long starts again; a right PIN marks its source known this long. */
  windowMs: number;
  /** Knocks one source may make at once (right PIN or not)... */
  knockBurst: number;
  /** ...and then one per this many ms. */
  knockEveryMs: number;
  /** Guests waiting in one room's lobby at most (more knocks: 429 until the host deals with them). */
  maxLobby: number;
  /** Counters kept at most (the oldest go first). */
  maxKeys: number;
}

export const DEFAULT_LIMITS: AttemptLimits = {
  maxFailures: 5,
  maxFailuresPerSource: 20,
  maxFailuresPerRoom: 20,
  backoffMs: 30_000,
  maxBackoffMs: 15 * 60_000,
  windowMs: 24 * 3600_000,
  knockBurst: 20,
  knockEveryMs: 3_000,
  maxLobby: 50,
  maxKeys: 100_000,
};

export type PinKind = 'host' | 'guest';

export type AttemptVerdict = { ok: true; attempt: Attempt } | { ok: false; retryAfterMs: number };

/** One reserved attempt: say how it ended, exactly once. */
export interface Attempt {
  /** A wrong PIN: counts against its keys and may start their back-off. */
  failed(): void;
  /** The right PIN. `reset`: the source's count in this room starts again (a person, not a machine). */
  succeeded(reset: boolean): void;
  /** Not checked after all (the check could not run): counts for nothing. */
  abandoned(): void;
}

export interface AttemptLimiter {
  /** May this source try this room's PIN now? If so the attempt is reserved until it ends. */
  begin(keys: { room: string; kind: PinKind; source: string }): AttemptVerdict;
  /** May this source knock now (right PIN or not)? Takes one knock from its budget. */
  knock(source: string): { ok: true } | { ok: false; retryAfterMs: number };
}

interface Counter {
  failures: number;
  /** Attempts begun and not yet ended. */
  pending: number;
  lastFailure: number;
  /** No attempt before this. */
  until: number;
}

/** When several attempts wait on the one in flight: try again in about this long. */
const IN_FLIGHT_RETRY_MS = 1_000;

export function createAttemptLimiter(given: Partial<AttemptLimits> = {}, now: () => number = Date.now): AttemptLimiter {
  const limits: AttemptLimits = { ...DEFAULT_LIMITS, ...given };
  /** Map order is age order: a counter moves to the end when it counts a wrong PIN. */
  const counters = new Map<string, Counter>();
  /** (kind, room, source) -> until when that source is known to have the PIN. */
  const known = new Map<string, number>();
  const buckets = new Map<string, { tokens: number; at: number }>();

  function forgotten(c: Counter): boolean {
    const t = now();
    return c.pending === 0 && t - c.lastFailure >= limits.windowMs && t >= c.until;
  }

  function get(key: string): Counter {
    const c = counters.get(key);
    if (c && !forgotten(c)) return c;
    const fresh: Counter = { failures: 0, pending: 0, lastFailure: 0, until: 0 };
    counters.set(key, fresh);
    return fresh;
  }

  /** A counter with nothing to remember goes, and so do the forgotten ones at the old end. */
  function tidy(key: string, c: Counter): void {
    if (c.failures === 0 && c.pending === 0 && counters.get(key) === c) counters.delete(key);
    for (const [oldKey, old] of counters) {
      if (counters.size <= limits.maxKeys && !forgotten(old)) break;
      counters.delete(oldKey);
    }
  }

  /** Why this counter cannot take an attempt now (ms to wait), or 0. `counts`: would a wrong PIN count here. */
  function wait(c: Counter, allowance: number, counts: boolean): number {
    const t = now();
    if (t < c.until) return c.until - t;
    if (!counts || c.pending === 0 || c.failures + c.pending < allowance) return 0;
    return IN_FLIGHT_RETRY_MS;
  }

  function fail(key: string, c: Counter, allowance: number): void {
    const t = now();
    c.failures += 1;
    c.lastFailure = t;
    if (c.failures >= allowance) {
      const doublings = Math.min(c.failures - allowance, 30);
      c.until = t + Math.min(limits.backoffMs * 2 ** doublings, limits.maxBackoffMs);
    }
    // Newest last: the map's order is the order counters are forgotten in.
    counters.delete(key);
    counters.set(key, c);
  }

  function remember(key: string): void {
    known.delete(key);
    known.set(key, now() + limits.windowMs);
    // Every entry lives windowMs from its insertion: the expired ones are at the front.
    for (const [oldKey, until] of known) {
      if (known.size <= limits.maxKeys && until > now()) break;
      known.delete(oldKey);
    }
  }

  return {
    begin({ room, kind, source }) {
      const keys = { own: `${kind}|${room}|${source}`, source: `${kind}||${source}`, room: `${kind}|${room}|` };
      const own = get(keys.own);
      const bySource = get(keys.source);
      const byRoom = get(keys.room);
      const exempt = (known.get(keys.own) ?? 0) > now();
      // A source counts against the room only up to its own allowance (see the top).
      const countsForRoom = !exempt && own.failures + own.pending < limits.maxFailures;
      const waits = [
        wait(own, limits.maxFailures, true),
        wait(bySource, limits.maxFailuresPerSource, true),
        exempt ? 0 : wait(byRoom, limits.maxFailuresPerRoom, countsForRoom),
      ];
      const longest = Math.max(...waits);
      if (longest > 0) return { ok: false, retryAfterMs: longest };

      const held: Array<[string, Counter, number]> = [
        [keys.own, own, limits.maxFailures],
        [keys.source, bySource, limits.maxFailuresPerSource],
        ...(countsForRoom ? [[keys.room, byRoom, limits.maxFailuresPerRoom] as [string, Counter, number]] : []),
      ];
      for (const [, c] of held) c.pending += 1;
      let ended = false;
      const end = (outcome: (key: string, c: Counter, allowance: number) => void): void => {
        if (ended) return;
        ended = true;
        for (const [key, c, allowance] of held) {
          c.pending -= 1;
          outcome(key, c, allowance);
          tidy(key, c);
        }
      };
      return {
        ok: true,
        attempt: {
          failed: () => end(fail),
          succeeded(reset) {
            end((key, c) => {
              if (reset && key === keys.own) {
                c.failures = 0;
                c.until = 0;
              }
            });
            remember(keys.own);
          },
          abandoned: () => end(() => undefined),
        },
      };
    },

    knock(source) {
      const t = now();
      const b = buckets.get(source) ?? { tokens: limits.knockBurst, at: t };
      b.tokens = Math.min(limits.knockBurst, b.tokens + (t - b.at) / limits.knockEveryMs);
      b.at = t;
      buckets.delete(source);
      if (b.tokens < 1) {
        buckets.set(source, b);
        return { ok: false, retryAfterMs: Math.ceil((1 - b.tokens) * limits.knockEveryMs) };
      }
      b.tokens -= 1;
      // A full bucket is the same as none: only sources that knocked lately are kept.
      buckets.set(source, b);
      for (const [key, other] of buckets) {
        if (buckets.size <= limits.maxKeys && t - other.at < limits.knockBurst * limits.knockEveryMs) break;
        buckets.delete(key);
      }
      return { ok: true };
    },
  };
}
