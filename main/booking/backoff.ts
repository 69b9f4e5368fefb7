/**
 * Exponential backoff with jitter for retrying a failed sync.
 *
 * The n-th consecutive failure waits base * factor^(n-1), capped at max, then "equal
 * jitter": half of that for sure plus a random share of the other half. The sure half
 * keeps a failing service from being hit again at once; the random half keeps many
 * consoles that lost the network together from coming back in lockstep.
 */
export interface BackoffOptions {
  baseMs?: number;
  factor?: number;
  maxMs?: number;
  /** A number in [0, 1); injectable so tests can pin the jitter. */
  random?: () => number;
}

export interface Backoff {
  /** The delay before the next retry; each call counts one more failure. */
  next(): number;
  /** A success: the next failure starts from the base again. */
  reset(): void;
  readonly failures: number;
}

export function createBackoff(opts: BackoffOptions = {}): Backoff {
  const base = opts.baseMs ?? 2_000;
  const factor = opts.factor ?? 2;
  const max = opts.maxMs ?? 120_000;
  const random = opts.random ?? Math.random;
  if (!(base > 0) || !(factor >= 1) || !(max >= base)) throw new RangeError('backoff needs base > 0, factor >= 1 and max >= base');
  let failures = 0;
  return {
    next() {
      failures++;
      const ceiling = Math.min(max, base * factor ** (failures - 1));
      return Math.round(ceiling / 2 + random() * (ceiling / 2));
    },
    reset() {
      failures = 0;
    },
    get failures() {
      return failures;
    },
  };
}
