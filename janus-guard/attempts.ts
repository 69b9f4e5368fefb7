/**
 * Limits PIN attempts, the way Pexip Infinity's break-in resistance does: more than
 * `maxFailures` wrong PINs for one room within `windowMs` lock that room's PIN check for
 * `lockMs` (the right PIN included: a guesser learns nothing while locked). A second,
 * larger budget per source address slows one machine guessing across many rooms.
 */
export interface AttemptLimits {
  maxFailures: number;
  windowMs: number;
  lockMs: number;
  /** Wrong PINs one source may make across all rooms within windowMs. */
  maxFailuresPerSource: number;
}

export const DEFAULT_LIMITS: AttemptLimits = { maxFailures: 5, windowMs: 10 * 60_000, lockMs: 10 * 60_000, maxFailuresPerSource: 20 };

export type AttemptVerdict = { ok: true } | { ok: false; retryAfterMs: number };

export interface AttemptLimiter {
  /** May this key try now? */
  check(keys: { room: string; source: string }): AttemptVerdict;
  /** A wrong PIN: counts against the room and the source. */
  failed(keys: { room: string; source: string }): void;
  /** A right PIN: the room's count starts again. */
  succeeded(keys: { room: string }): void;
}

interface Counter {
  failures: number[];
  lockedUntil: number;
}

export function createAttemptLimiter(limits: AttemptLimits = DEFAULT_LIMITS, now: () => number = Date.now): AttemptLimiter {
  const rooms = new Map<string, Counter>();
  const sources = new Map<string, Counter>();

  function counter(map: Map<string, Counter>, key: string): Counter {
    let c = map.get(key);
    if (!c) {
      c = { failures: [], lockedUntil: 0 };
      map.set(key, c);
    }
    const t = now();
    c.failures = c.failures.filter((at) => t - at < limits.windowMs);
    return c;
  }

  function lockedFor(c: Counter): number {
    return Math.max(0, c.lockedUntil - now());
  }

  function count(c: Counter, max: number): void {
    const t = now();
    c.failures.push(t);
    if (c.failures.length >= max) {
      c.lockedUntil = t + limits.lockMs;
      c.failures = [];
    }
  }

  return {
    check({ room, source }) {
      const wait = Math.max(lockedFor(counter(rooms, room)), lockedFor(counter(sources, source)));
      return wait > 0 ? { ok: false, retryAfterMs: wait } : { ok: true };
    },
    failed({ room, source }) {
      count(counter(rooms, room), limits.maxFailures);
      count(counter(sources, source), limits.maxFailuresPerSource);
    },
    succeeded({ room }) {
      const c = rooms.get(room);
      if (c) c.failures = [];
    },
  };
}
